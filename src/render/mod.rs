//! Renderers: turn query results into text for people, JSON for scripts, DOT for Graphviz and
//! SVG timelines. Renderers only read a [`crate::Db`] and query results; they never query.

pub mod dot;
pub mod export;
pub mod json;
pub mod quickstatements;
pub mod rdf;
pub mod svg;
pub mod tables;
pub mod text;

use crate::db::{Db, NodeId};
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

pub use crate::query::Selection;

/// Escapes text for XML content and attribute values. Characters XML 1.0 cannot hold (C0
/// controls other than tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD; with
/// `breaks_as_spaces`, tab, line feed and carriage return become spaces.
pub(crate) fn xml(s: &str, breaks_as_spaces: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' if breaks_as_spaces => o.push(' '),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}
