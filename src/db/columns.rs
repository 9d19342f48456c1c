//! The fixed-width node and edge rows, read in place, and the accessors built on them.

use crate::model::{Edge, EdgeKind, Node, NodeKind, Source};
use crate::snapshot::{EDGE_WORDS, NODE_WORDS, Sec};

use super::{Db, EdgeId, NodeId};
use crate::date::Interval;
use crate::snapshot::columns::{EdgeRef, NodeRef};

impl Db {
    // ---- sizes and columns ----------------------------------------------------------------

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.n as usize
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.m as usize
    }

    /// Every node id, in id order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.n).map(NodeId)
    }

    /// Every edge id, in the stable edge order.
    pub fn edge_ids(&self) -> impl Iterator<Item = EdgeId> + '_ {
        (0..self.m).map(EdgeId)
    }

    /// The sources (for a lazily opened file, read at the open).
    pub fn sources(&self) -> &[Source] {
        self.decode_sources()
            .unwrap_or_else(|e| panic!("lineage: {e} (the META section is checked at preload)"))
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources().iter().find(|s| s.id == id)
    }

    /// Panics, naming the mistake, when `n` is not a node of this Db: a [`NodeId`] from another
    /// Db. (One whose index happens to be in range names this Db's node at that index; a
    /// `NodeId` does not carry its Db.)
    #[track_caller]
    pub(super) fn own_node(&self, n: NodeId) {
        assert!(
            n.0 < self.n,
            "lineage: NodeId({}) is not a node of this Db ({} nodes): it came from another Db",
            n.0,
            self.n
        );
    }

    #[track_caller]
    fn own_edge(&self, e: EdgeId) {
        assert!(
            e.0 < self.m,
            "lineage: EdgeId({}) is not an edge of this Db ({} edges): it came from another Db",
            e.0,
            self.m
        );
    }

    /// A node's slug id.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::Names`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    #[track_caller]
    pub fn id(&self, n: NodeId) -> &str {
        self.own_node(n);
        self.str_at(Sec::IdOff, Sec::IdBytes, n.index())
    }

    /// A node's display name.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::Names`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    #[track_caller]
    pub fn name(&self, n: NodeId) -> &str {
        self.own_node(n);
        self.str_at(Sec::NameOff, Sec::NameBytes, n.index())
    }

    #[track_caller]
    pub(super) fn node_cols(&self, n: NodeId) -> &[u32] {
        self.own_node(n);
        &self.words(Sec::NodeCols)[n.index() * NODE_WORDS..(n.index() + 1) * NODE_WORDS]
    }

    #[track_caller]
    pub(crate) fn edge_cols(&self, e: EdgeId) -> &[u32] {
        self.own_edge(e);
        &self.words(Sec::EdgeCols)[e.index() * EDGE_WORDS..(e.index() + 1) * EDGE_WORDS]
    }

    /// A node's kind.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::NodeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    pub fn kind(&self, n: NodeId) -> NodeKind {
        NodeRef(self.node_cols(n)).kind()
    }

    /// The interval in which the node began (hull of its founding, else registration, claims).
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::NodeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    pub fn begin(&self, n: NodeId) -> Option<Interval> {
        NodeRef(self.node_cols(n)).begin()
    }

    /// The interval in which the node ended, if it did.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::NodeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    pub fn end(&self, n: NodeId) -> Option<Interval> {
        NodeRef(self.node_cols(n)).end()
    }

    /// An edge's kind.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::EdgeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for an [`EdgeId`] of another Db.
    pub fn edge_kind(&self, e: EdgeId) -> EdgeKind {
        EdgeRef(self.edge_cols(e)).kind()
    }

    /// An edge's endpoints.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::EdgeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for an [`EdgeId`] of another Db.
    pub fn endpoints(&self, e: EdgeId) -> (NodeId, NodeId) {
        let r = EdgeRef(self.edge_cols(e));
        (NodeId(r.from()), NodeId(r.to()))
    }

    /// The interval an edge happened in (hull of its date claims, else its term's start).
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::EdgeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for an [`EdgeId`] of another Db.
    pub fn edge_when(&self, e: EdgeId) -> Option<Interval> {
        EdgeRef(self.edge_cols(e)).when()
    }

    /// A node's full record.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::NodeRecords`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    #[track_caller]
    pub fn node(&self, n: NodeId) -> Node {
        self.own_node(n);
        self.node_record(n.index())
            .unwrap_or_else(|e| panic!("lineage: {e} (records are checked at open or preload)"))
    }

    /// An edge's full record.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::EdgeRecords`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for an [`EdgeId`] of another Db.
    #[track_caller]
    pub fn edge(&self, e: EdgeId) -> Edge {
        self.own_edge(e);
        self.edge_record(e.index())
            .unwrap_or_else(|e| panic!("lineage: {e} (records are checked at open or preload)"))
    }

    /// The node's years, as "1998–2006": [`Node::years`], worked out from the node columns
    /// without decoding the record.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::NodeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    pub fn years(&self, n: NodeId) -> String {
        let r = NodeRef(self.node_cols(n));
        Interval::years(r.begin(), r.end(), r.kind() == NodeKind::Person)
    }
}
