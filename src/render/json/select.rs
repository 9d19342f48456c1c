//! The answer of `lineage select`: the query, its nodes with their sources and certainty, and
//! the edges among them.

use serde::Serialize;

use super::{EdgeOut, NodeOut, edge, node};
use crate::db::Db;
use crate::query::Selection;

/// A node of a query's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberOut {
    /// The node.
    #[serde(flatten)]
    pub node: NodeOut,
    /// Only possibly in the answer (reached through undated or straddling hops, or a name at
    /// a date that is not certain).
    pub uncertain: bool,
    /// The sources its record cites.
    pub sources: Vec<String>,
}

/// The answer of a query-language expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectOut {
    /// The expression as given.
    pub query: String,
    /// The nodes, in id order.
    pub nodes: Vec<MemberOut>,
    /// The edges among them.
    pub edges: Vec<EdgeOut>,
}

/// The answer of `query` as JSON.
pub fn select(db: &Db, query: &str, s: &Selection) -> SelectOut {
    SelectOut {
        query: query.to_string(),
        nodes: s
            .nodes
            .iter()
            .map(|n| MemberOut {
                node: node(db, *n),
                uncertain: s.uncertain.contains(n),
                sources: db.node(*n).sources,
            })
            .collect(),
        edges: s.edges.iter().map(|e| edge(db, *e, false)).collect(),
    }
}
