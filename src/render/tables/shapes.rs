//! The shapes political scientists' datasets use (`lineage export --format parlgov`), derived
//! from the tidy tables' facts: a party table (one row per organisation and name-era, with its
//! renaming chain and external ids), a party-change table in ParlGov's shape (`party_id,
//! party_id_new, date, type`), and a party-year panel (one row per organisation, year and era in
//! force).
//!
//! An *organisation* is a renaming chain: eras joined by renamings, which keep the
//! organisation's identity (`chain_id` is the id of its first era). Dates are ISO days; `date`
//! columns hold a day only when every claim gives that one day, and `…_earliest`/`…_latest`
//! always bound what the claims allow.

use std::collections::{BTreeMap, BTreeSet};

use super::rows::{bounds, day, text};
use super::{Cell, Column, Table, TableDef, Type};
use crate::date::{Day, Interval, OPEN_END, OPEN_START, civil_from_days, days_from_civil};
use crate::db::{Db, NodeId};
use crate::model::{EdgeKind, NodeKind};
use crate::query::Selection;

/// The analyst shapes, in the order they are written.
pub const SHAPES: &[TableDef] = &[
    TableDef {
        table: Table::Party,
        name: "party",
        doc: "one row per organisation and name-era (people are not in it)",
        columns: cols![
            ("party_id", Text, "the era's node id"),
            (
                "chain_id",
                Text,
                "the organisation: the id of the first era of its renaming chain"
            ),
            ("kind", Text, "party, movement, bloc or organisation"),
            ("name", Text, "the era's display name"),
            (
                "date_begin",
                Text,
                "the day it began, when every claim gives that one day"
            ),
            ("begin_earliest", Date, "the earliest day it may have begun"),
            ("begin_latest", Date, "the latest day it may have begun"),
            (
                "date_end",
                Text,
                "the day it ended, when every claim gives that one day"
            ),
            (
                "end_earliest",
                Date,
                "the earliest day it may have ended (empty: no end claimed)"
            ),
            ("end_latest", Date, "the latest day it may have ended"),
            ("wikidata", Text, "its Wikidata QIDs, space-separated"),
            ("partyfacts", Text, "its Party Facts ids, space-separated"),
            (
                "other_ids",
                Text,
                "other external ids as scheme:id, space-separated"
            ),
            (
                "sources",
                Text,
                "the source ids of the record, space-separated"
            ),
        ],
    },
    TableDef {
        table: Table::PartyChange,
        name: "party_change",
        doc: "one row per lineage edge between organisations, in ParlGov's party-change shape",
        columns: cols![
            ("party_id", Text, "the era it runs from (the parent)"),
            ("party_id_new", Text, "the era it runs to (the child)"),
            (
                "date",
                Text,
                "the day of the change, when every claim gives that one day"
            ),
            ("date_earliest", Date, "the earliest day any claim allows"),
            ("date_latest", Date, "the latest day any claim allows"),
            (
                "type",
                Text,
                "split, merger, renaming, reorganisation, founding or division"
            ),
            (
                "date_text",
                Text,
                "the claims' dates as the sources give them, joined by \" / \""
            ),
            (
                "sources",
                Text,
                "the source ids of the edge, space-separated"
            ),
        ],
    },
    TableDef {
        table: Table::PartyYear,
        name: "party_year",
        doc: "one row per organisation, calendar year and era possibly in force that year; organisations with no beginning date are not placed",
        columns: cols![
            ("chain_id", Text, "the organisation"),
            ("year", Integer, "the calendar year"),
            (
                "party_id",
                Text,
                "the era in force (two rows when it was renamed that year)"
            ),
            ("name", Text, "the era's name"),
            (
                "surely",
                Integer,
                "1 when the era surely existed during the year, 0 when it only possibly did (an uncertain beginning or end)"
            ),
        ],
    },
];

/// The day every claim agrees on, if they agree on one day.
fn exact(iv: Option<Interval>) -> Cell {
    match iv {
        Some(iv) if iv.lo == iv.hi => day(iv.lo),
        _ => Cell::Null,
    }
}

/// The first era of each organisation's renaming chain, for every node (renamings followed
/// back; a node without a renaming into it is its own first era).
fn chains(db: &Db) -> Vec<NodeId> {
    let mut first: Vec<Option<NodeId>> = vec![None; db.node_count()];
    for n in db.node_ids() {
        if first[n.index()].is_some() {
            continue;
        }
        // walk back, remembering the way, without recursion
        let mut way = vec![n];
        let mut at = n;
        let root = loop {
            if let Some(r) = first[at.index()] {
                break r;
            }
            let back = db
                .in_edges(at)
                .filter(|&e| db.edge_kind(e) == EdgeKind::Renaming)
                .map(|e| db.endpoints(e).0)
                .min();
            match back {
                Some(p) if !way.contains(&p) => {
                    way.push(p);
                    at = p;
                }
                _ => break at,
            }
        };
        for w in way {
            first[w.index()] = Some(root);
        }
    }
    first
        .into_iter()
        .map(|r| r.expect("every node placed"))
        .collect()
}

/// When an era ended: its end claims, else the first edge that ends it (a renaming, a merger
/// into another, a division, a reorganisation), else never.
fn ended(db: &Db, n: NodeId) -> Option<Interval> {
    if let Some(end) = db.end(n) {
        return Some(end);
    }
    db.out_edges(n)
        .filter(|&e| {
            matches!(
                db.edge_kind(e),
                EdgeKind::Renaming
                    | EdgeKind::Merger
                    | EdgeKind::Division
                    | EdgeKind::Reorganisation
            )
        })
        .filter_map(|e| db.edge_when(e))
        .min_by_key(|iv| iv.lo)
}

/// The current calendar year (UTC), the last year of an organisation still in force.
fn this_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days(Day::try_from(secs / 86_400).unwrap_or(Day::MAX - 1)).0
}

/// Every row of the shape `table` for `sel` (people and edges to or from them left out).
///
/// # Complexity
/// O(N + E) over the graph for the renaming chains, then one row per node, edge or
/// organisation-year selected.
pub fn each_shape_row(db: &Db, sel: &Selection, table: Table, f: &mut dyn FnMut(&[Cell])) {
    let orgs: BTreeSet<NodeId> = sel
        .nodes
        .iter()
        .copied()
        .filter(|&n| db.kind(n) != NodeKind::Person)
        .collect();
    match table {
        Table::Party => {
            let first = chains(db);
            for &n in &orgs {
                let node = db.node(n);
                let mut ids: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                for x in &node.external_ids {
                    let key = match x.scheme.as_str() {
                        "wikidata" | "partyfacts" => x.scheme.as_str(),
                        _ => "other",
                    };
                    let id = if key == "other" {
                        format!("{}:{}", x.scheme, x.id)
                    } else {
                        x.id.clone()
                    };
                    ids.entry(key).or_default().push(id);
                }
                let list =
                    |k: &str| Cell::Text(ids.get(k).map(|v| v.join(" ")).unwrap_or_default());
                let [b_lo, b_hi] = bounds(db.begin(n));
                let [e_lo, e_hi] = bounds(db.end(n));
                f(&[
                    text(&node.id),
                    text(db.id(first[n.index()])),
                    text(node.kind.as_str()),
                    text(&node.name),
                    exact(db.begin(n)),
                    b_lo,
                    b_hi,
                    exact(db.end(n)),
                    e_lo,
                    e_hi,
                    list("wikidata"),
                    list("partyfacts"),
                    list("other"),
                    Cell::Text(node.sources.join(" ")),
                ]);
            }
        }
        Table::PartyChange => {
            for &e in &sel.edges {
                let (a, b) = db.endpoints(e);
                if !db.edge_kind(e).is_lineage() || !orgs.contains(&a) || !orgs.contains(&b) {
                    continue;
                }
                let edge = db.edge(e);
                let when = db.edge_when(e);
                let [lo, hi] = bounds(when);
                f(&[
                    text(&edge.from),
                    text(&edge.to),
                    exact(when),
                    lo,
                    hi,
                    text(edge.kind.as_str()),
                    text(&crate::render::claim_dates(&edge.date)),
                    Cell::Text(edge.sources.join(" ")),
                ]);
            }
        }
        Table::PartyYear => {
            let first = chains(db);
            let now = this_year();
            let mut rows: Vec<(String, i32, String, String, bool)> = Vec::new();
            for &n in &orgs {
                let Some(begin) = db.begin(n).filter(|b| b.lo != OPEN_START) else {
                    continue;
                };
                // no end: still in force; an end whose last day is open: possibly still
                let end = ended(db, n);
                let from = civil_from_days(begin.lo).0;
                let to = match end {
                    Some(e) if e.hi != OPEN_END => civil_from_days(e.hi).0,
                    _ => now,
                };
                for y in from..=to.max(from) {
                    let (jan1, dec31) = (days_from_civil(y, 1, 1), days_from_civil(y, 12, 31));
                    let possibly = begin.lo <= dec31 && end.is_none_or(|e| e.hi >= jan1);
                    if !possibly {
                        continue;
                    }
                    let surely = begin.hi <= dec31 && end.is_none_or(|e| e.lo >= jan1);
                    rows.push((
                        db.id(first[n.index()]).to_string(),
                        y,
                        db.id(n).to_string(),
                        db.name(n).to_string(),
                        surely,
                    ));
                }
            }
            rows.sort();
            for (chain, y, era, name, surely) in rows {
                f(&[
                    Cell::Text(chain),
                    Cell::Int(i64::from(y)),
                    Cell::Text(era),
                    Cell::Text(name),
                    Cell::Int(i64::from(surely)),
                ]);
            }
        }
        _ => {}
    }
}
