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
use crate::model::{Edge, Node, Source};
use crate::names::normalize;

mod edges;
mod hidden;
mod life;
mod records;
mod roles;
mod validate;

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
                p.extend(roles::edge_life_problems(e, a, b));
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
                format!("no node with id {}", crate::names::clipped(id)),
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
            return Err(Error::StaleHandle { handle: h.0 });
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
    /// [`Error::StaleHandle`] when the handle is stale.
    pub fn remove_edge(&mut self, h: EdgeHandle) -> Result<Edge> {
        let Some(eix) = self.handles.remove(&h) else {
            return Err(Error::StaleHandle { handle: h.0 });
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
