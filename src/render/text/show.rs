//! Everything about one node.

use std::fmt::Write;

use super::*;
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, NodeKind};
use crate::render::{claim_dates, edge_dates};

/// Everything about one node.
pub fn show(db: &Db, n: NodeId, st: &Style) -> String {
    let node = node(db, n);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}  {}",
        st.bold(&node.name),
        st.dim(&format!("[{}]", node.id))
    );
    let _ = writeln!(o, "kind: {}", node.kind);
    if !node.aliases.is_empty() {
        let _ = writeln!(o, "also: {}", node.aliases.join("; "));
    }
    if !node.shared_names.is_empty() {
        let _ = writeln!(o, "shared names: {}", node.shared_names.join("; "));
    }
    for (what, claims) in [
        ("founded", &node.founded),
        ("registered", &node.registered),
        ("ended", &node.ended),
    ] {
        for c in claims.iter() {
            let note = if c.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.note)
            };
            let _ = writeln!(o, "{what}: {}{note}{}", c.date, sources(st, &c.sources));
        }
        if claims.len() > 1 {
            let _ = writeln!(
                o,
                "  {}",
                st.paint(
                    "33",
                    &format!(
                        "sources disagree on when it was {what}: {}",
                        claim_dates(claims)
                    )
                )
            );
        }
    }
    if !node.note.is_empty() {
        let _ = writeln!(o, "note: {}", node.note);
    }
    if !node.events.is_empty() {
        let _ = writeln!(o, "\nevents:");
        for ev in &node.events {
            let _ = writeln!(
                o,
                "  {:<24} {}: {}{}",
                v(ev.date.as_str()),
                ev.kind,
                ev.note,
                sources(st, &ev.sources)
            );
        }
    }
    if !node.results.is_empty() {
        let _ = writeln!(o, "\nelection results:");
        let mut rs: Vec<&crate::model::ElectionResult> = node.results.iter().collect();
        rs.sort_by_key(|r| (r.election.earliest(), r.election.latest()));
        for r in rs {
            let _ = writeln!(
                o,
                "  {:<12} {:<8} {}{}{}",
                v(r.election.as_str()),
                r.body,
                r.figures(),
                if r.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", r.note)
                },
                sources(st, &r.sources)
            );
        }
    }
    if !node.external_ids.is_empty() {
        let _ = writeln!(o, "\nexternal ids:");
        for x in &node.external_ids {
            let covers = match x.covers {
                crate::model::Covers::Era => "this name only",
                crate::model::Covers::Chain => "the whole renaming chain",
            };
            let _ = writeln!(
                o,
                "  {} {} ({covers}){}{}",
                x.scheme,
                x.id,
                if x.note.is_empty() {
                    String::new()
                } else {
                    format!("; {}", x.note)
                },
                sources(st, &x.sources)
            );
        }
    }
    let mut ins: Vec<EdgeId> = db.in_edges(n).collect();
    let mut outs: Vec<EdgeId> = db.out_edges(n).collect();
    let key = |e: &EdgeId| {
        (
            db.edge_kind(*e),
            db.edge_when(*e).map_or(i32::MIN, |w| w.lo),
            *e,
        )
    };
    ins.sort_by_key(key);
    outs.sort_by_key(key);
    let section = |o: &mut String, title: &str, edges: &[EdgeId], incoming: bool| {
        if edges.is_empty() {
            return;
        }
        let _ = writeln!(o, "\n{title}:");
        for &e in edges {
            let edge = edge(db, e);
            let (a, b) = db.endpoints(e);
            let other = if incoming { a } else { b };
            let mut extra = String::new();
            if !edge.role.is_empty() {
                let _ = write!(extra, ", {}", edge.role);
            }
            if let Some(t) = &edge.term {
                let _ = write!(extra, ", {t}");
            }
            let dates = edge_dates(&edge);
            let _ = writeln!(
                o,
                "  {:<16} {:<22} {}{}{}",
                st.kind(edge.kind.as_str()),
                if edge.date.is_empty() {
                    String::new()
                } else {
                    dates
                },
                label(db, other),
                extra,
                sources(st, &edge.sources)
            );
            if edge.date.len() > 1 {
                for c in &edge.date {
                    let _ = writeln!(
                        o,
                        "  {:<16}   claim: {}{}",
                        "",
                        c.date,
                        sources(st, &c.sources)
                    );
                }
            }
            if !edge.note.is_empty() {
                let _ = writeln!(o, "  {:<16}   note: {}", "", edge.note);
            }
        }
    };
    if node.kind == NodeKind::Person {
        section(&mut o, "roles (led, founded, affiliated)", &outs, false);
    } else {
        let lin_in: Vec<EdgeId> = ins
            .iter()
            .copied()
            .filter(|e| db.edge_kind(*e).is_lineage())
            .collect();
        let lin_out: Vec<EdgeId> = outs
            .iter()
            .copied()
            .filter(|e| db.edge_kind(*e).is_lineage())
            .collect();
        let people: Vec<EdgeId> = ins
            .iter()
            .copied()
            .filter(|e| db.edge_kind(*e).is_personal())
            .collect();
        let members: Vec<EdgeId> = ins
            .iter()
            .copied()
            .filter(|e| db.edge_kind(*e) == EdgeKind::Membership)
            .collect();
        let member_of: Vec<EdgeId> = outs
            .iter()
            .copied()
            .filter(|e| db.edge_kind(*e) == EdgeKind::Membership)
            .collect();
        section(&mut o, "came from", &lin_in, true);
        section(&mut o, "led to", &lin_out, false);
        section(&mut o, "people", &people, true);
        section(&mut o, "members", &members, true);
        section(&mut o, "member of", &member_of, false);
    }
    let _ = writeln!(o, "\nsources:");
    let all = crate::render::cited_sources(db, n);
    for s in all {
        match db.source(&s) {
            Some(src) => {
                let url = if src.url.is_empty() {
                    String::new()
                } else {
                    format!(" <{}>", src.url)
                };
                let _ = writeln!(
                    o,
                    "  {s}: {}{}{url}",
                    src.title,
                    if src.publisher.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", src.publisher)
                    }
                );
            }
            None => {
                let _ = writeln!(o, "  {s}");
            }
        }
    }
    o
}
