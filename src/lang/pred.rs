//! The tests on single nodes and their date conditions: whether a node's dates, an edge's or
//! a term's lie within a date, surely or possibly.

use super::plan::{Mode, Pred, When};
use crate::date::{DateSpec, Day, Interval, OPEN_END, OPEN_START};
use crate::db::{Db, NodeId};

/// Whether an interval (None: unknown) lies within the date: wholly (sure) or in part (maybe).
/// An unknown interval may lie anywhere: never surely within, possibly within when
/// `unknown_may` is set.
pub fn within(iv: Option<Interval>, w: &When, unknown_may: bool) -> bool {
    let (qlo, qhi) = (w.date.earliest(), w.date.latest());
    match (iv, w.mode) {
        (None, Mode::Sure) => false,
        (None, Mode::Maybe) => unknown_may,
        (Some(i), Mode::Sure) => i.lo >= qlo && i.hi <= qhi,
        (Some(i), Mode::Maybe) => i.lo <= qhi && i.hi >= qlo,
    }
}

/// Whether a node that began in `begin` and ended in `end` (None: not ended) existed at some
/// day of the date: surely, or possibly. Existing on day t means beginning on or before t and
/// ending after it.
pub fn alive(begin: Option<Interval>, end: Option<Interval>, w: &When) -> bool {
    let (qlo, qhi) = (w.date.earliest(), w.date.latest());
    let (from, to): (Day, Day) = match w.mode {
        Mode::Sure => match begin {
            None => return false,
            Some(b) => (b.hi, end.map_or(OPEN_END, |e| e.lo.saturating_sub(1))),
        },
        Mode::Maybe => (
            begin.map_or(OPEN_START, |b| b.lo),
            end.map_or(OPEN_END, |e| e.hi.saturating_sub(1)),
        ),
    };
    from.max(qlo) <= to.min(qhi)
}

/// Whether a term from `from` until `until` (both inclusive, either unknown) covered some day
/// of the date, surely or possibly. A term with no known start never surely covers a day.
pub fn term_meets(from: Option<&DateSpec>, until: Option<&DateSpec>, w: &When) -> bool {
    let (qlo, qhi) = (w.date.earliest(), w.date.latest());
    let (a, b) = match w.mode {
        Mode::Sure => match from {
            None => return false,
            Some(f) => (f.latest(), until.map_or(OPEN_END, |u| u.earliest())),
        },
        Mode::Maybe => (
            from.map_or(OPEN_START, |f| f.earliest()),
            until.map_or(OPEN_END, |u| u.latest()),
        ),
    };
    a.max(qlo) <= b.min(qhi)
}

/// A predicate made ready for testing many nodes (a name pattern is matched against the name
/// index once).
pub(super) enum Test<'p> {
    Simple(&'p Pred),
    Nodes(Vec<u32>),
}

impl<'p> Test<'p> {
    pub(super) fn new(db: &Db, p: &'p Pred) -> Test<'p> {
        match p {
            Pred::Name { folded, exact } => {
                let mut v: Vec<u32> = Vec::new();
                for (key, posts) in db.keys() {
                    let hit = if *exact {
                        key == folded
                    } else {
                        key.contains(folded.as_str()) || strsim::jaro_winkler(folded, key) >= 0.9
                    };
                    if hit {
                        v.extend_from_slice(posts);
                    }
                }
                v.sort_unstable();
                v.dedup();
                Test::Nodes(v)
            }
            p => Test::Simple(p),
        }
    }

    pub(super) fn pass(&self, db: &Db, n: NodeId) -> bool {
        let p = match self {
            Test::Nodes(v) => return v.binary_search(&n.0).is_ok(),
            Test::Simple(p) => p,
        };
        match p {
            Pred::Kind(k) => k.contains(&db.kind(n)),
            Pred::Name { .. } => unreachable!("prepared as Nodes"),
            Pred::Alive(w) => alive(db.begin(n), db.end(n), w),
            Pred::Founded(w) => within(db.begin(n), w, true),
            Pred::Ended(w) => within(db.end(n), w, false),
            Pred::Sourced(src) => {
                let node = db.node(n);
                node.sources.iter().any(|s| s == src)
                    || node
                        .founded
                        .iter()
                        .chain(&node.registered)
                        .chain(&node.ended)
                        .any(|c| c.sources.iter().any(|s| s == src))
                    || node
                        .events
                        .iter()
                        .any(|e| e.sources.iter().any(|s| s == src))
            }
            Pred::Disputed => {
                let node = db.node(n);
                let differ = |c: &[crate::model::Claim]| c.iter().any(|x| x.date != c[0].date);
                differ(&node.founded)
                    || differ(&node.registered)
                    || differ(&node.ended)
                    || db
                        .in_edges(n)
                        .chain(db.out_edges(n))
                        .any(|e| db.edge_kind(e).is_lineage() && differ(&db.edge(e).date))
            }
            Pred::Ext(scheme, id) => db.node(n).external_ids.iter().any(|x| {
                x.scheme.eq_ignore_ascii_case(scheme)
                    && id.as_ref().is_none_or(|i| x.id.eq_ignore_ascii_case(i))
            }),
        }
    }
}
