//! What nodes carry: sources cited, dated claims, events, terms, election results and external
//! ids.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::*;
use crate::date::DateSpec;

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
            (Some(a), Some(b)) => write!(f, "{a} to {b}"),
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
