//! The validation rules about a node's life: what may happen only while an organisation exists,
//! who may hold a sole role at once, and the records attached to nodes (election results and
//! external ids). `Graph::validate` and the single-record checks of `add_node`/`add_edge` call
//! these.
//!
//! "Surely" everywhere: a date is an interval, and a rule fires only when every day the interval
//! allows breaks it. An unknown bound is open, so it never makes a rule fire by itself.

use std::collections::HashMap;

use super::{Graph, edge_problem, node_problem};
use crate::date::{Day, OPEN_END, OPEN_START};
use crate::error::Problem;
use crate::error::Seg;
use crate::model::{Edge, EdgeKind, Node, NodeKind};
use crate::names::{is_slug, normalize};

/// The roles only one person holds at a time, each folded to one key.
fn sole_role(role: &str) -> Option<&'static str> {
    match role.trim().to_lowercase().as_str() {
        "chairman" | "chairwoman" | "chair" | "chairperson" | "party chairman" => Some("chairman"),
        "first secretary" => Some("first secretary"),
        _ => None,
    }
}

/// Problems of a node's own dates: end or registration claims before it was founded, events
/// outside its life.
pub(super) fn node_life_problems(n: &Node) -> Vec<Problem> {
    let mut p = Vec::new();
    if n.kind == NodeKind::Person {
        return p;
    }
    let founded = crate::date::hull(n.founded.iter().map(|c| &c.date));
    let (begin, end) = (n.begin(), n.end());
    let written = |cs: &[crate::model::Claim]| {
        cs.iter()
            .map(|c| c.date.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some((b_lo, _)) = begin {
        for (i, c) in n.ended.iter().enumerate() {
            if c.date.latest() < b_lo {
                p.push(
                    node_problem(
                        n,
                        format!(
                            "{} ends ({}) before it starts ({})",
                            n.id,
                            c.date,
                            written(if n.founded.is_empty() {
                                &n.registered
                            } else {
                                &n.founded
                            })
                        ),
                        "check the founded and ended dates",
                    )
                    .at(&[
                        Seg::Field("ended"),
                        Seg::Index(i),
                        Seg::Field("date"),
                    ]),
                );
            }
        }
    }
    if let Some((f_lo, _)) = founded {
        for (i, c) in n.registered.iter().enumerate() {
            if c.date.latest() < f_lo {
                p.push(
                    node_problem(
                        n,
                        format!(
                            "{} is registered ({}) before it was founded ({})",
                            n.id,
                            c.date,
                            written(&n.founded)
                        ),
                        "check the registered and founded dates",
                    )
                    .at(&[
                        Seg::Field("registered"),
                        Seg::Index(i),
                        Seg::Field("date"),
                    ]),
                );
            }
        }
    }
    for (i, ev) in n.events.iter().enumerate() {
        // an organisation may be announced before it is founded
        let begin = if ev.kind == crate::model::EventKind::Announcement {
            None
        } else {
            begin
        };
        if let Some(msg) = outside_life(ev.date.earliest(), ev.date.latest(), begin, end, n) {
            p.push(
                node_problem(
                    n,
                    format!("{} event dated {} is {msg}", ev.kind, ev.date),
                    "check the event's date and the node's founded and ended dates",
                )
                .at(&[Seg::Field("events"), Seg::Index(i), Seg::Field("date")]),
            );
        }
    }
    p
}

/// "before X existed (…)" or "after X ended (…)" when `lo..=hi` lies surely outside the life.
fn outside_life(
    lo: Day,
    hi: Day,
    begin: Option<(Day, Day)>,
    end: Option<(Day, Day)>,
    n: &Node,
) -> Option<String> {
    if let Some((b_lo, _)) = begin
        && hi < b_lo
    {
        return Some(format!("before {} existed ({})", n.id, n.years()));
    }
    if let Some((_, e_hi)) = end
        && lo > e_hi
    {
        return Some(format!("after {} ended ({})", n.id, n.years()));
    }
    None
}

/// Problems of the election results and external ids attached to a node.
pub(super) fn attached_problems(g: &Graph, n: &Node) -> Vec<Problem> {
    let mut p = Vec::new();
    let sub = crate::error::Subject::Node(n.id.clone());
    let (begin, end) = (n.begin(), n.end());
    for (i, r) in n.results.iter().enumerate() {
        let at = |f: &'static str| vec![Seg::Field("results"), Seg::Index(i), Seg::Field(f)];
        if n.kind == NodeKind::Person {
            p.push(
                node_problem(
                    n,
                    format!("an election result for {}, a person", n.id),
                    "results belong to the party or bloc that stood",
                )
                .at(&at("party")),
            );
        }
        if let Some(s) = &r.share
            && !is_share(s)
        {
            p.push(
                node_problem(
                    n,
                    format!("vote share {s:?} is not a percentage"),
                    "write the percent as a decimal from 0 to 100, e.g. \"7.19\"",
                )
                .at(&at("share")),
            );
        }
        if r.share.is_none() && r.seats.is_none() && r.votes.is_none() {
            p.push(
                node_problem(
                    n,
                    format!("the {} result of {} gives no figure", r.election, n.id),
                    "give share, seats or votes",
                )
                .at(&at("election")),
            );
        }
        if !is_slug(&r.body) {
            p.push(
                node_problem(
                    n,
                    format!("elected body {:?} is not a slug", r.body),
                    "e.g. majilis",
                )
                .at(&at("body")),
            );
        }
        if let Some(msg) = outside_life(r.election.earliest(), r.election.latest(), begin, end, n) {
            p.push(
                node_problem(
                    n,
                    format!("election result dated {} is {msg}", r.election),
                    "check the election date, the party id and the node's dates",
                )
                .at(&at("election")),
            );
        }
        if n.results[..i].contains(r) {
            p.push(
                node_problem(n, "duplicate election result", "remove one of them").at(&at("party")),
            );
        }
        p.extend(g.sources_problems(&sub, &r.sources, &[Seg::Field("results"), Seg::Index(i)]));
    }
    for (i, x) in n.external_ids.iter().enumerate() {
        let at = |f: &'static str| vec![Seg::Field("external_ids"), Seg::Index(i), Seg::Field(f)];
        if !is_slug(&x.scheme) {
            p.push(
                node_problem(
                    n,
                    format!("scheme {:?} is not a slug", x.scheme),
                    "e.g. wikidata or partyfacts",
                )
                .at(&at("scheme")),
            );
        }
        let well_formed = match x.scheme.as_str() {
            "wikidata" => {
                x.id.len() > 1
                    && x.id.starts_with('Q')
                    && x.id[1..].bytes().all(|b| b.is_ascii_digit())
                    && !x.id[1..].starts_with('0')
            }
            "partyfacts" => !x.id.is_empty() && x.id.bytes().all(|b| b.is_ascii_digit()),
            _ => !x.id.trim().is_empty() && !x.id.chars().any(char::is_control),
        };
        if !well_formed {
            p.push(
                node_problem(
                    n,
                    format!("{:?} is not a {} id", x.id, x.scheme),
                    "wikidata ids read Q123, partyfacts ids are numbers",
                )
                .at(&at("id")),
            );
        }
        if n.external_ids[..i]
            .iter()
            .any(|y| y.scheme == x.scheme && y.id == x.id)
        {
            p.push(
                node_problem(
                    n,
                    format!("{} id {} given twice", x.scheme, x.id),
                    "remove one",
                )
                .at(&at("id")),
            );
        }
        p.extend(g.sources_problems(
            &sub,
            &x.sources,
            &[Seg::Field("external_ids"), Seg::Index(i)],
        ));
    }
    p
}

/// A decimal percentage from 0 to 100 ("7", "7.19").
fn is_share(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.len() <= 3
        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        && s.parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v))
}

/// Problems of one edge against the lives of its endpoints, beyond its dated claims: an undated
/// merger or renaming between organisations that never coexisted, a term outside the
/// organisation's life, a membership pointing at a party.
pub(super) fn edge_life_problems(e: &Edge, a: &Node, b: &Node) -> Vec<Problem> {
    let mut p = Vec::new();
    if e.date.is_empty()
        && matches!(e.kind, EdgeKind::Merger | EdgeKind::Renaming)
        && let (Some((_, a_end)), Some((b_begin, _))) = (a.end(), b.begin())
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
        let org_end = g.node(&e.to).and_then(|n| n.end()).map(|(lo, _)| lo);
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
                        format!("name {name:?} reads as the id of node {}", other.id),
                        format!(
                            "a lookup by {name:?} would find {} by its id; drop the alias or change one of the ids",
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

/// A control character or bidirectional override in a text field: it could rewrite a terminal
/// screen or reorder what a reader sees. Refused in every string of the data.
fn hidden_char_problem(
    subject: &crate::error::Subject,
    what: &str,
    s: &str,
    path: Vec<Seg>,
) -> Option<Problem> {
    let c = s.chars().find(|c| crate::names::is_hidden_control(*c))?;
    Some(
        Problem::new(
            subject.clone(),
            format!(
                "{what} holds the control character U+{:04X}: {:?}",
                c as u32,
                crate::names::visible(s, false)
            ),
            "write plain text: control characters and bidirectional overrides are not allowed",
        )
        .at(&path),
    )
}

/// Every hidden character in a node's strings.
pub(super) fn node_text_problems(n: &Node) -> Vec<Problem> {
    let sub = crate::error::Subject::Node(n.id.clone());
    let f = Seg::Field;
    let mut fields: Vec<(String, &str, Vec<Seg>)> = vec![
        ("the name".into(), &n.name, vec![f("name")]),
        ("the note".into(), &n.note, vec![f("note")]),
    ];
    for (list, items) in [("aliases", &n.aliases), ("shared_names", &n.shared_names)] {
        for (i, a) in items.iter().enumerate() {
            fields.push((format!("{list} item"), a, vec![f(list), Seg::Index(i)]));
        }
    }
    for (list, claims) in [
        ("founded", &n.founded),
        ("registered", &n.registered),
        ("ended", &n.ended),
    ] {
        for (i, c) in claims.iter().enumerate() {
            fields.push((
                "a claim's note".into(),
                &c.note,
                vec![f(list), Seg::Index(i), f("note")],
            ));
        }
    }
    for (i, e) in n.events.iter().enumerate() {
        fields.push((
            "an event's note".into(),
            &e.note,
            vec![f("events"), Seg::Index(i), f("note")],
        ));
    }
    for (i, r) in n.results.iter().enumerate() {
        fields.push((
            "a result's note".into(),
            &r.note,
            vec![f("results"), Seg::Index(i), f("note")],
        ));
    }
    for (i, x) in n.external_ids.iter().enumerate() {
        let at = |g| vec![f("external_ids"), Seg::Index(i), f(g)];
        fields.push(("an external id".into(), &x.id, at("id")));
        fields.push(("an external id's note".into(), &x.note, at("note")));
    }
    fields
        .into_iter()
        .filter_map(|(what, s, path)| hidden_char_problem(&sub, &what, s, path))
        .collect()
}

/// Every hidden character in an edge's strings.
pub(super) fn edge_text_problems(e: &Edge) -> Vec<Problem> {
    let sub = crate::error::Subject::Edge(super::edge_label(e));
    let f = Seg::Field;
    let mut fields: Vec<(&str, &str, Vec<Seg>)> = vec![
        ("the role", &e.role, vec![f("role")]),
        ("the note", &e.note, vec![f("note")]),
    ];
    for (i, c) in e.date.iter().enumerate() {
        fields.push((
            "a claim's note",
            &c.note,
            vec![f("date"), Seg::Index(i), f("note")],
        ));
    }
    fields
        .into_iter()
        .filter_map(|(what, s, path)| hidden_char_problem(&sub, what, s, path))
        .collect()
}

/// Every hidden character in a source's strings.
pub(super) fn source_text_problems(s: &crate::model::Source) -> Vec<Problem> {
    let sub = crate::error::Subject::Source(s.id.clone());
    [
        ("title", &s.title),
        ("publisher", &s.publisher),
        ("author", &s.author),
        ("date", &s.date),
        ("url", &s.url),
        ("seed", &s.seed),
        ("note", &s.note),
    ]
    .into_iter()
    .filter_map(|(field, v)| {
        hidden_char_problem(&sub, &format!("the {field}"), v, vec![Seg::Field(field)])
    })
    .collect()
}
