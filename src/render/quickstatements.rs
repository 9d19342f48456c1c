//! Facts as QuickStatements commands (`lineage export --format quickstatements`), for a human
//! to review and then upload to Wikidata.
//!
//! Only facts between nodes that carry a Wikidata id (an external id of scheme `wikidata`) are
//! written: each edge whose kind maps to a Wikidata property ([`wikidata_property`])
//! as that property's statement, and a node's founding and end as P571 (inception) and P576
//! (dissolved) when its id covers that node's era only, or covers the whole renaming chain and
//! the node is the chain's first era (for P571) or last (for P576). One command per claim and source, so
//! that each source becomes its own reference (S854, the source's address). A date that is one
//! day, month, year or decade becomes a P585 (point in time) qualifier with that precision;
//! any other date (a range, `early 1998`, `about 1998`) becomes P1319 (earliest date) and P1326
//! (latest date) at day precision, with an open end left out: no precision is invented.
//!
//! Whatever cannot be written is listed in [`QuickStatements::skipped`], never dropped silently:
//! facts whose ends have no Wikidata id or share one, sources without an address, text that
//! QuickStatements cannot quote.

use crate::date::{DateSpec, Day, OPEN_END, OPEN_START, civil_from_days, days_from_civil};
use crate::db::{Db, NodeId};
use crate::model::{Claim, Covers, EdgeKind, KindSet};
use crate::query::Selection;
use crate::query::chain;
use crate::render::rdf::{is_qid, vocab::wikidata_property};

/// The commands, and what could not be written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickStatements {
    /// One command a line (QuickStatements' tab-separated version 1 syntax).
    pub commands: String,
    /// Each fact or reference left out, with the reason.
    pub skipped: Vec<String>,
}

/// The Wikidata item of a node, and whether it covers this era only: the node's own id, else
/// an id of its renaming chain that covers the whole chain.
fn qid(db: &Db, n: NodeId) -> Option<(String, bool)> {
    let own = |m: NodeId| {
        db.node(m)
            .external_ids
            .into_iter()
            .find(|x| x.scheme == "wikidata" && is_qid(&x.id))
    };
    if let Some(x) = own(n) {
        return Some((x.id, x.covers == Covers::Era));
    }
    let renamings = KindSet::empty().with(EdgeKind::Renaming);
    chain(db, n, renamings)
        .into_iter()
        .filter_map(own)
        .find(|x| x.covers == Covers::Chain)
        .map(|x| (x.id, false))
}

/// A Wikidata time value (`+1998-05-00T00:00:00Z/10`).
fn time(y: i32, m: u32, d: u32, precision: u8) -> String {
    format!("+{y:04}-{m:02}-{d:02}T00:00:00Z/{precision}")
}

/// The qualifiers for a date: P585 at the precision the date has, else earliest and latest.
pub fn date_qualifiers(d: &DateSpec) -> Vec<(&'static str, String)> {
    let (lo, hi) = (d.earliest(), d.latest());
    let open = |x: Day| x == OPEN_START || x == OPEN_END;
    if !open(lo) && !open(hi) {
        let (y, m, dd) = civil_from_days(lo);
        let (y2, m2, d2) = civil_from_days(hi);
        let last_of_month = hi + 1 == days_from_civil_next(y2, m2);
        if lo == hi {
            return vec![("P585", time(y, m, dd, 11))];
        }
        if dd == 1 && y == y2 && m == m2 && last_of_month {
            return vec![("P585", time(y, m, 0, 10))];
        }
        if dd == 1 && m == 1 && m2 == 12 && d2 == 31 {
            if y == y2 {
                return vec![("P585", time(y, 0, 0, 9))];
            }
            if y % 10 == 0 && y2 == y + 9 {
                return vec![("P585", time(y, 0, 0, 8))];
            }
        }
    }
    let mut q = Vec::new();
    for (p, day) in [("P1319", lo), ("P1326", hi)] {
        if !open(day) {
            let (y, m, dd) = civil_from_days(day);
            q.push((p, time(y, m, dd, 11)));
        }
    }
    q
}

/// The first day of the month after `y`-`m`.
fn days_from_civil_next(y: i32, m: u32) -> Day {
    if m == 12 {
        days_from_civil(y + 1, 1, 1)
    } else {
        days_from_civil(y, m + 1, 1)
    }
}

/// Whether QuickStatements can hold the text between double quotes.
fn quotable(s: &str) -> bool {
    !s.chars()
        .any(|c| c == '"' || crate::names::is_hidden_control(c))
}

struct Writer<'a> {
    db: &'a Db,
    out: QuickStatements,
}

impl Writer<'_> {
    /// One command per source: `head` (item, property, value), the qualifiers, then the
    /// source's address as the reference.
    fn statement(&mut self, what: &str, head: &str, quals: &str, sources: &[String]) {
        if sources.is_empty() {
            self.out.skipped.push(format!("{what}: no source"));
        }
        for id in sources {
            let url = self
                .db
                .source(id)
                .map(|s| s.url.clone())
                .unwrap_or_default();
            if url.is_empty() {
                self.out
                    .skipped
                    .push(format!("{what}: source {id} has no address to cite (S854)"));
            } else if !quotable(&url) {
                self.out.skipped.push(format!(
                    "{what}: the address of source {id} holds a quote or a control character"
                ));
            } else {
                self.out
                    .commands
                    .push_str(&format!("{head}{quals}\tS854\t\"{url}\"\n"));
            }
        }
    }
}

fn tabbed(q: &[(&str, String)]) -> String {
    q.iter().map(|(p, v)| format!("\t{p}\t{v}")).collect()
}

/// A claim's own sources, or the fact's when the claim names none.
fn claim_sources<'a>(c: &'a Claim, fact: &'a [String]) -> &'a [String] {
    if c.sources.is_empty() {
        fact
    } else {
        &c.sources
    }
}

/// The QuickStatements commands for the facts of `sel` whose nodes carry Wikidata ids.
///
/// # Complexity
/// O(N + E) record decodings for the N nodes and E edges selected.
///
/// # Example
/// ```
/// let db = lineage::Db::embedded().unwrap();
/// let sel = lineage::query::Selection::all(&db, false, &lineage::query::Filter::default());
/// let qs = lineage::render::quickstatements::commands(&db, &sel);
/// assert!(qs.commands.lines().all(|l| l.starts_with('Q')));
/// ```
pub fn commands(db: &Db, sel: &Selection) -> QuickStatements {
    let mut w = Writer {
        db,
        out: QuickStatements::default(),
    };
    for &n in &sel.nodes {
        let Some((q, era)) = qid(db, n) else { continue };
        let node = db.node(n);
        for (p, claims, field) in [
            ("P571", &node.founded, "founded"),
            ("P576", &node.ended, "ended"),
        ] {
            for c in claims {
                let what = format!("{} {field} {}", node.id, c.date.as_str());
                // an id of the whole renaming chain: the first era's founding is the item's
                // inception, the last era's end its dissolution
                let renamed = |e: crate::db::EdgeId| db.edge_kind(e) == EdgeKind::Renaming;
                let chain_end = match field {
                    "founded" => !db.in_edges(n).any(renamed),
                    _ => !db.out_edges(n).any(renamed),
                };
                if !era && !chain_end {
                    w.out.skipped.push(format!(
                        "{what}: its Wikidata id {q} covers the whole renaming chain, and this era is not at its {}",
                        if field == "founded" { "start" } else { "end" }
                    ));
                    continue;
                }
                // an exact day, month, year or decade is the value; any other date is
                // "some value" between its earliest and latest days
                let quals = date_qualifiers(&c.date);
                let (head, rest) = match quals.as_slice() {
                    [("P585", v)] => (format!("{q}\t{p}\t{v}"), String::new()),
                    _ => (format!("{q}\t{p}\tsomevalue"), tabbed(&quals)),
                };
                w.statement(&what, &head, &rest, claim_sources(c, &node.sources));
            }
        }
    }
    let mut items: std::collections::HashMap<NodeId, Option<(String, bool)>> = Default::default();
    for &e in &sel.edges {
        let edge = db.edge(e);
        let (from, to) = db.endpoints(e);
        let what = format!(
            "edge {} ({} {} {})",
            e.index(),
            edge.from,
            edge.kind,
            edge.to
        );
        let Some((pid, reversed)) = wikidata_property(edge.kind) else {
            w.out.skipped.push(format!(
                "{what}: Wikidata has no property for a {}",
                edge.kind
            ));
            continue;
        };
        let mut item = |n: NodeId| items.entry(n).or_insert_with(|| qid(db, n)).clone();
        let (Some((qf, _)), Some((qt, _))) = (item(from), item(to)) else {
            w.out
                .skipped
                .push(format!("{what}: an end has no Wikidata id"));
            continue;
        };
        if qf == qt {
            w.out
                .skipped
                .push(format!("{what}: both ends are the Wikidata item {qf}"));
            continue;
        }
        let (a, b) = if reversed { (&qt, &qf) } else { (&qf, &qt) };
        let head = format!("{a}\t{pid}\t{b}");
        if let Some(term) = edge.term.as_ref().filter(|_| edge.date.is_empty()) {
            // a term: its start and end as P580 and P582, when each is one day, month, year
            // or decade
            let mut quals = String::new();
            for (p, d) in [("P580", &term.from), ("P582", &term.until)] {
                let Some(d) = d else { continue };
                match date_qualifiers(d).as_slice() {
                    [("P585", v)] => quals.push_str(&format!("\t{p}\t{v}")),
                    _ => w.out.skipped.push(format!(
                        "{what}: the term's {} {:?} is not one day, month, year or decade; {p} left out",
                        if p == "P580" { "start" } else { "end" },
                        d.as_str()
                    )),
                }
            }
            w.statement(&what, &head, &quals, &edge.sources);
        } else if edge.date.is_empty() {
            w.statement(&what, &head, "", &edge.sources);
        } else {
            for c in &edge.date {
                let quals = tabbed(&date_qualifiers(&c.date));
                w.statement(&what, &head, &quals, claim_sources(c, &edge.sources));
            }
        }
    }
    w.out
}
