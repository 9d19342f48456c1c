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

mod draw;
mod layout;
mod legend;
mod style;

use layout::*;
use legend::*;
use style::*;

use std::collections::BTreeSet;

use crate::date::Day;
use crate::db::{Db, NodeId};

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

/// Escapes text for SVG content and attribute values; characters XML cannot hold become U+FFFD,
/// tabs and line breaks spaces.
pub fn xml_text(s: &str) -> String {
    crate::render::xml(s, true)
}

// ---- geometry ---------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{OPEN_END, OPEN_START, days_from_civil};

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
