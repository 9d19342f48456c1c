//! SVG timelines, in pure Rust.
//!
//! [`Timeline`] draws organisations as horizontal bars along a year axis, in the manner of the
//! party timelines on Wikipedia or the GNU/Linux distribution timeline:
//!
//! - one bar per organisation, from its founding to its end; an organisation that was renamed is
//!   one bar made of segments, one per name (era), each labelled with that name;
//! - connectors at their dates for splits, mergers, reorganisations and foundings, from the bar
//!   of one organisation to the bar of the other;
//! - an end known only to a period (`1998`, `early 1995`, `before 1991`) fades in or out across
//!   that period; an end with no date recorded, placed by the organisation's relations instead,
//!   is hatched; an organisation with no end recorded fades out after its last known fact;
//! - lanes are packed so that bars (and their labels) never overlap, and connected organisations
//!   sit in neighbouring lanes;
//! - a legend explains the colours, connectors and ends.
//!
//! The output is one self-contained SVG document: no scripts, no external references, every text
//! XML-escaped, and the same bytes for the same input.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use crate::date::{Day, Interval, OPEN_END, OPEN_START, civil_from_days, days_from_civil};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet, NodeKind};

/// What to draw, besides the bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineConfig {
    /// Draw only what may fall on or after this day.
    pub since: Option<Day>,
    /// Draw only what may fall on or before this day.
    pub until: Option<Day>,
    /// Draw a legend.
    pub legend: bool,
    /// The heading (empty: none).
    pub title: String,
}

impl Default for TimelineConfig {
    fn default() -> Self {
        TimelineConfig {
            since: None,
            until: None,
            legend: true,
            title: "Lineage timeline".to_string(),
        }
    }
}

/// An SVG timeline chart of some organisations, as a `Display` wrapper.
///
/// ```
/// use lineage::render::svg::{Timeline, TimelineConfig};
/// let db = lineage::open(std::path::Path::new("tests/fixtures/sample.ron")).unwrap();
/// let svg = Timeline { db: &db, nodes: None, cfg: TimelineConfig::default() }.to_string();
/// assert!(svg.contains("<svg") && svg.contains(">Nur Otan</text>"));
/// ```
pub struct Timeline<'a> {
    /// The database.
    pub db: &'a Db,
    /// The organisations to draw (`None`: every organisation). People are never drawn.
    pub nodes: Option<&'a BTreeSet<NodeId>>,
    /// How.
    pub cfg: TimelineConfig,
}

/// Draws a timeline of the given organisations (all organisations when `None`), limited to the
/// window `since..=until` when given, with a legend.
pub fn timeline_svg(
    db: &Db,
    nodes: Option<&BTreeSet<NodeId>>,
    since: Option<Day>,
    until: Option<Day>,
) -> String {
    Timeline {
        db,
        nodes,
        cfg: TimelineConfig {
            since,
            until,
            ..TimelineConfig::default()
        },
    }
    .to_string()
}

/// Escapes text for XML content and attribute values. Characters XML 1.0 cannot hold (C0
/// controls other than tab, line feed and carriage return; U+FFFE, U+FFFF) become U+FFFD.
pub fn xml_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

// ---- geometry ---------------------------------------------------------------------------------

const FONT: &str = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
const LABEL_SIZE: f64 = 11.0;
const LANE_H: f64 = 32.0;
const LABEL_DY: f64 = 11.0;
const BAR_DY: f64 = 14.0;
const BAR_H: f64 = 12.0;
const LEFT: f64 = 24.0;
const RIGHT: f64 = 24.0;
const GAP: f64 = 12.0;
/// How long an end with no date recorded is hatched, and how long an open end fades, in years.
const HATCH_YEARS: f64 = 1.0;
const OPEN_FADE_YEARS: f64 = 6.0;

/// A day as a fractional year (1998-07-02 ≈ 1998.5).
fn fyear(d: Day) -> f64 {
    let (y, _, _) = civil_from_days(d);
    let a = days_from_civil(y, 1, 1);
    let b = days_from_civil(y + 1, 1, 1);
    f64::from(y) + f64::from(d - a) / f64::from(b - a)
}

/// The width of a text in pixels, estimated (no font metrics): generous, so that labels never
/// overlap.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | '\'' | '|' | '!' | ':' | ';' | 'I' => 0.32,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '-' | '"' => 0.4,
            'm' | 'w' | 'M' | 'W' | 'Ш' | 'Щ' | 'Ж' | 'ш' | 'щ' | 'ж' => 0.92,
            c if (c as u32) >= 0x2E80 => 1.0,
            c if c.is_uppercase() => 0.72,
            _ => 0.6,
        })
        .sum::<f64>()
        * size
}

/// How an end of a bar is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
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
struct End {
    lo: f64,
    hi: f64,
    how: How,
}

impl End {
    /// An end from a day interval (either bound may be open, not both).
    fn of(lo: Day, hi: Day) -> Option<End> {
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
fn point_of(lo: Day, hi: Day) -> Option<f64> {
    End::of(lo, hi).map(|e| match (lo == OPEN_START, hi == OPEN_END) {
        (true, _) => e.hi,
        (_, true) => e.lo,
        _ => (e.lo + e.hi) / 2.0,
    })
}

/// One name of an organisation and when it was in force.
#[derive(Debug, Clone)]
struct Era {
    node: NodeId,
    start: End,
    end: End,
}

/// One organisation: its eras, oldest first, and its place.
#[derive(Debug, Clone)]
struct Bar {
    eras: Vec<Era>,
    lane: usize,
    /// Label left edges, one per era, in pixels.
    label_x: Vec<f64>,
}

impl Bar {
    fn start(&self) -> f64 {
        self.eras
            .iter()
            .map(|e| e.start.lo)
            .fold(f64::INFINITY, f64::min)
    }

    fn end(&self) -> f64 {
        self.eras
            .iter()
            .map(|e| e.end.hi)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

const CONNECTORS: [EdgeKind; 5] = [
    EdgeKind::Split,
    EdgeKind::Merger,
    EdgeKind::Reorganisation,
    EdgeKind::Founding,
    EdgeKind::Division,
];

/// The colour of a node kind's bars.
fn kind_color(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Party => "#4a86c5",
        NodeKind::Movement => "#5d9c45",
        NodeKind::Bloc => "#c9a016",
        NodeKind::Organisation => "#d9772e",
        NodeKind::Person => "#888888",
    }
}

/// The stroke colour and dash pattern of a connector kind (matching the DOT styles).
fn connector_style(k: EdgeKind) -> (&'static str, &'static str) {
    match k {
        EdgeKind::Split => ("#c62828", "5 3"),
        EdgeKind::Merger => ("#1565c0", ""),
        EdgeKind::Reorganisation => ("#ef6c00", ""),
        EdgeKind::Founding => ("#6a1b9a", "1.5 2.5"),
        EdgeKind::Division => ("#ad1457", "8 2 2 2"),
        _ => ("#777777", "2 2"),
    }
}

const BAR_KINDS: [NodeKind; 4] = [
    NodeKind::Party,
    NodeKind::Movement,
    NodeKind::Bloc,
    NodeKind::Organisation,
];

/// Everything known about when a node existed, as day intervals: founding, registration, end,
/// events and every dated edge touching it.
fn facts(db: &Db, n: NodeId) -> Vec<Interval> {
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
struct Layout {
    bars: Vec<Bar>,
    /// (edge, from node, to node, x in years, whether its date is uncertain or unknown).
    connectors: Vec<(EdgeId, NodeId, NodeId, f64, bool)>,
    undrawn: Vec<NodeId>,
    /// The time window drawn, in fractional years.
    t0: f64,
    t1: f64,
    /// Pixels per year.
    scale: f64,
    lanes: usize,
}

impl Layout {
    fn x(&self, t: f64) -> f64 {
        LEFT + (t.clamp(self.t0, self.t1) - self.t0) * self.scale
    }
}

fn layout(db: &Db, nodes: Option<&BTreeSet<NodeId>>, cfg: &TimelineConfig) -> Layout {
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

/// Formats a coordinate with one decimal.
struct P(f64);

impl fmt::Display for P {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = (self.0 * 10.0).round() / 10.0;
        if v == v.trunc() {
            write!(f, "{}", v as i64)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

/// Breaks a text into lines of at most `width` pixels, at spaces.
fn wrap_px(s: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in s.split(' ') {
        let cand = if cur.is_empty() {
            w.to_string()
        } else {
            format!("{cur} {w}")
        };
        if !cur.is_empty() && text_width(&cand, size) > width {
            lines.push(std::mem::take(&mut cur));
            cur = w.to_string();
        } else {
            cur = cand;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

impl fmt::Display for Timeline<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let db = self.db;
        let l = layout(db, self.nodes, &self.cfg);
        let chart_w = (l.t1 - l.t0) * l.scale;
        let label_right = l
            .bars
            .iter()
            .flat_map(|b| {
                b.eras
                    .iter()
                    .zip(&b.label_x)
                    .map(|(e, x)| x + text_width(db.name(e.node), LABEL_SIZE))
            })
            .fold(0.0, f64::max);
        let mut width = (LEFT + chart_w + RIGHT).max(label_right + RIGHT).max(320.0);
        if self.cfg.legend {
            width = width.max(LEFT + legend_width() + RIGHT);
        }
        let title_h = if self.cfg.title.is_empty() { 8.0 } else { 34.0 };
        let axis_y = title_h + 14.0;
        let top = axis_y + 10.0;
        let chart_h = (l.lanes.max(1) as f64) * LANE_H;
        let bottom_axis = l.lanes > 14;
        let mut y = top + chart_h + if bottom_axis { 26.0 } else { 8.0 };
        let note_lines = if l.undrawn.is_empty() {
            Vec::new()
        } else {
            let names: Vec<&str> = l.undrawn.iter().map(|n| db.name(*n)).collect();
            wrap_px(
                &format!("Not drawn, no date recorded: {}.", names.join(", ")),
                width - LEFT - RIGHT,
                10.0,
            )
        };
        let note_y = y + 8.0;
        y += if note_lines.is_empty() {
            0.0
        } else {
            note_lines.len() as f64 * 13.0 + 12.0
        };
        let legend_y = y + 6.0;
        let legend_h = if self.cfg.legend { 78.0 } else { 0.0 };
        let height = legend_y + legend_h + 8.0;

        writeln!(f, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            f,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}" font-size="{LABEL_SIZE}">"#,
            w = P(width),
            h = P(height),
        )?;
        writeln!(
            f,
            "<title>{}</title>",
            xml_text(if self.cfg.title.is_empty() {
                "Lineage timeline"
            } else {
                &self.cfg.title
            })
        )?;

        // Definitions: fades and hatches per kind, arrowheads per connector kind.
        writeln!(f, "<defs>")?;
        for k in BAR_KINDS {
            let c = kind_color(k);
            for (id, a, b) in [("fade-in", 0.0, 1.0), ("fade-out", 1.0, 0.0)] {
                writeln!(
                    f,
                    r#"<linearGradient id="{id}-{k}" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="{c}" stop-opacity="{a}"/><stop offset="1" stop-color="{c}" stop-opacity="{b}"/></linearGradient>"#
                )?;
            }
            writeln!(
                f,
                r#"<pattern id="hatch-{k}" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="{c}" fill-opacity="0.18"/><rect width="2" height="5" fill="{c}"/></pattern>"#
            )?;
        }
        for k in CONNECTORS {
            let (c, _) = connector_style(k);
            writeln!(
                f,
                r#"<marker id="arrow-{k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>"#
            )?;
        }
        writeln!(
            f,
            r#"<clipPath id="chart"><rect x="{}" y="0" width="{}" height="{}"/></clipPath>"#,
            P(LEFT),
            P(chart_w),
            P(height)
        )?;
        writeln!(f, "</defs>")?;
        writeln!(
            f,
            r##"<rect x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
            P(width),
            P(height)
        )?;
        if !self.cfg.title.is_empty() {
            writeln!(
                f,
                r##"<text x="{}" y="22" font-size="16" font-weight="bold" fill="#222222">{}</text>"##,
                P(LEFT),
                xml_text(&self.cfg.title)
            )?;
        }

        // Axis and grid.
        let step = if l.scale >= 26.0 {
            1
        } else if l.scale >= 12.0 {
            2
        } else if l.scale >= 5.0 {
            5
        } else {
            10
        };
        writeln!(f, r##"<g id="axis" font-size="10" fill="#666666">"##)?;
        let (y0, y1) = (l.t0 as i64, l.t1 as i64);
        for year in (y0..=y1).filter(|_| !l.bars.is_empty()) {
            let x = l.x(year as f64);
            let major = year % step == 0;
            writeln!(
                f,
                r##"<line x1="{x}" y1="{a}" x2="{x}" y2="{b}" stroke="{c}" stroke-width="1"/>"##,
                x = P(x),
                a = P(axis_y + 2.0),
                b = P(top + chart_h),
                c = if major { "#dddddd" } else { "#f0f0f0" }
            )?;
            if major && year < y1 {
                for ty in std::iter::once(axis_y).chain(bottom_axis.then_some(top + chart_h + 14.0))
                {
                    writeln!(f, r#"<text x="{}" y="{}">{year}</text>"#, P(x + 2.0), P(ty))?;
                }
            }
        }
        writeln!(f, "</g>")?;

        // Bars.
        writeln!(f, r#"<g id="bars" clip-path="url(#chart)">"#)?;
        for bar in &l.bars {
            let by = top + bar.lane as f64 * LANE_H + BAR_DY;
            writeln!(f, r#"<g class="bar">"#)?;
            for (i, era) in bar.eras.iter().enumerate() {
                let node = db.node(era.node);
                let k = node.kind;
                let c = kind_color(k);
                writeln!(
                    f,
                    "<g><title>{}</title>",
                    xml_text(&format!(
                        "{} ({}{}{})",
                        node.name,
                        k,
                        if node.years().is_empty() { "" } else { ", " },
                        node.years()
                    ))
                )?;
                let solid0 = era.start.hi;
                let solid1 = era.end.lo;
                let start_fill = match era.start.how {
                    // a renaming: the organisation went on, only the name changed
                    _ if i > 0 => Some(c.to_string()),
                    How::Inferred => Some(format!("url(#hatch-{k})")),
                    How::Uncertain | How::Open => Some(format!("url(#fade-in-{k})")),
                    How::Exact => None,
                };
                if let Some(fill) = start_fill
                    && era.start.hi > era.start.lo
                {
                    writeln!(
                        f,
                        r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" fill="{fill}"/>"#,
                        P(l.x(era.start.lo)),
                        P(by),
                        P(l.x(era.start.hi) - l.x(era.start.lo))
                    )?;
                }
                if solid1 > solid0 {
                    writeln!(
                        f,
                        r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" fill="{c}"/>"#,
                        P(l.x(solid0)),
                        P(by),
                        P(l.x(solid1) - l.x(solid0))
                    )?;
                }
                let end_fill = match era.end.how {
                    How::Inferred => Some(format!("url(#hatch-{k})")),
                    How::Uncertain | How::Open => Some(format!("url(#fade-out-{k})")),
                    How::Exact => None,
                };
                // a renaming era's end is the next era's start: drawn there
                if let Some(fill) = end_fill
                    && era.end.hi > era.end.lo
                    && i + 1 == bar.eras.len()
                {
                    writeln!(
                        f,
                        r#"<rect x="{}" y="{}" width="{}" height="{BAR_H}" fill="{fill}"/>"#,
                        P(l.x(era.end.lo)),
                        P(by),
                        P(l.x(era.end.hi) - l.x(era.end.lo))
                    )?;
                }
                if i > 0 {
                    // the boundary between two names, in the middle of its period
                    writeln!(
                        f,
                        r##"<line x1="{x}" y1="{a}" x2="{x}" y2="{b}" stroke="#ffffff" stroke-width="2"/>"##,
                        x = P(l.x((era.start.lo + era.start.hi) / 2.0)),
                        a = P(by - 1.0),
                        b = P(by + BAR_H + 1.0)
                    )?;
                }
                writeln!(f, "</g>")?;
            }
            writeln!(f, "</g>")?;
        }
        writeln!(f, "</g>")?;

        // Connectors.
        let lane_of: BTreeMap<NodeId, usize> = l
            .bars
            .iter()
            .flat_map(|b| b.eras.iter().map(move |e| (e.node, b.lane)))
            .collect();
        writeln!(f, r#"<g id="connectors" fill="none">"#)?;
        for &(e, a, b, t, uncertain) in &l.connectors {
            let kind = db.edge_kind(e);
            let (c, dash) = connector_style(kind);
            let (la, lb) = (lane_of[&a], lane_of[&b]);
            let ya = top + la as f64 * LANE_H + BAR_DY + BAR_H / 2.0;
            let bar_top = top + lb as f64 * LANE_H + BAR_DY;
            let yb = if lb > la { bar_top } else { bar_top + BAR_H };
            let x = l.x(t);
            let edge = db.edge(e);
            writeln!(
                f,
                r#"<g{}><title>{}</title>"#,
                if uncertain { r#" opacity="0.65""# } else { "" },
                xml_text(&format!(
                    "{kind}: {} → {}, {}",
                    db.name(a),
                    db.name(b),
                    crate::render::edge_dates(&edge)
                ))
            )?;
            writeln!(
                f,
                r#"<circle cx="{}" cy="{}" r="2.5" fill="{c}"/>"#,
                P(x),
                P(ya)
            )?;
            writeln!(
                f,
                r#"<path d="M{} {} V{}" stroke="{c}" stroke-width="1.6"{} marker-end="url(#arrow-{kind})"/>"#,
                P(x),
                P(ya),
                P(yb),
                if dash.is_empty() {
                    String::new()
                } else {
                    format!(r#" stroke-dasharray="{dash}""#)
                }
            )?;
            writeln!(f, "</g>")?;
        }
        writeln!(f, "</g>")?;

        // Labels, last so that nothing covers them.
        writeln!(
            f,
            r##"<g id="labels" fill="#222222" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">"##
        )?;
        for bar in &l.bars {
            let ly = top + bar.lane as f64 * LANE_H + LABEL_DY;
            for (era, x) in bar.eras.iter().zip(&bar.label_x) {
                writeln!(
                    f,
                    r#"<text x="{}" y="{}">{}</text>"#,
                    P(*x),
                    P(ly),
                    xml_text(db.name(era.node))
                )?;
            }
        }
        writeln!(f, "</g>")?;

        if l.bars.is_empty() {
            writeln!(
                f,
                r##"<text x="{}" y="{}" fill="#666666">Nothing to draw: no organisation with a date in this selection.</text>"##,
                P(LEFT),
                P(top + 20.0)
            )?;
        }
        for (i, line) in note_lines.iter().enumerate() {
            writeln!(
                f,
                r##"<text x="{}" y="{}" font-size="10" fill="#666666">{}</text>"##,
                P(LEFT),
                P(note_y + i as f64 * 13.0),
                xml_text(line)
            )?;
        }
        if self.cfg.legend {
            write_legend(f, legend_y)?;
        }
        writeln!(f, "</svg>")
    }
}

/// The legend's third row: (text, fill) for the ends and the renaming segments.
fn legend_ends() -> [(&'static str, String); 4] {
    let k = NodeKind::Party;
    [
        ("date known to a period", format!("url(#fade-in-{k})")),
        (
            "no date recorded (placed by its relations)",
            format!("url(#hatch-{k})"),
        ),
        ("no end recorded", format!("url(#fade-out-{k})")),
        (
            "renamed: one bar, one segment per name",
            kind_color(k).to_string(),
        ),
    ]
}

/// The width the legend needs, in pixels.
fn legend_width() -> f64 {
    let kinds: f64 = BAR_KINDS
        .iter()
        .map(|k| 27.0 + text_width(k.as_str(), 10.0) + 18.0)
        .sum();
    let connectors: f64 = CONNECTORS
        .iter()
        .map(|k| 12.0 + text_width(k.as_str(), 10.0) + 22.0)
        .sum();
    let ends: f64 = legend_ends()
        .iter()
        .map(|(t, _)| 31.0 + text_width(t, 10.0) + 18.0)
        .sum();
    kinds.max(connectors).max(ends)
}

fn write_legend(f: &mut fmt::Formatter<'_>, y: f64) -> fmt::Result {
    writeln!(
        f,
        r##"<g id="legend" font-size="10" fill="#333333" transform="translate({} {})">"##,
        P(LEFT),
        P(y)
    )?;
    let mut x = 0.0;
    for k in BAR_KINDS {
        writeln!(
            f,
            r#"<rect x="{}" y="0" width="22" height="10" fill="{}"/><text x="{}" y="9">{k}</text>"#,
            P(x),
            kind_color(k),
            P(x + 27.0)
        )?;
        x += 27.0 + text_width(k.as_str(), 10.0) + 18.0;
    }
    x = 0.0;
    for k in CONNECTORS {
        let (c, dash) = connector_style(k);
        writeln!(
            f,
            r#"<circle cx="{}" cy="34" r="2.5" fill="{c}"/><path d="M{} 34 V18" fill="none" stroke="{c}" stroke-width="1.6"{} marker-end="url(#arrow-{k})"/><text x="{}" y="30">{k}</text>"#,
            P(x + 4.0),
            P(x + 4.0),
            if dash.is_empty() {
                String::new()
            } else {
                format!(r#" stroke-dasharray="{dash}""#)
            },
            P(x + 12.0)
        )?;
        x += 12.0 + text_width(k.as_str(), 10.0) + 22.0;
    }
    let items = legend_ends();
    x = 0.0;
    for (i, (text, fill)) in items.iter().enumerate() {
        writeln!(
            f,
            r#"<rect x="{}" y="50" width="26" height="10" fill="{fill}"/>"#,
            P(x)
        )?;
        if i == 3 {
            writeln!(
                f,
                r##"<line x1="{x}" y1="49" x2="{x}" y2="61" stroke="#ffffff" stroke-width="2"/>"##,
                x = P(x + 13.0)
            )?;
        }
        writeln!(
            f,
            r#"<text x="{}" y="59">{}</text>"#,
            P(x + 31.0),
            xml_text(text)
        )?;
        x += 31.0 + text_width(text, 10.0) + 18.0;
    }
    writeln!(f, "</g>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(
            xml_text("a<b>&\"c'\u{1}\u{FFFF}\nd"),
            "a&lt;b&gt;&amp;&quot;c&apos;\u{FFFD}\u{FFFD} d"
        );
    }

    #[test]
    fn fractional_years() {
        assert_eq!(fyear(days_from_civil(1998, 1, 1)), 1998.0);
        assert!((fyear(days_from_civil(1998, 7, 2)) - 1998.5).abs() < 0.01);
        let e = End::of(days_from_civil(1998, 1, 1), days_from_civil(1998, 12, 31)).unwrap();
        assert_eq!(e.how, How::Uncertain);
        assert!((e.hi - 1999.0).abs() < 0.01 && e.lo == 1998.0);
        let d = days_from_civil(2006, 11, 10);
        assert_eq!(End::of(d, d).unwrap().how, How::Exact);
        assert!(End::of(OPEN_START, OPEN_END).is_none());
    }

    #[test]
    fn wraps_by_width() {
        let lines = wrap_px("one two three four five six seven", 60.0, 10.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), "one two three four five six seven");
    }
}
