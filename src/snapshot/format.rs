//! The record types of snapshot format version 2, frozen.
//!
//! The node, edge and source records in a snapshot are bincode encodings of these types, not of
//! [`crate::model`]'s: the model may grow and change, but a version-2 file must read the same in
//! every later build (a committed version-2 fixture, `tests/fixtures/format-v2.snap`, is opened
//! by the tests). A change to any type here is a new format version, with a new set of types
//! beside these and a converter.
//!
//! Decoding converts into the model and refuses what the model cannot hold: a date whose text
//! does not parse back to the interval stored beside it.
//!
//! Longer than most files because a frozen format needs one type per record and field,
//! with both conversions beside it; splitting them would hide a field from its converter.

use serde::{Deserialize, Serialize};

use crate::date::{DateSpec, Day, OPEN_END, OPEN_START, days_from_civil};
use crate::model::{
    Claim, Covers, Edge, EdgeKind, ElectionResult, Event, EventKind, ExternalId, Node, NodeKind,
    Source, Term,
};

/// A date: its interval of days and its canonical text.
#[derive(Serialize, Deserialize)]
pub(crate) struct DateV2 {
    earliest: i32,
    latest: i32,
    text: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum NodeKindV2 {
    Party,
    Movement,
    Bloc,
    Organisation,
    Person,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum EdgeKindV2 {
    Split,
    Merger,
    Renaming,
    Reorganisation,
    Founding,
    Division,
    Leadership,
    Membership,
    Founder,
    Affiliation,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum EventKindV2 {
    FoundingCongress,
    Congress,
    Registration,
    RegistrationRefused,
    Reregistration,
    Ban,
    Liquidation,
    Suspension,
    Election,
    Announcement,
    Other,
}

#[derive(Serialize, Deserialize)]
pub(crate) enum CoversV2 {
    Era,
    Chain,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct SourceV2 {
    id: String,
    title: String,
    publisher: String,
    author: String,
    date: String,
    url: String,
    seed: String,
    note: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ClaimV2 {
    date: DateV2,
    sources: Vec<String>,
    note: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct EventV2 {
    date: DateV2,
    kind: EventKindV2,
    note: String,
    sources: Vec<String>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TermV2 {
    from: Option<DateV2>,
    until: Option<DateV2>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ResultV2 {
    election: DateV2,
    body: String,
    share: Option<String>,
    seats: Option<u32>,
    votes: Option<u64>,
    sources: Vec<String>,
    note: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ExternalIdV2 {
    scheme: String,
    id: String,
    covers: CoversV2,
    sources: Vec<String>,
    note: String,
}

/// A node record.
#[derive(Serialize, Deserialize)]
pub(crate) struct NodeV2 {
    id: String,
    kind: NodeKindV2,
    name: String,
    aliases: Vec<String>,
    shared_names: Vec<String>,
    founded: Vec<ClaimV2>,
    registered: Vec<ClaimV2>,
    ended: Vec<ClaimV2>,
    events: Vec<EventV2>,
    results: Vec<ResultV2>,
    external_ids: Vec<ExternalIdV2>,
    sources: Vec<String>,
    note: String,
}

/// An edge record.
#[derive(Serialize, Deserialize)]
pub(crate) struct EdgeV2 {
    kind: EdgeKindV2,
    from: String,
    to: String,
    date: Vec<ClaimV2>,
    role: String,
    term: Option<TermV2>,
    sources: Vec<String>,
    note: String,
}

/// The META section: the counts, then the sources.
#[derive(Serialize, Deserialize)]
pub(crate) struct MetaV2 {
    pub node_count: u32,
    pub edge_count: u32,
    pub sources: Vec<SourceV2>,
}

/// A record that the model cannot hold.
#[derive(Debug)]
pub(crate) struct BadRecord(pub &'static str);

type R<T> = Result<T, BadRecord>;

fn all<A, B>(v: Vec<A>, f: impl Fn(A) -> R<B>) -> R<Vec<B>> {
    v.into_iter().map(f).collect()
}

impl DateV2 {
    fn of(d: &DateSpec) -> DateV2 {
        DateV2 {
            earliest: d.earliest(),
            latest: d.latest(),
            text: d.as_str().to_string(),
        }
    }

    /// The date, when its text parses to exactly its interval, each bound open or within years
    /// 0–10001 (the widest that "about 0001" and "about 9999" reach). A forged snapshot with
    /// checksums to match could otherwise carry days near `i32::MIN` or `i32::MAX`, which
    /// overflow date arithmetic and ask renderers for millions of year ticks, or a date text
    /// that says something other than the interval the queries use.
    fn into_model(self) -> R<DateSpec> {
        let range = days_from_civil(0, 1, 1)..=days_from_civil(10_002, 1, 1);
        let ok = |d: Day, open: Day| d == open || range.contains(&d);
        if !(ok(self.earliest, OPEN_START) && ok(self.latest, OPEN_END))
            || self.earliest > self.latest
        {
            return Err(BadRecord("an impossible date"));
        }
        match DateSpec::parse(&self.text) {
            Ok(d) if d.earliest() == self.earliest && d.latest() == self.latest => Ok(d),
            _ => Err(BadRecord("a date whose text disagrees with its interval")),
        }
    }
}

macro_rules! same_enum {
    ($model:ident, $v2:ident, $($var:ident),+) => {
        impl $v2 {
            fn of(k: $model) -> $v2 {
                match k { $($model::$var => $v2::$var),+ }
            }
            fn into_model(self) -> $model {
                match self { $($v2::$var => $model::$var),+ }
            }
        }
    };
}

same_enum!(
    NodeKind,
    NodeKindV2,
    Party,
    Movement,
    Bloc,
    Organisation,
    Person
);
same_enum!(
    EdgeKind,
    EdgeKindV2,
    Split,
    Merger,
    Renaming,
    Reorganisation,
    Founding,
    Division,
    Leadership,
    Membership,
    Founder,
    Affiliation
);
same_enum!(
    EventKind,
    EventKindV2,
    FoundingCongress,
    Congress,
    Registration,
    RegistrationRefused,
    Reregistration,
    Ban,
    Liquidation,
    Suspension,
    Election,
    Announcement,
    Other
);
same_enum!(Covers, CoversV2, Era, Chain);

impl SourceV2 {
    pub(crate) fn of(s: &Source) -> SourceV2 {
        let s = s.clone();
        SourceV2 {
            id: s.id,
            title: s.title,
            publisher: s.publisher,
            author: s.author,
            date: s.date,
            url: s.url,
            seed: s.seed,
            note: s.note,
        }
    }

    pub(crate) fn into_model(self) -> Source {
        Source {
            id: self.id,
            title: self.title,
            publisher: self.publisher,
            author: self.author,
            date: self.date,
            url: self.url,
            seed: self.seed,
            note: self.note,
        }
    }
}

impl ClaimV2 {
    fn of(c: &Claim) -> ClaimV2 {
        ClaimV2 {
            date: DateV2::of(&c.date),
            sources: c.sources.clone(),
            note: c.note.clone(),
        }
    }

    fn into_model(self) -> R<Claim> {
        Ok(Claim {
            date: self.date.into_model()?,
            sources: self.sources,
            note: self.note,
        })
    }
}

fn claims(v: &[Claim]) -> Vec<ClaimV2> {
    v.iter().map(ClaimV2::of).collect()
}

impl NodeV2 {
    pub(crate) fn of(n: &Node) -> NodeV2 {
        NodeV2 {
            id: n.id.clone(),
            kind: NodeKindV2::of(n.kind),
            name: n.name.clone(),
            aliases: n.aliases.clone(),
            shared_names: n.shared_names.clone(),
            founded: claims(&n.founded),
            registered: claims(&n.registered),
            ended: claims(&n.ended),
            events: n
                .events
                .iter()
                .map(|e| EventV2 {
                    date: DateV2::of(&e.date),
                    kind: EventKindV2::of(e.kind),
                    note: e.note.clone(),
                    sources: e.sources.clone(),
                })
                .collect(),
            results: n
                .results
                .iter()
                .map(|r| ResultV2 {
                    election: DateV2::of(&r.election),
                    body: r.body.clone(),
                    share: r.share.clone(),
                    seats: r.seats,
                    votes: r.votes,
                    sources: r.sources.clone(),
                    note: r.note.clone(),
                })
                .collect(),
            external_ids: n
                .external_ids
                .iter()
                .map(|x| ExternalIdV2 {
                    scheme: x.scheme.clone(),
                    id: x.id.clone(),
                    covers: CoversV2::of(x.covers),
                    sources: x.sources.clone(),
                    note: x.note.clone(),
                })
                .collect(),
            sources: n.sources.clone(),
            note: n.note.clone(),
        }
    }

    pub(crate) fn into_model(self) -> R<Node> {
        Ok(Node {
            id: self.id,
            kind: self.kind.into_model(),
            name: self.name,
            aliases: self.aliases,
            shared_names: self.shared_names,
            founded: all(self.founded, ClaimV2::into_model)?,
            registered: all(self.registered, ClaimV2::into_model)?,
            ended: all(self.ended, ClaimV2::into_model)?,
            events: all(self.events, |e| {
                Ok(Event {
                    date: e.date.into_model()?,
                    kind: e.kind.into_model(),
                    note: e.note,
                    sources: e.sources,
                })
            })?,
            results: all(self.results, |r| {
                Ok(ElectionResult {
                    election: r.election.into_model()?,
                    body: r.body,
                    share: r.share,
                    seats: r.seats,
                    votes: r.votes,
                    sources: r.sources,
                    note: r.note,
                })
            })?,
            external_ids: all(self.external_ids, |x| {
                Ok(ExternalId {
                    scheme: x.scheme,
                    id: x.id,
                    covers: x.covers.into_model(),
                    sources: x.sources,
                    note: x.note,
                })
            })?,
            sources: self.sources,
            note: self.note,
        })
    }
}

impl EdgeV2 {
    pub(crate) fn of(e: &Edge) -> EdgeV2 {
        EdgeV2 {
            kind: EdgeKindV2::of(e.kind),
            from: e.from.clone(),
            to: e.to.clone(),
            date: claims(&e.date),
            role: e.role.clone(),
            term: e.term.as_ref().map(|t| TermV2 {
                from: t.from.as_ref().map(DateV2::of),
                until: t.until.as_ref().map(DateV2::of),
            }),
            sources: e.sources.clone(),
            note: e.note.clone(),
        }
    }

    pub(crate) fn into_model(self) -> R<Edge> {
        let date = |d: Option<DateV2>| d.map(DateV2::into_model).transpose();
        Ok(Edge {
            kind: self.kind.into_model(),
            from: self.from,
            to: self.to,
            date: all(self.date, ClaimV2::into_model)?,
            role: self.role,
            term: match self.term {
                Some(t) => Some(Term {
                    from: date(t.from)?,
                    until: date(t.until)?,
                }),
                None => None,
            },
            sources: self.sources,
            note: self.note,
        })
    }
}
