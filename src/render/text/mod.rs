//! Plain-text output for people: trees, lists and tables.

mod lists;
mod show;
mod tree;

pub use lists::{common, leaders, name_at, path, search, selection, stats, timeline};
pub use show::show;
pub use tree::closure_tree;

use crate::db::{Db, EdgeId, NodeId};
use crate::render::{edge_dates, verb};

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
