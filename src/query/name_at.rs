//! What an organisation was called at a date: the member of its renaming chain in force then.

use crate::date::{DateSpec, Interval, OPEN_START};
use crate::db::{Db, NodeId};
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
/// # Returns
/// [`NameAt`]: the chain with each era, the candidates, and whether the answer is certain. No
/// candidate means no member existed yet (or any more) at that date.
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
            Era {
                node: m,
                from: into.or_else(|| db.begin(m)),
                until: out.or_else(|| db.end(m)),
            }
        })
        .collect();
    chain.sort_by_key(|e| (e.from.map_or(OPEN_START, |f| f.lo), e.node));
    let (qlo, qhi) = (at.earliest(), at.latest());
    let possible = |e: &Era| {
        let started = e.from.is_none_or(|f| f.lo <= qhi);
        let not_ended = e.until.is_none_or(|u| u.hi > qlo);
        started && not_ended
    };
    let surely_throughout = |e: &Era| {
        let started = e.from.is_some_and(|f| f.hi <= qlo);
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
    NameAt {
        chain,
        candidates,
        certain,
    }
}
