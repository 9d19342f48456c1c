//! What the arguments select: edge kinds, date ranges, the filter of a traversal, the nodes of a
//! picture or an export.

use std::collections::BTreeSet;

use lineage::date::Day;
use lineage::query::{self, Direction, Filter};
use lineage::render::Selection;
use lineage::{DateSpec, Db, KindSet, NodeId};

use super::{Fail, user};
use crate::cli::{KindsArg, RangeArgs, SelectArgs};

pub(super) fn kinds(k: &KindsArg) -> KindSet {
    if k.kinds.is_empty() {
        KindSet::LINEAGE
    } else {
        k.kinds.iter().copied().collect()
    }
}

/// `--since`/`--until` as days, refusing a range that ends before it begins.
pub(super) fn range(r: &RangeArgs) -> Result<(Option<Day>, Option<Day>), Fail> {
    if let (Some(s), Some(u)) = (&r.since, &r.until)
        && s.earliest() > u.latest()
    {
        return Err(user(format!(
            "--since {} is after --until {}: the range holds no date",
            s.as_str(),
            u.as_str()
        )));
    }
    Ok((
        r.since.as_ref().map(|d| d.earliest()),
        r.until.as_ref().map(|d| d.latest()),
    ))
}

pub(super) fn filter(
    k: &KindsArg,
    depth: Option<u32>,
    at: Option<&DateSpec>,
    r: &RangeArgs,
) -> Result<Filter, Fail> {
    let (since, until) = range(r)?;
    Ok(Filter {
        kinds: kinds(k),
        max_depth: depth,
        at: at.map(|d| d.latest()),
        since,
        until,
    })
}

/// `lineage validate`.
/// The nodes named and their ancestors and descendants; `None` when no name is given.
pub(super) fn lineage_of(db: &Db, names: &[String]) -> Result<Option<BTreeSet<NodeId>>, Fail> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut set = BTreeSet::new();
    for name in names {
        let n = db.resolve(name)?;
        set.insert(n);
        for d in [Direction::Ancestors, Direction::Descendants] {
            let c = query::closure(db, n, d, &Filter::default());
            set.extend(c.hits.into_iter().map(|h| h.node));
        }
    }
    Ok(Some(set))
}

/// What a picture or an export shows: the whole graph, or closures around the names given.
/// With `--kinds`, exactly the edges of those kinds (membership and people's edges included
/// only when named), and with `--people` the people at an end of one of them.
pub(super) fn selection(db: &Db, s: &SelectArgs) -> Result<Selection, Fail> {
    let mut sel = selection_unfiltered(db, s)?;
    if !s.kinds.kinds.is_empty() {
        let kinds: KindSet = s.kinds.kinds.iter().copied().collect();
        sel.edges.retain(|&e| kinds.contains(db.edge_kind(e)));
        if s.people {
            let ends: BTreeSet<NodeId> = sel
                .edges
                .iter()
                .flat_map(|&e| {
                    let (a, b) = db.endpoints(e);
                    [a, b]
                })
                .collect();
            sel.nodes
                .retain(|n| db.kind(*n) != lineage::NodeKind::Person || ends.contains(n));
        }
    }
    Ok(sel)
}

fn selection_unfiltered(db: &Db, s: &SelectArgs) -> Result<Selection, Fail> {
    let (since, until) = range(&s.range)?;
    let f = Filter {
        kinds: if s.kinds.kinds.is_empty() {
            KindSet::LINEAGE
        } else {
            s.kinds.kinds.iter().copied().collect()
        },
        max_depth: None,
        at: None,
        since,
        until,
    };
    if s.names.is_empty() {
        if s.ancestors || s.descendants {
            return Err(user("--ancestors/--descendants need a name"));
        }
        return Ok(Selection::all(db, s.people, &f));
    }
    let roots = s
        .names
        .iter()
        .map(|n| db.resolve(n))
        .collect::<Result<Vec<_>, _>>()?;
    let dir = if s.ancestors {
        Some(Direction::Ancestors)
    } else if s.descendants {
        Some(Direction::Descendants)
    } else {
        None
    };
    Ok(Selection::around(db, &roots, dir, &f, s.people))
}
