//! JSON output: the stable contract for scripts (documented in the README).
//!
//! Every document is a typed struct that derives `Serialize`, so the contract is what rustdoc
//! shows here. Each builder takes an answer from [`crate::query`] and the [`Db`] it came from.
//! Keys are written in the order the fields are declared.

use serde::Serialize;

mod checks;
mod parts;
mod select;

pub use checks::{CompileOut, ProblemOut, ValidateOut};
pub use parts::*;
pub use select::{MemberOut, SelectOut, select};

use crate::date::DateSpec;
use crate::db::{Db, EdgeId, NodeId};
use crate::model::Source;
use crate::query::{
    Closure, Common, Direction, Hop, Leader, NameAt, SearchHit, Selection, TimelineEntry,
};

/// A node reached by a closure, with how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitOut {
    /// The node.
    #[serde(flatten)]
    pub node: NodeOut,
    /// Its generation (renamings add none).
    pub depth: u32,
    /// The edges by which it was reached at that depth.
    pub via: Vec<EdgeOut>,
    /// Reached only through hops whose dates straddle `--at`.
    pub uncertain: bool,
}

/// Ancestors or descendants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClosureOut {
    /// The node asked about.
    pub root: NodeOut,
    /// `ancestors` or `descendants`.
    pub direction: &'static str,
    /// Every node reached, by depth then id.
    pub nodes: Vec<HitOut>,
    /// Every edge that reached one of them, once.
    pub edges: Vec<EdgeOut>,
}

/// Ancestors or descendants.
pub fn closure(db: &Db, c: &Closure) -> ClosureOut {
    let mut edges: Vec<EdgeId> = c.hits.iter().flat_map(|h| h.via.iter().copied()).collect();
    edges.sort();
    edges.dedup();
    ClosureOut {
        root: node(db, c.root),
        direction: match c.direction {
            Direction::Ancestors => "ancestors",
            Direction::Descendants => "descendants",
        },
        nodes: c
            .hits
            .iter()
            .map(|h| HitOut {
                node: node(db, h.node),
                depth: h.depth,
                via: h.via.iter().map(|e| edge(db, *e, false)).collect(),
                uncertain: h.uncertain,
            })
            .collect(),
        edges: edges.iter().map(|e| edge(db, *e, false)).collect(),
    }
}

/// Everything `show` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShowOut {
    /// The node.
    pub node: NodeOut,
    /// Names it shares with other nodes.
    pub shared_names: Vec<String>,
    /// Its note.
    pub note: String,
    /// Its events.
    pub events: Vec<EventOut>,
    /// Its election results.
    pub results: Vec<ResultOut>,
    /// Its ids in other datasets.
    pub external_ids: Vec<ExternalIdOut>,
    /// Every edge into it, with both end nodes.
    pub edges_in: Vec<EdgeOut>,
    /// Every edge out of it, with both end nodes.
    pub edges_out: Vec<EdgeOut>,
    /// Every source it or its edges cite.
    pub sources: Vec<Source>,
}

/// Everything about one node.
pub fn show(db: &Db, n: NodeId) -> ShowOut {
    let rec = db.node(n);
    ShowOut {
        node: node(db, n),
        events: rec
            .events
            .iter()
            .map(|e| EventOut {
                date: DateOut::of(&e.date),
                kind: e.kind.as_str(),
                note: e.note.clone(),
                sources: e.sources.clone(),
            })
            .collect(),
        results: rec.results.iter().map(result).collect(),
        external_ids: rec
            .external_ids
            .iter()
            .map(|x| ExternalIdOut {
                scheme: x.scheme.clone(),
                id: x.id.clone(),
                covers: x.covers.as_str(),
                sources: x.sources.clone(),
                note: x.note.clone(),
            })
            .collect(),
        shared_names: rec.shared_names,
        note: rec.note,
        edges_in: db.in_edges(n).map(|e| edge(db, e, true)).collect(),
        edges_out: db.out_edges(n).map(|e| edge(db, e, true)).collect(),
        sources: crate::render::cited_sources(db, n)
            .iter()
            .filter_map(|s| db.source(s).cloned())
            .collect(),
    }
}

/// One member of a renaming chain and when it was in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EraOut {
    /// The member.
    pub node: NodeOut,
    /// When it came into force, if known.
    pub from: Option<BoundOut>,
    /// When it ceased, if it did.
    pub until: Option<BoundOut>,
}

/// The name in force at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameAtOut {
    /// The date asked.
    pub at: DateOut,
    /// The member in force, when certain; else `null`.
    pub node: Option<NodeOut>,
    /// Whether exactly one member was surely in force.
    pub certain: bool,
    /// Every member possibly in force.
    pub candidates: Vec<NodeOut>,
    /// The whole chain, oldest first.
    pub chain: Vec<EraOut>,
}

/// The name in force at a date.
pub fn name_at(db: &Db, r: &NameAt, at: &DateSpec) -> NameAtOut {
    NameAtOut {
        at: DateOut::of(at),
        node: r.certain.then(|| node(db, r.candidates[0])),
        certain: r.certain,
        candidates: r.candidates.iter().map(|c| node(db, *c)).collect(),
        chain: r
            .chain
            .iter()
            .map(|e| EraOut {
                node: node(db, e.node),
                from: bound(e.from),
                until: bound(e.until),
            })
            .collect(),
    }
}

/// One hop of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HopOut {
    /// The edge.
    pub edge: EdgeOut,
    /// Whether the path follows it from `from` to `to`.
    pub forward: bool,
}

/// A path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathOut {
    /// Where it starts.
    pub from: NodeOut,
    /// Where it ends.
    pub to: NodeOut,
    /// Whether a path was found (`hops` is empty both when there is none and from a node to
    /// itself).
    pub found: bool,
    /// The hops, in order.
    pub hops: Vec<HopOut>,
}

/// A path as dated, sourced hops; `None` when there is no path.
pub fn path(db: &Db, a: NodeId, b: NodeId, hops: Option<&[Hop]>) -> PathOut {
    PathOut {
        from: node(db, a),
        to: node(db, b),
        found: hops.is_some(),
        hops: hops
            .unwrap_or_default()
            .iter()
            .map(|h| HopOut {
                edge: edge(db, h.edge, false),
                forward: h.forward,
            })
            .collect(),
    }
}

/// Common ancestors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommonOut {
    /// One node.
    pub a: NodeOut,
    /// The other.
    pub b: NodeOut,
    /// The nearest common ancestors.
    pub nearest: Vec<NodeOut>,
    /// Every common ancestor.
    pub all: Vec<NodeOut>,
}

/// Common ancestors.
pub fn common(db: &Db, a: NodeId, b: NodeId, c: &Common) -> CommonOut {
    CommonOut {
        a: node(db, a),
        b: node(db, b),
        nearest: c.nearest.iter().map(|n| node(db, *n)).collect(),
        all: c.all.iter().map(|n| node(db, *n)).collect(),
    }
}

/// One leader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaderOut {
    /// The person.
    pub person: NodeOut,
    /// The role.
    pub role: String,
    /// The term, if known.
    pub term: Option<TermOut>,
    /// Sources.
    pub sources: Vec<String>,
}

/// The leaders of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadersOut {
    /// The organisation.
    pub node: NodeOut,
    /// Its leaders.
    pub leaders: Vec<LeaderOut>,
}

/// Leaders with roles and terms.
pub fn leaders(db: &Db, org: NodeId, ls: &[Leader]) -> LeadersOut {
    LeadersOut {
        node: node(db, org),
        leaders: ls
            .iter()
            .map(|l| {
                let e = db.edge(l.edge);
                LeaderOut {
                    person: node(db, l.person),
                    term: term(&e.term),
                    role: e.role,
                    sources: e.sources,
                }
            })
            .collect(),
    }
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHitOut {
    /// The node.
    pub node: NodeOut,
    /// Similarity, 0 to 1.
    pub score: f64,
    /// The folded name or alias that matched.
    pub key: String,
}

/// Search results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchOut {
    /// What was looked for.
    pub query: String,
    /// The matches, best first.
    pub results: Vec<SearchHitOut>,
}

/// Search results.
pub fn search(db: &Db, q: &str, hits: &[SearchHit]) -> SearchOut {
    SearchOut {
        query: q.to_string(),
        results: hits
            .iter()
            .map(|h| SearchHitOut {
                node: node(db, h.node),
                score: h.score,
                key: h.key.clone(),
            })
            .collect(),
    }
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryOut {
    /// When.
    #[serde(flatten)]
    pub date: DateOut,
    /// The node's id.
    pub node: String,
    /// The node's name.
    pub name: String,
    /// What happened.
    pub what: String,
    /// A note.
    pub note: String,
    /// Sources.
    pub sources: Vec<String>,
    /// The node's claims telling the same event, folded into this edge entry (`founded`,
    /// `ended`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// A timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineOut {
    /// The entries, in date order.
    pub entries: Vec<EntryOut>,
}

/// A timeline, one entry per event.
pub fn timeline(db: &Db, t: &[TimelineEntry]) -> TimelineOut {
    TimelineOut {
        entries: t
            .iter()
            .map(|e| EntryOut {
                date: DateOut::of(&e.date),
                node: db.id(e.node).to_string(),
                name: db.name(e.node).to_string(),
                what: e.what.clone(),
                note: e.note.clone(),
                sources: e.sources.clone(),
                also: e.also.clone(),
            })
            .collect(),
    }
}

/// A subgraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectionOut {
    /// Its nodes.
    pub nodes: Vec<NodeOut>,
    /// Its edges.
    pub edges: Vec<EdgeOut>,
}

/// A subgraph: its nodes and edges.
pub fn selection(db: &Db, s: &Selection) -> SelectionOut {
    SelectionOut {
        nodes: s.nodes.iter().map(|n| node(db, *n)).collect(),
        edges: s.edges.iter().map(|e| edge(db, *e, false)).collect(),
    }
}

/// A document as pretty JSON, with a final newline.
pub fn to_string(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("the output types serialise");
    s.push('\n');
    s
}
