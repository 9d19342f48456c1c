//! Loading `graph-data/`: RON files → raw records → a validated [`Graph`], with every problem
//! reported at `file:line:col`; and saving a graph back to RON, deterministically.

mod origins;
mod raw;
mod read;
pub mod spans;
pub mod wikidata;
mod write;

/// What a file that is not a regular file is, in the words error messages use.
pub use crate::error::not_regular;
use origins::Origins;
use raw::*;
use read::*;
pub use write::to_ron_string;

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Problem, Problems, Result, Subject};
use crate::graph::Graph;
use crate::model::{Edge, ElectionResult, ExternalId};
use spans::{Seg, Spanned};

/// How many unknown ids get a "did you mean" suggestion in one load.
pub const MAX_SUGGESTIONS: usize = 100;

/// The largest RON file the loader reads.
pub const MAX_RON_BYTES: u64 = crate::limits::MAX_RON_BYTES;

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
    /// Files that could not be read or parsed: the ids they define are unknown, so references
    /// to ids are not checked (each would be a spurious "unknown node id").
    unparsed: Vec<String>,
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
            self.unparsed.push(name.to_string());
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
                self.unparsed.push(name.to_string());
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
                let first = self.origins.first_at(&id, "sources");
                self.problems.push(Problem {
                    location: Some(loc(
                        tree,
                        &[Seg::Field("sources"), Seg::Index(i), Seg::Field("id")],
                    )),
                    ..Problem::new(
                        Subject::Source(id.clone()),
                        format!("duplicate source id {id:?} (first defined at {first})"),
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
                let first = self.origins.first_at(&id, "nodes");
                self.problems.push(Problem {
                    location: Some(loc(
                        tree,
                        &[Seg::Field("nodes"), Seg::Index(i), Seg::Field("id")],
                    )),
                    ..Problem::new(
                        Subject::Node(id.clone()),
                        format!("duplicate node id {id:?} (first defined at {first})"),
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
                format!("unknown node id {} in `{field}`", crate::names::clipped(id)),
                hint,
            )
            .unresolved(format!("node id {}", crate::names::clipped(id)))
        }
    }

    /// Reads one RON file.
    pub fn add_file(&mut self, path: &Path) {
        let name = crate::names::path_text(path);
        match read_text(path) {
            Ok(text) => self.add_text(&name, &text),
            Err(p) => {
                self.problems.push(*p);
                self.unparsed.push(name);
            }
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
                    file: crate::names::path_text(dir),
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
        if !self.unparsed.is_empty() {
            let skipped = all.iter().filter(|p| p.unresolved).count();
            all.retain(|p| !p.unresolved);
            if skipped > 0 {
                all.push(Problem::new(
                    Subject::Input,
                    format!(
                        "{skipped} reference{} to ids not checked: {} could not be read or parsed, and the ids it defines are unknown",
                        if skipped == 1 { "" } else { "s" },
                        self.unparsed.join(", ")
                    ),
                    "fix the problem in that file first",
                ));
            }
        }
        // Report in file order; problems without a position keep their relative order at the end.
        all.sort_by(|a, b| match (&a.location, &b.location) {
            (Some(x), Some(y)) => (&x.file, x.line, x.col).cmp(&(&y.file, y.line, y.col)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let all = one_per_missing_id(all);
        if all.is_empty() {
            Ok(self.graph)
        } else {
            Err(Problems(all))
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

/// The references to one missing id as one problem: the first (in file order), saying how many
/// there are, with the others' places in [`Problem::also_at`]. A typo in a node's id is then one
/// problem, not one per edge that names the node.
fn one_per_missing_id(all: Vec<Problem>) -> Vec<Problem> {
    use std::collections::HashMap;
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Problem> = Vec::with_capacity(all.len());
    let mut count: Vec<usize> = Vec::with_capacity(all.len());
    for p in all {
        if let Some(what) = p.missing.clone() {
            if let Some(&i) = first.get(&what) {
                count[i] += 1;
                if let Some(l) = p.location {
                    out[i].also_at.push(l);
                }
                continue;
            }
            first.insert(what, out.len());
        }
        out.push(p);
        count.push(1);
    }
    for (p, n) in out.iter_mut().zip(count) {
        if n > 1
            && let Some(what) = &p.missing
        {
            p.message = format!("{} ({n} references to an undefined {what})", p.message);
        }
    }
    out
}
