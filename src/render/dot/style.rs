//! How each node and edge kind looks, labels, and line breaking.

use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, NodeKind};
use crate::render::edge_dates;

/// The look of one node kind: shape, style, fill and border colour.
pub(super) fn node_style(kind: NodeKind) -> [(&'static str, &'static str); 4] {
    let (shape, style, fill, border) = match kind {
        NodeKind::Party => ("box", "rounded,filled", "#cfe2f3", "#3d6b99"),
        NodeKind::Movement => ("ellipse", "filled", "#d9ead3", "#4e7a3a"),
        NodeKind::Bloc => ("hexagon", "filled", "#fff2cc", "#9c7a12"),
        NodeKind::Organisation => ("note", "filled", "#fce5cd", "#a8642a"),
        NodeKind::Person => ("ellipse", "dashed,filled", "#ffffff", "#666666"),
    };
    [
        ("shape", shape),
        ("style", style),
        ("fillcolor", fill),
        ("color", border),
    ]
}

/// The look of one edge kind: colour, line style, arrowhead and pen width.
pub(super) fn edge_style(kind: EdgeKind) -> [(&'static str, &'static str); 5] {
    let (color, style, head, pen) = match kind {
        EdgeKind::Split => ("#c62828", "dashed", "normal", "1.6"),
        EdgeKind::Merger => ("#1565c0", "solid", "normal", "1.6"),
        EdgeKind::Renaming => ("#2e7d32", "bold", "empty", "2.4"),
        EdgeKind::Reorganisation => ("#ef6c00", "solid", "diamond", "1.6"),
        EdgeKind::Founding => ("#6a1b9a", "dotted", "vee", "2"),
        EdgeKind::Division => ("#ad1457", "solid", "normal", "2.4"),
        EdgeKind::Leadership => ("#757575", "dashed", "dot", "1"),
        EdgeKind::Membership => ("#00838f", "dotted", "odot", "1.4"),
        EdgeKind::Founder => ("#757575", "dotted", "vee", "1"),
        EdgeKind::Affiliation => ("#9e9e9e", "dotted", "none", "1"),
    };
    [
        ("color", color),
        ("fontcolor", color),
        ("style", style),
        ("arrowhead", head),
        ("penwidth", pen),
    ]
}

/// The id of a node in the DOT text: its slug (shown as the SVG title), which cannot clash with
/// the axis and legend nodes (their ids hold a colon, which no slug does).
pub(super) fn node_key(db: &Db, n: NodeId) -> &str {
    db.id(n)
}

/// Breaks `s` at spaces so that no line is longer than `width` characters (a longer word keeps
/// its own line). Only spaces are replaced, each by one line break.
pub fn wrap_words(s: &str, width: usize) -> String {
    if width == 0 || s.chars().count() <= width || s.contains(['\n', '\r']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut line = 0usize;
    for (i, word) in s.split(' ').enumerate() {
        let w = word.chars().count();
        if i > 0 {
            if line > 0 && line + 1 + w > width {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(word);
        line += w;
    }
    out
}

/// The label of an edge: role (for people's edges) and dates; empty when undated.
pub(super) fn edge_label(db: &Db, e: EdgeId) -> String {
    let edge = db.edge(e);
    let dates = edge_dates(&edge);
    let dates = if dates == "undated" {
        String::new()
    } else {
        dates
    };
    match (edge.role.is_empty(), dates.is_empty()) {
        (true, _) => dates,
        (false, true) => edge.role,
        (false, false) => format!("{}\n{dates}", edge.role),
    }
}

pub(super) const FONT: &str = "Helvetica";

pub(super) fn year_key(y: i32) -> String {
    format!("year:{y}")
}
