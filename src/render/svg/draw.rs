//! Writing the SVG: axis, bars, labels, connectors and the legend's place.

use std::collections::BTreeMap;
use std::fmt;

use super::*;
use crate::db::NodeId;

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
