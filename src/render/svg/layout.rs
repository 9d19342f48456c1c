//! The timeline's layout: when each name-era began and ended (and how surely), the bars of
//! renaming chains packed into lanes, and the connectors between them.
//!
//! Longer than the others because `layout` is one pass that needs every fact about a node at
//! once; its steps are marked with comments.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::*;
use crate::date::{Day, Interval, OPEN_END, OPEN_START};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet, NodeKind};

/// How an end of a bar is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// A date within a month: a crisp end.
    Exact,
    /// A date known only to a longer period: a faded end across it.
    Uncertain,
    /// No date recorded; placed by a relation: a hatched end.
    Inferred,
    /// No end recorded: a fade after the last known fact.
    Open,
}

/// One end of a bar, in fractional years: the solid part starts (or stops) at the inner bound.
#[derive(Debug, Clone, Copy)]
pub(super) struct End {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) how: How,
}

impl End {
    /// An end from a day interval (either bound may be open, not both).
    pub(super) fn of(lo: Day, hi: Day) -> Option<End> {
        match (lo == OPEN_START, hi == OPEN_END) {
            (true, true) => None,
            (true, false) => {
                let h = fyear(hi) + 1.0 / 365.0;
                Some(End {
                    lo: h - 2.0,
                    hi: h,
                    how: How::Uncertain,
                })
            }
            (false, true) => {
                let l = fyear(lo);
                Some(End {
                    lo: l,
                    hi: l + 2.0,
                    how: How::Uncertain,
                })
            }
            (false, false) if hi - lo <= 31 => {
                let m = (fyear(lo) + fyear(hi)) / 2.0;
                Some(End {
                    lo: m,
                    hi: m,
                    how: How::Exact,
                })
            }
            (false, false) => Some(End {
                lo: fyear(lo),
                hi: fyear(hi) + 1.0 / 365.0,
                how: How::Uncertain,
            }),
        }
    }
}

/// The one place on the time axis where a dated thing is drawn: the middle of its interval, or
/// its bounded end.
pub(super) fn point_of(lo: Day, hi: Day) -> Option<f64> {
    End::of(lo, hi).map(|e| match (lo == OPEN_START, hi == OPEN_END) {
        (true, _) => e.hi,
        (_, true) => e.lo,
        _ => (e.lo + e.hi) / 2.0,
    })
}

/// One name of an organisation and when it was in force.
#[derive(Debug, Clone)]
pub(super) struct Era {
    pub(super) node: NodeId,
    pub(super) start: End,
    pub(super) end: End,
}

/// One organisation: its eras, oldest first, and its place.
#[derive(Debug, Clone)]
pub(super) struct Bar {
    pub(super) eras: Vec<Era>,
    pub(super) lane: usize,
    /// Label left edges, one per era, in pixels.
    pub(super) label_x: Vec<f64>,
}

impl Bar {
    pub(super) fn start(&self) -> f64 {
        self.eras
            .iter()
            .map(|e| e.start.lo)
            .fold(f64::INFINITY, f64::min)
    }

    pub(super) fn end(&self) -> f64 {
        self.eras
            .iter()
            .map(|e| e.end.hi)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Everything known about when a node existed, as day intervals: founding, registration, end,
/// events and every dated edge touching it.
pub(super) fn facts(db: &Db, n: NodeId) -> Vec<Interval> {
    let node = db.node(n);
    let mut v: Vec<Interval> = node
        .founded
        .iter()
        .chain(&node.registered)
        .chain(&node.ended)
        .map(|c| c.date.interval())
        .chain(node.events.iter().map(|e| e.date.interval()))
        .collect();
    v.extend(
        db.in_edges(n)
            .chain(db.out_edges(n))
            .filter_map(|e| db.edge_when(e)),
    );
    v
}

/// The layout: bars with lanes, the connectors between them, and what could not be placed.
pub(super) struct Layout {
    pub(super) bars: Vec<Bar>,
    /// (edge, from node, to node, x in years, whether its date is uncertain or unknown).
    pub(super) connectors: Vec<(EdgeId, NodeId, NodeId, f64, bool)>,
    pub(super) undrawn: Vec<NodeId>,
    /// The time window drawn, in fractional years.
    pub(super) t0: f64,
    pub(super) t1: f64,
    /// Pixels per year.
    pub(super) scale: f64,
    pub(super) lanes: usize,
}

impl Layout {
    pub(super) fn x(&self, t: f64) -> f64 {
        LEFT + (t.clamp(self.t0, self.t1) - self.t0) * self.scale
    }
}

pub(super) fn layout(db: &Db, nodes: Option<&BTreeSet<NodeId>>, cfg: &TimelineConfig) -> Layout {
    let chosen: BTreeSet<NodeId> = match nodes {
        Some(s) => s
            .iter()
            .copied()
            .filter(|n| db.kind(*n) != NodeKind::Person)
            .collect(),
        None => db
            .node_ids()
            .filter(|n| db.kind(*n) != NodeKind::Person)
            .collect(),
    };

    // Renaming chains: one bar each.
    let renamings = KindSet::empty().with(EdgeKind::Renaming);
    let mut chain_of: BTreeMap<NodeId, NodeId> = chosen.iter().map(|n| (*n, *n)).collect();
    for group in crate::query::chains_among(db, &chosen, db.edge_ids(), renamings) {
        for &n in &group {
            chain_of.insert(n, group[0]);
        }
    }
    let renamed_in = |n: NodeId| {
        db.in_edges(n)
            .filter(|e| {
                db.edge_kind(*e) == EdgeKind::Renaming && chosen.contains(&db.endpoints(*e).0)
            })
            .filter_map(|e| db.edge_when(e))
            .reduce(Interval::hull)
    };
    let renamed_out = |n: NodeId| {
        db.out_edges(n)
            .filter(|e| {
                db.edge_kind(*e) == EdgeKind::Renaming && chosen.contains(&db.endpoints(*e).1)
            })
            .filter_map(|e| db.edge_when(e))
            .reduce(Interval::hull)
    };

    // Eras.
    let mut eras: BTreeMap<NodeId, Era> = BTreeMap::new();
    let mut undrawn = Vec::new();
    for &n in &chosen {
        let fs = facts(db, n);
        let first_fact = fs
            .iter()
            .filter_map(|w| point_of(w.lo, w.hi))
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.min(t))));
        let last_fact = fs
            .iter()
            .filter_map(|w| point_of(w.lo, w.hi))
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))));
        let made = db
            .in_edges(n)
            .filter(|e| {
                matches!(
                    db.edge_kind(*e),
                    EdgeKind::Split
                        | EdgeKind::Reorganisation
                        | EdgeKind::Founding
                        | EdgeKind::Division
                )
            })
            .filter_map(|e| db.edge_when(e))
            .reduce(Interval::hull);
        let ceased = db
            .out_edges(n)
            .filter(|e| {
                matches!(
                    db.edge_kind(*e),
                    EdgeKind::Merger | EdgeKind::Reorganisation | EdgeKind::Division
                )
            })
            .filter_map(|e| db.edge_when(e))
            .reduce(Interval::hull);
        let start = renamed_in(n)
            .or_else(|| db.begin(n))
            .or(made)
            .and_then(|w| End::of(w.lo, w.hi))
            .or_else(|| {
                first_fact.map(|t| End {
                    lo: t - HATCH_YEARS,
                    hi: t,
                    how: How::Inferred,
                })
            });
        let Some(start) = start else {
            undrawn.push(n);
            continue;
        };
        let end = renamed_out(n)
            .or_else(|| db.end(n))
            .or(ceased)
            .and_then(|w| End::of(w.lo, w.hi))
            .unwrap_or_else(|| {
                let from = last_fact.unwrap_or(start.hi).max(start.hi);
                End {
                    lo: from,
                    hi: from + OPEN_FADE_YEARS,
                    how: How::Open,
                }
            });
        // An end before the start (inconsistent sources): keep the bar visible, one hatch long.
        let end = if end.lo < start.hi {
            End {
                lo: start.hi,
                hi: end.hi.max(start.hi),
                how: end.how,
            }
        } else {
            end
        };
        eras.insert(
            n,
            Era {
                node: n,
                start,
                end,
            },
        );
    }

    // The window.
    let lo_all = eras
        .values()
        .map(|e| e.start.lo)
        .fold(f64::INFINITY, f64::min);
    let hi_all = eras
        .values()
        .map(|e| match e.end.how {
            // an open fade may run past the last fact, but not years past the data
            How::Open => e.end.lo + 1.0,
            _ => e.end.hi,
        })
        .fold(f64::NEG_INFINITY, f64::max);
    let (mut t0, mut t1) = if eras.is_empty() {
        (2000.0, 2001.0)
    } else {
        (lo_all.floor(), (hi_all + 1e-9).ceil())
    };
    if let Some(s) = cfg.since.and_then(|d| point_of(d, d)) {
        t0 = t0.max(s.floor());
    }
    if let Some(u) = cfg.until.and_then(|d| point_of(d, d)) {
        t1 = t1.min(u.floor() + 1.0);
    }
    if t1 <= t0 {
        t1 = t0 + 1.0;
    }
    let span = t1 - t0;
    let scale = (1400.0 / span).clamp(4.0, 30.0);

    // Drop what lies outside the window.
    eras.retain(|_, e| e.end.hi > t0 && e.start.lo < t1);

    // Bars.
    let mut groups: BTreeMap<NodeId, Vec<Era>> = BTreeMap::new();
    for (n, era) in &eras {
        groups.entry(chain_of[n]).or_default().push(era.clone());
    }
    let mut bars: Vec<Bar> = groups
        .into_values()
        .map(|mut v| {
            v.sort_by(|a, b| a.start.lo.total_cmp(&b.start.lo).then(a.node.cmp(&b.node)));
            Bar {
                eras: v,
                lane: 0,
                label_x: Vec::new(),
            }
        })
        .collect();
    bars.sort_by(|a, b| {
        a.start()
            .total_cmp(&b.start())
            .then(a.eras[0].node.cmp(&b.eras[0].node))
    });
    let bar_of: BTreeMap<NodeId, usize> = bars
        .iter()
        .enumerate()
        .flat_map(|(i, b)| b.eras.iter().map(move |e| (e.node, i)))
        .collect();

    let px = |t: f64| LEFT + (t.clamp(t0, t1) - t0) * scale;
    // Label positions and the extent of each bar in pixels.
    let mut extent = Vec::with_capacity(bars.len());
    for bar in &mut bars {
        let mut right = px(bar.end());
        let mut prev_end = f64::NEG_INFINITY;
        for era in &bar.eras {
            let x = px(era.start.lo).max(prev_end + 6.0);
            bar.label_x.push(x);
            prev_end = x + text_width(db.name(era.node), LABEL_SIZE);
            right = right.max(prev_end);
        }
        extent.push((px(bar.start()), right));
    }

    // Connectors.
    let mut connectors = Vec::new();
    let mut neighbours: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); bars.len()];
    for e in db.edge_ids() {
        let kind = db.edge_kind(e);
        if !CONNECTORS.contains(&kind) {
            continue;
        }
        let (a, b) = db.endpoints(e);
        let (Some(&ba), Some(&bb)) = (bar_of.get(&a), bar_of.get(&b)) else {
            continue;
        };
        if ba == bb {
            continue;
        }
        let (t, uncertain) = match db.edge_when(e) {
            Some(Interval { lo, hi }) => match point_of(lo, hi) {
                Some(t) => (t, lo == OPEN_START || hi == OPEN_END || hi - lo > 31),
                None => continue,
            },
            None => {
                // undated: where the later organisation begins, or the earlier one ends
                let t = if kind == EdgeKind::Merger {
                    eras[&a].end.lo
                } else {
                    eras[&b].start.hi
                };
                (t, true)
            }
        };
        if t < t0 || t > t1 {
            continue;
        }
        connectors.push((e, a, b, t, uncertain));
        neighbours[ba].insert(bb);
        neighbours[bb].insert(ba);
    }

    // Lanes: connected bars in neighbouring lanes (never the same one), components packed into
    // the free space of earlier ones.
    let fits = |lane: &[(f64, f64)], (x0, x1): (f64, f64)| {
        lane.iter().all(|&(a, b)| x1 + GAP <= a || b + GAP <= x0)
    };
    let mut global: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut done = vec![false; bars.len()];
    for seed in 0..bars.len() {
        if done[seed] {
            continue;
        }
        // Breadth-first through the component, neighbours by start.
        let mut order = Vec::new();
        let mut queue = VecDeque::from([seed]);
        done[seed] = true;
        while let Some(i) = queue.pop_front() {
            order.push(i);
            for &j in &neighbours[i] {
                if !done[j] {
                    done[j] = true;
                    queue.push_back(j);
                }
            }
        }
        let mut rel: BTreeMap<i64, Vec<(f64, f64)>> = BTreeMap::new();
        let mut lane_of: BTreeMap<usize, i64> = BTreeMap::new();
        for &i in &order {
            let placed: Vec<i64> = neighbours[i]
                .iter()
                .filter_map(|j| lane_of.get(j).copied())
                .collect();
            let pref = if placed.is_empty() {
                0
            } else {
                (placed.iter().sum::<i64>() as f64 / placed.len() as f64).round() as i64
            };
            let mut k = 0i64;
            let lane = loop {
                // pref, pref+1, pref-1, pref+2, …
                let cand = pref + if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) };
                k += 1;
                if placed.contains(&cand) {
                    continue;
                }
                if fits(rel.get(&cand).map_or(&[][..], |v| v), extent[i]) {
                    break cand;
                }
            };
            rel.entry(lane).or_default().push(extent[i]);
            lane_of.insert(i, lane);
        }
        let min = rel.keys().next().copied().unwrap_or(0);
        let mut offset = 0usize;
        loop {
            let ok = rel.iter().all(|(l, xs)| {
                let g = (l - min) as usize + offset;
                g >= global.len() || xs.iter().all(|x| fits(&global[g], *x))
            });
            if ok {
                break;
            }
            offset += 1;
        }
        for (l, xs) in rel {
            let g = (l - min) as usize + offset;
            if g >= global.len() {
                global.resize(g + 1, Vec::new());
            }
            global[g].extend(xs);
        }
        for (i, l) in lane_of {
            bars[i].lane = (l - min) as usize + offset;
        }
    }
    let lanes = global.len();
    connectors.sort_by(|a, b| a.3.total_cmp(&b.3).then(a.0.cmp(&b.0)));
    Layout {
        bars,
        connectors,
        undrawn,
        t0,
        t1,
        scale,
        lanes,
    }
}
