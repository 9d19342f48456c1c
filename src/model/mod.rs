//! The data model: nodes, edges, sources, claims and events.
//!
//! These are the validated values. Their serde form is the RON format of `graph-data/`
//! (documented in `docs/data-format.md`); a snapshot's records are the frozen types of
//! `snapshot::format`, converted to and from these.

mod kinds;
mod records;

pub use kinds::{EdgeKind, EventKind, KindSet, NodeKind, UnknownEdgeKind};
pub use records::{Claim, Covers, ElectionResult, Event, ExternalId, Source, Term};

use serde::{Deserialize, Serialize};

use crate::date::{DateSpec, Interval};

/// An organisation or a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Stable slug id (`nur-otan`).
    pub id: String,
    /// What kind of node.
    pub kind: NodeKind,
    /// The name it is best known by.
    pub name: String,
    /// Other names: abbreviations, other scripts, romanisations, spelling variants.
    pub aliases: Vec<String>,
    /// Names or aliases deliberately shared with another node.
    pub shared_names: Vec<String>,
    /// When it was founded (one claim per source that disagrees).
    pub founded: Vec<Claim>,
    /// When it was registered.
    pub registered: Vec<Claim>,
    /// When it ended: dissolved, banned, liquidated, merged away.
    pub ended: Vec<Claim>,
    /// Dated events.
    pub events: Vec<Event>,
    /// Election results (parties and blocs), one record per figure per source.
    pub results: Vec<ElectionResult>,
    /// Ids of this node in other datasets (Wikidata, Party Facts).
    pub external_ids: Vec<ExternalId>,
    /// Source ids for the node itself.
    pub sources: Vec<String>,
    /// Free text.
    pub note: String,
}

impl Node {
    /// A node with only an id, kind, name and one source.
    pub fn new(id: &str, kind: NodeKind, name: &str, source: &str) -> Node {
        Node {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            aliases: Vec::new(),
            shared_names: Vec::new(),
            founded: Vec::new(),
            registered: Vec::new(),
            ended: Vec::new(),
            events: Vec::new(),
            results: Vec::new(),
            external_ids: Vec::new(),
            sources: vec![source.to_string()],
            note: String::new(),
        }
    }

    /// The interval in which the node began: the hull of its founding claims, else of its
    /// registration claims.
    pub fn begin(&self) -> Option<Interval> {
        Interval::of(self.founded.iter().map(|c| &c.date))
            .or_else(|| Interval::of(self.registered.iter().map(|c| &c.date)))
    }

    /// The interval in which the node ended: the hull of its end claims.
    pub fn end(&self) -> Option<Interval> {
        Interval::of(self.ended.iter().map(|c| &c.date))
    }

    /// "1998–2006", "1998–", "?–2006" or "" for the node's years ([`Interval::years`]).
    pub fn years(&self) -> String {
        Interval::years(self.begin(), self.end(), self.kind == NodeKind::Person)
    }
}

/// A relation between two nodes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Edge {
    /// What kind of relation.
    pub kind: EdgeKind,
    /// The earlier node, or the person.
    pub from: String,
    /// The later node, or the organisation.
    pub to: String,
    /// When it happened (one claim per source that disagrees; empty: undated).
    pub date: Vec<Claim>,
    /// The role, for leadership, founder and affiliation edges.
    pub role: String,
    /// The term, for leadership, membership and affiliation edges.
    pub term: Option<Term>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Free text.
    pub note: String,
}

impl Edge {
    /// An undated edge with one source.
    pub fn new(kind: EdgeKind, from: &str, to: &str, source: &str) -> Edge {
        Edge {
            kind,
            from: from.to_string(),
            to: to.to_string(),
            date: Vec::new(),
            role: String::new(),
            term: None,
            sources: vec![source.to_string()],
            note: String::new(),
        }
    }

    /// The same edge with one dated claim, citing the edge's first source.
    pub fn dated(mut self, date: &str) -> Result<Edge, crate::date::DateError> {
        let d = DateSpec::parse(date)?;
        self.date.push(Claim {
            date: d,
            sources: self.sources.clone(),
            note: String::new(),
        });
        Ok(self)
    }

    /// The interval the edge happened in: the hull of its date claims, else of the start of its
    /// term. `None` when undated.
    pub fn when(&self) -> Option<Interval> {
        Interval::of(self.date.iter().map(|c| &c.date)).or_else(|| {
            self.term
                .as_ref()
                .and_then(|t| t.from.as_ref())
                .map(DateSpec::interval)
        })
    }
}
