//! Loading `graph-data/`: RON files → raw records → a validated [`Graph`], with every problem
//! reported at `file:line:col`; and saving a graph back to RON, deterministically.

pub mod spans;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::DateSpec;
use crate::error::{Error, Location, Problem, Problems, Result, Subject};
use crate::graph::Graph;
use crate::model::{
    Claim, Covers, Edge, EdgeKind, ElectionResult, Event, EventKind, ExternalId, Node, NodeKind,
    Source, Term,
};
use spans::{Seg, Spanned};

/// How many unknown ids get a "did you mean" suggestion in one load.
pub const MAX_SUGGESTIONS: usize = 100;

/// The largest RON file the loader reads.
pub const MAX_RON_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sources: Vec<RawSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    nodes: Vec<RawNode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    edges: Vec<RawEdge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    results: Vec<RawResult>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    external_ids: Vec<RawExternalId>,
}

fn default_body() -> String {
    "majilis".to_string()
}

fn is_default_body(b: &str) -> bool {
    b == "majilis"
}

/// An election result, written in a top-level `results` list and kept on its party's node.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResult {
    party: String,
    election: String,
    #[serde(default = "default_body", skip_serializing_if = "is_default_body")]
    body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    share: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seats: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    votes: Option<u64>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

/// An id in another dataset, written in a top-level `external_ids` list and kept on its node.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExternalId {
    node: String,
    scheme: String,
    id: String,
    covers: Covers,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: String,
    title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    publisher: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    seed: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

impl From<RawSource> for Source {
    fn from(r: RawSource) -> Source {
        Source {
            id: r.id,
            title: r.title,
            publisher: r.publisher,
            author: r.author,
            date: r.date,
            url: r.url,
            seed: r.seed,
            note: r.note,
        }
    }
}

impl From<&Source> for RawSource {
    fn from(r: &Source) -> RawSource {
        let r = r.clone();
        RawSource {
            id: r.id,
            title: r.title,
            publisher: r.publisher,
            author: r.author,
            date: r.date,
            url: r.url,
            seed: r.seed,
            note: r.note,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    date: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    kind: EventKind,
    date: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: String,
    kind: NodeKind,
    name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    shared_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    founded: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    registered: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ended: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    events: Vec<RawEvent>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdge {
    kind: EdgeKind,
    from: String,
    to: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    date: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    term: Option<RawTerm>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    note: String,
}

/// Converts raw strings into dates, collecting every bad one.
struct Conv<'a> {
    problems: &'a mut Vec<Problem>,
    subject: Subject,
}

impl Conv<'_> {
    fn date(&mut self, s: &str, path: &[Seg]) -> Option<DateSpec> {
        match DateSpec::parse(s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problems.push(
                    Problem::new(self.subject.clone(), format!("impossible date {:?}: {}", e.text, e.reason), "write YYYY, YYYY-MM, YYYY-MM-DD, 'early 1998', 'about 1998', 'before 1998' or 'A to B'")
                        .at(path),
                );
                None
            }
        }
    }

    fn claims(&mut self, field: &'static str, raw: Vec<RawClaim>) -> Vec<Claim> {
        let mut out = Vec::new();
        for (i, c) in raw.into_iter().enumerate() {
            if let Some(date) = self.date(
                &c.date,
                &[Seg::Field(field), Seg::Index(i), Seg::Field("date")],
            ) {
                out.push(Claim {
                    date,
                    sources: c.sources,
                    note: c.note,
                });
            }
        }
        out
    }
}

fn node_from_raw(r: RawNode, problems: &mut Vec<Problem>) -> Node {
    let mut c = Conv {
        problems,
        subject: Subject::Node(r.id.clone()),
    };
    let founded = c.claims("founded", r.founded);
    let registered = c.claims("registered", r.registered);
    let ended = c.claims("ended", r.ended);
    let mut events = Vec::new();
    for (i, e) in r.events.into_iter().enumerate() {
        if let Some(date) = c.date(
            &e.date,
            &[Seg::Field("events"), Seg::Index(i), Seg::Field("date")],
        ) {
            events.push(Event {
                date,
                kind: e.kind,
                note: e.note,
                sources: e.sources,
            });
        }
    }
    Node {
        id: r.id,
        kind: r.kind,
        name: r.name,
        aliases: r.aliases,
        shared_names: r.shared_names,
        founded,
        registered,
        ended,
        events,
        results: Vec::new(),
        external_ids: Vec::new(),
        sources: r.sources,
        note: r.note,
    }
}

fn edge_from_raw(r: RawEdge, problems: &mut Vec<Problem>) -> Edge {
    let label = format!("{} {} -> {}", r.kind, r.from, r.to);
    let mut c = Conv {
        problems,
        subject: Subject::Edge(label),
    };
    let date = c.claims("date", r.date);
    let term = r.term.map(|t| Term {
        from: t
            .from
            .and_then(|s| c.date(&s, &[Seg::Field("term"), Seg::Field("from")])),
        until: t
            .until
            .and_then(|s| c.date(&s, &[Seg::Field("term"), Seg::Field("until")])),
    });
    Edge {
        kind: r.kind,
        from: r.from,
        to: r.to,
        date,
        role: r.role,
        term,
        sources: r.sources,
        note: r.note,
    }
}

fn claim_to_raw(c: &Claim) -> RawClaim {
    RawClaim {
        date: c.date.as_str().to_string(),
        sources: c.sources.clone(),
        note: c.note.clone(),
    }
}

fn node_to_raw(n: &Node) -> RawNode {
    RawNode {
        id: n.id.clone(),
        kind: n.kind,
        name: n.name.clone(),
        aliases: n.aliases.clone(),
        shared_names: n.shared_names.clone(),
        founded: n.founded.iter().map(claim_to_raw).collect(),
        registered: n.registered.iter().map(claim_to_raw).collect(),
        ended: n.ended.iter().map(claim_to_raw).collect(),
        events: n
            .events
            .iter()
            .map(|e| RawEvent {
                kind: e.kind,
                date: e.date.as_str().to_string(),
                sources: e.sources.clone(),
                note: e.note.clone(),
            })
            .collect(),
        sources: n.sources.clone(),
        note: n.note.clone(),
    }
}

fn edge_to_raw(e: &Edge) -> RawEdge {
    RawEdge {
        kind: e.kind,
        from: e.from.clone(),
        to: e.to.clone(),
        date: e.date.iter().map(claim_to_raw).collect(),
        role: e.role.clone(),
        term: e.term.as_ref().map(|t| RawTerm {
            from: t.from.as_ref().map(|d| d.as_str().to_string()),
            until: t.until.as_ref().map(|d| d.as_str().to_string()),
        }),
        sources: e.sources.clone(),
        note: e.note.clone(),
    }
}

fn ron_options() -> ron::Options {
    // The default recursion limit (128) stays in force.
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// Where each loaded record came from.
#[derive(Default)]
struct Origins {
    trees: Vec<(String, Spanned)>,
    sources: HashMap<String, (usize, usize)>,
    nodes: HashMap<String, (usize, usize)>,
    edges: HashMap<u64, (usize, usize)>,
    /// (node id, "results" or "external_ids", index on the node) → (file, index in its list)
    attached: HashMap<(String, &'static str, usize), (usize, usize)>,
}

impl Origins {
    fn locate(&self, p: &mut Problem) {
        if p.location.is_some() {
            return;
        }
        // A problem of a result or external id points into the top-level list it was written in.
        if let (Subject::Node(id), [Seg::Field(list), Seg::Index(i), rest @ ..]) =
            (&p.subject, p.path.as_slice())
            && matches!(*list, "results" | "external_ids")
            && let Some(&(file, idx)) = self.attached.get(&(id.clone(), *list, *i))
        {
            let (name, tree) = &self.trees[file];
            let mut path = vec![Seg::Field(list), Seg::Index(idx)];
            path.extend(rest.iter().copied());
            let pos = tree.find(&path);
            p.location = Some(Location {
                file: name.clone(),
                line: pos.line,
                col: pos.col,
            });
            return;
        }
        let (list, at) = match (&p.subject, p.edge_handle) {
            (_, Some(h)) => ("edges", self.edges.get(&h)),
            (Subject::Node(id), None) => ("nodes", self.nodes.get(id)),
            (Subject::Source(id), None) => ("sources", self.sources.get(id)),
            _ => return,
        };
        if let Some(&(file, idx)) = at {
            let (name, tree) = &self.trees[file];
            let mut path = vec![Seg::Field(list), Seg::Index(idx)];
            path.extend(p.path.iter().copied());
            let pos = tree.find(&path);
            p.location = Some(Location {
                file: name.clone(),
                line: pos.line,
                col: pos.col,
            });
        }
    }
}

/// A loader: parses RON texts into one graph, collecting every problem.
#[derive(Default)]
pub struct Loader {
    graph: Graph,
    problems: Vec<Problem>,
    origins: Origins,
    pending: Vec<(usize, usize, Edge)>,
    pending_results: Vec<(usize, usize, String, ElectionResult)>,
    /// How many "did you mean" suggestions were made: each compares the id with every node id,
    /// so they stop at [`MAX_SUGGESTIONS`] to keep validation linear.
    suggested: std::cell::Cell<usize>,
    pending_ids: Vec<(usize, usize, String, ExternalId)>,
}

impl Loader {
    /// A loader with an empty graph.
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Adds one RON document. `name` is how problems name the file.
    pub fn add_text(&mut self, name: &str, text: &str) {
        // Files are checked when read; text given directly gets the same NUL check.
        if text.as_bytes().contains(&0) {
            if let Err(p) = text_from_bytes(name, text.as_bytes().to_vec()) {
                self.problems.push(*p);
            }
            return;
        }
        let raw: RawFile = match ron_options().from_str(text) {
            Ok(r) => r,
            Err(e) => {
                self.problems.push(Problem {
                    location: Some(Location {
                        file: name.to_string(),
                        line: e.span.start.line,
                        col: e.span.start.col,
                    }),
                    ..Problem::new(Subject::Input, ron_message(&e.code), ron_hint(&e.code))
                });
                return;
            }
        };
        let file = self.origins.trees.len();
        self.origins
            .trees
            .push((name.to_string(), spans::scan(text)));
        let loc = |tree: &Spanned, path: &[Seg]| {
            let p = tree.find(path);
            Location {
                file: name.to_string(),
                line: p.line,
                col: p.col,
            }
        };
        for (i, s) in raw.sources.into_iter().enumerate() {
            let id = s.id.clone();
            if !self.graph.insert_source(s.into()) {
                let tree = &self.origins.trees[file].1;
                self.problems.push(Problem {
                    location: Some(loc(
                        tree,
                        &[Seg::Field("sources"), Seg::Index(i), Seg::Field("id")],
                    )),
                    ..Problem::new(
                        Subject::Source(id.clone()),
                        format!("duplicate source id {id:?}"),
                        "give each source its own id",
                    )
                });
            } else {
                self.origins.sources.insert(id, (file, i));
            }
        }
        for (i, r) in raw.nodes.into_iter().enumerate() {
            let mut ps = Vec::new();
            let n = node_from_raw(r, &mut ps);
            let id = n.id.clone();
            if self.graph.has_node(&id) {
                let tree = &self.origins.trees[file].1;
                let first = self
                    .origins
                    .nodes
                    .get(&id)
                    .map(|(f, _)| self.origins.trees[*f].0.clone())
                    .unwrap_or_default();
                self.problems.push(Problem {
                    location: Some(loc(
                        tree,
                        &[Seg::Field("nodes"), Seg::Index(i), Seg::Field("id")],
                    )),
                    ..Problem::new(
                        Subject::Node(id.clone()),
                        format!("duplicate node id {id:?} (first defined in {first})"),
                        "ids must be unique; merge the two records",
                    )
                });
                continue;
            }
            self.origins.nodes.insert(id.clone(), (file, i));
            for p in &mut ps {
                self.origins.locate(p);
            }
            self.problems.extend(ps);
            self.graph.insert_node(n);
        }
        for (i, r) in raw.edges.into_iter().enumerate() {
            let tree_path = [Seg::Field("edges"), Seg::Index(i)];
            let mut ps = Vec::new();
            let e = edge_from_raw(r, &mut ps);
            let tree = &self.origins.trees[file].1;
            for p in &mut ps {
                let mut path = tree_path.to_vec();
                path.extend(p.path.iter().copied());
                p.location = Some(loc(tree, &path));
            }
            self.problems.extend(ps);
            self.pending.push((file, i, e));
        }
        for (i, r) in raw.results.into_iter().enumerate() {
            let path = [Seg::Field("results"), Seg::Index(i), Seg::Field("election")];
            let mut c = Conv {
                problems: &mut self.problems,
                subject: Subject::Node(r.party.clone()),
            };
            let Some(election) = c.date(&r.election, &[]) else {
                let tree = &self.origins.trees[file].1;
                if let Some(p) = self.problems.last_mut() {
                    p.location = Some(loc(tree, &path));
                }
                continue;
            };
            let res = ElectionResult {
                election,
                body: r.body,
                share: r.share,
                seats: r.seats,
                votes: r.votes,
                sources: r.sources,
                note: r.note,
            };
            self.pending_results.push((file, i, r.party, res));
        }
        for (i, r) in raw.external_ids.into_iter().enumerate() {
            let x = ExternalId {
                scheme: r.scheme,
                id: r.id,
                covers: r.covers,
                sources: r.sources,
                note: r.note,
            };
            self.pending_ids.push((file, i, r.node, x));
        }
    }

    /// Attaches the results and external ids to their nodes; an unknown node id is a problem at
    /// the record's `party` or `node` field.
    fn attach(&mut self) {
        let results = std::mem::take(&mut self.pending_results);
        let ids = std::mem::take(&mut self.pending_ids);
        let mut unknown = Vec::new();
        for (file, i, party, r) in results {
            match self.graph.node_mut(&party) {
                Some(n) => {
                    self.origins
                        .attached
                        .insert((party.clone(), "results", n.results.len()), (file, i));
                    n.results.push(r);
                }
                None => unknown.push((file, "results", i, "party", party)),
            }
        }
        for (file, i, node, x) in ids {
            match self.graph.node_mut(&node) {
                Some(n) => {
                    self.origins.attached.insert(
                        (node.clone(), "external_ids", n.external_ids.len()),
                        (file, i),
                    );
                    n.external_ids.push(x);
                }
                None => unknown.push((file, "external_ids", i, "node", node)),
            }
        }
        for (file, list, i, field, id) in unknown {
            let p = self.unknown_node(file, list, i, field, &id, Subject::Input);
            self.problems.push(p);
        }
    }

    /// "unknown node id" at `list[i].field` of file `file`, with the nearest id as a hint.
    fn unknown_node(
        &self,
        file: usize,
        list: &'static str,
        i: usize,
        field: &'static str,
        id: &str,
        subject: Subject,
    ) -> Problem {
        let (name, tree) = &self.origins.trees[file];
        let pos = tree.find(&[Seg::Field(list), Seg::Index(i), Seg::Field(field)]);
        let n = self.suggested.get();
        self.suggested.set(n + 1);
        let hint = if n >= MAX_SUGGESTIONS {
            format!(
                "define the node, or fix the id (no suggestion: more than {MAX_SUGGESTIONS} unknown ids)"
            )
        } else {
            match crate::names::closest_id(id, self.graph.nodes().iter().map(|n| n.id.as_str())) {
                Some(s) => format!("did you mean {s:?}?"),
                None => "define the node, or fix the id".to_string(),
            }
        };
        Problem {
            location: Some(Location {
                file: name.clone(),
                line: pos.line,
                col: pos.col,
            }),
            ..Problem::new(
                subject,
                format!("unknown node id {id:?} in `{field}`"),
                hint,
            )
        }
    }

    /// Reads one RON file.
    pub fn add_file(&mut self, path: &Path) {
        let name = path.display().to_string();
        match read_text(path) {
            Ok(text) => self.add_text(&name, &text),
            Err(p) => self.problems.push(*p),
        }
    }

    /// Reads every `*.ron` file of a directory, in file-name order.
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in rd {
            let entry = entry.map_err(|e| Error::io(dir, e))?;
            let p = entry.path();
            // every `.ron` entry is read, so that a dangling link, a link loop or a directory
            // of that name is reported as a problem instead of being skipped silently
            if p.extension().is_some_and(|x| x == "ron") {
                files.push(p);
            }
        }
        files.sort();
        if files.is_empty() {
            self.problems.push(Problem {
                location: Some(Location {
                    file: dir.display().to_string(),
                    line: 1,
                    col: 1,
                }),
                ..Problem::new(
                    Subject::Input,
                    "no .ron files in this directory",
                    "point --data at a graph-data directory, a .ron file or a snapshot",
                )
            });
        }
        for f in files {
            self.add_file(&f);
        }
        Ok(())
    }

    /// Links the edges, validates the whole graph and returns it, or every problem found.
    pub fn finish(mut self) -> Result<Graph, Problems> {
        self.attach();
        for (file, i, e) in std::mem::take(&mut self.pending) {
            let mut missing = Vec::new();
            for (field, id) in [("from", &e.from), ("to", &e.to)] {
                if !self.graph.has_node(id) {
                    missing.push((field, id.clone()));
                }
            }
            if missing.is_empty() {
                let h = self.graph.insert_edge(e);
                self.origins.edges.insert(h.0, (file, i));
            } else {
                for (field, id) in missing {
                    let subject = Subject::Edge(format!("{} {} -> {}", e.kind, e.from, e.to));
                    let p = self.unknown_node(file, "edges", i, field, &id, subject);
                    self.problems.push(p);
                }
            }
        }
        let mut all = std::mem::take(&mut self.problems);
        let mut v = self.graph.validate();
        for p in &mut v {
            self.origins.locate(p);
        }
        all.extend(v);
        // Report in file order; problems without a position keep their relative order at the end.
        all.sort_by(|a, b| match (&a.location, &b.location) {
            (Some(x), Some(y)) => (&x.file, x.line, x.col).cmp(&(&y.file, y.line, y.col)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        if all.is_empty() {
            Ok(self.graph)
        } else {
            Err(Problems(all))
        }
    }
}

/// ron's message, with our internal record type names replaced by the words users know.
fn ron_message(code: &ron::error::Error) -> String {
    let mut m = code.to_string();
    for (raw, word) in [
        ("`RawFile`", "the file"),
        ("`RawSource`", "a source"),
        ("`RawNode`", "a node"),
        ("`RawEdge`", "an edge"),
        ("`RawClaim`", "a claim"),
        ("`RawEvent`", "an event"),
        ("`RawTerm`", "a term"),
        ("`RawResult`", "an election result"),
        ("`RawExternalId`", "an external id"),
    ] {
        m = m.replace(raw, word);
    }
    m
}

fn ron_hint(code: &ron::error::Error) -> String {
    use ron::error::Error as E;
    match code {
        E::NoSuchStructField { .. } => {
            "remove the field or fix its spelling; see docs/data-format.md".into()
        }
        E::DuplicateStructField { .. } => "a field may appear only once".into(),
        E::MissingStructField { .. } => "add the field".into(),
        E::NoSuchEnumVariant { .. } => "use one of the listed kinds".into(),
        E::ExceededRecursionLimit => "the file nests too deeply".into(),
        _ => "see docs/data-format.md for the syntax".into(),
    }
}

/// Reads a file as UTF-8 text, refusing oversized files, invalid UTF-8 and NUL bytes.
fn read_text(path: &Path) -> Result<String, Box<Problem>> {
    let name = path.display().to_string();
    let at = |line, col| {
        Some(Location {
            file: name.clone(),
            line,
            col,
        })
    };
    let cannot = |e: std::io::Error| {
        Box::new(Problem {
            location: at(1, 1),
            ..Problem::new(Subject::Input, format!("cannot read: {e}"), "")
        })
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        let what = crate::error::not_regular(&meta);
        return Err(Box::new(Problem {
            location: at(1, 1),
            ..Problem::new(
                Subject::Input,
                format!("cannot read it as RON: it is {what}"),
                "point --data at a graph-data directory, a .ron file or a snapshot",
            )
        }));
    }
    // The size the file reports is only a hint: read through the limit, whatever it says.
    let too_large = |len: u64| {
        Box::new(Problem {
            location: at(1, 1),
            ..Problem::new(
                Subject::Input,
                format!(
                    "file is at least {len} bytes, larger than the {} byte limit",
                    MAX_RON_BYTES
                ),
                "split it into several files",
            )
        })
    };
    if meta.len() > MAX_RON_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_RON_BYTES + 1),
        &mut bytes,
    )
    .map_err(cannot)?;
    if bytes.len() as u64 > MAX_RON_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    text_from_bytes(&name, bytes)
}

/// Checks that bytes are UTF-8 without NUL bytes, naming the first bad position.
pub(crate) fn text_from_bytes(name: &str, bytes: Vec<u8>) -> Result<String, Box<Problem>> {
    let pos_of = |b: &[u8], off: usize| {
        let before = &b[..off];
        let line = before.iter().filter(|c| **c == b'\n').count() + 1;
        let col = String::from_utf8_lossy(
            &before[before
                .iter()
                .rposition(|c| *c == b'\n')
                .map_or(0, |p| p + 1)..],
        )
        .chars()
        .count()
            + 1;
        (line, col)
    };
    match String::from_utf8(bytes) {
        Ok(s) => {
            if let Some(off) = s.bytes().position(|c| c == 0) {
                let (line, col) = pos_of(s.as_bytes(), off);
                return Err(Box::new(Problem {
                    location: Some(Location {
                        file: name.to_string(),
                        line,
                        col,
                    }),
                    ..Problem::new(
                        Subject::Input,
                        "NUL byte in text",
                        "remove it; RON files are plain UTF-8 text",
                    )
                }));
            }
            Ok(s)
        }
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            let (line, col) = pos_of(e.as_bytes(), off);
            Err(Box::new(Problem {
                location: Some(Location {
                    file: name.to_string(),
                    line,
                    col,
                }),
                ..Problem::new(
                    Subject::Input,
                    format!("invalid UTF-8 at byte {off}"),
                    "save the file as UTF-8",
                )
            }))
        }
    }
}

/// Loads a graph-data directory or a single RON file, validating everything.
///
/// # Errors
/// [`Error::Invalid`] with every problem found, each at `file:line:col`; [`Error::Io`] when the
/// directory cannot be listed.
pub fn load_path(path: &Path) -> Result<Graph> {
    let mut l = Loader::new();
    if path.is_dir() {
        l.add_dir(path)?;
    } else {
        l.add_file(path);
    }
    l.finish().map_err(Error::Invalid)
}

/// Parses one RON document (sources, nodes and edges together) into a validated graph.
///
/// # Errors
/// [`Error::Invalid`] with every problem found; `name` is used as the file name in locations.
pub fn load_str(name: &str, text: &str) -> Result<Graph> {
    let mut l = Loader::new();
    l.add_text(name, text);
    l.finish().map_err(Error::Invalid)
}

/// Writes a graph as one RON document: sources, then nodes by id, then edges in a stable order.
/// The same graph always gives the same bytes.
pub fn to_ron_string(g: &Graph) -> String {
    let raw = RawFile {
        sources: g.sources().map(RawSource::from).collect(),
        nodes: g.nodes().into_iter().map(node_to_raw).collect(),
        edges: g.edges().into_iter().map(|(_, e)| edge_to_raw(e)).collect(),
        results: g
            .nodes()
            .into_iter()
            .flat_map(|n| {
                n.results.iter().map(|r| RawResult {
                    party: n.id.clone(),
                    election: r.election.as_str().to_string(),
                    body: r.body.clone(),
                    share: r.share.clone(),
                    seats: r.seats,
                    votes: r.votes,
                    sources: r.sources.clone(),
                    note: r.note.clone(),
                })
            })
            .collect(),
        external_ids: g
            .nodes()
            .into_iter()
            .flat_map(|n| {
                n.external_ids.iter().map(|x| RawExternalId {
                    node: n.id.clone(),
                    scheme: x.scheme.clone(),
                    id: x.id.clone(),
                    covers: x.covers,
                    sources: x.sources.clone(),
                    note: x.note.clone(),
                })
            })
            .collect(),
    };
    let cfg = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    let mut s = ron::Options::default()
        .to_string_pretty(&raw, cfg)
        .expect("RON serialisation of plain data cannot fail");
    s.push('\n');
    s
}
