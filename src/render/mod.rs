//! Renderers: turn query results into text for people, JSON for scripts, DOT for Graphviz and
//! SVG timelines. Renderers only read a [`crate::Db`] and query results; they never query.

pub mod dot;
pub mod export;
pub mod json;
pub mod svg;
pub mod text;

use crate::model::{Claim, Edge, EdgeKind};

/// The dates of an edge as one string: its claims joined by " / " (disagreeing sources), or its
/// term's start, or `undated`.
pub fn edge_dates(e: &Edge) -> String {
    if !e.date.is_empty() {
        return claim_dates(&e.date);
    }
    match &e.term {
        Some(t) if t.from.is_some() || t.until.is_some() => t.to_string(),
        _ => "undated".to_string(),
    }
}

/// Every source id a node's record and its edges cite, sorted and deduplicated.
pub fn cited_sources(db: &Db, n: NodeId) -> Vec<String> {
    let node = db.node(n);
    let mut ids: Vec<String> = node.sources.clone();
    for e in db.in_edges(n).chain(db.out_edges(n)) {
        ids.extend(db.edge(e).sources);
    }
    for c in node
        .founded
        .iter()
        .chain(&node.registered)
        .chain(&node.ended)
    {
        ids.extend(c.sources.iter().cloned());
    }
    for ev in &node.events {
        ids.extend(ev.sources.iter().cloned());
    }
    for r in &node.results {
        ids.extend(r.sources.iter().cloned());
    }
    for x in &node.external_ids {
        ids.extend(x.sources.iter().cloned());
    }
    ids.sort();
    ids.dedup();
    ids
}

/// Claims' dates joined by " / ".
pub fn claim_dates(c: &[Claim]) -> String {
    let mut v: Vec<&str> = c.iter().map(|c| c.date.as_str()).collect();
    v.dedup();
    v.join(" / ")
}

/// How an edge reads on a branch of a tree or a hop of a path ("merged", "renamed", …); the
/// date follows it ("merged in 2006-11-10").
pub fn verb(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Split => "split",
        EdgeKind::Merger => "merged",
        EdgeKind::Renaming => "renamed",
        EdgeKind::Reorganisation => "reorganised",
        EdgeKind::Founding => "founded",
        EdgeKind::Division => "divided",
        EdgeKind::Leadership => "led",
        EdgeKind::Membership => "member",
        EdgeKind::Founder => "founder",
        EdgeKind::Affiliation => "affiliated",
    }
}

use std::collections::BTreeSet;

use crate::db::{Db, EdgeId, NodeId};
use crate::model::NodeKind;
use crate::query::{Closure, Direction, Filter, closure};

/// A subgraph to draw or export: a set of nodes and the edges among them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// The nodes.
    pub nodes: BTreeSet<NodeId>,
    /// The edges (both endpoints are in `nodes`).
    pub edges: BTreeSet<EdgeId>,
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
                let since_ok = filter.since.is_none_or(|s| when.is_none_or(|w| w.1 >= s));
                let until_ok = filter.until.is_none_or(|u| when.is_none_or(|w| w.0 <= u));
                if kind_ok && since_ok && until_ok {
                    edges.insert(e);
                }
            }
        }
        Selection { nodes, edges }
    }
}
