//! Counts by kind, how much is sourced, and how much is connected.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::db::Db;
use crate::model::{EdgeKind, NodeKind};

/// Counts of one side of the graph (nodes or edges).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counts {
    /// How many.
    pub total: usize,
    /// How many of each kind, by kind name (every kind, zeros included).
    pub by_kind: BTreeMap<&'static str, usize>,
    /// How many cite at least one source.
    pub sourced: usize,
    /// `sourced` as a percentage of `total`, to one decimal (100 when there are none).
    pub sourced_percent: f64,
    /// Nodes only: how many have at least one edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connected: Option<usize>,
    /// Nodes only: how many have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconnected: Option<usize>,
    /// Nodes only: how many of those say why in their note (`unconnected: …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unconnected_with_note: Option<usize>,
}

/// The answer to `lineage stats`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The nodes.
    pub nodes: Counts,
    /// The edges.
    pub edges: Counts,
    /// Election results attached to nodes.
    pub results: usize,
    /// External ids attached to nodes.
    pub external_ids: usize,
    /// Sources.
    pub sources: usize,
}

fn percent(num: usize, den: usize) -> f64 {
    if den == 0 {
        100.0
    } else {
        (num as f64 * 1000.0 / den as f64).round() / 10.0
    }
}

/// Counts by node and edge kind, the share of sourced facts, and connectedness.
///
/// # Complexity
/// O(N + E), decoding every node and edge record once.
///
/// # Example
/// ```
/// use lineage::{Db, query::stats};
/// let s = stats(&Db::embedded().unwrap());
/// assert_eq!(s.nodes.sourced_percent, 100.0);
/// ```
pub fn stats(db: &Db) -> Stats {
    let (mut ns, mut connected, mut with_note, mut results, mut ext) = (0, 0, 0, 0, 0);
    for n in db.node_ids() {
        let node = db.node(n);
        ns += usize::from(!node.sources.is_empty());
        results += node.results.len();
        ext += node.external_ids.len();
        if db.in_edges(n).next().is_some() || db.out_edges(n).next().is_some() {
            connected += 1;
        } else if node.note.to_lowercase().contains("unconnected:") {
            with_note += 1;
        }
    }
    let es = db
        .edge_ids()
        .filter(|e| !db.edge(*e).sources.is_empty())
        .count();
    let (n, m) = (db.node_count(), db.edge_count());
    Stats {
        nodes: Counts {
            total: n,
            by_kind: NodeKind::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str(),
                        db.node_ids().filter(|x| db.kind(*x) == *k).count(),
                    )
                })
                .collect(),
            sourced: ns,
            sourced_percent: percent(ns, n),
            connected: Some(connected),
            unconnected: Some(n - connected),
            unconnected_with_note: Some(with_note),
        },
        edges: Counts {
            total: m,
            by_kind: EdgeKind::ALL
                .iter()
                .map(|k| {
                    (
                        k.as_str(),
                        db.edge_ids().filter(|e| db.edge_kind(*e) == *k).count(),
                    )
                })
                .collect(),
            sourced: es,
            sourced_percent: percent(es, m),
            connected: None,
            unconnected: None,
            unconnected_with_note: None,
        },
        results,
        external_ids: ext,
        sources: db.sources().len(),
    }
}
