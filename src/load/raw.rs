//! The records as written in RON (strings where the model has dates), and the conversions
//! between them and the model, collecting every bad date.

use serde::{Deserialize, Serialize};

use super::spans::Seg;
use crate::date::DateSpec;
use crate::error::{Problem, Subject};
use crate::model::{Claim, Covers, Edge, EdgeKind, Event, EventKind, Node, NodeKind, Source, Term};

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) sources: Vec<RawSource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) nodes: Vec<RawNode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) edges: Vec<RawEdge>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) results: Vec<RawResult>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) external_ids: Vec<RawExternalId>,
}

pub(super) fn default_body() -> String {
    "majilis".to_string()
}

pub(super) fn is_default_body(b: &str) -> bool {
    b == "majilis"
}

/// An election result, written in a top-level `results` list and kept on its party's node.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResult {
    pub(super) party: String,
    pub(super) election: String,
    #[serde(default = "default_body", skip_serializing_if = "is_default_body")]
    pub(super) body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) share: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) seats: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) votes: Option<u64>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

/// An id in another dataset, written in a top-level `external_ids` list and kept on its node.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExternalId {
    pub(super) node: String,
    pub(super) scheme: String,
    pub(super) id: String,
    pub(super) covers: Covers,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub(super) id: String,
    pub(super) title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    publisher: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) author: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) date: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) seed: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

impl From<RawSource> for Source {
    fn from(r: RawSource) -> Source {
        Source {
            id: r.id,
            title: r.title,
            publisher: r.publisher,
            author: r.author,
            date: r.date,
            url: r.url,
            seed: r.seed,
            note: r.note,
        }
    }
}

impl From<&Source> for RawSource {
    fn from(r: &Source) -> RawSource {
        let r = r.clone();
        RawSource {
            id: r.id,
            title: r.title,
            publisher: r.publisher,
            author: r.author,
            date: r.date,
            url: r.url,
            seed: r.seed,
            note: r.note,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClaim {
    pub(super) date: String,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvent {
    pub(super) kind: EventKind,
    pub(super) date: String,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNode {
    pub(super) id: String,
    pub(super) kind: NodeKind,
    pub(super) name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) shared_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) founded: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) registered: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) ended: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) events: Vec<RawEvent>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTerm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) until: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEdge {
    pub(super) kind: EdgeKind,
    pub(super) from: String,
    pub(super) to: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) date: Vec<RawClaim>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) term: Option<RawTerm>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(super) note: String,
}

/// Converts raw strings into dates, collecting every bad one.
pub(super) struct Conv<'a> {
    pub(super) problems: &'a mut Vec<Problem>,
    pub(super) subject: Subject,
}

impl Conv<'_> {
    pub(super) fn date(&mut self, s: &str, path: &[Seg]) -> Option<DateSpec> {
        match DateSpec::parse(s) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problems.push(
                    Problem::new(self.subject.clone(), format!("impossible date {:?}: {}", e.text, e.reason), "write YYYY, YYYY-MM, YYYY-MM-DD, 'early 1998', 'about 1998', 'before 1998' or 'A to B'")
                        .at(path),
                );
                None
            }
        }
    }

    pub(super) fn claims(&mut self, field: &'static str, raw: Vec<RawClaim>) -> Vec<Claim> {
        let mut out = Vec::new();
        for (i, c) in raw.into_iter().enumerate() {
            if let Some(date) = self.date(
                &c.date,
                &[Seg::Field(field), Seg::Index(i), Seg::Field("date")],
            ) {
                out.push(Claim {
                    date,
                    sources: c.sources,
                    note: c.note,
                });
            }
        }
        out
    }
}

pub(super) fn node_from_raw(r: RawNode, problems: &mut Vec<Problem>) -> Node {
    let mut c = Conv {
        problems,
        subject: Subject::Node(r.id.clone()),
    };
    let founded = c.claims("founded", r.founded);
    let registered = c.claims("registered", r.registered);
    let ended = c.claims("ended", r.ended);
    let mut events = Vec::new();
    for (i, e) in r.events.into_iter().enumerate() {
        if let Some(date) = c.date(
            &e.date,
            &[Seg::Field("events"), Seg::Index(i), Seg::Field("date")],
        ) {
            events.push(Event {
                date,
                kind: e.kind,
                note: e.note,
                sources: e.sources,
            });
        }
    }
    Node {
        id: r.id,
        kind: r.kind,
        name: r.name,
        aliases: r.aliases,
        shared_names: r.shared_names,
        founded,
        registered,
        ended,
        events,
        results: Vec::new(),
        external_ids: Vec::new(),
        sources: r.sources,
        note: r.note,
    }
}

pub(super) fn edge_from_raw(r: RawEdge, problems: &mut Vec<Problem>) -> Edge {
    let label = format!("{} {} -> {}", r.kind, r.from, r.to);
    let mut c = Conv {
        problems,
        subject: Subject::Edge(label),
    };
    let date = c.claims("date", r.date);
    let term = r.term.map(|t| Term {
        from: t
            .from
            .and_then(|s| c.date(&s, &[Seg::Field("term"), Seg::Field("from")])),
        until: t
            .until
            .and_then(|s| c.date(&s, &[Seg::Field("term"), Seg::Field("until")])),
    });
    Edge {
        kind: r.kind,
        from: r.from,
        to: r.to,
        date,
        role: r.role,
        term,
        sources: r.sources,
        note: r.note,
    }
}

pub(super) fn claim_to_raw(c: &Claim) -> RawClaim {
    RawClaim {
        date: c.date.as_str().to_string(),
        sources: c.sources.clone(),
        note: c.note.clone(),
    }
}

pub(super) fn node_to_raw(n: &Node) -> RawNode {
    RawNode {
        id: n.id.clone(),
        kind: n.kind,
        name: n.name.clone(),
        aliases: n.aliases.clone(),
        shared_names: n.shared_names.clone(),
        founded: n.founded.iter().map(claim_to_raw).collect(),
        registered: n.registered.iter().map(claim_to_raw).collect(),
        ended: n.ended.iter().map(claim_to_raw).collect(),
        events: n
            .events
            .iter()
            .map(|e| RawEvent {
                kind: e.kind,
                date: e.date.as_str().to_string(),
                sources: e.sources.clone(),
                note: e.note.clone(),
            })
            .collect(),
        sources: n.sources.clone(),
        note: n.note.clone(),
    }
}

pub(super) fn edge_to_raw(e: &Edge) -> RawEdge {
    RawEdge {
        kind: e.kind,
        from: e.from.clone(),
        to: e.to.clone(),
        date: e.date.iter().map(claim_to_raw).collect(),
        role: e.role.clone(),
        term: e.term.as_ref().map(|t| RawTerm {
            from: t.from.as_ref().map(|d| d.as_str().to_string()),
            until: t.until.as_ref().map(|d| d.as_str().to_string()),
        }),
        sources: e.sources.clone(),
        note: e.note.clone(),
    }
}

pub(super) fn ron_options() -> ron::Options {
    // The default recursion limit (128) stays in force.
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}
