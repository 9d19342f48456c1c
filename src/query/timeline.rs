//! Events in date order: foundings, registrations, ends, node events and dated edges.

use std::collections::BTreeSet;

use crate::date::{DateSpec, Day};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::NodeKind;

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// When.
    pub date: DateSpec,
    /// The node it happened to (for edges: the `to` node).
    pub node: NodeId,
    /// What happened: `founded`, `registered`, `ended`, an event kind, or an edge kind.
    pub what: String,
    /// Free text (event note, or the other node's name for edges).
    pub note: String,
    /// The edge, for edge entries.
    pub edge: Option<EdgeId>,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Events in date order: foundings, registrations, ends, node events and dated edges.
///
/// # Arguments
/// - `db`; `nodes`: limit to these nodes (`None`: all organisations); `since`, `until`: keep
///   entries whose date may fall in the window.
///
/// # Returns
/// Entries sorted by earliest day, latest day, then node id and text.
///
/// # Complexity
/// O(R log R) for R records of the nodes chosen.
///
/// # Example
/// ```
/// use lineage::{Db, query::timeline};
/// let db = Db::embedded().unwrap();
/// let t = timeline(&db, None, None, None);
/// assert!(t.windows(2).all(|w| w[0].date.earliest() <= w[1].date.earliest()));
/// ```
pub fn timeline(
    db: &Db,
    nodes: Option<&BTreeSet<NodeId>>,
    since: Option<Day>,
    until: Option<Day>,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let keep = |d: &DateSpec| {
        since.is_none_or(|s| d.latest() >= s) && until.is_none_or(|u| d.earliest() <= u)
    };
    let chosen = |n: NodeId| nodes.map_or(db.kind(n) != NodeKind::Person, |s| s.contains(&n));
    for n in db.node_ids().filter(|n| chosen(*n)) {
        let node = db.node(n);
        for (what, claims) in [
            ("founded", &node.founded),
            ("registered", &node.registered),
            ("ended", &node.ended),
        ] {
            for c in claims.iter().filter(|c| keep(&c.date)) {
                out.push(TimelineEntry {
                    date: c.date.clone(),
                    node: n,
                    what: what.into(),
                    note: c.note.clone(),
                    edge: None,
                    sources: c.sources.clone(),
                });
            }
        }
        for ev in node.events.iter().filter(|e| keep(&e.date)) {
            out.push(TimelineEntry {
                date: ev.date.clone(),
                node: n,
                what: ev.kind.to_string(),
                note: ev.note.clone(),
                edge: None,
                sources: ev.sources.clone(),
            });
        }
        for r in node.results.iter().filter(|r| keep(&r.election)) {
            let note = if r.note.is_empty() {
                format!("{}: {}", r.body, r.figures())
            } else {
                format!("{}: {} ({})", r.body, r.figures(), r.note)
            };
            out.push(TimelineEntry {
                date: r.election.clone(),
                node: n,
                what: "election result".into(),
                note,
                edge: None,
                sources: r.sources.clone(),
            });
        }
    }
    for e in db.edge_ids() {
        let (a, b) = db.endpoints(e);
        if !(chosen(b) || (nodes.is_some() && chosen(a))) {
            continue;
        }
        let edge = db.edge(e);
        for c in edge.date.iter().filter(|c| keep(&c.date)) {
            out.push(TimelineEntry {
                date: c.date.clone(),
                node: b,
                what: edge.kind.to_string(),
                note: format!("{} → {}", db.name(a), db.name(b)),
                edge: Some(e),
                sources: c.sources.clone(),
            });
        }
    }
    out.sort_by(|x, y| {
        (x.date.earliest(), x.date.latest(), x.node, &x.what, &x.note).cmp(&(
            y.date.earliest(),
            y.date.latest(),
            y.node,
            &y.what,
            &y.note,
        ))
    });
    out
}
