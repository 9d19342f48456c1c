//! Every fact of a selection as tidy tables: one row per node, name, edge, dated claim, event,
//! election result, external id, source and citation, each row with its sources. CSV
//! ([`csv`]), SQLite (`sqlite`, behind the default `sqlite` feature) and the documentation
//! (`docs/export.md`, whose column lists a test compares with [`TABLES`]) are written from the
//! one schema here.
//!
//! Dates are ISO 8601 days: `earliest` and `latest` bound the interval a date text allows
//! ("1998" is 1998-01-01 to 1998-12-31), empty (NULL) where a bound is open or there is no date.
//! The text itself is kept beside them as the source wrote it.

macro_rules! cols {
    ($(($name:literal, $ty:ident, $doc:literal)),* $(,)?) => {
        &[$(Column { name: $name, ty: Type::$ty, doc: $doc }),*]
    };
}

#[cfg(feature = "parquet")]
pub mod parquet;
mod rows;
mod schema;
mod shapes;
#[cfg(feature = "sqlite")]
pub mod sqlite;

use std::fmt::Write as _;

use crate::db::Db;
use crate::query::Selection;

pub use rows::{each_row, walk};
pub use schema::TABLES;
pub use shapes::{SHAPES, each_shape_row};

/// A column's SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Text (UTF-8).
    Text,
    /// A 64-bit integer.
    Integer,
    /// A floating-point number.
    Real,
    /// A day, as ISO 8601 text (`1998-01-01`): TEXT in SQLite and CSV, DATE in Parquet.
    Date,
}

impl Type {
    /// The SQL name.
    pub fn sql(self) -> &'static str {
        match self {
            Type::Text | Type::Date => "TEXT",
            Type::Integer => "INTEGER",
            Type::Real => "REAL",
        }
    }
}

/// A column: its name, its type and what it holds.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The name (also the CSV header).
    pub name: &'static str,
    /// The SQL type.
    pub ty: Type,
    /// What it holds, for `docs/export.md`.
    pub doc: &'static str,
}

/// One table of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// One row per node.
    Nodes,
    /// One row per name of a node: its display name, each alias, each shared name.
    Names,
    /// One row per edge.
    Edges,
    /// One row per dated claim: a node's founding, registration or end, an edge's date.
    Claims,
    /// One row per event of a node.
    Events,
    /// One row per leadership edge, with the term.
    Leaders,
    /// One row per election result.
    Elections,
    /// One row per external id of a node.
    ExternalIds,
    /// One row per source cited by a row above.
    Sources,
    /// One row per (fact, source) pair: every citation of every row above, for joins.
    Citations,
    /// The analyst shape: one row per organisation and name-era ([`SHAPES`]).
    Party,
    /// The analyst shape: one row per lineage change, in ParlGov's party-change shape.
    PartyChange,
    /// The analyst shape: one row per organisation, year and era in force.
    PartyYear,
}

/// A table's name, what one row is, and its columns.
#[derive(Debug, Clone, Copy)]
pub struct TableDef {
    /// The table.
    pub table: Table,
    /// Its name (the SQL table, the CSV file's stem).
    pub name: &'static str,
    /// What one row is.
    pub doc: &'static str,
    /// The columns, in order; the first is the row's key where the table has one.
    pub columns: &'static [Column],
}

impl Table {
    /// The table's definition.
    pub fn def(self) -> &'static TableDef {
        TABLES
            .iter()
            .chain(SHAPES)
            .find(|d| d.table == self)
            .expect("every table is defined")
    }

    /// The table of this name.
    pub fn from_name(name: &str) -> Option<Table> {
        TABLES
            .iter()
            .chain(SHAPES)
            .find(|d| d.name == name)
            .map(|d| d.table)
    }

    /// Whether this is one of the analyst [`SHAPES`] rather than a tidy table.
    pub fn is_shape(self) -> bool {
        matches!(self, Table::Party | Table::PartyChange | Table::PartyYear)
    }
}

/// A value in a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (an empty CSV field, SQL NULL).
    Null,
    /// An integer.
    Int(i64),
    /// A number.
    Real(f64),
    /// Text.
    Text(String),
}

/// One table as CSV (RFC 4180, a header line, `\n` line ends), each field made safe by
/// [`csv_field`](crate::render::export::csv_field).
///
/// # Example
/// ```
/// use lineage::{Db, query::{Filter, Selection}, render::tables::{Table, csv}};
/// let db = Db::embedded().unwrap();
/// let all = Selection::all(&db, true, &Filter::default());
/// let claims = csv(&db, &all, Table::Claims);
/// assert!(claims.starts_with("claim,node,edge,field,date,earliest,latest,note,sources\n"));
/// ```
pub fn csv(db: &Db, sel: &Selection, table: Table) -> String {
    let mut o = header(table);
    let rows = if table.is_shape() {
        each_shape_row
    } else {
        each_row
    };
    rows(db, sel, table, &mut |row| csv_row(&mut o, row));
    o
}

/// Every tidy table as CSV, in the order of [`TABLES`], from one pass over the selection.
pub fn csv_all(db: &Db, sel: &Selection) -> Vec<(&'static str, String)> {
    let mut out: Vec<String> = TABLES.iter().map(|t| header(t.table)).collect();
    // TABLES lists the tidy tables in the order of `Table`
    walk(db, sel, &mut |t, row| csv_row(&mut out[t as usize], row));
    TABLES.iter().map(|t| t.name).zip(out).collect()
}

fn header(table: Table) -> String {
    let mut o = table
        .def()
        .columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(",");
    o.push('\n');
    o
}

fn csv_row(o: &mut String, row: &[Cell]) {
    for (i, c) in row.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        match c {
            Cell::Null => {}
            Cell::Int(v) => {
                let _ = write!(o, "{v}");
            }
            Cell::Real(v) => {
                let _ = write!(o, "{v}");
            }
            Cell::Text(s) => o.push_str(&crate::render::export::csv_field(s)),
        }
    }
    o.push('\n');
}

/// Tables as Markdown, one heading and column table each: what `docs/export.md` holds between
/// its `tables` markers for [`TABLES`] and its `shapes` markers for [`SHAPES`] (a test compares).
#[doc(hidden)]
pub fn markdown(defs: &[TableDef]) -> String {
    let mut o = String::new();
    for t in defs {
        let _ = writeln!(o, "### `{}`\n\n{}.\n", t.name, capitalised(t.doc));
        o.push_str("| column | type | holds |\n|---|---|---|\n");
        for c in t.columns {
            let _ = writeln!(o, "| `{}` | {} | {} |", c.name, c.ty.sql(), c.doc);
        }
        o.push('\n');
    }
    o
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
