//! The fixed-width rows of the node and edge columns, and typed views of them.
//!
//! A node row is five little-endian words: the kind code with flags ([`HAS_BEGIN`],
//! [`HAS_END`]) in bits 8–9, then the begin interval's first and last day and the end
//! interval's. An edge row is the `from` and `to` node ids, the kind code with [`HAS_END`] set
//! when the edge is dated, then the first and last day of when it happened. Unused interval
//! words hold the open interval. This file is the only place that knows the word layout.

use super::{EDGE_WORDS, HAS_BEGIN, HAS_END, NODE_WORDS};
use crate::date::Interval;
use crate::model::{EdgeKind, NodeKind};

fn words(i: Option<Interval>) -> [u32; 2] {
    let i = i.unwrap_or(Interval::OPEN);
    [i.lo as u32, i.hi as u32]
}

fn interval(lo: u32, hi: u32) -> Interval {
    Interval::new(lo as i32, hi as i32)
}

/// The node row the encoder writes for a node of this kind, beginning and ending so.
pub(crate) fn node_row(
    kind: NodeKind,
    begin: Option<Interval>,
    end: Option<Interval>,
) -> [u32; NODE_WORDS] {
    let flags = begin.map_or(0, |_| HAS_BEGIN) | end.map_or(0, |_| HAS_END);
    let ([b0, b1], [e0, e1]) = (words(begin), words(end));
    [kind.code() as u32 | flags, b0, b1, e0, e1]
}

/// The edge row the encoder writes for an edge between these node ids, of this kind and timing.
pub(crate) fn edge_row(
    from: u32,
    to: u32,
    kind: EdgeKind,
    when: Option<Interval>,
) -> [u32; EDGE_WORDS] {
    let [w0, w1] = words(when);
    [
        from,
        to,
        kind.code() as u32 | when.map_or(0, |_| HAS_END),
        w0,
        w1,
    ]
}

/// A view of one node row; its kind word was checked when the columns were.
#[derive(Clone, Copy)]
pub(crate) struct NodeRef<'a>(pub(crate) &'a [u32]);

impl NodeRef<'_> {
    pub(crate) fn kind(self) -> NodeKind {
        NodeKind::from_code((self.0[0] & 0xff) as u8).expect("node kinds are checked at open")
    }

    pub(crate) fn begin(self) -> Option<Interval> {
        (self.0[0] & HAS_BEGIN != 0).then(|| interval(self.0[1], self.0[2]))
    }

    pub(crate) fn end(self) -> Option<Interval> {
        (self.0[0] & HAS_END != 0).then(|| interval(self.0[3], self.0[4]))
    }
}

/// A view of one edge row; its ids and kind were checked when the columns were.
#[derive(Clone, Copy)]
pub(crate) struct EdgeRef<'a>(pub(crate) &'a [u32]);

impl EdgeRef<'_> {
    pub(crate) fn from(self) -> u32 {
        self.0[0]
    }

    pub(crate) fn to(self) -> u32 {
        self.0[1]
    }

    /// The kind code ([`EdgeKind::from_code`]).
    pub(crate) fn kind_code(self) -> u8 {
        (self.0[2] & 0xff) as u8
    }

    pub(crate) fn kind(self) -> EdgeKind {
        EdgeKind::from_code(self.kind_code()).expect("edge kinds are checked at open")
    }

    pub(crate) fn when(self) -> Option<Interval> {
        (self.0[2] & HAS_END != 0).then(|| interval(self.0[3], self.0[4]))
    }
}
