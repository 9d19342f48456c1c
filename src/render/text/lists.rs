//! The answers that are lists: paths, common ancestors, the name at a date, leaders, search
//! hits, timelines and counts.

use std::fmt::Write;

use super::*;
use crate::db::{Db, NodeId};
use crate::model::{EdgeKind, NodeKind};
use crate::query::{Common, Hop, Leader, NameAt, SearchHit, TimelineEntry};

/// A path as dated, sourced hops.
pub fn path(db: &Db, a: NodeId, hops: &[Hop], st: &Style) -> String {
    let mut o = String::new();
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

/// The name in force at a date.
pub fn name_at(db: &Db, r: &NameAt, at: &str, st: &Style) -> String {
    let mut o = String::new();
    match (r.candidates.len(), r.certain) {
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
    let _ = writeln!(o, "chain:");
    for era in &r.chain {
        let f = |x: Option<crate::date::Interval>| match x {
            None => "?".to_string(),
            Some(crate::date::Interval { lo, hi }) if lo == hi => crate::date::format_day(lo),
            Some(crate::date::Interval { lo, hi }) => format!(
                "{}..{}",
                crate::date::format_day(lo),
                crate::date::format_day(hi)
            ),
        };
        let until = if era.until.is_none() {
            "".to_string()
        } else {
            f(era.until)
        };
        let mark = if r.candidates.contains(&era.node) {
            "*"
        } else {
            " "
        };
        let _ = writeln!(
            o,
            " {mark} {:<40} from {} until {}",
            label(db, era.node),
            f(era.from),
            if until.is_empty() {
                "now/unknown".to_string()
            } else {
                until
            }
        );
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
    for l in ls {
        let e = edge(db, l.edge);
        let term = e
            .term
            .as_ref()
            .map_or("term unknown".to_string(), |t| t.to_string());
        let _ = writeln!(
            o,
            "  {:<32} {:<28} {}{}",
            name(db, l.person),
            e.role,
            term,
            sources(st, &e.sources)
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
    for h in hits {
        let _ = writeln!(
            o,
            "{:>5.2}  {:<36} {}",
            h.score,
            v(db.id(h.node)),
            st.bold(&label(db, h.node))
        );
    }
    o
}

/// A timeline, one entry per line.
pub fn timeline(db: &Db, entries: &[TimelineEntry], st: &Style) -> String {
    let mut o = String::new();
    for t in entries {
        let _ = writeln!(
            o,
            "{:<24} {:<18} {:<40} {}{}",
            v(t.date.as_str()),
            st.kind(&v(&t.what)),
            name(db, t.node),
            v(&t.note),
            sources(st, &t.sources)
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
