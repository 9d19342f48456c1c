//! Sizes, fonts, colours and coordinate formatting of the timeline.

use std::fmt;

use crate::date::{Day, civil_from_days, days_from_civil};
use crate::model::{EdgeKind, NodeKind};

pub(super) const FONT: &str = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif";
pub(super) const LABEL_SIZE: f64 = 11.0;
pub(super) const LANE_H: f64 = 32.0;
pub(super) const LABEL_DY: f64 = 11.0;
pub(super) const BAR_DY: f64 = 14.0;
pub(super) const BAR_H: f64 = 12.0;
pub(super) const LEFT: f64 = 24.0;
pub(super) const RIGHT: f64 = 24.0;
pub(super) const GAP: f64 = 12.0;
/// How long an end with no date recorded is hatched, and how long an open end fades, in years.
pub(super) const HATCH_YEARS: f64 = 1.0;
pub(super) const OPEN_FADE_YEARS: f64 = 6.0;

/// A day as a fractional year (1998-07-02 ≈ 1998.5).
pub(super) fn fyear(d: Day) -> f64 {
    let (y, _, _) = civil_from_days(d);
    let a = days_from_civil(y, 1, 1);
    let b = days_from_civil(y + 1, 1, 1);
    f64::from(y) + f64::from(d - a) / f64::from(b - a)
}

/// The width of a text in pixels, estimated (no font metrics): generous, so that labels never
/// overlap.
pub(super) fn text_width(s: &str, size: f64) -> f64 {
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

pub(super) const CONNECTORS: [EdgeKind; 5] = [
    EdgeKind::Split,
    EdgeKind::Merger,
    EdgeKind::Reorganisation,
    EdgeKind::Founding,
    EdgeKind::Division,
];

/// The colour of a node kind's bars.
pub(super) fn kind_color(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Party => "#4a86c5",
        NodeKind::Movement => "#5d9c45",
        NodeKind::Bloc => "#c9a016",
        NodeKind::Organisation => "#d9772e",
        NodeKind::Person => "#888888",
    }
}

/// The stroke colour and dash pattern of a connector kind (matching the DOT styles).
pub(super) fn connector_style(k: EdgeKind) -> (&'static str, &'static str) {
    match k {
        EdgeKind::Split => ("#c62828", "5 3"),
        EdgeKind::Merger => ("#1565c0", ""),
        EdgeKind::Reorganisation => ("#ef6c00", ""),
        EdgeKind::Founding => ("#6a1b9a", "1.5 2.5"),
        EdgeKind::Division => ("#ad1457", "8 2 2 2"),
        _ => ("#777777", "2 2"),
    }
}

pub(super) const BAR_KINDS: [NodeKind; 4] = [
    NodeKind::Party,
    NodeKind::Movement,
    NodeKind::Bloc,
    NodeKind::Organisation,
];

/// Formats a coordinate with one decimal.
pub(super) struct P(pub(super) f64);

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
pub(super) fn wrap_px(s: &str, width: f64, size: f64) -> Vec<String> {
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
