//! Adjacency lists: the lineage CSR in each direction, and every edge out of and into a node.

use std::ops::Range;

use crate::snapshot::{EDGE_WORDS, Sec};

use super::{Db, EdgeId, NodeId};

/// A compressed-sparse-row adjacency read in place: for node `v`, the slots
/// `off[v]..off[v + 1]`, each a (neighbour, edge) pair. The snapshot's structural checks
/// guarantee that every offset and entry is in bounds before a `Csr` is made.
#[derive(Clone, Copy)]
pub(crate) struct Csr<'a> {
    off: &'a [u32],
    adj: &'a [u32],
}

impl<'a> Csr<'a> {
    /// The slots of node `v`.
    #[inline]
    pub(crate) fn slots(&self, v: usize) -> Range<usize> {
        self.off[v] as usize..self.off[v + 1] as usize
    }

    /// The (neighbour, edge) pair in slot `s`.
    #[inline]
    pub(crate) fn slot(&self, s: usize) -> (u32, u32) {
        (self.adj[s * 2], self.adj[s * 2 + 1])
    }

    /// The (neighbour, edge) pairs of node `v`.
    #[inline]
    pub(crate) fn pairs(&self, v: usize) -> impl Iterator<Item = (u32, u32)> + 'a {
        let r = self.slots(v);
        self.adj[r.start * 2..r.end * 2]
            .chunks_exact(2)
            .map(|p| (p[0], p[1]))
    }

    /// Every pair, in slot order.
    fn all(&self) -> impl Iterator<Item = (u32, u32)> + 'a {
        self.adj.chunks_exact(2).map(|p| (p[0], p[1]))
    }
}

impl Db {
    /// Every edge out of a node (all kinds).
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::EdgeLists`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    #[track_caller]
    pub fn out_edges(&self, n: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        self.edge_list(Sec::OutOff, Sec::OutAdj, n)
    }

    /// Every edge into a node (all kinds).
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::EdgeLists`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    #[track_caller]
    pub fn in_edges(&self, n: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        self.edge_list(Sec::InOff, Sec::InAdj, n)
    }

    #[track_caller]
    fn edge_list(&self, off: Sec, adj: Sec, n: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        self.own_node(n);
        let o = self.words(off);
        self.words(adj)[o[n.index()] as usize..o[n.index() + 1] as usize]
            .iter()
            .map(|e| EdgeId(*e))
    }

    /// The edge kind code ([`crate::EdgeKind::from_code`]) of every slot of
    /// [`Db::lineage_csr`]'s adjacency, in the same order: one byte per lineage edge, read in
    /// step with the adjacency, so that a closure that weighs its hops (renamings weigh nothing)
    /// does not look each edge up in the 20-byte edge columns. Built from those columns on first
    /// use, once per direction (O(E)).
    pub(crate) fn slot_kinds(&self, up: bool) -> &[u8] {
        self.slot_kinds[usize::from(!up)].get_or_init(|| {
            let cols = self.words(Sec::EdgeCols);
            self.lineage_csr(up)
                .all()
                .map(|(_, e)| (cols[e as usize * EDGE_WORDS + 2] & 0xff) as u8)
                .collect()
        })
    }

    /// The lineage adjacency in one direction: towards ancestors when `up`.
    pub(crate) fn lineage_csr(&self, up: bool) -> Csr<'_> {
        let (off, adj) = if up {
            (Sec::UpOff, Sec::UpAdj)
        } else {
            (Sec::DownOff, Sec::DownAdj)
        };
        Csr {
            off: self.words(off),
            adj: self.words(adj),
        }
    }
}
