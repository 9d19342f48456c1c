//! Lineage queries over a [`Db`]: ancestors and descendants, paths, common ancestors, the name
//! in force at a date, leaders, fuzzy search and timelines.
//!
//! Every query follows the same doc template: what it does, arguments, returns, complexity, and
//! an example that runs as a doctest.

mod chains;
mod closure;
mod closure_set;
mod common;
mod leaders;
mod name_at;
mod path;
mod selection;
mod stats;
mod timeline;

pub use crate::db::{SearchHit, search};
pub use chains::{chain, chains_among};
pub use closure::{Closure, Hit, Via, closure, reach};
pub use closure_set::{closure_set, closure_set_where};
pub use common::{Common, common_ancestors};
pub use leaders::{Leader, leaders};
pub use name_at::{Era, NameAt, name_at};
pub use path::{Hop, path};
pub use selection::Selection;
pub use stats::{Counts, Stats, stats};
pub use timeline::{TimelineEntry, placed, timeline};

use crate::date::{Day, Interval};
use crate::db::{Db, EdgeId};
use crate::model::KindSet;

/// Which way a closure runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Towards what came before (parents, predecessors, founders).
    Ancestors,
    /// Towards what came after.
    Descendants,
}

/// Filters for [`closure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// Edge kinds followed (default: the five lineage kinds).
    pub kinds: KindSet,
    /// The deepest generation returned (renamings do not count); `None`: no limit.
    pub max_depth: Option<u32>,
    /// Follow only hops that had happened by this day. A hop whose date interval straddles the
    /// day, or that is undated, is followed but its results are marked uncertain.
    pub at: Option<Day>,
    /// Follow only hops that may have happened on or after this day (undated hops are kept).
    pub since: Option<Day>,
    /// Follow only hops that may have happened on or before this day (undated hops are kept).
    pub until: Option<Day>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            kinds: KindSet::LINEAGE,
            max_depth: None,
            at: None,
            since: None,
            until: None,
        }
    }
}

/// How a hop fares against a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    No,
    Sure,
    Maybe,
}

impl Filter {
    /// Whether any date bound is set (only then are the edges' dates looked at).
    fn dated(&self) -> bool {
        self.at.is_some() || self.since.is_some() || self.until.is_some()
    }

    /// How a hop dated `when` ([`Db::edge_when`]) fares against the date bounds (its kind
    /// already passed).
    fn pass_when(&self, when: Option<Interval>) -> Pass {
        if let (Some(s), Some(Interval { hi, .. })) = (self.since, when)
            && hi < s
        {
            return Pass::No;
        }
        if let (Some(u), Some(Interval { lo, .. })) = (self.until, when)
            && lo > u
        {
            return Pass::No;
        }
        match (self.at, when) {
            (None, _) => Pass::Sure,
            (Some(_), None) => Pass::Maybe,
            (Some(at), Some(Interval { lo, hi })) => {
                if hi <= at {
                    Pass::Sure
                } else if lo <= at {
                    Pass::Maybe
                } else {
                    Pass::No
                }
            }
        }
    }

    /// How a hop of kind code `code` ([`Db::slot_kinds`]) over edge `edge` fares; the edge's
    /// date is looked up only when the filter is dated.
    fn pass_slot(&self, db: &Db, code: u8, edge: u32) -> Pass {
        if !self.kinds.contains_code(code) {
            return Pass::No;
        }
        if !self.dated() {
            return Pass::Sure;
        }
        self.pass_when(db.edge_when(EdgeId(edge)))
    }
}
