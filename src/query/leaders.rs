//! The leaders of an organisation, optionally at a date.

use crate::date::{DateSpec, Day, OPEN_START};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::EdgeKind;

/// A leader of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    /// The person.
    pub person: NodeId,
    /// The leadership edge (role and term are on it).
    pub edge: EdgeId,
}

/// The leaders of an organisation, optionally at a date.
///
/// # Arguments
/// - `db`, `org`; `at`: when given, only leaders whose term may cover some day of it (a term
///   with unknown ends is kept).
///
/// # Returns
/// The leadership edges into `org`, ordered by term start, then person id.
///
/// # Complexity
/// O(d log d) for the node's in-degree d.
///
/// # Example
/// ```
/// use lineage::{Db, query::leaders};
/// let db = Db::embedded().unwrap();
/// let l = leaders(&db, db.resolve("Civic Party").unwrap(), None);
/// assert!(!l.is_empty());
/// ```
pub fn leaders(db: &Db, org: NodeId, at: Option<&DateSpec>) -> Vec<Leader> {
    let mut out: Vec<(Day, Leader)> = Vec::new();
    for e in db.in_edges(org) {
        if db.edge_kind(e) != EdgeKind::Leadership {
            continue;
        }
        let edge = db.edge(e);
        let (from, until) = match &edge.term {
            Some(t) => (t.from.clone(), t.until.clone()),
            None => (None, None),
        };
        if let Some(at) = at {
            if from.as_ref().is_some_and(|f| f.earliest() > at.latest()) {
                continue;
            }
            if until.as_ref().is_some_and(|u| u.latest() < at.earliest()) {
                continue;
            }
        }
        let start = from.map_or(OPEN_START, |f| f.earliest());
        out.push((
            start,
            Leader {
                person: db.endpoints(e).0,
                edge: e,
            },
        ));
    }
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.person.cmp(&b.1.person))
            .then(a.1.edge.cmp(&b.1.edge))
    });
    out.into_iter().map(|x| x.1).collect()
}
