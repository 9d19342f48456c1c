//! The common ancestors of two nodes, and the nearest of them.

use std::collections::BTreeSet;

use super::*;
use crate::db::{Db, NodeId};
use crate::model::KindSet;

/// Common ancestors of two nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// Every node that is an ancestor (or the node itself) of both, in id order.
    pub all: Vec<NodeId>,
    /// The nearest of them: those that are not an ancestor of another common ancestor.
    pub nearest: Vec<NodeId>,
}

/// The common ancestors of `a` and `b`, and the nearest ones among them.
///
/// A node counts as its own ancestor here, so if `a` descends from `b`, `b` is their nearest
/// common ancestor.
///
/// # Arguments
/// - `db`, `a`, `b`; `kinds`: the edge kinds followed.
///
/// # Returns
/// [`Common`]: all common ancestors and the nearest ones, each in id order.
///
/// # Complexity
/// O((V + E) log V): two closures, their intersection, and one look at each out-edge of the
/// common ancestors to find the nearest (the common set is closed upwards, so a common ancestor
/// lies above another exactly when one of its own edges leads into the set).
///
/// # Example
/// ```
/// use lineage::{Db, KindSet, query::common_ancestors};
/// let db = Db::embedded().unwrap();
/// let (a, b) = (db.resolve("Nur Otan").unwrap(), db.resolve("Amanat").unwrap());
/// let c = common_ancestors(&db, a, b, KindSet::LINEAGE);
/// assert_eq!(c.nearest, vec![a]);
/// ```
pub fn common_ancestors(db: &Db, a: NodeId, b: NodeId, kinds: KindSet) -> Common {
    let f = Filter {
        kinds,
        ..Filter::default()
    };
    let set = |n: NodeId| -> BTreeSet<NodeId> {
        let mut s: BTreeSet<NodeId> = closure(db, n, Direction::Ancestors, &f)
            .hits
            .into_iter()
            .map(|h| h.node)
            .collect();
        s.insert(n);
        s
    };
    let all: Vec<NodeId> = set(a).intersection(&set(b)).copied().collect();
    // The common set is closed upwards (an ancestor of a common ancestor is common), so a common
    // ancestor lies above another exactly when one of its own lineage edges leads to a common
    // node: one look at each out-edge instead of a closure per candidate.
    let allset: BTreeSet<NodeId> = all.iter().copied().collect();
    let nearest = all
        .iter()
        .copied()
        .filter(|&c| {
            !db.out_edges(c).any(|e| {
                let k = db.edge_kind(e);
                // closures follow lineage edges only, whatever else `kinds` holds
                k.is_lineage() && kinds.contains(k) && allset.contains(&db.endpoints(e).1)
            })
        })
        .collect();
    Common { all, nearest }
}
