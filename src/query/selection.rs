//! Subgraphs to draw or export: the whole graph, closures around roots, or given nodes, with
//! the edges among them that pass a filter.

use std::collections::BTreeSet;

use super::{Closure, Direction, Filter, closure};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::NodeKind;

/// A subgraph to draw or export: a set of nodes and the edges among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The nodes.
    pub nodes: BTreeSet<NodeId>,
    /// The edges (both endpoints are in `nodes`).
    pub edges: BTreeSet<EdgeId>,
    /// The nodes only possibly selected (a subset of `nodes`): a query-language answer
    /// reached only through undated or straddling hops ([`crate::Db::select`]). Empty for the
    /// other selections.
    pub uncertain: BTreeSet<NodeId>,
}

impl Selection {
    /// The whole graph; people (and their edges) only when `people` is set.
    pub fn all(db: &Db, people: bool, filter: &Filter) -> Selection {
        let nodes: BTreeSet<NodeId> = db
            .node_ids()
            .filter(|n| people || db.kind(*n) != NodeKind::Person)
            .collect();
        Selection::induced(db, nodes, filter)
    }

    /// The nodes of some closures (roots included) and the edges among them that pass `filter`.
    pub fn of_closures(db: &Db, closures: &[Closure], filter: &Filter) -> Selection {
        let mut nodes = BTreeSet::new();
        for c in closures {
            nodes.insert(c.root);
            nodes.extend(c.hits.iter().map(|h| h.node));
        }
        Selection::induced(db, nodes, filter)
    }

    /// Roots with their ancestors and/or descendants; `dir: None` means both.
    pub fn around(
        db: &Db,
        roots: &[NodeId],
        dir: Option<Direction>,
        filter: &Filter,
        people: bool,
    ) -> Selection {
        let mut cs = Vec::new();
        for &r in roots {
            for d in [Direction::Ancestors, Direction::Descendants] {
                if dir.is_none_or(|x| x == d) {
                    cs.push(closure(db, r, d, filter));
                }
            }
        }
        let mut s = Selection::of_closures(db, &cs, filter);
        if people {
            let orgs: Vec<NodeId> = s.nodes.iter().copied().collect();
            for n in orgs {
                for e in db.in_edges(n) {
                    if db.edge_kind(e).is_personal() {
                        s.nodes.insert(db.endpoints(e).0);
                        s.edges.insert(e);
                    }
                }
            }
        }
        s
    }

    /// The nodes given and every edge among them whose kind and dates pass `filter` (people's
    /// edges pass whenever both ends are selected).
    pub fn induced(db: &Db, nodes: BTreeSet<NodeId>, filter: &Filter) -> Selection {
        let mut edges = BTreeSet::new();
        for &n in &nodes {
            for e in db.out_edges(n) {
                let (_, b) = db.endpoints(e);
                if !nodes.contains(&b) {
                    continue;
                }
                let k = db.edge_kind(e);
                let kind_ok = filter.kinds.contains(k) || !k.is_lineage();
                let when = db.edge_when(e);
                let since_ok = filter.since.is_none_or(|s| when.is_none_or(|w| w.hi >= s));
                let until_ok = filter.until.is_none_or(|u| when.is_none_or(|w| w.lo <= u));
                if kind_ok && since_ok && until_ok {
                    edges.insert(e);
                }
            }
        }
        Selection {
            nodes,
            edges,
            uncertain: BTreeSet::new(),
        }
    }
}
