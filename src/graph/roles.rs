//! The rules across records: an edge against the lives of its endpoints, who may hold a sole
//! role at once, and names that read as another node's id. Dates are judged "surely", as in
//! `life`.

use std::collections::HashMap;

use super::life::outside_life;
use super::{Graph, edge_problem, node_problem};
use crate::date::{Day, Interval, OPEN_END, OPEN_START};
use crate::error::Problem;
use crate::error::Seg;
use crate::model::{Edge, EdgeKind, Node, NodeKind};
use crate::names::normalize;

/// The roles only one person holds at a time, each folded to one key.
fn sole_role(role: &str) -> Option<&'static str> {
    match role.trim().to_lowercase().as_str() {
        "chairman" | "chairwoman" | "chair" | "chairperson" | "party chairman" => Some("chairman"),
        "first secretary" => Some("first secretary"),
        _ => None,
    }
}

/// Problems of one edge against the lives of its endpoints, beyond its dated claims: an undated
/// merger or renaming between organisations that never coexisted, a term outside the
/// organisation's life, a membership pointing at a party.
pub(super) fn edge_life_problems(e: &Edge, a: &Node, b: &Node) -> Vec<Problem> {
    let mut p = Vec::new();
    if e.date.is_empty()
        && matches!(e.kind, EdgeKind::Merger | EdgeKind::Renaming)
        && let (Some(Interval { hi: a_end, .. }), Some(Interval { lo: b_begin, .. })) =
            (a.end(), b.begin())
        && a_end < b_begin
    {
        p.push(
            edge_problem(
                e,
                format!(
                    "an undated {} from {} ({}) to {} ({}), which never existed at the same time",
                    e.kind,
                    a.id,
                    a.years(),
                    b.id,
                    b.years()
                ),
                "date the edge, or check both nodes' dates",
            )
            .at(&[Seg::Field("kind")]),
        );
    }
    if e.kind == EdgeKind::Membership && b.kind == NodeKind::Party {
        p.push(
            edge_problem(
                e,
                format!("a membership edge into {}, a party", b.id),
                "membership is of a bloc or alliance; a party joining a party is a merger",
            )
            .at(&[Seg::Field("to")]),
        );
    }
    if e.kind.is_personal()
        && let Some(t) = &e.term
    {
        let (begin, end) = (b.begin(), b.end());
        for (f, d) in [("from", &t.from), ("until", &t.until)] {
            if let Some(d) = d
                && let Some(msg) = outside_life(d.earliest(), d.latest(), begin, end, b)
            {
                p.push(
                    edge_problem(
                        e,
                        format!("term {f} {d} is {msg}"),
                        "check the term and the organisation's dates",
                    )
                    .at(&[Seg::Field("term"), Seg::Field(f)]),
                );
            }
        }
    }
    p
}

/// Two people holding one sole role (chairman, first secretary) of one organisation at once,
/// surely. A term without an end lasts until the organisation's end, or for ever.
///
/// Complexity: O(L log L) over the L leadership edges.
pub(super) fn sole_role_overlaps(g: &Graph) -> Vec<(u64, Problem)> {
    type Term<'a> = (Day, Day, &'a Edge, u64);
    let mut groups: HashMap<(&str, &str), Vec<Term<'_>>> = HashMap::new();
    for (h, e) in g.edges() {
        if e.kind != EdgeKind::Leadership {
            continue;
        }
        let (Some(role), Some(t)) = (sole_role(&e.role), &e.term) else {
            continue;
        };
        let Some(from) = &t.from else { continue };
        let org_end = g.node(&e.to).and_then(|n| n.end()).map(|i| i.lo);
        let until = t
            .until
            .as_ref()
            .map(|d| d.earliest())
            .or(org_end)
            .unwrap_or(OPEN_END);
        groups
            .entry((e.to.as_str(), role))
            .or_default()
            .push((from.latest(), until, e, h.0));
    }
    let mut out = Vec::new();
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort();
    for k in keys {
        let mut terms = groups.remove(&k).unwrap_or_default();
        terms.sort_by_key(|t| (t.0, t.2.from.as_str()));
        // the term reaching furthest so far
        let mut reach: Option<&Term<'_>> = None;
        for t in &terms {
            if let Some(r) = reach
                && r.2.from != t.2.from
                && t.0 < r.1
                && t.0 != OPEN_START
            {
                let term = |e: &Edge| e.term.as_ref().map(|t| t.to_string()).unwrap_or_default();
                out.push((
                    t.3,
                    edge_problem(
                        t.2,
                        format!(
                            "{} and {} are both {} of {} at once ({}; {})",
                            r.2.from,
                            t.2.from,
                            k.1,
                            k.0,
                            term(r.2),
                            term(t.2)
                        ),
                        "end the earlier term (`until`) where a source says who succeeded whom",
                    )
                    .at(&[Seg::Field("term")]),
                ));
            }
            if reach.is_none_or(|r| t.1 > r.1) {
                reach = Some(t);
            }
        }
    }
    out
}

/// A name or alias that reads as another node's id: a lookup by it would find that node by id
/// and this one by name.
pub(super) fn alias_is_other_id(g: &Graph) -> Vec<Problem> {
    let mut ids: HashMap<String, &Node> = HashMap::new();
    let nodes = g.nodes();
    for n in &nodes {
        ids.insert(normalize(&n.id), n);
    }
    let mut p = Vec::new();
    for n in &nodes {
        for (key, (name, path, _)) in super::name_keys(n) {
            if let Some(other) = ids.get(&key)
                && other.id != n.id
                && !super::name_keys(other).contains_key(&key)
            {
                p.push(
                    node_problem(
                        n,
                        format!("name {} reads as the id of node {}", crate::names::clipped(&name), other.id),
                        format!(
                            "a lookup by {} would find {} by its id; drop the alias or change one of the ids",
                            crate::names::clipped(&name),
                            other.id
                        ),
                    )
                    .at(&path),
                );
            }
        }
    }
    p
}
