//! The rows of every table, produced in one pass over a selection: each node with its names,
//! claims, events, results and external ids; each edge with its claims and its leadership term;
//! then the sources cited; citations as they come. Row numbers (claims, events, results,
//! external ids) count in that order, from 1, within one export.

use std::collections::BTreeSet;

use super::{Cell, Table};
use crate::date::{DateSpec, Day, Interval, OPEN_END, OPEN_START, format_day};
use crate::db::Db;
use crate::model::{Claim, EdgeKind};
use crate::query::Selection;

pub(super) fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A day as an ISO date; NULL for an open bound.
pub(super) fn day(d: Day) -> Cell {
    if d == OPEN_START || d == OPEN_END {
        Cell::Null
    } else {
        Cell::Text(format_day(d))
    }
}

pub(super) fn bounds(iv: Option<Interval>) -> [Cell; 2] {
    match iv {
        Some(iv) => [day(iv.lo), day(iv.hi)],
        None => [Cell::Null, Cell::Null],
    }
}

fn spec_bounds(d: Option<&DateSpec>) -> [Cell; 2] {
    match d {
        Some(d) => [day(d.earliest()), day(d.latest())],
        None => [Cell::Null, Cell::Null],
    }
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, text)
}

fn joined(ids: &[String]) -> Cell {
    Cell::Text(ids.join(" "))
}

/// The ISO 15924 code of the script most of a name's letters are in ("Zyyy" when none is a
/// letter of a script named here).
pub fn script(name: &str) -> &'static str {
    let mut counts = [0usize; 5];
    const CODES: [&str; 5] = ["Latn", "Cyrl", "Arab", "Grek", "Hani"];
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        let i = match c as u32 {
            0x41..=0x24F | 0x1E00..=0x1EFF => 0,
            0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => 1,
            0x600..=0x6FF | 0x750..=0x77F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => 2,
            0x370..=0x3FF | 0x1F00..=0x1FFF => 3,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF => 4,
            _ => continue,
        };
        counts[i] += 1;
    }
    let (best, n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))
        .expect("five scripts");
    if *n == 0 { "Zyyy" } else { CODES[best] }
}

/// Every row of `table` for `sel`, in order.
pub fn each_row(db: &Db, sel: &Selection, table: Table, f: &mut dyn FnMut(&[Cell])) {
    walk(db, sel, &mut |t, row| {
        if t == table {
            f(row)
        }
    });
}

/// Every row of every table for `sel`, in one pass: `f` gets each row with its table.
///
/// # Complexity
/// O(N + E) record decodings for the N nodes and E edges selected, plus O(S log S) for the S
/// sources cited.
pub fn walk(db: &Db, sel: &Selection, f: &mut dyn FnMut(Table, &[Cell])) {
    let mut cited: BTreeSet<String> = BTreeSet::new();
    let mut numbers = [0i64; 4]; // claims, events, results, external ids
    let mut next = |i: usize| {
        numbers[i] += 1;
        numbers[i]
    };
    let mut cite = |f: &mut dyn FnMut(Table, &[Cell]), fact: &str, key: String, ids: &[String]| {
        for id in ids {
            cited.insert(id.clone());
            f(
                Table::Citations,
                &[text(fact), Cell::Text(key.clone()), text(id)],
            );
        }
    };
    let claim_row = |n: i64, node: Cell, edge: Cell, field: &str, c: &Claim| {
        let [lo, hi] = spec_bounds(Some(&c.date));
        [
            Cell::Int(n),
            node,
            edge,
            text(field),
            text(c.date.as_str()),
            lo,
            hi,
            text(&c.note),
            joined(&c.sources),
        ]
    };
    for &n in &sel.nodes {
        let node = db.node(n);
        let [b_lo, b_hi] = bounds(node.begin());
        let [e_lo, e_hi] = bounds(node.end());
        f(
            Table::Nodes,
            &[
                text(&node.id),
                text(node.kind.as_str()),
                text(&node.name),
                Cell::Text(node.years()),
                b_lo,
                b_hi,
                e_lo,
                e_hi,
                text(&node.note),
                joined(&node.sources),
            ],
        );
        cite(f, "nodes", node.id.clone(), &node.sources);
        let names = std::iter::once((&node.name, "name"))
            .chain(node.aliases.iter().map(|a| (a, "alias")))
            .chain(node.shared_names.iter().map(|a| (a, "shared")));
        for (i, (name, role)) in names.enumerate() {
            f(
                Table::Names,
                &[
                    text(&node.id),
                    text(name),
                    text(role),
                    text(script(name)),
                    Cell::Int(i as i64),
                ],
            );
        }
        for (field, claims) in [
            ("founded", &node.founded),
            ("registered", &node.registered),
            ("ended", &node.ended),
        ] {
            for c in claims {
                let k = next(0);
                f(
                    Table::Claims,
                    &claim_row(k, text(&node.id), Cell::Null, field, c),
                );
                cite(f, "claims", k.to_string(), &c.sources);
            }
        }
        for ev in &node.events {
            let k = next(1);
            let [lo, hi] = spec_bounds(Some(&ev.date));
            f(
                Table::Events,
                &[
                    Cell::Int(k),
                    text(&node.id),
                    text(ev.kind.as_str()),
                    text(ev.date.as_str()),
                    lo,
                    hi,
                    text(&ev.note),
                    joined(&ev.sources),
                ],
            );
            cite(f, "events", k.to_string(), &ev.sources);
        }
        for r in &node.results {
            let k = next(2);
            let [lo, hi] = spec_bounds(Some(&r.election));
            f(
                Table::Elections,
                &[
                    Cell::Int(k),
                    text(&node.id),
                    text(r.election.as_str()),
                    lo,
                    hi,
                    text(&r.body),
                    opt_text(r.share.as_deref()),
                    r.share_value().map_or(Cell::Null, Cell::Real),
                    r.seats.map_or(Cell::Null, |v| Cell::Int(i64::from(v))),
                    r.votes.map_or(Cell::Null, |v| {
                        Cell::Int(i64::try_from(v).unwrap_or(i64::MAX))
                    }),
                    text(&r.note),
                    joined(&r.sources),
                ],
            );
            cite(f, "elections", k.to_string(), &r.sources);
        }
        for x in &node.external_ids {
            let k = next(3);
            f(
                Table::ExternalIds,
                &[
                    Cell::Int(k),
                    text(&node.id),
                    text(&x.scheme),
                    text(&x.id),
                    text(x.covers.as_str()),
                    text(&x.note),
                    joined(&x.sources),
                ],
            );
            cite(f, "external_ids", k.to_string(), &x.sources);
        }
    }
    for &e in &sel.edges {
        let edge = db.edge(e);
        let num = e.index() as i64;
        let [lo, hi] = bounds(db.edge_when(e));
        f(
            Table::Edges,
            &[
                Cell::Int(num),
                text(edge.kind.as_str()),
                text(&edge.from),
                text(&edge.to),
                Cell::Text(crate::render::edge_dates(&edge)),
                lo,
                hi,
                text(&edge.role),
                opt_text(
                    edge.term
                        .as_ref()
                        .and_then(|t| t.from.as_ref())
                        .map(|d| d.as_str()),
                ),
                opt_text(
                    edge.term
                        .as_ref()
                        .and_then(|t| t.until.as_ref())
                        .map(|d| d.as_str()),
                ),
                text(&edge.note),
                joined(&edge.sources),
            ],
        );
        cite(f, "edges", num.to_string(), &edge.sources);
        for c in &edge.date {
            let k = next(0);
            f(
                Table::Claims,
                &claim_row(k, Cell::Null, Cell::Int(num), "date", c),
            );
            cite(f, "claims", k.to_string(), &c.sources);
        }
        if edge.kind == EdgeKind::Leadership {
            let term = edge.term.clone().unwrap_or_default();
            let [f_lo, f_hi] = spec_bounds(term.from.as_ref());
            let [u_lo, u_hi] = spec_bounds(term.until.as_ref());
            f(
                Table::Leaders,
                &[
                    Cell::Int(num),
                    text(&edge.from),
                    text(&edge.to),
                    text(&edge.role),
                    opt_text(term.from.as_ref().map(|d| d.as_str())),
                    f_lo,
                    f_hi,
                    opt_text(term.until.as_ref().map(|d| d.as_str())),
                    u_lo,
                    u_hi,
                    joined(&edge.sources),
                ],
            );
        }
    }
    for s in db.sources().iter().filter(|s| cited.contains(&s.id)) {
        f(
            Table::Sources,
            &[
                text(&s.id),
                text(&s.title),
                text(&s.author),
                text(&s.publisher),
                text(&s.date),
                text(&s.url),
                text(&s.seed),
                text(&s.note),
            ],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::script;

    #[test]
    fn the_script_of_most_letters_names_a_name() {
        assert_eq!(script("Нұр Отан"), "Cyrl");
        assert_eq!(script("Nur Otan"), "Latn");
        assert_eq!(script("Ak Zhol (Ақ жол)"), "Latn");
        assert_eq!(script("Ақ жол (Ak)"), "Cyrl");
        assert_eq!(script("2007"), "Zyyy");
        assert_eq!(script("Ab Вг"), "Latn");
    }
}
