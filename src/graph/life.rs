//! The validation rules about a node's life: what may happen only while an organisation exists,
//! and the records attached to nodes (election results and external ids). `Graph::validate` and
//! the single-record checks of `add_node`/`add_edge` call these.
//!
//! "Surely" everywhere: a date is an interval, and a rule fires only when every day the interval
//! allows breaks it. An unknown bound is open, so it never makes a rule fire by itself.

use super::{Graph, node_problem};
use crate::date::{Day, Interval};
use crate::error::Problem;
use crate::error::Seg;
use crate::model::{Node, NodeKind};
use crate::names::is_slug;

/// Problems of a node's own dates: end or registration claims before it was founded, events
/// outside its life.
pub(super) fn node_life_problems(n: &Node) -> Vec<Problem> {
    let mut p = Vec::new();
    if n.kind == NodeKind::Person {
        return p;
    }
    let founded = Interval::of(n.founded.iter().map(|c| &c.date));
    let (begin, end) = (n.begin(), n.end());
    let written = |cs: &[crate::model::Claim]| {
        cs.iter()
            .map(|c| c.date.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(Interval { lo: b_lo, .. }) = begin {
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
    if let Some(Interval { lo: f_lo, .. }) = founded {
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
pub(super) fn outside_life(
    lo: Day,
    hi: Day,
    begin: Option<Interval>,
    end: Option<Interval>,
    n: &Node,
) -> Option<String> {
    if let Some(Interval { lo: b_lo, .. }) = begin
        && hi < b_lo
    {
        return Some(format!("before {} existed ({})", n.id, n.years()));
    }
    if let Some(Interval { hi: e_hi, .. }) = end
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
