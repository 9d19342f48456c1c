//! The editable graph: add, update and remove nodes and edges, each checked the way loading
//! checks, then validate the whole, freeze it for queries, or save it.
//!
//! Storage is a petgraph `StableDiGraph`, so removing a node never renumbers the others; petgraph
//! indices stay inside this module. Nodes are addressed by their slug id and edges by an
//! [`EdgeHandle`] of our own.

use std::collections::{BTreeMap, HashMap};

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;

use crate::error::Seg;
use crate::error::{Error, Problem, Problems, Result, Subject};
use crate::model::{Claim, Edge, EdgeKind, Node, NodeKind, Source};
use crate::names::{is_slug, normalize};

mod checks;

/// A stable handle to an edge of a [`Graph`]. It stays valid until that edge is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EdgeHandle(pub(crate) u64);

/// An editable lineage graph.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    sources: BTreeMap<String, Source>,
    g: StableDiGraph<Node, (EdgeHandle, Edge)>,
    ids: HashMap<String, NodeIndex>,
    handles: HashMap<EdgeHandle, EdgeIndex>,
    next_handle: u64,
}

fn edge_label(e: &Edge) -> String {
    format!("{} {} -> {}", e.kind, e.from, e.to)
}

fn node_problem(n: &Node, msg: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem::new(Subject::Node(n.id.clone()), msg, hint)
}

fn edge_problem(e: &Edge, msg: impl Into<String>, hint: impl Into<String>) -> Problem {
    Problem::new(Subject::Edge(edge_label(e)), msg, hint)
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.g.node_count()
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.g.edge_count()
    }

    /// The sources, by id.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.sources.values()
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.get(id)
    }

    /// A node by id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.ids.get(id).map(|ix| &self.g[*ix])
    }

    /// Every node, in id order.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.g.node_weights().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Every edge with its handle, in a stable order (kind, from, to, then the rest).
    pub fn edges(&self) -> Vec<(EdgeHandle, &Edge)> {
        let mut v: Vec<(EdgeHandle, &Edge)> = self.g.edge_weights().map(|(h, e)| (*h, e)).collect();
        v.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
        v
    }

    /// An edge by handle.
    pub fn edge(&self, h: EdgeHandle) -> Option<&Edge> {
        self.handles.get(&h).map(|ix| &self.g[*ix].1)
    }

    // ---- mutation ------------------------------------------------------------------------

    /// Adds a source.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the id is not a slug, the title is empty, or the id is taken.
    pub fn add_source(&mut self, s: Source) -> Result<()> {
        let mut p = self.source_problems(&s);
        if self.sources.contains_key(&s.id) {
            p.push(Problem::new(
                Subject::Source(s.id.clone()),
                format!("duplicate source id {:?}", s.id),
                "give each source its own id",
            ));
        }
        if !p.is_empty() {
            return Err(Error::Invalid(Problems(p)));
        }
        self.sources.insert(s.id.clone(), s);
        Ok(())
    }

    /// Adds a node.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found: a taken or malformed id, a missing or unknown
    /// source, impossible dates, or a name that collides with another node's.
    pub fn add_node(&mut self, n: Node) -> Result<()> {
        let mut p = self.node_problems(&n);
        if self.ids.contains_key(&n.id) {
            p.push(
                node_problem(
                    &n,
                    format!("duplicate node id {:?}", n.id),
                    "ids must be unique",
                )
                .at(&[Seg::Field("id")]),
            );
        }
        p.extend(self.name_collisions(&n, None));
        if !p.is_empty() {
            return Err(Error::Invalid(Problems(p)));
        }
        self.insert_node(n);
        Ok(())
    }

    /// Replaces the node with the same id, returning the old one.
    ///
    /// # Errors
    /// [`Error::Invalid`] when no node has that id or the new node has problems, or when an edge
    /// of the node would then be dated outside the node's life.
    pub fn update_node(&mut self, n: Node) -> Result<Node> {
        let Some(&ix) = self.ids.get(&n.id) else {
            return Err(Error::Invalid(Problems(vec![node_problem(
                &n,
                format!("no node with id {:?}", n.id),
                "add it first",
            )])));
        };
        let mut p = self.node_problems(&n);
        p.extend(self.name_collisions(&n, Some(ix)));
        let old = std::mem::replace(&mut self.g[ix], n);
        let edges: Vec<Edge> = self
            .g
            .edges_directed(ix, Direction::Outgoing)
            .chain(self.g.edges_directed(ix, Direction::Incoming))
            .map(|e| e.weight().1.clone())
            .collect();
        for e in &edges {
            p.extend(self.edge_dates_problems(e));
            if let (Some(a), Some(b)) = (self.node(&e.from), self.node(&e.to)) {
                p.extend(checks::edge_life_problems(e, a, b));
            }
        }
        if !p.is_empty() {
            self.g[ix] = old;
            return Err(Error::Invalid(Problems(p)));
        }
        Ok(old)
    }

    /// Removes a node and every edge that touches it, returning them.
    ///
    /// # Errors
    /// [`Error::Invalid`] when no node has that id.
    pub fn remove_node(&mut self, id: &str) -> Result<(Node, Vec<Edge>)> {
        let Some(ix) = self.ids.remove(id) else {
            return Err(Error::Invalid(Problems(vec![Problem::new(
                Subject::Node(id.to_string()),
                format!("no node with id {id:?}"),
                "",
            )])));
        };
        let touching: Vec<EdgeIndex> = self
            .g
            .edges_directed(ix, Direction::Outgoing)
            .chain(self.g.edges_directed(ix, Direction::Incoming))
            .map(|e| e.id())
            .collect();
        let mut removed = Vec::new();
        for eix in touching {
            if let Some((h, e)) = self.g.remove_edge(eix) {
                self.handles.remove(&h);
                removed.push(e);
            }
        }
        removed.sort();
        let node = self
            .g
            .remove_node(ix)
            .expect("index from the id map is live");
        Ok((node, removed))
    }

    /// Adds an edge and returns its handle.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found: unknown endpoints, wrong endpoint kinds,
    /// missing sources, dates outside the endpoints' lives, a second renaming, a lineage cycle, or
    /// a duplicate.
    pub fn add_edge(&mut self, e: Edge) -> Result<EdgeHandle> {
        let mut p = self.edge_problems(&e);
        if p.is_empty() {
            p.extend(self.edge_graph_problems(&e, None));
        }
        if !p.is_empty() {
            return Err(Error::Invalid(Problems(p)));
        }
        Ok(self.insert_edge(e))
    }

    /// Replaces an edge, keeping its handle; returns the old edge.
    ///
    /// # Errors
    /// As [`Graph::add_edge`], or when the handle is stale.
    pub fn update_edge(&mut self, h: EdgeHandle, e: Edge) -> Result<Edge> {
        let Some(&eix) = self.handles.get(&h) else {
            return Err(Error::BadQuery(format!("no edge with handle {}", h.0)));
        };
        let mut p = self.edge_problems(&e);
        if p.is_empty() {
            p.extend(self.edge_graph_problems(&e, Some(eix)));
        }
        if !p.is_empty() {
            return Err(Error::Invalid(Problems(p)));
        }
        let (_, old) = self
            .g
            .remove_edge(eix)
            .expect("handle map holds live edges");
        let (a, b) = (self.ids[&e.from], self.ids[&e.to]);
        let nix = self.g.add_edge(a, b, (h, e));
        self.handles.insert(h, nix);
        Ok(old)
    }

    /// Removes an edge, returning it.
    ///
    /// # Errors
    /// [`Error::BadQuery`] when the handle is stale.
    pub fn remove_edge(&mut self, h: EdgeHandle) -> Result<Edge> {
        let Some(eix) = self.handles.remove(&h) else {
            return Err(Error::BadQuery(format!("no edge with handle {}", h.0)));
        };
        Ok(self
            .g
            .remove_edge(eix)
            .expect("handle map holds live edges")
            .1)
    }

    // ---- unchecked insertion (the loader validates everything at the end) ------------------

    pub(crate) fn insert_source(&mut self, s: Source) -> bool {
        if self.sources.contains_key(&s.id) {
            return false;
        }
        self.sources.insert(s.id.clone(), s);
        true
    }

    pub(crate) fn insert_node(&mut self, n: Node) -> bool {
        if self.ids.contains_key(&n.id) {
            return false;
        }
        let id = n.id.clone();
        let ix = self.g.add_node(n);
        self.ids.insert(id, ix);
        true
    }

    /// Inserts an edge whose endpoints exist; returns `None` when one does not.
    pub(crate) fn insert_edge(&mut self, e: Edge) -> EdgeHandle {
        let h = EdgeHandle(self.next_handle);
        self.next_handle += 1;
        let (a, b) = (self.ids[&e.from], self.ids[&e.to]);
        let eix = self.g.add_edge(a, b, (h, e));
        self.handles.insert(h, eix);
        h
    }

    /// Adds a source without any check (see [`Graph::insert_node_unvalidated`]). Returns false
    /// when the id is taken.
    #[doc(hidden)]
    pub fn insert_source_unvalidated(&mut self, s: Source) -> bool {
        self.insert_source(s)
    }

    /// Adds a node without any check: for tests and the fuzz crate, to build what a snapshot
    /// made elsewhere may hold (names with control characters, say). Returns false when the id
    /// is taken.
    #[doc(hidden)]
    pub fn insert_node_unvalidated(&mut self, n: Node) -> bool {
        self.insert_node(n)
    }

    /// Adds an edge between existing nodes without any other check (see
    /// [`Graph::insert_node_unvalidated`]); `None` when an endpoint is missing.
    #[doc(hidden)]
    pub fn insert_edge_unvalidated(&mut self, e: Edge) -> Option<EdgeHandle> {
        (self.has_node(&e.from) && self.has_node(&e.to)).then(|| self.insert_edge(e))
    }

    /// The node with this id, to attach records to while loading.
    pub(crate) fn node_mut(&mut self, id: &str) -> Option<&mut Node> {
        self.ids.get(id).map(|ix| &mut self.g[*ix])
    }

    pub(crate) fn has_node(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    // ---- checks ---------------------------------------------------------------------------

    fn sources_problems(
        &self,
        subject: &Subject,
        sources: &[String],
        path: &[Seg],
    ) -> Vec<Problem> {
        let mut p = Vec::new();
        if sources.is_empty() {
            let mut path = path.to_vec();
            path.push(Seg::Field("sources"));
            p.push(
                Problem::new(
                    subject.clone(),
                    "a fact with no source",
                    "cite at least one source id from sources.ron",
                )
                .at(&path),
            );
        }
        for (i, s) in sources.iter().enumerate() {
            if !self.sources.contains_key(s) {
                let mut path = path.to_vec();
                path.extend([Seg::Field("sources"), Seg::Index(i)]);
                p.push(
                    Problem::new(
                        subject.clone(),
                        format!("unknown source id {s:?}"),
                        "list the document in sources.ron",
                    )
                    .at(&path),
                );
            }
        }
        p
    }

    fn claims_problems(
        &self,
        subject: &Subject,
        field: &'static str,
        claims: &[Claim],
    ) -> Vec<Problem> {
        let mut p = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            p.extend(self.sources_problems(
                subject,
                &c.sources,
                &[Seg::Field(field), Seg::Index(i)],
            ));
        }
        p
    }

    pub(crate) fn source_problems(&self, s: &Source) -> Vec<Problem> {
        let mut p = Vec::new();
        let sub = Subject::Source(s.id.clone());
        if !is_slug(&s.id) {
            p.push(
                Problem::new(
                    sub.clone(),
                    format!("source id {:?} is not a slug", s.id),
                    "use lower-case words joined by '-'",
                )
                .at(&[Seg::Field("id")]),
            );
        }
        if s.title.trim().is_empty() {
            p.push(
                Problem::new(
                    sub,
                    "source has an empty title",
                    "give the document's title",
                )
                .at(&[Seg::Field("title")]),
            );
        }
        p.extend(checks::source_text_problems(s));
        p
    }

    /// Problems of one node on its own (not its relations to other nodes).
    pub(crate) fn node_problems(&self, n: &Node) -> Vec<Problem> {
        let mut p = Vec::new();
        let sub = Subject::Node(n.id.clone());
        if !is_slug(&n.id) {
            p.push(
                node_problem(
                    n,
                    format!("node id {:?} is not a slug", n.id),
                    "use lower-case words joined by '-', e.g. nur-otan",
                )
                .at(&[Seg::Field("id")]),
            );
        }
        if n.name.trim().is_empty() || normalize(&n.name).is_empty() {
            p.push(
                node_problem(
                    n,
                    format!("node name {:?} is empty after folding", n.name),
                    "give a name with letters or digits",
                )
                .at(&[Seg::Field("name")]),
            );
        }
        for (i, a) in n.aliases.iter().enumerate() {
            if normalize(a).is_empty() {
                p.push(
                    node_problem(
                        n,
                        format!("alias {a:?} is empty after folding"),
                        "remove it",
                    )
                    .at(&[Seg::Field("aliases"), Seg::Index(i)]),
                );
            }
        }
        let keys: Vec<String> = std::iter::once(&n.name)
            .chain(n.aliases.iter())
            .map(|s| normalize(s))
            .collect();
        for (i, s) in n.shared_names.iter().enumerate() {
            if !keys.contains(&normalize(s)) {
                p.push(
                    node_problem(
                        n,
                        format!("shared name {s:?} is neither the name nor an alias of this node"),
                        "list it in aliases too",
                    )
                    .at(&[Seg::Field("shared_names"), Seg::Index(i)]),
                );
            }
        }
        p.extend(self.sources_problems(&sub, &n.sources, &[]));
        p.extend(self.claims_problems(&sub, "founded", &n.founded));
        p.extend(self.claims_problems(&sub, "registered", &n.registered));
        p.extend(self.claims_problems(&sub, "ended", &n.ended));
        for (i, ev) in n.events.iter().enumerate() {
            p.extend(self.sources_problems(
                &sub,
                &ev.sources,
                &[Seg::Field("events"), Seg::Index(i)],
            ));
        }
        p.extend(checks::node_text_problems(n));
        p.extend(checks::node_life_problems(n));
        p.extend(checks::attached_problems(self, n));
        p
    }

    /// Names of `n` that another node also carries, unless both mark them shared.
    fn name_collisions(&self, n: &Node, skip: Option<NodeIndex>) -> Vec<Problem> {
        let mut p = Vec::new();
        let mine = name_keys(n);
        for ix in self.g.node_indices() {
            if Some(ix) == skip || self.g[ix].id == n.id {
                continue;
            }
            let other = &self.g[ix];
            let theirs = name_keys(other);
            for (key, (name, path, shared)) in &mine {
                if let Some((oname, _, oshared)) = theirs.get(key)
                    && !(*shared && *oshared)
                {
                    p.push(
                            node_problem(
                                n,
                                format!("name {name:?} also names node {} ({oname:?})", other.id),
                                format!("if both organisations really carry it, list it in shared_names of {} and {}", n.id, other.id),
                            )
                            .at(path),
                        );
                }
            }
        }
        p
    }

    /// Problems of one edge on its own and against its endpoints.
    pub(crate) fn edge_problems(&self, e: &Edge) -> Vec<Problem> {
        let mut p = Vec::new();
        let sub = Subject::Edge(edge_label(e));
        for (field, id) in [("from", &e.from), ("to", &e.to)] {
            if !self.ids.contains_key(id) {
                p.push(
                    edge_problem(
                        e,
                        format!("unknown node id {id:?} in `{field}`"),
                        "define the node, or fix the id",
                    )
                    .at(&[Seg::Field(if field == "from" {
                        "from"
                    } else {
                        "to"
                    })]),
                );
            }
        }
        if e.from == e.to {
            p.push(
                edge_problem(
                    e,
                    format!("edge from {:?} to itself", e.from),
                    "an edge joins two different nodes",
                )
                .at(&[Seg::Field("to")]),
            );
        }
        p.extend(self.sources_problems(&sub, &e.sources, &[]));
        p.extend(self.claims_problems(&sub, "date", &e.date));
        p.extend(checks::edge_text_problems(e));
        if let Some(t) = &e.term
            && let (Some(a), Some(b)) = (&t.from, &t.until)
            && b.latest() < a.earliest()
        {
            p.push(
                edge_problem(
                    e,
                    format!("term ends ({b}) before it starts ({a})"),
                    "check the term",
                )
                .at(&[Seg::Field("term")]),
            );
        }
        if !p.is_empty() {
            return p;
        }
        let (a, b) = (&self.g[self.ids[&e.from]], &self.g[self.ids[&e.to]]);
        let person_from = e.kind.is_personal();
        if person_from && a.kind != NodeKind::Person {
            p.push(
                edge_problem(
                    e,
                    format!(
                        "a {} edge starts at a person, but {} is a {}",
                        e.kind, a.id, a.kind
                    ),
                    "swap from and to, or use another kind",
                )
                .at(&[Seg::Field("from")]),
            );
        }
        if !person_from && a.kind == NodeKind::Person {
            p.push(
                edge_problem(
                    e,
                    format!("a {} edge cannot start at a person ({})", e.kind, a.id),
                    "use leadership, founder or affiliation",
                )
                .at(&[Seg::Field("from")]),
            );
        }
        if b.kind == NodeKind::Person {
            p.push(
                edge_problem(
                    e,
                    format!("a {} edge cannot end at a person ({})", e.kind, b.id),
                    "edges point to organisations",
                )
                .at(&[Seg::Field("to")]),
            );
        }
        p.extend(self.edge_dates_problems(e));
        p.extend(checks::edge_life_problems(e, a, b));
        p
    }

    /// An edge dated before an endpoint existed or after it ended.
    fn edge_dates_problems(&self, e: &Edge) -> Vec<Problem> {
        let mut p = Vec::new();
        let (Some(&ai), Some(&bi)) = (self.ids.get(&e.from), self.ids.get(&e.to)) else {
            return p;
        };
        for (i, c) in e.date.iter().enumerate() {
            for n in [&self.g[ai], &self.g[bi]] {
                if n.kind == NodeKind::Person {
                    continue;
                }
                if let Some((lo, _)) = n.begin()
                    && c.date.latest() < lo
                {
                    p.push(
                        edge_problem(
                            e,
                            format!("dated {}, before {} existed ({})", c.date, n.id, n.years()),
                            "check the edge's date and the node's founding",
                        )
                        .at(&[
                            Seg::Field("date"),
                            Seg::Index(i),
                            Seg::Field("date"),
                        ]),
                    );
                }
                if let Some((_, hi)) = n.end()
                    && c.date.earliest() > hi
                {
                    p.push(
                        edge_problem(
                            e,
                            format!("dated {}, after {} ended ({})", c.date, n.id, n.years()),
                            "check the edge's date and the node's end",
                        )
                        .at(&[
                            Seg::Field("date"),
                            Seg::Index(i),
                            Seg::Field("date"),
                        ]),
                    );
                }
            }
        }
        p
    }

    /// Checks that need the rest of the graph: renamings, cycles, duplicates.
    fn edge_graph_problems(&self, e: &Edge, skip: Option<EdgeIndex>) -> Vec<Problem> {
        let mut p = Vec::new();
        let (a, b) = (self.ids[&e.from], self.ids[&e.to]);
        let live = |x: &petgraph::stable_graph::EdgeReference<'_, (EdgeHandle, Edge)>| {
            Some(x.id()) != skip
        };
        if e.kind == EdgeKind::Renaming {
            if let Some(o) = self
                .g
                .edges_directed(a, Direction::Outgoing)
                .filter(live)
                .find(|x| x.weight().1.kind == EdgeKind::Renaming)
            {
                p.push(edge_problem(
                    e,
                    format!(
                        "{} is renamed twice: to {} and to {}",
                        e.from,
                        o.weight().1.to,
                        e.to
                    ),
                    "a renaming chain runs a -> b -> c; use merger or split for the rest",
                ));
            }
            if let Some(o) = self
                .g
                .edges_directed(b, Direction::Incoming)
                .filter(live)
                .find(|x| x.weight().1.kind == EdgeKind::Renaming)
            {
                p.push(edge_problem(
                    e,
                    format!(
                        "{} is the new name of two nodes: {} and {}",
                        e.to,
                        o.weight().1.from,
                        e.from
                    ),
                    "two organisations becoming one is a merger",
                ));
            }
        }
        if e.kind.is_lineage() && self.lineage_reaches(b, a, skip) {
            p.push(edge_problem(
                e,
                format!("lineage cycle: {} already descends from {}", e.from, e.to),
                "lineage edges point from earlier to later; check the direction",
            ));
        }
        if self
            .g
            .edges_connecting(a, b)
            .filter(live)
            .any(|x| x.weight().1 == *e)
        {
            p.push(edge_problem(e, "duplicate edge", "remove one of them"));
        }
        p
    }

    fn lineage_reaches(&self, from: NodeIndex, to: NodeIndex, skip: Option<EdgeIndex>) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if !seen.insert(x) {
                continue;
            }
            for er in self.g.edges_directed(x, Direction::Outgoing) {
                if Some(er.id()) != skip && er.weight().1.kind.is_lineage() {
                    stack.push(er.target());
                }
            }
        }
        false
    }

    /// Validates the whole graph and returns every problem found (empty when valid).
    ///
    /// Complexity: O(V + E) apart from name collisions, which are found through one hash map.
    pub fn validate(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        for s in self.sources.values() {
            p.extend(self.source_problems(s));
        }
        let mut nodes: Vec<NodeIndex> = self.g.node_indices().collect();
        nodes.sort_by(|a, b| self.g[*a].id.cmp(&self.g[*b].id));
        // names shared by several nodes
        let mut by_key: BTreeMap<String, Vec<KeyOwner>> = BTreeMap::new();
        for &ix in &nodes {
            p.extend(self.node_problems(&self.g[ix]));
            for (key, (name, path, shared)) in name_keys(&self.g[ix]) {
                by_key
                    .entry(key)
                    .or_default()
                    .push((ix, name, path, shared));
            }
        }
        // A shared name must not also be a node id: the id would win silently over the name.
        for &ix in &nodes {
            let n = &self.g[ix];
            if let Some(owners) = by_key.get(&normalize(&n.id))
                && owners.len() > 1
                && owners.iter().any(|o| o.0 != ix)
            {
                p.push(
                    node_problem(
                        n,
                        format!(
                            "id {:?} reads as the name {:?}, which names several nodes",
                            n.id, owners[0].1
                        ),
                        "give each node an id that tells them apart, e.g. respublika-bloc-1994",
                    )
                    .at(&[Seg::Field("id")]),
                );
            }
        }
        for owners in by_key.values() {
            if owners.len() > 1 && !owners.iter().all(|o| o.3) {
                for (ix, name, path, shared) in owners {
                    if *shared {
                        continue;
                    }
                    let others: Vec<&str> = owners
                        .iter()
                        .filter(|o| o.0 != *ix)
                        .map(|o| self.g[o.0].id.as_str())
                        .collect();
                    p.push(
                        node_problem(
                            &self.g[*ix],
                            format!("name {name:?} also names {}", others.join(", ")),
                            format!("if the organisations really share it, list it in shared_names of {} and {}", self.g[*ix].id, others.join(", ")),
                        )
                        .at(path),
                    );
                }
            }
        }
        let mut edges: Vec<EdgeIndex> = self.g.edge_indices().collect();
        edges.sort_by(|a, b| {
            self.g[*a]
                .1
                .cmp(&self.g[*b].1)
                .then(self.g[*a].0.cmp(&self.g[*b].0))
        });
        let mut prev: Option<&Edge> = None;
        for &eix in &edges {
            let (h, e) = &self.g[eix];
            let mut ep = self.edge_problems(e);
            if prev == Some(e) {
                ep.push(edge_problem(e, "duplicate edge", "remove one of them"));
            }
            prev = Some(e);
            for q in &mut ep {
                q.edge_handle = Some(h.0);
            }
            p.extend(ep);
        }
        // renamed twice
        for &ix in &nodes {
            for (dir, what) in [
                (Direction::Outgoing, "renamed twice"),
                (Direction::Incoming, "the new name of two nodes"),
            ] {
                let mut ren: Vec<&(EdgeHandle, Edge)> = self
                    .g
                    .edges_directed(ix, dir)
                    .map(|x| x.weight())
                    .filter(|w| w.1.kind == EdgeKind::Renaming)
                    .collect();
                if ren.len() > 1 {
                    ren.sort_by(|a, b| a.1.cmp(&b.1));
                    let others: Vec<&str> = ren
                        .iter()
                        .map(|w| {
                            if dir == Direction::Outgoing {
                                w.1.to.as_str()
                            } else {
                                w.1.from.as_str()
                            }
                        })
                        .collect();
                    let mut q = edge_problem(
                        &ren[1].1,
                        format!("{} is {what}: {}", self.g[ix].id, others.join(" and ")),
                        "a renaming chain runs a -> b -> c; use merger or split for the rest",
                    );
                    q.edge_handle = Some(ren[1].0.0);
                    p.push(q);
                }
            }
        }
        for (h, mut q) in checks::sole_role_overlaps(self) {
            q.edge_handle = Some(h);
            p.push(q);
        }
        p.extend(checks::alias_is_other_id(self));
        // lineage cycles, through petgraph's strongly connected components
        let lineage =
            petgraph::visit::EdgeFiltered::from_fn(&self.g, |er| er.weight().1.kind.is_lineage());
        // kosaraju_scc walks with an explicit stack: a chain of a million nodes is no deeper for
        // it than a pair (tarjan_scc recurses once per node and overflows the stack)
        for scc in petgraph::algo::kosaraju_scc(&lineage) {
            let self_loop = scc.len() == 1
                && self
                    .g
                    .edges_connecting(scc[0], scc[0])
                    .any(|x| x.weight().1.kind.is_lineage());
            if scc.len() > 1 || self_loop {
                let mut ids: Vec<&str> = scc.iter().map(|ix| self.g[*ix].id.as_str()).collect();
                ids.sort();
                let all_renaming = scc.iter().all(|&ix| {
                    self.g
                        .edges_directed(ix, Direction::Outgoing)
                        .filter(|x| scc.contains(&x.target()) && x.weight().1.kind.is_lineage())
                        .all(|x| x.weight().1.kind == EdgeKind::Renaming)
                });
                let what = if all_renaming {
                    "cycle of renamings"
                } else {
                    "lineage cycle"
                };
                let first = scc
                    .iter()
                    .copied()
                    .min_by_key(|ix| &self.g[*ix].id)
                    .expect("non-empty component");
                p.push(node_problem(
                    &self.g[first],
                    format!("{what} through {}", ids.join(", ")),
                    "lineage edges point from earlier to later; one of them points backwards",
                ));
            }
        }
        p
    }
}

/// A node owning a name key: (node, the name as written, its field path, marked shared).
type KeyOwner = (NodeIndex, String, Vec<Seg>, bool);

/// The lookup keys of a node's name and aliases: key → (as written, field path, marked shared).
fn name_keys(n: &Node) -> BTreeMap<String, (String, Vec<Seg>, bool)> {
    let shared: Vec<String> = n.shared_names.iter().map(|s| normalize(s)).collect();
    let mut m = BTreeMap::new();
    let all = std::iter::once((&n.name, vec![Seg::Field("name")])).chain(
        n.aliases
            .iter()
            .enumerate()
            .map(|(i, a)| (a, vec![Seg::Field("aliases"), Seg::Index(i)])),
    );
    for (name, path) in all {
        let k = normalize(name);
        if k.is_empty() {
            continue;
        }
        let is_shared = shared.contains(&k);
        m.entry(k).or_insert((name.clone(), path, is_shared));
    }
    m
}
