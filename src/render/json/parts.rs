//! The pieces the JSON documents are made of: dates, claims, terms, nodes, edges, results,
//! events and external ids.

use serde::Serialize;

use crate::date::{DateSpec, Interval, format_day};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{Claim, ElectionResult, Term};

/// A date: `{"date": "1998-11", "earliest": "1998-11-01", "latest": "1998-11-30"}` (`open` for
/// an open bound).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateOut {
    /// The date as written (canonical form).
    pub date: String,
    /// Its first day, ISO, or `open`.
    pub earliest: String,
    /// Its last day, ISO, or `open`.
    pub latest: String,
}

impl DateOut {
    /// The JSON form of a date.
    pub fn of(d: &DateSpec) -> DateOut {
        let (earliest, latest) = d.iso_bounds();
        DateOut {
            date: d.as_str().to_string(),
            earliest,
            latest,
        }
    }
}

/// A dated claim: the date's fields, the sources, and a note when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimOut {
    /// The date.
    #[serde(flatten)]
    pub date: DateOut,
    /// The sources that make the claim.
    pub sources: Vec<String>,
    /// A note, when there is one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

pub(super) fn claims(c: &[Claim]) -> Vec<ClaimOut> {
    c.iter()
        .map(|c| ClaimOut {
            date: DateOut::of(&c.date),
            sources: c.sources.clone(),
            note: c.note.clone(),
        })
        .collect()
}

/// A term of office or membership; either end may be `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermOut {
    /// When it began.
    pub from: Option<DateOut>,
    /// When it ended.
    pub until: Option<DateOut>,
}

pub(super) fn term(t: &Option<Term>) -> Option<TermOut> {
    t.as_ref().map(|t| TermOut {
        from: t.from.as_ref().map(DateOut::of),
        until: t.until.as_ref().map(DateOut::of),
    })
}

/// A node: id, name, kind, aliases, years and date claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeOut {
    /// The slug id.
    pub id: String,
    /// The display name.
    pub name: String,
    /// `party`, `movement`, `bloc`, `organisation` or `person`.
    pub kind: &'static str,
    /// Other names.
    pub aliases: Vec<String>,
    /// "1998–2006", "1998–", "?–2006" or "".
    pub years: String,
    /// Founding claims.
    pub founded: Vec<ClaimOut>,
    /// Registration claims.
    pub registered: Vec<ClaimOut>,
    /// End claims.
    pub ended: Vec<ClaimOut>,
}

/// A node.
pub fn node(db: &Db, n: NodeId) -> NodeOut {
    let node = db.node(n);
    NodeOut {
        years: node.years(),
        id: node.id,
        name: node.name,
        kind: node.kind.as_str(),
        aliases: node.aliases,
        founded: claims(&node.founded),
        registered: claims(&node.registered),
        ended: claims(&node.ended),
    }
}

/// An edge; `role`, `term` and `note` only when set, the end nodes only where embedded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EdgeOut {
    /// The edge kind.
    pub kind: &'static str,
    /// The `from` node's id.
    pub from: String,
    /// The `to` node's id.
    pub to: String,
    /// Date claims.
    pub date: Vec<ClaimOut>,
    /// Sources.
    pub sources: Vec<String>,
    /// A person's role.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub role: String,
    /// A person's term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<TermOut>,
    /// A note.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The whole `from` node (in `show`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_node: Option<NodeOut>,
    /// The whole `to` node (in `show`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_node: Option<NodeOut>,
}

/// An edge; `embed` adds the full node objects of both ends.
pub fn edge(db: &Db, e: EdgeId, embed: bool) -> EdgeOut {
    let edge = db.edge(e);
    let (a, b) = db.endpoints(e);
    EdgeOut {
        kind: edge.kind.as_str(),
        date: claims(&edge.date),
        term: term(&edge.term),
        from: edge.from,
        to: edge.to,
        sources: edge.sources,
        role: edge.role,
        note: edge.note,
        from_node: embed.then(|| node(db, a)),
        to_node: embed.then(|| node(db, b)),
    }
}

/// One election result; `share` is the percentage as written (a string), absent figures `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultOut {
    /// The election.
    pub election: DateOut,
    /// The body elected.
    pub body: String,
    /// The share of the vote, as written.
    pub share: Option<String>,
    /// Seats won.
    pub seats: Option<u32>,
    /// Votes.
    pub votes: Option<u64>,
    /// Sources.
    pub sources: Vec<String>,
    /// A note.
    pub note: String,
}

pub(super) fn result(r: &ElectionResult) -> ResultOut {
    ResultOut {
        election: DateOut::of(&r.election),
        body: r.body.clone(),
        share: r.share.clone(),
        seats: r.seats,
        votes: r.votes,
        sources: r.sources.clone(),
        note: r.note.clone(),
    }
}

/// An event in a node's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventOut {
    /// When.
    #[serde(flatten)]
    pub date: DateOut,
    /// The event kind.
    pub kind: &'static str,
    /// What happened.
    pub note: String,
    /// Sources.
    pub sources: Vec<String>,
}

/// An id in another dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalIdOut {
    /// The dataset (`wikidata`, …).
    pub scheme: String,
    /// The id there.
    pub id: String,
    /// `era` or `chain`.
    pub covers: &'static str,
    /// Sources.
    pub sources: Vec<String>,
    /// A note.
    pub note: String,
}

/// An interval of days, ISO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoundOut {
    /// The first day, or `open`.
    pub earliest: String,
    /// The last day, or `open`.
    pub latest: String,
}

pub(super) fn bound(x: Option<Interval>) -> Option<BoundOut> {
    x.map(|w| BoundOut {
        earliest: format_day(w.lo),
        latest: format_day(w.hi),
    })
}
