//! The legend: what the colours, dashes and ends mean.

use std::fmt;

use super::*;
use crate::model::NodeKind;

/// The legend's third row: (text, fill) for the ends and the renaming segments.
pub(super) fn legend_ends() -> [(&'static str, String); 4] {
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
pub(super) fn legend_width() -> f64 {
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

pub(super) fn write_legend(f: &mut fmt::Formatter<'_>, y: f64) -> fmt::Result {
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
