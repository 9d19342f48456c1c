//! Graphviz DOT output.
//!
//! [`Dot`] is a `Display` wrapper over a [`Selection`]: formatting it writes one `digraph`. Time
//! reads left to right. Every organisation whose year is known sits in the column of that year,
//! under a faint year axis (a chain of year nodes, each in a `rank=same` group with the nodes of
//! its year), so that a split or a merger is drawn later than what it came from. Each edge kind
//! has its own colour, line style and arrowhead; each node kind its own shape and fill; a legend
//! explains them. A renaming chain can be drawn as one shaded band (a cluster), so that the eras
//! of a party read as one organisation.
//!
//! All text goes through one escaping writer ([`DotStr`]): quotes, backslashes (so that `\N`,
//! `\G` and the other Graphviz escapes are shown as written), `&` (Graphviz expands HTML
//! entities in labels), line breaks and control characters. The output is deterministic: nodes in
//! id order, edges in edge order, bands by their first node.

mod axis;
mod style;
mod write;

pub use axis::rank_year;
use axis::*;
use style::*;
use write::*;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use crate::db::{Db, NodeId};
use crate::render::Selection;

/// What to draw besides the nodes and edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DotConfig {
    /// Draw a year axis and rank nodes by year.
    pub year_axis: bool,
    /// Draw renaming chains as one cluster.
    pub clusters: bool,
    /// Draw a legend of the styles.
    pub legend: bool,
    /// Break names longer than this many characters onto several lines, at spaces (0: never).
    pub wrap: usize,
}

impl Default for DotConfig {
    fn default() -> Self {
        DotConfig {
            year_axis: true,
            clusters: true,
            legend: true,
            wrap: 24,
        }
    }
}

/// A DOT digraph of a selection, as a `Display` wrapper.
///
/// ```
/// use lineage::render::{Selection, dot::{Dot, DotConfig}};
/// use lineage::query::Filter;
/// let db = lineage::open(std::path::Path::new("tests/fixtures/sample.ron")).unwrap();
/// let sel = Selection::all(&db, false, &Filter::default());
/// let dot = Dot::new(&db, &sel).to_string();
/// assert!(dot.starts_with("digraph lineage {"));
/// assert!(dot.contains("\"otan\" -> \"nur-otan\""));
/// ```
pub struct Dot<'a> {
    /// The database.
    pub db: &'a Db,
    /// What to draw.
    pub sel: &'a Selection,
    /// How.
    pub cfg: DotConfig,
}

impl<'a> Dot<'a> {
    /// A drawing of `sel` with the default configuration.
    pub fn new(db: &'a Db, sel: &'a Selection) -> Dot<'a> {
        Dot {
            db,
            sel,
            cfg: DotConfig::default(),
        }
    }

    /// The same drawing with another configuration.
    pub fn with_config(self, cfg: DotConfig) -> Dot<'a> {
        Dot { cfg, ..self }
    }
}

/// A string written as a quoted DOT string that Graphviz shows exactly as given.
///
/// Escapes `"` and `\` (so `\N`, `\G`, `\l`… are shown, not expanded), writes `&` as `&amp;`
/// (Graphviz expands entities in labels), line breaks as `\n` (CR LF and a lone CR count as one
/// break), and replaces the characters that no picture can hold (other C0 controls, DEL,
/// U+FFFE and U+FFFF) by their visible Unicode control pictures or U+FFFD.
///
/// ```
/// use lineage::render::dot::DotStr;
/// assert_eq!(DotStr("a \"b\" \\N & c\nd").to_string(), r#""a \"b\" \\N &amp; c\nd""#);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DotStr<'s>(pub &'s str);

impl fmt::Display for DotStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        let s = self.0;
        // runs of characters that need no escaping are written whole
        let mut plain = 0;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let esc: Option<char> = match c {
                '"' | '\\' | '&' | '\n' | '\r' | '\u{7f}' | '\u{FFFE}' | '\u{FFFF}' => Some(c),
                '\t' => None,
                c if (c as u32) < 0x20 => Some(c),
                _ => None,
            };
            let Some(c) = esc else { continue };
            f.write_str(&s[plain..i])?;
            plain = i + c.len_utf8();
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '&' => f.write_str("&amp;")?,
                '\n' => f.write_str("\\n")?,
                '\r' => {
                    if let Some(&(j, '\n')) = chars.peek() {
                        chars.next();
                        plain = j + 1;
                    }
                    f.write_str("\\n")?;
                }
                '\u{7f}' => f.write_char('\u{2421}')?,
                '\u{FFFE}' | '\u{FFFF}' => f.write_char('\u{FFFD}')?,
                c => f.write_char(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'))?,
            }
        }
        f.write_str(&s[plain..])?;
        f.write_char('"')
    }
}

impl fmt::Display for Dot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let db = self.db;
        let mut o = Out { f, indent: 0 };
        o.f.write_str("digraph lineage {\n")?;
        o.indent = 1;
        o.defaults(
            "graph",
            &[
                ("rankdir", "LR"),
                ("newrank", "true"),
                ("fontname", FONT),
                ("nodesep", "0.18"),
                ("ranksep", "0.3"),
            ],
        )?;
        o.defaults(
            "node",
            &[
                ("fontname", FONT),
                ("fontsize", "10"),
                ("margin", "0.08,0.03"),
            ],
        )?;
        o.defaults(
            "edge",
            &[("fontname", FONT), ("fontsize", "8"), ("arrowsize", "0.7")],
        )?;

        let chains = if self.cfg.clusters {
            renaming_chains(db, self.sel)
        } else {
            Vec::new()
        };
        let in_chain: BTreeSet<NodeId> = chains.iter().flatten().copied().collect();

        for (i, chain) in chains.iter().enumerate() {
            o.open(Some(&format!("cluster_chain_{i}")))?;
            o.defaults(
                "graph",
                &[
                    ("label", ""),
                    ("style", "rounded,filled"),
                    ("fillcolor", "#f2f2f2"),
                    ("color", "#cccccc"),
                ],
            )?;
            for &n in chain {
                self.write_node(&mut o, n)?;
            }
            o.close()?;
        }
        let mut ranks: BTreeMap<i32, Vec<NodeId>> = BTreeMap::new();
        let mut undated: BTreeSet<NodeId> = BTreeSet::new();
        if self.cfg.year_axis {
            for &n in &self.sel.nodes {
                match rank_year(db, n) {
                    Some(y) => ranks.entry(y).or_default().push(n),
                    None if !in_chain.contains(&n) => {
                        undated.insert(n);
                    }
                    None => {}
                }
            }
            // Unranked nodes with edges are placed by their edges; the rest would float into
            // the first year's column, so they get a box of their own that says why.
            for &e in &self.sel.edges {
                let (a, b) = db.endpoints(e);
                undated.remove(&a);
                undated.remove(&b);
            }
        }
        for &n in &self.sel.nodes {
            if !in_chain.contains(&n) && !undated.contains(&n) {
                self.write_node(&mut o, n)?;
            }
        }
        if !undated.is_empty() {
            o.open(Some("cluster_undated"))?;
            o.defaults(
                "graph",
                &[
                    ("label", "year unknown, no dated relation"),
                    ("style", "dashed,rounded"),
                    ("color", "#bbbbbb"),
                    ("fontcolor", "#777777"),
                    ("fontsize", "10"),
                ],
            )?;
            for &n in &undated {
                self.write_node(&mut o, n)?;
            }
            o.close()?;
        }
        if self.cfg.year_axis {
            self.write_axis(&mut o, &ranks)?;
        }

        let against_time = if self.cfg.year_axis {
            edges_against_time(db, self.sel)
        } else {
            BTreeSet::new()
        };
        for &e in &self.sel.edges {
            let (a, b) = db.endpoints(e);
            let label = edge_label(db, e);
            let mut attrs: Vec<(&str, &str)> = Vec::new();
            if !label.is_empty() {
                attrs.push(("label", &label));
            }
            attrs.extend(edge_style(db.edge_kind(e)));
            if against_time.contains(&e) {
                attrs.push(("constraint", "false"));
            }
            o.edge(node_key(db, a), node_key(db, b), &attrs)?;
        }

        if self.cfg.legend {
            self.write_legend(&mut o, !chains.is_empty())?;
        }
        o.indent = 0;
        o.f.write_str("}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_special_character() {
        let s = DotStr("q\"b\\N&amp;\r\nx\ry\u{1}\u{7f}\u{FFFF}\tОтан").to_string();
        assert_eq!(
            s,
            "\"q\\\"b\\\\N&amp;amp;\\nx\\ny\u{2401}\u{2421}\u{FFFD}\tОтан\""
        );
    }

    #[test]
    fn wraps_only_at_spaces() {
        let s = "Independent Trade Union of Businessmen, Tenants and Cooperatives Birlesu";
        let w = wrap_words(s, 24);
        assert!(w.lines().all(|l| l.chars().count() <= 24), "{w}");
        assert_eq!(w.replace('\n', " "), s);
        assert_eq!(wrap_words("Otan", 24), "Otan");
        assert_eq!(
            wrap_words("a\nb c d e f g h i j k l m n o p", 4),
            "a\nb c d e f g h i j k l m n o p"
        );
        assert_eq!(
            wrap_words("Supercalifragilistic x", 5),
            "Supercalifragilistic\nx"
        );
    }
}
