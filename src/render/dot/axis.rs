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
/// its choice, which could be an axis edge. So the axis must stay, and every cycle lose an edge
/// that is not on it: a depth-first search that walks the whole axis first (so that every axis
/// edge is a tree edge) and then the selection's edges in edge order marks its back edges. What
/// is left is acyclic, and a selection without such cycles keeps every edge. The search keeps
/// its own stack, so a million-node chain costs no call depth.
///
/// Complexity: O((V + E) log V).
pub(super) fn edges_against_time(db: &Db, sel: &Selection) -> BTreeSet<EdgeId> {
    // vertices: each ranked year (in year order), then each unranked node
    // the selected nodes, and the ends of its edges (the same nodes, unless a file opened
    // lazily disagrees with itself)
    let ends = sel.edges.iter().flat_map(|e| {
        let (a, b) = db.endpoints(*e);
        [a, b]
    });
    let rank: BTreeMap<NodeId, Option<i32>> = sel
        .nodes
        .iter()
        .copied()
        .chain(ends)
        .map(|n| (n, rank_year(db, n)))
        .collect();
    let years: Vec<i32> = rank
        .values()
        .flatten()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let year_ix = |y: i32| years.binary_search(&y).expect("a ranked year");
    let unranked: BTreeMap<NodeId, usize> = rank
        .iter()
        .filter(|(_, y)| y.is_none())
        .enumerate()
        .map(|(i, (n, _))| (*n, years.len() + i))
        .collect();
    let vertex = |n: NodeId| match rank.get(&n).copied().flatten() {
        Some(y) => year_ix(y),
        None => unranked[&n],
    };
    let count = years.len() + unranked.len();
    let mut out = BTreeSet::new();
    // children: the axis edge first, then the selection's edges in edge order
    let mut adj: Vec<Vec<(usize, Option<EdgeId>)>> = vec![Vec::new(); count];
    for (i, list) in adj
        .iter_mut()
        .enumerate()
        .take(years.len().saturating_sub(1))
    {
        list.push((i + 1, None));
    }
    for &e in &sel.edges {
        let (a, b) = db.endpoints(e);
        let (va, vb) = (vertex(a), vertex(b));
        let both_years = va < years.len() && vb < years.len();
        if va == vb || both_years && va < vb {
            continue;
        }
        if both_years {
            out.insert(e);
            continue;
        }
        adj[va].push((vb, Some(e)));
    }
    // 0: not seen, 1: on the search's path, 2: done
    let mut state = vec![0u8; count];
    for root in 0..count {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            let Some(&(w, e)) = adj[v].get(*next) else {
                state[v] = 2;
                stack.pop();
                continue;
            };
            *next += 1;
            match state[w] {
                0 => {
                    state[w] = 1;
                    stack.push((w, 0));
                }
                1 => {
                    out.insert(e.expect("the axis is walked first, so its edges are tree edges"));
                }
                _ => {}
            }
        }
    }
    out
}
