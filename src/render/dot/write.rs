//! The DOT writer, and the statements for nodes, the year axis and the legend.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};

use super::*;
use crate::db::NodeId;
use crate::model::{EdgeKind, NodeKind};

/// The DOT writer: statements with attribute lists, every value through [`DotStr`].
pub(super) struct Out<'f, 'g> {
    pub(super) f: &'f mut fmt::Formatter<'g>,
    pub(super) indent: usize,
}

impl Out<'_, '_> {
    pub(super) fn pad(&mut self) -> fmt::Result {
        for _ in 0..self.indent {
            self.f.write_str("  ")?;
        }
        Ok(())
    }

    pub(super) fn attrs(&mut self, attrs: &[(&str, &str)]) -> fmt::Result {
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
    pub(super) fn defaults(&mut self, what: &str, attrs: &[(&str, &str)]) -> fmt::Result {
        self.pad()?;
        self.f.write_str(what)?;
        self.attrs(attrs)?;
        self.f.write_str(";\n")
    }

    pub(super) fn node(&mut self, id: &str, attrs: &[(&str, &str)]) -> fmt::Result {
        self.pad()?;
        write!(self.f, "{}", DotStr(id))?;
        self.attrs(attrs)?;
        self.f.write_str(";\n")
    }

    pub(super) fn edge(&mut self, a: &str, b: &str, attrs: &[(&str, &str)]) -> fmt::Result {
        self.pad()?;
        write!(self.f, "{} -> {}", DotStr(a), DotStr(b))?;
        self.attrs(attrs)?;
        self.f.write_str(";\n")
    }

    pub(super) fn open(&mut self, name: Option<&str>) -> fmt::Result {
        self.pad()?;
        match name {
            Some(n) => write!(self.f, "subgraph {} {{", DotStr(n))?,
            None => self.f.write_char('{')?,
        }
        self.f.write_char('\n')?;
        self.indent += 1;
        Ok(())
    }

    pub(super) fn close(&mut self) -> fmt::Result {
        self.indent -= 1;
        self.pad()?;
        self.f.write_str("}\n")
    }

    pub(super) fn comment(&mut self, text: &str) -> fmt::Result {
        self.pad()?;
        writeln!(self.f, "// {text}")
    }
}

impl Dot<'_> {
    pub(super) fn write_node(&self, o: &mut Out<'_, '_>, n: NodeId) -> fmt::Result {
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

    pub(super) fn write_axis(
        &self,
        o: &mut Out<'_, '_>,
        ranks: &BTreeMap<i32, Vec<NodeId>>,
    ) -> fmt::Result {
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

    pub(super) fn write_legend(&self, o: &mut Out<'_, '_>, chains: bool) -> fmt::Result {
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
