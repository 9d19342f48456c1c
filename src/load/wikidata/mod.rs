//! Importing Wikidata entity JSON into a lineage [`Graph`], for review before it joins
//! `graph-data/`.
//!
//! **Input.** Wikidata's JSON dump format (`[`, one entity per line each followed by a comma,
//! `]`) or plain JSON lines, read through a reader a bounded line at a time ([`MAX_LINE_BYTES`]);
//! see `read.rs`. Malformed input is an [`ImportError`] naming the line; nothing panics.
//!
//! **Mapping.**
//! - Each item is one [`Node`](crate::model::Node): id the QID in lower case (`q123`), kind
//!   [`Options::kind`] (default party) unless a P31 (instance of) statement says Q5 (human),
//!   then person. Name: the `en` label, else the label of the alphabetically first language
//!   code; aliases: every other label, then every alias, by sorted language code, each once
//!   (`labels.rs`). It cites the source `wikidata-q123` (title `Wikidata item Q123: <name>`,
//!   url `https://www.wikidata.org/wiki/Q123`, publisher Wikidata) and carries the external id
//!   `wikidata` `Q123`, covering this name-era (`covers: era`).
//! - Edges: X P807 T (separated from) → `split` T → X; X P7888 T (merged into) → `merger`
//!   X → T; X P1366 T (replaced by) and X P156 T (followed by) → `reorganisation` X → T;
//!   X P1365 T (replaces) and X P155 T (follows) → `reorganisation` T → X, noted "the kind of
//!   succession is not stated". Statements giving the same (kind, from, to) make one edge
//!   (`build.rs`). An edge's dates are its P585 (point in time) qualifiers, else P580 (start
//!   time), else P582 (end time), one claim per value (`map.rs`).
//! - Claims: P571 (inception) → `founded`, P576 (dissolved, abolished or demolished) →
//!   `ended`. Dates of day, month, year and decade precision in the Gregorian calendar become
//!   `1993-05-12`, `1993-05`, `1993`, `1990s`; any other date is listed, never guessed
//!   (`dates.rs`).
//! - Sources: each reference of a statement is a source `wikidata-ref-<12 hex digits of its
//!   hash>` (`refs.rs`); a claim or edge cites those and `wikidata-q…` of the item whose
//!   statement it is.
//!
//! **Not mapped**, each listed in [`Import::unmapped`] with its reason, in file order: statements
//! of deprecated rank, `somevalue` and `novalue` snaks, values that are not items, items not
//! among those read, an item naming itself, dates that cannot be said, names validation would
//! refuse, and facts validation refuses (a lineage cycle, a person as a split's parent). Entities
//! other than items are skipped and listed. Statements of every other property are counted per
//! property, one entry each at the end ("P31: 4 statements on 3 items: not a lineage
//! property"). Qualifiers other than the three date qualifiers are not read.
//!
//! The whole input is held in memory while it is mapped (a dump of the organisations of
//! interest, not all of Wikidata). Adding a node compares its names with every node's, so the
//! import takes time quadratic in the number of items.

mod build;
mod dates;
mod json;
mod labels;
mod map;
mod read;
mod refs;

use std::fmt;
use std::io::BufRead;

use crate::graph::Graph;
use crate::model::NodeKind;

/// The longest line read, in bytes (without its line break).
pub const MAX_LINE_BYTES: usize = 16 << 20;

/// How to import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The kind of every node that is not a human (P31 Q5, which is a person).
    pub kind: NodeKind,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kind: NodeKind::Party,
        }
    }
}

/// What an import made: the graph, and everything that was not mapped.
#[derive(Debug, Clone)]
pub struct Import {
    /// The graph, validated.
    pub graph: Graph,
    /// What was not mapped, with the reason: in file order, then the counts of the other
    /// properties.
    pub unmapped: Vec<Unmapped>,
    /// How many items were read (each is a node unless validation refused it).
    pub entities: usize,
    /// How many edges the graph holds.
    pub edges: usize,
}

/// One thing not mapped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// The input line, when it is about one entity.
    pub line: Option<usize>,
    /// The entity (`Q123`, `P31`), when it is about one.
    pub entity: Option<String>,
    /// The property (`P807`), when it is about a statement or a property.
    pub property: Option<String>,
    /// The statement id (`Q123$…`), when the statement has one.
    pub statement: Option<String>,
    /// Why it was not mapped.
    pub reason: String,
}

impl fmt::Display for Unmapped {
    /// `line 3: Q123 P807 (Q123$…): reason`, every control character written as an escape.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        if let Some(l) = self.line {
            s.push_str(&format!("line {l}: "));
        }
        let mut head = Vec::new();
        head.extend(self.entity.as_deref());
        head.extend(self.property.as_deref());
        let mut head = head.join(" ");
        if let Some(st) = &self.statement {
            head.push_str(&format!(" ({st})"));
        }
        if !head.is_empty() {
            s.push_str(&head);
            s.push_str(": ");
        }
        s.push_str(&self.reason);
        f.write_str(&crate::names::visible(&s, false))
    }
}

/// Where a fact came from: the line, the item, the property and the statement.
#[derive(Debug, Clone)]
pub(super) struct Origin {
    pub(super) line: usize,
    pub(super) entity: String,
    pub(super) property: Option<String>,
    pub(super) statement: Option<String>,
}

impl Origin {
    /// The entry for what of this origin was not mapped.
    pub(super) fn unmapped(&self, reason: impl Into<String>) -> Unmapped {
        Unmapped {
            line: Some(self.line),
            entity: Some(self.entity.clone()),
            property: self.property.clone(),
            statement: self.statement.clone(),
            reason: reason.into(),
        }
    }
}

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The reader failed.
    #[error("line {line}: cannot read the input: {source}")]
    Io {
        /// The line being read.
        line: usize,
        /// The error.
        source: std::io::Error,
    },
    /// A line is longer than [`MAX_LINE_BYTES`].
    #[error("line {line}: longer than {limit} bytes, the longest line read")]
    LineTooLong {
        /// The line.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// A line is not UTF-8.
    #[error("line {line}, column {column}: not UTF-8 text")]
    NotUtf8 {
        /// The line.
        line: usize,
        /// The byte, from 1, where the text stops being UTF-8.
        column: usize,
    },
    /// A line is not JSON.
    #[error("line {line}, column {column}: malformed JSON: {message}")]
    Json {
        /// The line.
        line: usize,
        /// The byte in the line, from 1.
        column: usize,
        /// serde_json's message.
        message: String,
    },
    /// A line is JSON but not a Wikidata entity.
    #[error("line {line}: not a Wikidata entity: {message}")]
    NotAnEntity {
        /// The line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The graph refused what validation should have let through (a bug of the importer).
    #[error("{context}: {source}")]
    Graph {
        /// What was being done.
        context: String,
        /// The graph's error.
        source: crate::error::Error,
    },
}

/// Imports Wikidata entity JSON.
///
/// # Errors
/// [`ImportError`] when a line cannot be read, is longer than [`MAX_LINE_BYTES`], is not UTF-8,
/// is not JSON, or is not an entity; each names the line.
///
/// # Example
/// ```
/// use lineage::load::wikidata::{import, Options};
/// let dump = r#"[
/// {"type":"item","id":"Q1","labels":{"en":{"language":"en","value":"Old Party"}},"claims":{}},
/// {"type":"item","id":"Q2","labels":{"en":{"language":"en","value":"New Party"}},"claims":{"P1365":[{"mainsnak":{"snaktype":"value","property":"P1365","datavalue":{"value":{"entity-type":"item","numeric-id":1,"id":"Q1"},"type":"wikibase-entityid"}},"type":"statement","rank":"normal"}]}}
/// ]"#;
/// let imp = import(dump.as_bytes(), &Options::default()).unwrap();
/// assert_eq!((imp.entities, imp.edges), (2, 1));
/// let (_, e) = imp.graph.edges()[0];
/// assert_eq!((e.from.as_str(), e.to.as_str()), ("q1", "q2"));
/// ```
pub fn import(reader: impl BufRead, options: &Options) -> Result<Import, ImportError> {
    let read = read::read_all(reader)?;
    let entities = read.items.len();
    let mut mapped = map::map(&read.items, options.kind);
    drop(read.items);
    let mut unmapped = read.skipped;
    unmapped.append(&mut mapped.unmapped);
    let mut other: Vec<(String, (usize, usize))> = std::mem::take(&mut mapped.other)
        .into_iter()
        .filter(|(_, (n, _))| *n > 0)
        .collect();
    let graph = build::build(mapped, &mut unmapped)?;
    // file order; the sort is stable, so entries of one line keep the order they were found in
    unmapped.sort_by_key(|u| u.line.unwrap_or(usize::MAX));
    let number = |p: &str| p.strip_prefix('P').and_then(|n| n.parse::<u64>().ok());
    other.sort_by(|a, b| (number(&a.0), &a.0).cmp(&(number(&b.0), &b.0)));
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    for (p, (statements, items)) in other {
        unmapped.push(Unmapped {
            line: None,
            entity: None,
            property: Some(p),
            statement: None,
            reason: format!(
                "{} on {}: not a lineage property",
                plural(statements, "statement"),
                plural(items, "item")
            ),
        });
    }
    let edges = graph.edge_count();
    Ok(Import {
        graph,
        unmapped,
        entities,
        edges,
    })
}

impl Import {
    /// The graph as RON ([`crate::load::to_ron_string`]), after `//` comment lines: a header
    /// saying it was imported from Wikidata and must be reviewed, then one line per entry of
    /// [`Import::unmapped`]. Control characters (line breaks among them) in a comment are
    /// written as escapes (`\u{1b}`), so no text can end a comment early.
    pub fn to_ron(&self) -> String {
        let mut out = String::new();
        let mut comment = |s: &str| {
            let safe = crate::names::visible(s, false)
                .replace('\u{2028}', "\\u{2028}")
                .replace('\u{2029}', "\\u{2029}");
            out.push_str("// ");
            out.push_str(&safe);
            out.push('\n');
        };
        comment(
            "Imported from Wikidata entity JSON by lineage::load::wikidata: review every node, edge, date and source before adding it to graph-data.",
        );
        comment(&format!(
            "{} items read; {} nodes, {} edges; {} entries not imported:",
            self.entities,
            self.graph.node_count(),
            self.edges,
            self.unmapped.len()
        ));
        for u in &self.unmapped {
            comment(&u.to_string());
        }
        let mut s = out;
        s.push_str(&crate::load::to_ron_string(&self.graph));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of [`import`]'s docs (rustdoc does not run it: `load` is hidden).
    #[test]
    fn the_documented_example() {
        let dump = r#"[
{"type":"item","id":"Q1","labels":{"en":{"language":"en","value":"Old Party"}},"claims":{}},
{"type":"item","id":"Q2","labels":{"en":{"language":"en","value":"New Party"}},"claims":{"P1365":[{"mainsnak":{"snaktype":"value","property":"P1365","datavalue":{"value":{"entity-type":"item","numeric-id":1,"id":"Q1"},"type":"wikibase-entityid"}},"type":"statement","rank":"normal"}]}}
]"#;
        let imp = import(dump.as_bytes(), &Options::default()).unwrap();
        assert_eq!((imp.entities, imp.edges), (2, 1));
        let (_, e) = imp.graph.edges()[0];
        assert_eq!((e.from.as_str(), e.to.as_str()), ("q1", "q2"));
    }
}
