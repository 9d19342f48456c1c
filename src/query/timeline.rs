//! Events in date order: foundings, registrations, ends, node events and dated edges.

use std::collections::BTreeSet;

use crate::date::{DateSpec, Day, OPEN_END, OPEN_START};
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
    /// For an edge entry: the claims of the same event folded into it (`founded`, `ended`).
    pub also: Vec<String>,
}

/// The days an entry is placed on, for order and for `--since`/`--until`: its interval, with an
/// open bound replaced by the known one. "before 2004" is placed on the last day of 2003 and
/// "after 1917-10" on 1917-10-01: neither says it may fall in any year, and neither sorts ahead
/// of every dated entry.
pub fn placed(d: &DateSpec) -> (Day, Day) {
    match (d.earliest(), d.latest()) {
        (OPEN_START, OPEN_END) => (OPEN_START, OPEN_END),
        (OPEN_START, hi) => (hi, hi),
        (lo, OPEN_END) => (lo, lo),
        (lo, hi) => (lo, hi),
    }
}

/// Events in date order: foundings, registrations, ends, node events and dated edges.
///
/// A founding (or end) claim dated exactly as a lineage edge into (or out of) the same node is
/// one event told twice: it is folded into the edge's entry (its kind in `also`, its note after
/// the edge's, its sources added), so that no event gets two rows.
///
/// # Arguments
/// - `db`; `nodes`: limit to these nodes (`None`: all organisations); `since`, `until`: keep
///   entries whose days ([`placed`]) overlap the window.
///
/// # Returns
/// Entries sorted by the first day they are placed on, then the last, then node id and text.
///
/// # Complexity
/// O(R log R) for R records of the nodes chosen.
///
/// # Example
/// ```
/// use lineage::{Db, query::{placed, timeline}};
/// let db = Db::embedded().unwrap();
/// let t = timeline(&db, None, None, None);
/// assert!(t.windows(2).all(|w| placed(&w[0].date) <= placed(&w[1].date)));
/// ```
pub fn timeline(
    db: &Db,
    nodes: Option<&BTreeSet<NodeId>>,
    since: Option<Day>,
    until: Option<Day>,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let keep = |d: &DateSpec| {
        let (lo, hi) = placed(d);
        since.is_none_or(|s| hi >= s) && until.is_none_or(|u| lo <= u)
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
                    also: Vec::new(),
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
                also: Vec::new(),
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
                also: Vec::new(),
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
                also: Vec::new(),
            });
        }
    }
    let mut out = fold(db, out);
    out.sort_by(|x, y| {
        (placed(&x.date), x.node, &x.what, &x.note).cmp(&(
            placed(&y.date),
            y.node,
            &y.what,
            &y.note,
        ))
    });
    out
}

/// Folds each `founded` entry into the first lineage edge entry into its node with the same
/// date text, and each `ended` entry into the first out of its node.
fn fold(db: &Db, entries: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    use std::collections::BTreeMap;
    // (node, date text, founded?) -> index of the edge entry that tells the same event
    let mut at: BTreeMap<(NodeId, &str, bool), usize> = BTreeMap::new();
    for (i, t) in entries.iter().enumerate() {
        let Some(e) = t.edge else { continue };
        if !crate::model::KindSet::LINEAGE.contains(db.edge_kind(e)) {
            continue;
        }
        let (a, b) = db.endpoints(e);
        at.entry((b, t.date.as_str(), true)).or_insert(i);
        at.entry((a, t.date.as_str(), false)).or_insert(i);
    }
    let mut into: Vec<(usize, usize)> = Vec::new(); // (claim entry, edge entry)
    for (i, t) in entries.iter().enumerate() {
        let founded = match t.what.as_str() {
            "founded" if t.edge.is_none() => true,
            "ended" if t.edge.is_none() => false,
            _ => continue,
        };
        if let Some(&j) = at.get(&(t.node, t.date.as_str(), founded)) {
            into.push((i, j));
        }
    }
    let mut entries = entries;
    let mut gone = vec![false; entries.len()];
    for (i, j) in into {
        let claim = entries[i].clone();
        let row = &mut entries[j];
        let note = if claim.note.is_empty() {
            format!("{} {}", db.name(claim.node), claim.what)
        } else {
            format!("{} {}: {}", db.name(claim.node), claim.what, claim.note)
        };
        row.also.push(claim.what.clone());
        row.note = format!("{}; {note}", row.note);
        for s in claim.sources {
            if !row.sources.contains(&s) {
                row.sources.push(s);
            }
        }
        gone[i] = true;
    }
    entries
        .into_iter()
        .zip(gone)
        .filter(|(_, g)| !g)
        .map(|(t, _)| t)
        .collect()
}
