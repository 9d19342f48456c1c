//! The closure of a set of nodes: every node reached from any of them, each marked sure or
//! uncertain, for the query language's `::x`, `x::` and `ancestors(x, ...)`.

use super::closure::{bfs01, give_back, radix_sort};
use super::{Direction, Filter};
use crate::db::{Db, NodeId};

/// The ancestors or descendants of a set of nodes, the nodes themselves included.
///
/// A node is sure when it is reached from a sure root through hops that surely happened by the
/// filter's `at` date; it is uncertain when it is reached only from uncertain roots, or only
/// through undated hops or hops whose dates straddle `at`. The depth limit counts generations
/// from the nearest root (renamings add none).
///
/// # Arguments
/// - `db`; `roots`: the start nodes, each with whether it is sure; `dir`; `filter`.
///
/// # Returns
/// Every node reached, roots included, in id order, each with whether it is sure.
///
/// # Complexity
/// O(V + E) over the part reached, twice when some root or hop is uncertain, plus sorting what
/// was reached. Memory: the result and the calling thread's scratch arrays (as
/// [`super::closure`]).
///
/// # Example
/// ```
/// use lineage::{Db, query::{closure_set, Direction, Filter}};
/// let db = Db::embedded().unwrap();
/// let amanat = db.resolve("Amanat").unwrap();
/// let anc = closure_set(&db, &[(amanat, true)], Direction::Ancestors, &Filter::default());
/// assert!(anc.contains(&(db.resolve("Otan").unwrap(), true)));
/// assert!(anc.contains(&(amanat, true)));
/// ```
pub fn closure_set(
    db: &Db,
    roots: &[(NodeId, bool)],
    dir: Direction,
    filter: &Filter,
) -> Vec<(NodeId, bool)> {
    closure_set_where(db, roots, dir, filter, &mut |_| true)
}

/// [`closure_set`] with a test pushed into the traversal: every node reached is still followed,
/// but only those `keep` accepts are collected, sorted and returned, so that the closure is
/// never built as a set to be filtered afterwards.
///
/// # Arguments
/// As [`closure_set`]; `keep`: the test, called once for each node reached.
///
/// # Returns
/// The nodes reached that pass `keep`, in id order, each with whether it is sure.
///
/// # Complexity
/// As [`closure_set`], with the sort over the nodes kept only.
///
/// # Example
/// ```
/// use lineage::{Db, NodeKind, query::{closure_set_where, Direction, Filter}};
/// let db = Db::embedded().unwrap();
/// let amanat = db.resolve("Amanat").unwrap();
/// let parties = closure_set_where(&db, &[(amanat, true)], Direction::Ancestors,
///     &Filter::default(), &mut |n| db.kind(n) == NodeKind::Party);
/// assert!(parties.iter().all(|(n, _)| db.kind(*n) == NodeKind::Party));
/// assert!(parties.contains(&(db.resolve("Otan").unwrap(), true)));
/// ```
pub fn closure_set_where(
    db: &Db,
    roots: &[(NodeId, bool)],
    dir: Direction,
    filter: &Filter,
    keep: &mut dyn FnMut(NodeId) -> bool,
) -> Vec<(NodeId, bool)> {
    let up = dir == Direction::Ancestors;
    let all: Vec<u32> = roots.iter().map(|r| r.0.0).collect();
    let (dist, order) = bfs01(db, &all, up, filter, true);
    let unsure_roots = roots.iter().any(|r| !r.1);
    let sure = (filter.at.is_some() || unsure_roots).then(|| {
        let s: Vec<u32> = roots.iter().filter(|r| r.1).map(|r| r.0.0).collect();
        bfs01(db, &s, up, filter, false)
    });
    // sorted by node: (node, certain) keys, radix-sorted
    let mut keys: Vec<u64> = order
        .iter()
        .filter(|&&v| keep(NodeId(v)))
        .map(|&v| {
            let certain = sure.as_ref().is_none_or(|(d, _)| d[v as usize] != 0);
            (u64::from(v) << 1) | u64::from(certain)
        })
        .collect();
    give_back(dist, &order);
    if let Some((d, o)) = sure {
        give_back(d, &o);
    }
    radix_sort(&mut keys);
    keys.into_iter()
        .map(|k| (NodeId((k >> 1) as u32), k & 1 == 1))
        .collect()
}
