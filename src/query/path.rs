//! The shortest lineage path between two nodes, in either direction or time-respecting.

use std::collections::VecDeque;

use crate::date::{Day, Interval, OPEN_START};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::KindSet;

/// One hop of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// The edge.
    pub edge: EdgeId,
    /// Whether the hop follows the edge's direction (from → to). False: it goes back in time.
    pub forward: bool,
}

/// The shortest lineage path between two nodes.
///
/// By default hops may follow edges either way (two parties are related through a common
/// ancestor). With `time_respecting`, only forward hops are used (from `a` to `b`, or from `b` to
/// `a`), and each hop must not be dated certainly earlier than the hop before it; undated hops
/// are accepted.
///
/// # Arguments
/// - `db`, `a`, `b`; `kinds`: the edge kinds usable; `time_respecting`: see above.
///
/// # Returns
/// The hops from `a` to `b` (empty when `a == b`), or `None` when they are not connected.
///
/// # Complexity
/// O(V + E) for the plain search; O((V + E) log V) for the time-respecting one, an
/// earliest-arrival search (the path returned is one whose last hop is earliest).
///
/// # Example
/// ```
/// use lineage::{Db, KindSet, query::path};
/// let db = Db::embedded().unwrap();
/// let (a, b) = (db.resolve("Civic Party").unwrap(), db.resolve("Amanat").unwrap());
/// let p = path(&db, a, b, KindSet::LINEAGE, false).unwrap();
/// assert!(!p.is_empty());
/// ```
pub fn path(
    db: &Db,
    a: NodeId,
    b: NodeId,
    kinds: KindSet,
    time_respecting: bool,
) -> Option<Vec<Hop>> {
    if a == b {
        return Some(Vec::new());
    }
    if time_respecting {
        let fwd = timed_path(db, a, b, kinds);
        let back = timed_path(db, b, a, kinds).map(|p| {
            p.into_iter()
                .rev()
                .map(|h| Hop {
                    edge: h.edge,
                    forward: false,
                })
                .collect::<Vec<_>>()
        });
        return match (fwd, back) {
            (Some(f), Some(k)) => Some(if k.len() < f.len() { k } else { f }),
            (f, k) => f.or(k),
        };
    }
    let n = db.node_count();
    let mut prev: Vec<Option<(u32, Hop)>> = vec![None; n];
    let mut seen = vec![false; n];
    seen[a.index()] = true;
    let mut q = VecDeque::from([a.0]);
    let (up, down) = (db.lineage_csr(true), db.lineage_csr(false));
    while let Some(v) = q.pop_front() {
        if v == b.0 {
            break;
        }
        let vi = v as usize;
        let steps = down
            .pairs(vi)
            .map(|(u, e)| (u, e, true))
            .chain(up.pairs(vi).map(|(u, e)| (u, e, false)));
        for (u, e, forward) in steps {
            if !kinds.contains(db.edge_kind(EdgeId(e))) || seen[u as usize] {
                continue;
            }
            seen[u as usize] = true;
            prev[u as usize] = Some((
                v,
                Hop {
                    edge: EdgeId(e),
                    forward,
                },
            ));
            q.push_back(u);
        }
    }
    if !seen[b.index()] {
        return None;
    }
    let mut hops = Vec::new();
    let mut cur = b.0;
    while let Some((p, h)) = prev[cur as usize] {
        hops.push(h);
        cur = p;
    }
    hops.reverse();
    Some(hops)
}

/// Earliest arrival over forward lineage hops, each not certainly earlier than the one before:
/// Dijkstra over "the date of the last hop" (a later departure never arrives earlier, so the
/// first time a node leaves the queue is its best). O((V + E) log V).
fn timed_path(db: &Db, a: NodeId, b: NodeId, kinds: KindSet) -> Option<Vec<Hop>> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = db.node_count();
    let mut best = vec![Day::MAX; n];
    let mut done = vec![false; n];
    let mut prev: Vec<Option<(u32, EdgeId)>> = vec![None; n];
    best[a.index()] = OPEN_START;
    let mut queue = BinaryHeap::from([Reverse((OPEN_START, a.0))]);
    let down = db.lineage_csr(false);
    while let Some(Reverse((at, v))) = queue.pop() {
        let vi = v as usize;
        if done[vi] || at > best[vi] {
            continue;
        }
        done[vi] = true;
        if v == b.0 {
            break;
        }
        for (u, e) in down.pairs(vi) {
            let (u, e) = (u as usize, EdgeId(e));
            if done[u] || !kinds.contains(db.edge_kind(e)) {
                continue;
            }
            let Interval { lo, hi } = db.edge_when(e).unwrap_or(Interval::OPEN);
            // not certainly earlier than the hop before it
            if hi < best[vi] && best[vi] != OPEN_START {
                continue;
            }
            let arrive = if lo == OPEN_START {
                best[vi]
            } else {
                lo.max(best[vi])
            };
            if arrive < best[u] {
                best[u] = arrive;
                prev[u] = Some((v, e));
                queue.push(Reverse((arrive, u as u32)));
            }
        }
    }
    if best[b.index()] == Day::MAX {
        return None;
    }
    let mut hops = Vec::new();
    let mut cur = b.0;
    let mut guard = 0;
    while let Some((p, e)) = prev[cur as usize] {
        hops.push(Hop {
            edge: e,
            forward: true,
        });
        cur = p;
        guard += 1;
        if cur == a.0 || guard > n {
            break;
        }
    }
    hops.reverse();
    Some(hops)
}
