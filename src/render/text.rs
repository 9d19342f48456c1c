//! Plain-text output for people: trees, lists and tables.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, NodeKind};
use crate::query::{Closure, Common, Direction, Hop, Leader, NameAt, SearchHit, TimelineEntry};
use crate::render::{claim_dates, edge_dates, verb};

/// Text styling: ANSI colour or none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Whether to emit ANSI colour codes.
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    fn kind(&self, s: &str) -> String {
        self.paint("36", s)
    }
}

// Every string from the data passes through these three before it is printed, so that names
// and notes holding ESC, BEL, NUL or bidirectional overrides show them as `\u{1b}` escapes:
// colour comes only from [`Style`]. The data's validation refuses such characters, but a
// snapshot from elsewhere may hold them.

fn v(s: &str) -> String {
    crate::names::visible(s, false).into_owned()
}

fn name(db: &Db, n: NodeId) -> String {
    v(db.name(n))
}

fn clean_claims(cs: &mut [crate::model::Claim]) {
    for c in cs {
        c.note = v(&c.note);
        c.sources.iter_mut().for_each(|s| *s = v(s));
    }
}

fn node(db: &Db, n: NodeId) -> crate::model::Node {
    let mut x = db.node(n);
    x.id = v(&x.id);
    x.name = v(&x.name);
    x.note = v(&x.note);
    for s in x
        .aliases
        .iter_mut()
        .chain(&mut x.shared_names)
        .chain(&mut x.sources)
    {
        *s = v(s);
    }
    clean_claims(&mut x.founded);
    clean_claims(&mut x.registered);
    clean_claims(&mut x.ended);
    for e in &mut x.events {
        e.note = v(&e.note);
        e.sources.iter_mut().for_each(|s| *s = v(s));
    }
    for r in &mut x.results {
        r.note = v(&r.note);
        r.body = v(&r.body);
        r.share = r.share.as_deref().map(v);
        r.sources.iter_mut().for_each(|s| *s = v(s));
    }
    for e in &mut x.external_ids {
        e.scheme = v(&e.scheme);
        e.id = v(&e.id);
        e.note = v(&e.note);
        e.sources.iter_mut().for_each(|s| *s = v(s));
    }
    x
}

fn edge(db: &Db, e: EdgeId) -> crate::model::Edge {
    let mut x = db.edge(e);
    x.from = v(&x.from);
    x.to = v(&x.to);
    x.role = v(&x.role);
    x.note = v(&x.note);
    x.sources.iter_mut().for_each(|s| *s = v(s));
    clean_claims(&mut x.date);
    x
}

/// "Name (kind, 1998–2006)".
pub fn label(db: &Db, n: NodeId) -> String {
    let years = db.years(n);
    if years.is_empty() {
        format!("{} ({})", name(db, n), db.kind(n))
    } else {
        format!("{} ({}, {})", name(db, n), db.kind(n), years)
    }
}

fn sources(st: &Style, s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" {}", st.dim(&v(&format!("[{}]", s.join(", ")))))
    }
}

fn hop_text(db: &Db, st: &Style, e: EdgeId) -> String {
    let edge = edge(db, e);
    let dates = edge_dates(&edge);
    let when = if dates == "undated" {
        " (undated)".to_string()
    } else if dates.starts_with(|c: char| c.is_ascii_digit()) {
        format!(" in {dates}")
    } else {
        // "after 1991-08", "early 1998", "about 2023": the qualifier reads without "in"
        format!(" {dates}")
    };
    st.kind(&format!("{}{}", verb(edge.kind), when))
}

/// The tree's indentation for a line below the levels `lasts`: drawn for the first
/// [`MAX_INDENT`] levels, then the depth as a number, so that a line of a very deep lineage stays
/// short (the drawn prefix alone would make the output quadratic in the depth).
const MAX_INDENT: usize = 24;

fn indent(lasts: &[bool]) -> String {
    let mut s: String = lasts
        .iter()
        .take(MAX_INDENT)
        .map(|l| if *l { "   " } else { "│  " })
        .collect();
    if lasts.len() > MAX_INDENT {
        let _ = write!(s, "[level {}] ", lasts.len() + 1);
    }
    s
}

/// An ancestors or descendants closure as a tree with the edge kind and date on each branch.
pub fn closure_tree(db: &Db, c: &Closure, st: &Style, at: Option<&str>) -> String {
    let up = c.direction == Direction::Ancestors;
    let mut children: BTreeMap<NodeId, Vec<(NodeId, EdgeId)>> = BTreeMap::new();
    let mut extra: BTreeMap<NodeId, Vec<EdgeId>> = BTreeMap::new();
    for h in &c.hits {
        let Some(&first) = h.via.first() else {
            continue;
        };
        let (a, b) = db.endpoints(first);
        let parent = if up { b } else { a };
        children.entry(parent).or_default().push((h.node, first));
        extra.insert(h.node, h.via[1..].to_vec());
    }
    for v in children.values_mut() {
        v.sort_by_key(|(n, e)| (db.edge_when(*e).map_or(i32::MIN, |w| w.lo), *n));
    }
    let uncertain: BTreeMap<NodeId, bool> = c.hits.iter().map(|h| (h.node, h.uncertain)).collect();
    let mut out = String::new();
    let _ = writeln!(out, "{}", st.bold(&label(db, c.root)));
    // An explicit stack, not recursion: a lineage a million generations deep must not overflow
    // the stack. `lasts` holds, for each level above the current line, whether that branch was
    // its parent's last (which decides between "│  " and "   ").
    let mut stack: Vec<(NodeId, usize)> = vec![(c.root, 0)];
    let mut lasts: Vec<bool> = Vec::new();
    while let Some(top) = stack.last_mut() {
        let (n, i) = *top;
        let kids = children.get(&n).map_or(&[][..], Vec::as_slice);
        let Some(&(k, e)) = kids.get(i) else {
            stack.pop();
            lasts.pop();
            continue;
        };
        top.1 += 1;
        let last = i + 1 == kids.len();
        let edge = edge(db, e);
        let mut line = format!(
            "{}{} {}: {}",
            indent(&lasts),
            if last { "└─" } else { "├─" },
            hop_text(db, st, e),
            label(db, k)
        );
        line.push_str(&sources(st, &edge.sources));
        if uncertain.get(&k).copied().unwrap_or(false) {
            let _ = write!(
                line,
                " {}",
                st.paint(
                    "33",
                    &format!("(uncertain at {})", at.unwrap_or("that date"))
                )
            );
        }
        for x in extra.get(&k).into_iter().flatten() {
            let (a, b) = db.endpoints(*x);
            let other = if up { b } else { a };
            let _ = write!(line, "; also {} {}", hop_text(db, st, *x), name(db, other));
        }
        let _ = writeln!(out, "{line}");
        lasts.push(last);
        stack.push((k, 0));
    }
    if c.hits.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            st.dim(if up {
                "(no ancestors)"
            } else {
                "(no descendants)"
            })
        );
    }
    out
}

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
pub fn stats(db: &Db) -> String {
    let s = crate::render::json::stats_value(db);
    let mut o = String::new();
    let _ = writeln!(o, "nodes: {}", s["nodes"]["total"]);
    for k in NodeKind::ALL {
        let _ = writeln!(
            o,
            "  {:<16} {}",
            k.as_str(),
            s["nodes"]["by_kind"][k.as_str()]
        );
    }
    let _ = writeln!(o, "edges: {}", s["edges"]["total"]);
    for k in EdgeKind::ALL {
        let _ = writeln!(
            o,
            "  {:<16} {}",
            k.as_str(),
            s["edges"]["by_kind"][k.as_str()]
        );
    }
    let _ = writeln!(o, "sources: {}", s["sources"]);
    let _ = writeln!(
        o,
        "connected nodes: {} of {}; unconnected: {} ({} with a note saying why)",
        s["nodes"]["connected"],
        s["nodes"]["total"],
        s["nodes"]["unconnected"],
        s["nodes"]["unconnected_with_note"]
    );
    let _ = writeln!(
        o,
        "election results: {}; external ids: {}",
        s["results"], s["external_ids"]
    );
    let _ = writeln!(o, "nodes with a source: {}%", s["nodes"]["sourced_percent"]);
    let _ = writeln!(o, "edges with a source: {}%", s["edges"]["sourced_percent"]);
    o
}
