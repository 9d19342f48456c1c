//! Graphviz DOT output.

use std::fmt;

use crate::db::Db;
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
}

impl Default for DotConfig {
    fn default() -> Self {
        DotConfig {
            year_axis: true,
            clusters: true,
            legend: true,
        }
    }
}

/// A DOT digraph of a selection, as a `Display` wrapper.
pub struct Dot<'a> {
    /// The database.
    pub db: &'a Db,
    /// What to draw.
    pub sel: &'a Selection,
    /// How.
    pub cfg: DotConfig,
}

impl fmt::Display for Dot<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "digraph lineage {{")?;
        for n in &self.sel.nodes {
            writeln!(f, "  n{} [label={:?}];", n.index(), self.db.name(*n))?;
        }
        for e in &self.sel.edges {
            let (a, b) = self.db.endpoints(*e);
            writeln!(f, "  n{} -> n{};", a.index(), b.index())?;
        }
        writeln!(f, "}}")
    }
}
