//! The data model: nodes, edges, sources, claims and events.
//!
//! These are the validated values. Their serde form is the RON format of `graph-data/`
//! (documented in `docs/data-format.md`) and, through bincode, the detail records of a snapshot.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::{DateSpec, Interval};

/// What kind of thing a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A political party.
    Party,
    /// A public or social movement, club, society, front or committee.
    Movement,
    /// An electoral bloc, alliance, coalition, council or parliamentary faction.
    Bloc,
    /// A trade union, association, campaign staff or other public organisation.
    Organisation,
    /// A person.
    Person,
}

impl NodeKind {
    /// Every kind, in display order.
    pub const ALL: [NodeKind; 5] = [
        NodeKind::Party,
        NodeKind::Movement,
        NodeKind::Bloc,
        NodeKind::Organisation,
        NodeKind::Person,
    ];

    /// The canonical lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Party => "party",
            NodeKind::Movement => "movement",
            NodeKind::Bloc => "bloc",
            NodeKind::Organisation => "organisation",
            NodeKind::Person => "person",
        }
    }

    pub(crate) fn code(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_code(c: u8) -> Option<NodeKind> {
        NodeKind::ALL.get(c as usize).copied()
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of relation an edge is. See `docs/model.md` for the direction of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// `from` went on; a faction left it and formed `to`.
    Split,
    /// `from` merged into `to` (joined it, was absorbed, or formed it with others).
    #[serde(alias = "merge")]
    Merger,
    /// `to` is `from` under a new name: the same organisation.
    #[serde(alias = "rename")]
    Renaming,
    /// `from` was transformed into `to` (a movement became a party).
    #[serde(alias = "reorganization")]
    Reorganisation,
    /// `from` founded or co-founded `to`, or `to` was formed on the basis of `from`.
    #[serde(alias = "found", alias = "formed_from")]
    Founding,
    /// `from` divided into several organisations, `to` among them, and ceased.
    #[serde(alias = "divided")]
    Division,
    /// A person (`from`) led an organisation (`to`), with a role and term.
    Leadership,
    /// An organisation (`from`) was a member of a bloc or alliance (`to`).
    Membership,
    /// A person (`from`) founded or co-founded an organisation (`to`).
    Founder,
    /// A person (`from`) had another documented role in an organisation (`to`).
    Affiliation,
}

impl EdgeKind {
    /// Every kind, in display order.
    pub const ALL: [EdgeKind; 10] = [
        EdgeKind::Split,
        EdgeKind::Merger,
        EdgeKind::Renaming,
        EdgeKind::Reorganisation,
        EdgeKind::Founding,
        EdgeKind::Division,
        EdgeKind::Leadership,
        EdgeKind::Membership,
        EdgeKind::Founder,
        EdgeKind::Affiliation,
    ];

    /// The kinds followed by ancestry queries.
    pub const LINEAGE: [EdgeKind; 6] = [
        EdgeKind::Split,
        EdgeKind::Merger,
        EdgeKind::Renaming,
        EdgeKind::Reorganisation,
        EdgeKind::Founding,
        EdgeKind::Division,
    ];

    /// Whether ancestry queries follow this kind by default.
    pub fn is_lineage(self) -> bool {
        (self as u8) <= EdgeKind::Division as u8
    }

    /// Whether the edge runs from a person to an organisation.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            EdgeKind::Leadership | EdgeKind::Founder | EdgeKind::Affiliation
        )
    }

    /// The canonical lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Split => "split",
            EdgeKind::Merger => "merger",
            EdgeKind::Renaming => "renaming",
            EdgeKind::Reorganisation => "reorganisation",
            EdgeKind::Founding => "founding",
            EdgeKind::Division => "division",
            EdgeKind::Leadership => "leadership",
            EdgeKind::Membership => "membership",
            EdgeKind::Founder => "founder",
            EdgeKind::Affiliation => "affiliation",
        }
    }

    /// Parses a kind name, accepting the common synonyms (`merge`, `rename`, `reorganization`…).
    pub fn parse(s: &str) -> Option<EdgeKind> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Some(match s.as_str() {
            "split" | "splits" | "split_from" => EdgeKind::Split,
            "merger" | "merge" | "merged" | "mergers" => EdgeKind::Merger,
            "renaming" | "rename" | "renamed" | "renamings" => EdgeKind::Renaming,
            "reorganisation" | "reorganization" | "reorganised" | "reorganized" | "reorg" => {
                EdgeKind::Reorganisation
            }
            "founding" | "found" | "founded" | "formed_from" | "basis" => EdgeKind::Founding,
            "division" | "divided" | "divisions" => EdgeKind::Division,
            "leadership" | "leader" | "leaders" => EdgeKind::Leadership,
            "membership" | "member" | "members" => EdgeKind::Membership,
            "founder" | "founders" => EdgeKind::Founder,
            "affiliation" | "affiliations" => EdgeKind::Affiliation,
            _ => return None,
        })
    }

    pub(crate) fn code(self) -> u8 {
        self as u8
    }

    pub(crate) fn from_code(c: u8) -> Option<EdgeKind> {
        EdgeKind::ALL.get(c as usize).copied()
    }

    /// A bit for [`KindSet`].
    pub(crate) fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A text that names no edge kind ([`EdgeKind`]'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEdgeKind(pub String);

impl fmt::Display for UnknownEdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
        write!(
            f,
            "unknown edge kind {:?}; use one of: {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownEdgeKind {}

impl std::str::FromStr for EdgeKind {
    type Err = UnknownEdgeKind;

    /// As [`EdgeKind::parse`], with an error that names the kinds.
    fn from_str(s: &str) -> Result<EdgeKind, UnknownEdgeKind> {
        EdgeKind::parse(s).ok_or_else(|| UnknownEdgeKind(s.to_string()))
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of edge kinds, as a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KindSet(u16);

impl KindSet {
    /// The six lineage kinds: what ancestry follows by default.
    pub const LINEAGE: KindSet = KindSet(0b11_1111);
    /// Every kind.
    pub const ALL: KindSet = KindSet(0b11_1111_1111);

    /// The empty set.
    pub fn empty() -> KindSet {
        KindSet(0)
    }

    /// Whether the set holds `k`.
    pub fn contains(self, k: EdgeKind) -> bool {
        self.0 & k.bit() != 0
    }

    /// Whether the set holds the kind with this code ([`EdgeKind`] as `u8`).
    pub(crate) fn contains_code(self, code: u8) -> bool {
        code < 16 && self.0 & (1 << code) != 0
    }

    /// The set with `k` added.
    pub fn with(self, k: EdgeKind) -> KindSet {
        KindSet(self.0 | k.bit())
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, in display order.
    pub fn iter(self) -> impl Iterator<Item = EdgeKind> {
        EdgeKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl FromIterator<EdgeKind> for KindSet {
    fn from_iter<T: IntoIterator<Item = EdgeKind>>(iter: T) -> Self {
        iter.into_iter().fold(KindSet::empty(), KindSet::with)
    }
}

/// A document that facts are drawn from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Slug id, cited by nodes and edges.
    pub id: String,
    /// The document's title.
    pub title: String,
    /// Publisher (site, journal, agency).
    #[serde(default)]
    pub publisher: String,
    /// Author(s), if known.
    #[serde(default)]
    pub author: String,
    /// Publication or retrieval date, as written.
    #[serde(default)]
    pub date: String,
    /// URL, if known.
    #[serde(default)]
    pub url: String,
    /// The seed document number (`000`…`004`) for the shared seed documents.
    #[serde(default)]
    pub seed: String,
    /// Free text.
    #[serde(default)]
    pub note: String,
}

impl Source {
    /// A source with only an id and a title.
    pub fn new(id: &str, title: &str) -> Source {
        Source {
            id: id.to_string(),
            title: title.to_string(),
            publisher: String::new(),
            author: String::new(),
            date: String::new(),
            url: String::new(),
            seed: String::new(),
            note: String::new(),
        }
    }
}

/// One sourced value of a date: when two sources disagree, a fact carries two claims.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Claim {
    /// The date claimed.
    pub date: DateSpec,
    /// The source ids that make the claim.
    pub sources: Vec<String>,
    /// Free text (e.g. "merged into Otan").
    pub note: String,
}

/// The kind of an event in a node's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The founding congress.
    FoundingCongress,
    /// Any other congress or conference.
    Congress,
    /// Official registration.
    Registration,
    /// Registration refused.
    RegistrationRefused,
    /// Registered again.
    Reregistration,
    /// Banned.
    Ban,
    /// Liquidated by a court or by itself.
    Liquidation,
    /// Activities suspended.
    Suspension,
    /// An election result.
    Election,
    /// An announcement or declaration.
    Announcement,
    /// Anything else.
    Other,
}

impl EventKind {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::FoundingCongress => "founding_congress",
            EventKind::Congress => "congress",
            EventKind::Registration => "registration",
            EventKind::RegistrationRefused => "registration_refused",
            EventKind::Reregistration => "reregistration",
            EventKind::Ban => "ban",
            EventKind::Liquidation => "liquidation",
            EventKind::Suspension => "suspension",
            EventKind::Election => "election",
            EventKind::Announcement => "announcement",
            EventKind::Other => "other",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

/// A dated event in a node's history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Event {
    /// When.
    pub date: DateSpec,
    /// What kind of event.
    pub kind: EventKind,
    /// What happened, in words.
    pub note: String,
    /// Source ids.
    pub sources: Vec<String>,
}

/// A span of time a role or membership lasted; either end may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Term {
    /// When it began, if known.
    pub from: Option<DateSpec>,
    /// When it ended, if known (none: unknown or still going on).
    pub until: Option<DateSpec>,
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.from, &self.until) {
            (Some(a), Some(b)) => write!(f, "{a} – {b}"),
            (Some(a), None) => write!(f, "from {a}"),
            (None, Some(b)) => write!(f, "until {b}"),
            (None, None) => f.write_str("term unknown"),
        }
    }
}

/// One party's (or bloc's) result in one election, as one source gives it. Disagreeing figures
/// are separate records, each with its own sources.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ElectionResult {
    /// The election day (or the interval the source gives).
    pub election: DateSpec,
    /// The body elected (`majilis` unless said otherwise).
    pub body: String,
    /// The vote share in percent, as written (`"7.19"`); checked to be a decimal from 0 to 100.
    pub share: Option<String>,
    /// Seats won.
    pub seats: Option<u32>,
    /// Votes cast for the party.
    pub votes: Option<u64>,
    /// Source ids.
    pub sources: Vec<String>,
    /// Free text.
    pub note: String,
}

impl ElectionResult {
    /// "7.19%, 7 seats, 650260 votes": the figures the result gives.
    pub fn figures(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.share {
            parts.push(format!("{s}%"));
        }
        if let Some(n) = self.seats {
            parts.push(format!("{n} seat{}", if n == 1 { "" } else { "s" }));
        }
        if let Some(v) = self.votes {
            parts.push(format!("{v} votes"));
        }
        parts.join(", ")
    }

    /// The share as a number (percent), when given.
    pub fn share_value(&self) -> Option<f64> {
        self.share.as_deref().and_then(|s| s.parse().ok())
    }
}

/// What part of a renaming chain an external id covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Covers {
    /// This name-era node only.
    Era,
    /// The whole renaming chain the node belongs to.
    Chain,
}

impl Covers {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            Covers::Era => "era",
            Covers::Chain => "chain",
        }
    }
}

/// The id of a node in another dataset.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExternalId {
    /// The dataset: `wikidata`, `partyfacts`, or another slug.
    pub scheme: String,
    /// The id there (`Q1234`, `1234`).
    pub id: String,
    /// Whether it covers this name-era or the whole renaming chain.
    pub covers: Covers,
    /// Source ids.
    pub sources: Vec<String>,
    /// Free text.
    pub note: String,
}

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
