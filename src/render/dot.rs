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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use crate::date::{Day, Interval, OPEN_END, OPEN_START, civil_from_days};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet, NodeKind};
use crate::render::{Selection, edge_dates};

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

/// The look of one node kind: shape, style, fill and border colour.
fn node_style(kind: NodeKind) -> [(&'static str, &'static str); 4] {
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
fn edge_style(kind: EdgeKind) -> [(&'static str, &'static str); 5] {
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
fn node_key(db: &Db, n: NodeId) -> &str {
    db.id(n)
}

fn year_of_day(d: Day) -> i32 {
    civil_from_days(d).0
}

/// The year of an interval: its first year, or its last when the start is open.
fn year_of(lo: Day, hi: Day) -> Option<i32> {
    if lo != OPEN_START {
        Some(year_of_day(lo))
    } else if hi != OPEN_END {
        Some(year_of_day(hi))
    } else {
        None
    }
}

/// The year a node is ranked at: the first year of its founding (or registration), else the
/// earliest year of a dated split, renaming, reorganisation or founding that made it. People and
/// nodes with neither are not ranked; Graphviz places them by their edges.
pub fn rank_year(db: &Db, n: NodeId) -> Option<i32> {
    if db.kind(n) == NodeKind::Person {
        return None;
    }
    if let Some(Interval { lo, hi }) = db.begin(n)
        && let Some(y) = year_of(lo, hi)
    {
        return Some(y);
    }
    db.in_edges(n)
        .filter(|e| {
            matches!(
                db.edge_kind(*e),
                EdgeKind::Split
                    | EdgeKind::Renaming
                    | EdgeKind::Reorganisation
                    | EdgeKind::Founding
                    | EdgeKind::Division
            )
        })
        .filter_map(|e| db.edge_when(e))
        .filter_map(|w| year_of(w.lo, w.hi))
        .min()
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

/// The renaming chains of the selection with two or more members, each sorted, in order of
/// their first member.
fn renaming_chains(db: &Db, sel: &Selection) -> Vec<Vec<NodeId>> {
    let renamings = KindSet::empty().with(EdgeKind::Renaming);
    crate::query::chains_among(db, &sel.nodes, sel.edges.iter().copied(), renamings)
}

/// The edges that would make Graphviz bend the year axis: those drawn from a later year to an
/// earlier one, directly or through nodes whose year is unknown. Drawn without ranking weight
/// (`constraint=false`), they cannot turn time around.
///
/// Graphviz ranks each `rank=same` year as one node and breaks any cycle by reversing an edge of
/// its choice, which could be an axis edge. So the axis chain goes in first, then each edge in
/// edge order unless it closes a cycle.
fn edges_against_time(db: &Db, sel: &Selection) -> BTreeSet<EdgeId> {
    // A ranked node stands for its year, an unranked one for itself.
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum V {
        Year(i32),
        Node(NodeId),
    }
    let at = |n: NodeId| rank_year(db, n).map_or(V::Node(n), V::Year);
    let mut out = BTreeSet::new();
    let mut adj: BTreeMap<V, Vec<V>> = BTreeMap::new();
    let reaches = |adj: &BTreeMap<V, Vec<V>>, from: V, to: V| -> bool {
        let mut seen = BTreeSet::from([from]);
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            if v == to {
                return true;
            }
            // the axis runs forward through every year
            if let (V::Year(x), V::Year(y)) = (v, to)
                && x < y
            {
                return true;
            }
            for &w in adj.get(&v).into_iter().flatten() {
                if seen.insert(w) {
                    stack.push(w);
                }
            }
            if let V::Year(x) = v {
                // every later year is reachable along the axis; stepping to the years that have
                // out-edges is enough
                for (&k, _) in adj.range(V::Year(x + 1)..V::Year(i32::MAX)) {
                    if seen.insert(k) {
                        stack.push(k);
                    }
                }
            }
        }
        false
    };
    for &e in &sel.edges {
        let (a, b) = db.endpoints(e);
        let (va, vb) = (at(a), at(b));
        match (va, vb) {
            _ if va == vb => continue,
            (V::Year(x), V::Year(y)) if x < y => continue,
            (V::Year(_), V::Year(_)) => {
                out.insert(e);
                continue;
            }
            _ => {}
        }
        if reaches(&adj, vb, va) {
            out.insert(e);
        } else {
            adj.entry(va).or_default().push(vb);
        }
    }
    out
}

/// The label of an edge: role (for people's edges) and dates; empty when undated.
fn edge_label(db: &Db, e: EdgeId) -> String {
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

/// The DOT writer: statements with attribute lists, every value through [`DotStr`].
struct Out<'f, 'g> {
    f: &'f mut fmt::Formatter<'g>,
    indent: usize,
}

impl Out<'_, '_> {
    fn pad(&mut self) -> fmt::Result {
        for _ in 0..self.indent {
            self.f.write_str("  ")?;
        }
        Ok(())
    }

    fn attrs(&mut self, attrs: &[(&str, &str)]) -> fmt::Result {
        if attrs.is_empty() {
            return Ok(());
        }
        self.f.write_str(" [")?;
        for (i, (k, v)) in attrs.iter().enumerate() {
            if i > 0 {
                self.f.write_str(", ")?;
            }
            write!(self.f, "{k}={}", DotStr(v))?;
        }
        self.f.write_char(']')
    }

    /// `graph`, `node` or `edge` defaults.
    fn defaults(&mut self, what: &str, attrs: &[(&str, &str)]) -> fmt::Result {
        self.pad()?;
        self.f.write_str(what)?;
        self.attrs(attrs)?;
        self.f.write_str(";\n")
    }

    fn node(&mut self, id: &str, attrs: &[(&str, &str)]) -> fmt::Result {
        self.pad()?;
        write!(self.f, "{}", DotStr(id))?;
        self.attrs(attrs)?;
        self.f.write_str(";\n")
    }

    fn edge(&mut self, a: &str, b: &str, attrs: &[(&str, &str)]) -> fmt::Result {
        self.pad()?;
        write!(self.f, "{} -> {}", DotStr(a), DotStr(b))?;
        self.attrs(attrs)?;
        self.f.write_str(";\n")
    }

    fn open(&mut self, name: Option<&str>) -> fmt::Result {
        self.pad()?;
        match name {
            Some(n) => write!(self.f, "subgraph {} {{", DotStr(n))?,
            None => self.f.write_char('{')?,
        }
        self.f.write_char('\n')?;
        self.indent += 1;
        Ok(())
    }

    fn close(&mut self) -> fmt::Result {
        self.indent -= 1;
        self.pad()?;
        self.f.write_str("}\n")
    }

    fn comment(&mut self, text: &str) -> fmt::Result {
        self.pad()?;
        writeln!(self.f, "// {text}")
    }
}

const FONT: &str = "Helvetica";

fn year_key(y: i32) -> String {
    format!("year:{y}")
}

impl Dot<'_> {
    fn write_node(&self, o: &mut Out<'_, '_>, n: NodeId) -> fmt::Result {
        let db = self.db;
        // line breaks of the name itself first, so that a CR at its end cannot pair with the
        // break before the years
        let name = db.name(n).replace("\r\n", "\n").replace('\r', "\n");
        let name = wrap_words(&name, self.cfg.wrap);
        let years = db.years(n);
        let label = if years.is_empty() {
            name
        } else {
            format!("{name}\n{years}")
        };
        let mut attrs: Vec<(&str, &str)> = vec![("label", &label)];
        attrs.extend(node_style(db.kind(n)));
        o.node(node_key(db, n), &attrs)
    }

    fn write_axis(&self, o: &mut Out<'_, '_>, ranks: &BTreeMap<i32, Vec<NodeId>>) -> fmt::Result {
        let (Some(&first), Some(&last)) = (ranks.keys().next(), ranks.keys().next_back()) else {
            return Ok(());
        };
        // One column per year with nodes; a run of two or more empty years is one narrow
        // column labelled with the run ("2007–2021"), so that time still reads in order.
        let mut steps: Vec<(String, String, bool)> = Vec::new();
        let mut y = first;
        while y <= last {
            if ranks.contains_key(&y) {
                steps.push((year_key(y), y.to_string(), false));
                y += 1;
                continue;
            }
            let mut e = y;
            while e < last && !ranks.contains_key(&(e + 1)) {
                e += 1;
            }
            if e == y {
                steps.push((year_key(y), y.to_string(), true));
            } else {
                steps.push((format!("year:{y}..{e}"), format!("{y}–{e}"), true));
            }
            y = e + 1;
        }
        o.comment("year axis: a column per year, runs of empty years collapsed")?;
        for (key, label, empty) in &steps {
            o.node(
                key,
                &[
                    ("label", label),
                    ("shape", "plaintext"),
                    ("fontcolor", if *empty { "#b4b4b4" } else { "#8c8c8c" }),
                    ("fontsize", if *empty { "10" } else { "12" }),
                    ("width", "0.3"),
                    ("margin", "0.02"),
                    ("group", "year-axis"),
                ],
            )?;
        }
        for w in steps.windows(2) {
            o.edge(
                &w[0].0,
                &w[1].0,
                &[
                    ("color", "#dddddd"),
                    ("arrowhead", "none"),
                    ("weight", "100"),
                ],
            )?;
        }
        for (y, nodes) in ranks {
            o.open(None)?;
            o.pad()?;
            o.f.write_str("rank=\"same\";\n")?;
            o.node(&year_key(*y), &[])?;
            for n in nodes {
                o.node(node_key(self.db, *n), &[])?;
            }
            o.close()?;
        }
        Ok(())
    }

    fn write_legend(&self, o: &mut Out<'_, '_>, chains: bool) -> fmt::Result {
        let db = self.db;
        let node_kinds: BTreeSet<NodeKind> = self.sel.nodes.iter().map(|n| db.kind(*n)).collect();
        let edge_kinds: BTreeSet<EdgeKind> =
            self.sel.edges.iter().map(|e| db.edge_kind(*e)).collect();
        if node_kinds.is_empty() {
            return Ok(());
        }
        o.comment("legend")?;
        o.open(Some("cluster_legend"))?;
        o.defaults(
            "graph",
            &[
                ("label", "Legend"),
                ("style", "rounded"),
                ("color", "#bbbbbb"),
                ("fontsize", "11"),
            ],
        )?;
        for k in &node_kinds {
            let mut attrs: Vec<(&str, &str)> = vec![("label", k.as_str())];
            attrs.extend(node_style(*k));
            o.node(&format!("legend:{k}"), &attrs)?;
        }
        if chains {
            o.node(
                "legend:band",
                &[
                    (
                        "label",
                        "shaded band:\none organisation\nunder successive names",
                    ),
                    ("shape", "box"),
                    ("style", "rounded,filled"),
                    ("fillcolor", "#f2f2f2"),
                    ("color", "#cccccc"),
                    ("fontsize", "9"),
                ],
            )?;
        }
        for k in &edge_kinds {
            let (a, b) = (format!("legend:{k}:from"), format!("legend:{k}:to"));
            for id in [&a, &b] {
                o.node(
                    id,
                    &[
                        ("label", ""),
                        ("shape", "point"),
                        ("width", "0.05"),
                        ("color", "#999999"),
                    ],
                )?;
            }
            let mut attrs: Vec<(&str, &str)> = vec![("label", k.as_str())];
            attrs.extend(edge_style(*k));
            o.edge(&a, &b, &attrs)?;
        }
        o.close()
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
