//! The answers that are lists: paths, common ancestors, the name at a date, leaders, search
//! hits, timelines and counts.

use std::fmt::Write;

use super::*;
use crate::db::{Db, NodeId};
use crate::model::{EdgeKind, NodeKind};
use crate::query::{Common, Hop, Leader, NameAt, SearchHit, TimelineEntry};

/// A path as dated, sourced hops, or a line saying that there is none (`hops` is `None`).
pub fn path(
    db: &Db,
    a: NodeId,
    b: NodeId,
    hops: Option<&[Hop]>,
    time_respecting: bool,
    st: &Style,
) -> String {
    let mut o = String::new();
    let Some(hops) = hops else {
        let how = if time_respecting {
            "time-respecting "
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "no {how}lineage path between {} and {}",
            st.bold(&name(db, a)),
            st.bold(&name(db, b))
        );
        return o;
    };
    let _ = writeln!(o, "{}", st.bold(&label(db, a)));
    for h in hops {
        let (x, y) = db.endpoints(h.edge);
        let edge = edge(db, h.edge);
        let next = if h.forward { y } else { x };
        let _ = writeln!(
            o,
            "  {} {}: {}{}",
            if h.forward { "→" } else { "←" },
            hop_text(db, st, h.edge),
            label(db, next),
            sources(st, &edge.sources)
        );
    }
    let _ = writeln!(
        o,
        "{} hop{}",
        hops.len(),
        if hops.len() == 1 { "" } else { "s" }
    );
    o
}

/// Common ancestors.
pub fn common(db: &Db, a: NodeId, b: NodeId, c: &Common, st: &Style) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "common ancestors of {} and {}:",
        st.bold(&name(db, a)),
        st.bold(&name(db, b))
    );
    if c.all.is_empty() {
        let _ = writeln!(o, "  (none)");
        return o;
    }
    let _ = writeln!(o, "nearest:");
    for n in &c.nearest {
        let _ = writeln!(o, "  {}", label(db, *n));
    }
    let _ = writeln!(o, "all ({}):", c.all.len());
    for n in &c.all {
        let _ = writeln!(o, "  {}", label(db, *n));
    }
    o
}

/// An interval of days in the documented notation, the data's own: a day, a whole month
/// (`2006-03`) or year (`2006`), `A to B`, and `before B` / `after A` for an open bound (as the
/// data writes them: `before 1999` ends on 1998-12-31).
fn span(i: crate::date::Interval) -> String {
    // the day after an open start's end: a year or month when it begins one
    let whole_start = |d| {
        let (y, m, dd) = civil_from_days(d);
        match (m, dd) {
            (1, 1) => format!("{y}"),
            (_, 1) => format!("{y}-{m:02}"),
            _ => format_day(d),
        }
    };
    // the day before an open end's start: a year or month when it ends one
    let whole_end = |d| {
        let (y, m, dd) = civil_from_days(d);
        match (m, dd) {
            (12, 31) => format!("{y}"),
            (_, dd) if dd == days_in_month(y, m) => format!("{y}-{m:02}"),
            _ => format_day(d),
        }
    };
    use crate::date::{OPEN_END, OPEN_START, civil_from_days, days_in_month, format_day};
    let whole = |lo, hi| {
        let ((y1, m1, d1), (y2, m2, d2)) = (civil_from_days(lo), civil_from_days(hi));
        if d1 != 1 || d2 != days_in_month(y2, m2) {
            return None;
        }
        Some(match (m1 == 1 && m2 == 12, y1 == y2, m1 == m2) {
            (true, true, _) => format!("{y1}"),
            (true, false, _) => format!("{y1} to {y2}"),
            (false, true, true) => format!("{y1}-{m1:02}"),
            _ => format!("{y1}-{m1:02} to {y2}-{m2:02}"),
        })
    };
    match (i.lo, i.hi) {
        (lo, hi) if lo == hi => format_day(lo),
        (OPEN_START, OPEN_END) => "unknown".to_string(),
        (OPEN_START, hi) => format!("before {}", whole_start(hi + 1)),
        (lo, OPEN_END) => format!("after {}", whole_end(lo - 1)),
        (lo, hi) => {
            whole(lo, hi).unwrap_or_else(|| format!("{} to {}", format_day(lo), format_day(hi)))
        }
    }
}

/// The name in force at a date.
pub fn name_at(db: &Db, r: &NameAt, at: &str, st: &Style) -> String {
    let mut o = String::new();
    match (r.candidates.len(), r.certain) {
        (0, _) if r.before_start => {
            let _ = writeln!(
                o,
                "not yet in existence at {at}: the earliest member of the chain came into force later"
            );
        }
        (0, _) if !r.succeeded_by.is_empty() => {
            let _ = writeln!(o, "no longer in existence at {at}:");
            for s in &r.succeeded_by {
                let (from, to) = db.endpoints(s.edge);
                let then = match s.then.as_slice() {
                    [] => String::new(),
                    [one] if *one == to => String::new(),
                    [one] => format!(", called {} at {at}", name(db, *one)),
                    many => format!(
                        ", at {at} possibly called {}",
                        many.iter()
                            .map(|n| name(db, *n))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                };
                let _ = writeln!(
                    o,
                    "  {} {}: {}{then}{}",
                    name(db, from),
                    hop_text(db, st, s.edge),
                    label(db, to),
                    sources(st, &edge(db, s.edge).sources)
                );
            }
        }
        (0, _) => {
            let _ = writeln!(o, "no member of this chain was in force at {at}");
        }
        (1, true) => {
            let _ = writeln!(o, "{}", st.bold(&label(db, r.candidates[0])));
        }
        _ => {
            let _ = writeln!(
                o,
                "uncertain at {at}: the name changed in that period, or the dates are uncertain; candidates:"
            );
            for c in &r.candidates {
                let _ = writeln!(o, "  {}", label(db, *c));
            }
        }
    }
    let _ = writeln!(o, "chain (* possibly in force at {at}):");
    let rows: Vec<[String; 3]> = r
        .chain
        .iter()
        .map(|era| {
            let from = match (era.from, era.first_record) {
                (Some(f), _) => span(f),
                (None, Some(first)) => format!("unknown, first recorded {}", span(first)),
                (None, None) => "unknown".to_string(),
            };
            let until = era.until.map_or("no end recorded".to_string(), span);
            let mark = if r.candidates.contains(&era.node) {
                "*"
            } else {
                " "
            };
            [format!(" {mark} {}", label(db, era.node)), from, until]
        })
        .collect();
    // the dates in one column; a label wider than the column gets a line of its own
    const MAX_LABEL: usize = 48;
    let w = |l: &str| unicode_width::UnicodeWidthStr::width(l);
    let width = rows
        .iter()
        .map(|r| w(&r[0]))
        .filter(|n| *n <= MAX_LABEL)
        .max()
        .unwrap_or(0);
    for [l, from, until] in rows {
        if w(&l) > width {
            let _ = writeln!(o, "{l}");
            let _ = writeln!(o, "{:width$}  since {from}; until {until}", "");
        } else {
            let pad = width - w(&l);
            let _ = writeln!(o, "{l}{:pad$}  since {from}; until {until}", "");
        }
    }
    o
}

/// Leaders with roles and terms.
pub fn leaders(db: &Db, org: NodeId, ls: &[Leader], st: &Style) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "leaders of {}:", st.bold(&label(db, org)));
    if ls.is_empty() {
        let _ = writeln!(o, "  (none recorded)");
    }
    use unicode_width::UnicodeWidthStr;
    // (person, role, term, sources)
    type Row = (String, String, String, Vec<String>);
    let rows: Vec<Row> = ls
        .iter()
        .map(|l| {
            let e = edge(db, l.edge);
            let term = e
                .term
                .as_ref()
                .map_or("term unknown".to_string(), |t| t.to_string());
            (name(db, l.person), v(&e.role), v(&term), e.sources)
        })
        .collect();
    // columns as wide as their widest cell, up to a cap past which a cell runs on
    let col = |f: &dyn Fn(&Row) -> usize, cap: usize| {
        rows.iter().map(f).filter(|w| *w <= cap).max().unwrap_or(0)
    };
    let wn = col(&|r| r.0.width(), 36);
    let wr = col(&|r| r.1.width(), 32);
    let pad = |s: &str, w: usize| " ".repeat(w.saturating_sub(s.width()));
    for (person, role, term, srcs) in &rows {
        let _ = writeln!(
            o,
            "  {person}{}  {role}{}  {term}{}",
            pad(person, wn),
            pad(role, wr),
            sources(st, srcs)
        );
    }
    o
}

/// Search results.
pub fn search(db: &Db, hits: &[SearchHit], st: &Style) -> String {
    let mut o = String::new();
    if hits.is_empty() {
        let _ = writeln!(o, "no matches");
    }
    let w = hits.iter().map(|h| db.id(h.node).len()).max().unwrap_or(0);
    for h in hits {
        let _ = writeln!(
            o,
            "{:>5.2}  {:<w$}  {}",
            h.score,
            v(db.id(h.node)),
            st.bold(&label(db, h.node))
        );
    }
    o
}

/// A timeline, one entry per line.
pub fn timeline(db: &Db, entries: &[TimelineEntry], st: &Style) -> String {
    use unicode_width::UnicodeWidthStr;
    // columns padded by display width before colour is added; a name wider than its column
    // (at most 40) runs on
    let rows: Vec<[String; 3]> = entries
        .iter()
        .map(|t| [v(t.date.as_str()), v(&t.what), name(db, t.node)])
        .collect();
    let col = |i: usize, cap: usize| {
        rows.iter()
            .map(|r| r[i].width())
            .filter(|w| *w <= cap)
            .max()
            .unwrap_or(0)
    };
    let (wd, ww, wn) = (col(0, 24), col(1, 24), col(2, 40));
    let pad = |s: &str, w: usize| " ".repeat(w.saturating_sub(s.width()));
    let mut o = String::new();
    for (t, [date, what, nm]) in entries.iter().zip(&rows) {
        let rest = format!("{}{}", v(&t.note), sources(st, &t.sources));
        let _ = writeln!(
            o,
            "{date}{}  {}{}  {nm}{}  {}",
            pad(date, wd),
            st.kind(what),
            pad(what, ww),
            pad(nm, wn),
            rest.trim_start()
        );
    }
    if entries.is_empty() {
        let _ = writeln!(o, "no dated entries");
    }
    o
}

/// Counts by kind and the share of sourced facts.
pub fn stats(s: &crate::query::Stats) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "nodes: {}", s.nodes.total);
    for (k, n) in NodeKind::ALL
        .iter()
        .map(|k| (k.as_str(), s.nodes.by_kind[k.as_str()]))
    {
        let _ = writeln!(o, "  {k:<16} {n}");
    }
    let _ = writeln!(o, "edges: {}", s.edges.total);
    for (k, n) in EdgeKind::ALL
        .iter()
        .map(|k| (k.as_str(), s.edges.by_kind[k.as_str()]))
    {
        let _ = writeln!(o, "  {k:<16} {n}");
    }
    let _ = writeln!(o, "sources: {}", s.sources);
    let _ = writeln!(
        o,
        "connected nodes: {} of {}; unconnected: {} ({} with a note saying why)",
        s.nodes.connected.unwrap_or(0),
        s.nodes.total,
        s.nodes.unconnected.unwrap_or(0),
        s.nodes.unconnected_with_note.unwrap_or(0)
    );
    let _ = writeln!(
        o,
        "election results: {}; external ids: {}",
        s.results, s.external_ids
    );
    let _ = writeln!(o, "nodes with a source: {:?}%", s.nodes.sourced_percent);
    let _ = writeln!(o, "edges with a source: {:?}%", s.edges.sourced_percent);
    o
}

/// A query's answer: one node a line, with its kind, years, id and the sources its record
/// cites; uncertain members are marked, and counted at the end.
pub fn selection(db: &Db, s: &crate::query::Selection, st: &Style) -> String {
    let mut o = String::new();
    for &n in &s.nodes {
        let mark = if s.uncertain.contains(&n) {
            format!(" {}", st.kind("(uncertain)"))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "{} {}{mark}{}",
            label(db, n),
            st.dim(&format!("[{}]", v(db.id(n)))),
            sources(st, &db.node(n).sources)
        );
    }
    let k = s.uncertain.len();
    let _ = writeln!(
        o,
        "{} node{}{}",
        s.nodes.len(),
        if s.nodes.len() == 1 { "" } else { "s" },
        if k > 0 {
            format!(", {k} uncertain")
        } else {
            String::new()
        }
    );
    o
}
