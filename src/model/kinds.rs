//! The kinds of nodes, edges and events, and sets of edge kinds.

use std::fmt;

use serde::{Deserialize, Serialize};

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
