//! What an organisation was called at a date: the member of its renaming chain in force then.

use crate::date::{DateSpec, Interval, OPEN_START};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet};

/// One member of a renaming/reorganisation chain and when it was in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Era {
    /// The node.
    pub node: NodeId,
    /// When it came into force: the date of the renaming into it, else its founding.
    pub from: Option<Interval>,
    /// When it went out of force: the date of the renaming out of it, else its end.
    pub until: Option<Interval>,
    /// When `from` is unknown: the dates of its earliest records (the earliest day any edge,
    /// event, registration or election result of it may fall on, and the earliest day by
    /// which one surely happened). The member is taken to be in force from these records on:
    /// an unknown founding does not make it possible at any date before them.
    pub first_record: Option<Interval>,
}

/// What the chain's last member ended in: a merger or division edge out of it, and what its
/// successor was called at the date asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Successor {
    /// The merger or division edge.
    pub edge: EdgeId,
    /// The members of the successor's chain possibly in force at the date asked.
    pub then: Vec<NodeId>,
}

/// The answer to "what was it called at this date?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAt {
    /// The whole chain, oldest first.
    pub chain: Vec<Era>,
    /// The members that may have been in force at some day of the date asked.
    pub candidates: Vec<NodeId>,
    /// Whether exactly one member was certainly in force throughout the date asked.
    pub certain: bool,
    /// When no member was in force and the date is after the chain's end: what it merged or
    /// divided into (empty otherwise).
    pub succeeded_by: Vec<Successor>,
    /// When no member was in force and the date is before the chain's start.
    pub before_start: bool,
}

/// The node of the same renaming/reorganisation chain that was in force at a date.
///
/// The chain is every node joined to `n` by renaming or reorganisation edges, either way. A
/// member is in force from the date of the edge into it (or its founding) until the date of the
/// edge out of it (or its end). The date asked is itself an interval (`2005` is the whole year).
/// When several members may have been in force in it, because the name changed during it or
/// because the dates are uncertain, all of them are returned and `certain` is false: nothing is
/// picked.
///
/// # Arguments
/// - `db`, `n`: any member of the chain; `at`: the date asked.
///
/// A member whose start is unknown is taken to be in force from its earliest record on
/// ([`Era::first_record`]), not from the beginning of time: `Amanat --at 1900` names nothing.
///
/// # Returns
/// [`NameAt`]: the chain with each era, the candidates, and whether the answer is certain. No
/// candidate means no member existed yet (`before_start`) or any more at that date; in the
/// second case `succeeded_by` names what the last member merged or divided into, and what
/// that was called at the date.
///
/// # Complexity
/// O(C·d) for a chain of C members of degree d.
///
/// # Example
/// ```
/// use lineage::{Db, DateSpec, query::name_at};
/// let db = Db::embedded().unwrap();
/// let r = name_at(&db, db.resolve("Amanat").unwrap(), &DateSpec::parse("2005").unwrap());
/// assert_eq!(r.candidates, vec![db.resolve("Otan").unwrap()]);
/// assert!(r.certain);
/// ```
pub fn name_at(db: &Db, n: NodeId, at: &DateSpec) -> NameAt {
    name_at_inner(db, n, at, true)
}

/// The earliest records of `m`: over its edges, events, registrations and results, the
/// smallest earliest day and the smallest latest day.
fn first_record(db: &Db, m: NodeId) -> Option<Interval> {
    let rec = db.node(m);
    let dated = db
        .in_edges(m)
        .chain(db.out_edges(m))
        .filter_map(|e| db.edge_when(e))
        .chain(rec.events.iter().map(|e| e.date.interval()))
        .chain(rec.registered.iter().map(|c| c.date.interval()))
        .chain(rec.ended.iter().map(|c| c.date.interval()))
        .chain(rec.results.iter().map(|r| r.election.interval()));
    dated.fold(None, |acc: Option<Interval>, i| {
        Some(match acc {
            None => i,
            Some(a) => Interval {
                lo: a.lo.min(i.lo),
                hi: a.hi.min(i.hi),
            },
        })
    })
}

fn name_at_inner(db: &Db, n: NodeId, at: &DateSpec, follow: bool) -> NameAt {
    let same = KindSet::empty()
        .with(EdgeKind::Renaming)
        .with(EdgeKind::Reorganisation);
    let members = super::chain(db, n, same);
    let mut chain: Vec<Era> = members
        .iter()
        .map(|&m| {
            let into = db
                .in_edges(m)
                .filter(|e| same.contains(db.edge_kind(*e)))
                .filter_map(|e| db.edge_when(e))
                .reduce(Interval::hull);
            let out = db
                .out_edges(m)
                .filter(|e| same.contains(db.edge_kind(*e)))
                .filter_map(|e| db.edge_when(e))
                .reduce(Interval::hull);
            let from = into.or_else(|| db.begin(m));
            Era {
                node: m,
                from,
                until: out.or_else(|| db.end(m)),
                first_record: if from.is_none() {
                    first_record(db, m)
                } else {
                    None
                },
            }
        })
        .collect();
    chain.sort_by_key(|e| {
        let start = e.from.or(e.first_record);
        (start.map_or(OPEN_START, |f| f.lo), e.node)
    });
    let (qlo, qhi) = (at.earliest(), at.latest());
    let possible = |e: &Era| {
        let started = e.from.or(e.first_record).is_none_or(|f| f.lo <= qhi);
        let not_ended = e.until.is_none_or(|u| u.hi > qlo);
        started && not_ended
    };
    let surely_throughout = |e: &Era| {
        let started = e.from.or(e.first_record).is_some_and(|f| f.hi <= qlo);
        let not_ended = e.until.is_none_or(|u| u.lo > qhi);
        started && not_ended
    };
    let candidates: Vec<NodeId> = chain
        .iter()
        .filter(|e| possible(e))
        .map(|e| e.node)
        .collect();
    let certain = candidates.len() == 1
        && chain
            .iter()
            .any(|e| e.node == candidates[0] && surely_throughout(e));
    let mut succeeded_by = Vec::new();
    let mut before_start = false;
    if candidates.is_empty() {
        let started_after = |e: &Era| e.from.or(e.first_record).is_some_and(|f| f.lo > qhi);
        before_start = chain.iter().all(started_after);
        if !before_start && follow {
            // the members that ended by the date: what they merged or divided into
            let ended = chain
                .iter()
                .filter(|e| e.until.is_some_and(|u| u.lo <= qhi));
            for e in ended {
                for x in db.out_edges(e.node) {
                    let k = db.edge_kind(x);
                    if k != EdgeKind::Merger && k != EdgeKind::Division {
                        continue;
                    }
                    let (_, to) = db.endpoints(x);
                    succeeded_by.push(Successor {
                        edge: x,
                        then: name_at_inner(db, to, at, false).candidates,
                    });
                }
            }
        }
    }
    NameAt {
        chain,
        candidates,
        certain,
        succeeded_by,
        before_start,
    }
}
