//! The year axis: the year each node is ranked at, renaming chains, and the edges that would
//! bend time backwards.

use std::collections::{BTreeMap, BTreeSet};

use crate::date::{Day, Interval, OPEN_END, OPEN_START, civil_from_days};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet, NodeKind};
use crate::render::Selection;

pub(super) fn year_of_day(d: Day) -> i32 {
    civil_from_days(d).0
}

/// The year of an interval: its first year, or its last when the start is open.
pub(super) fn year_of(lo: Day, hi: Day) -> Option<i32> {
    if lo != OPEN_START {
        Some(year_of_day(lo))
    } else if hi != OPEN_END {
        Some(year_of_day(hi))
    } else {
        None
    }
}

/// The year a node is ranked at: the first year of its founding (or registration), else the
/// earliest year of a dated split, renaming, reorganisation or founding that made it. People and
/// nodes with neither are not ranked; Graphviz places them by their edges.
pub fn rank_year(db: &Db, n: NodeId) -> Option<i32> {
    if db.kind(n) == NodeKind::Person {
        return None;
    }
    if let Some(Interval { lo, hi }) = db.begin(n)
        && let Some(y) = year_of(lo, hi)
    {
        return Some(y);
    }
    db.in_edges(n)
        .filter(|e| {
            matches!(
                db.edge_kind(*e),
                EdgeKind::Split
                    | EdgeKind::Renaming
                    | EdgeKind::Reorganisation
                    | EdgeKind::Founding
                    | EdgeKind::Division
            )
        })
        .filter_map(|e| db.edge_when(e))
        .filter_map(|w| year_of(w.lo, w.hi))
        .min()
}

/// The renaming chains of the selection with two or more members, each sorted, in order of
/// their first member.
pub(super) fn renaming_chains(db: &Db, sel: &Selection) -> Vec<Vec<NodeId>> {
    let renamings = KindSet::empty().with(EdgeKind::Renaming);
    crate::query::chains_among(db, &sel.nodes, sel.edges.iter().copied(), renamings)
}

/// The edges that would make Graphviz bend the year axis: those drawn from a later year to an
/// earlier one, directly or through nodes whose year is unknown. Drawn without ranking weight
/// (`constraint=false`), they cannot turn time around.
///
/// Graphviz ranks each `rank=same` year as one node and breaks any cycle by reversing an edge of
/// its choice, which could be an axis edge. So the axis chain goes in first, then each edge in
/// edge order unless it closes a cycle.
pub(super) fn edges_against_time(db: &Db, sel: &Selection) -> BTreeSet<EdgeId> {
    // A ranked node stands for its year, an unranked one for itself.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum V {
        Year(i32),
        Node(NodeId),
    }
    let at = |n: NodeId| rank_year(db, n).map_or(V::Node(n), V::Year);
    let mut out = BTreeSet::new();
    let mut adj: BTreeMap<V, Vec<V>> = BTreeMap::new();
    let reaches = |adj: &BTreeMap<V, Vec<V>>, from: V, to: V| -> bool {
        let mut seen = BTreeSet::from([from]);
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            if v == to {
                return true;
            }
            // the axis runs forward through every year
            if let (V::Year(x), V::Year(y)) = (v, to)
                && x < y
            {
                return true;
            }
            for &w in adj.get(&v).into_iter().flatten() {
                if seen.insert(w) {
                    stack.push(w);
                }
            }
            if let V::Year(x) = v {
                // every later year is reachable along the axis; stepping to the years that have
                // out-edges is enough
                for (&k, _) in adj.range(V::Year(x + 1)..V::Year(i32::MAX)) {
                    if seen.insert(k) {
                        stack.push(k);
                    }
                }
            }
        }
        false
    };
    for &e in &sel.edges {
        let (a, b) = db.endpoints(e);
        let (va, vb) = (at(a), at(b));
        match (va, vb) {
            _ if va == vb => continue,
            (V::Year(x), V::Year(y)) if x < y => continue,
            (V::Year(_), V::Year(_)) => {
                out.insert(e);
                continue;
            }
            _ => {}
        }
        if reaches(&adj, vb, va) {
            out.insert(e);
        } else {
            adj.entry(va).or_default().push(vb);
        }
    }
    out
}
