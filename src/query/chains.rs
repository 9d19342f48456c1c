//! Renaming chains: the name-eras of one organisation, joined by renamings (and, for the name at
//! a date, reorganisations). The name at a date, the DOT bands and the SVG timeline's bars all
//! read chains from here.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::{Db, EdgeId, NodeId};
use crate::model::KindSet;

/// Every node joined to `n` by edges of the given kinds, followed either way, `n` included.
///
/// # Arguments
/// - `db`, `n`: any member of the chain; `kinds`: the edge kinds that join eras (renamings, say).
///
/// # Returns
/// The members, in id order.
///
/// # Complexity
/// O(C·d) for a chain of C members of degree d.
///
/// # Example
/// ```
/// use lineage::{Db, EdgeKind, KindSet, query::chain};
/// let db = Db::embedded().unwrap();
/// let renamings = KindSet::empty().with(EdgeKind::Renaming);
/// let c = chain(&db, db.resolve("Amanat").unwrap(), renamings);
/// assert!(c.contains(&db.resolve("nur-otan").unwrap()));
/// ```
pub fn chain(db: &Db, n: NodeId, kinds: KindSet) -> BTreeSet<NodeId> {
    let mut members = BTreeSet::from([n]);
    let mut stack = vec![n];
    while let Some(v) = stack.pop() {
        for e in db.out_edges(v).chain(db.in_edges(v)) {
            if !kinds.contains(db.edge_kind(e)) {
                continue;
            }
            let (a, b) = db.endpoints(e);
            for x in [a, b] {
                if members.insert(x) {
                    stack.push(x);
                }
            }
        }
    }
    members
}

/// The chains among a set of nodes: the groups joined by those of `edges` whose kind is in
/// `kinds` and whose both ends are in `nodes`.
///
/// # Returns
/// Every group of two or more members, each in id order, the groups in the order of their first
/// member. A node in no group is in none of them.
///
/// # Complexity
/// O((N + E) log N) for N nodes and E edges given.
pub fn chains_among(
    db: &Db,
    nodes: &BTreeSet<NodeId>,
    edges: impl IntoIterator<Item = EdgeId>,
    kinds: KindSet,
) -> Vec<Vec<NodeId>> {
    let mut parent: BTreeMap<NodeId, NodeId> = nodes.iter().map(|n| (*n, *n)).collect();
    fn find(p: &mut BTreeMap<NodeId, NodeId>, mut x: NodeId) -> NodeId {
        while p[&x] != x {
            let up = p[&p[&x]];
            p.insert(x, up);
            x = up;
        }
        x
    }
    for e in edges {
        let (a, b) = db.endpoints(e);
        if !kinds.contains(db.edge_kind(e)) || !nodes.contains(&a) || !nodes.contains(&b) {
            continue;
        }
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    for &n in nodes {
        let r = find(&mut parent, n);
        groups.entry(r).or_default().push(n);
    }
    groups.into_values().filter(|g| g.len() > 1).collect()
}
