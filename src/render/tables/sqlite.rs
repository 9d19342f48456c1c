//! The tables as one SQLite database (`lineage export --format sqlite`): every table of
//! [`TABLES`] with its columns typed, indexes on the columns joins use, and the view
//! `lineage_closure` (every ancestor of every node over the lineage kinds, by a recursive
//! query), built in memory and returned as the bytes of a database file.

use rusqlite::{Connection, params_from_iter};

use super::{Cell, TABLES, Table, walk};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::model::EdgeKind;
use crate::query::Selection;

fn fail(e: rusqlite::Error) -> Error {
    Error::Export {
        format: "sqlite",
        message: e.to_string(),
    }
}

/// The SQL that creates the schema: the tables, then (after the rows are in, which is faster
/// than keeping indexes up to date row by row) [`indexes`].
pub fn schema() -> String {
    schema_tables() + &indexes()
}

fn schema_tables() -> String {
    let mut sql = String::new();
    for t in TABLES {
        let cols: Vec<String> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let key = i == 0 && !matches!(t.table, Table::Names | Table::Citations);
                format!(
                    "{} {}{}",
                    c.name,
                    c.ty.sql(),
                    if key { " PRIMARY KEY" } else { "" }
                )
            })
            .collect();
        sql.push_str(&format!("CREATE TABLE {} ({});\n", t.name, cols.join(", ")));
    }
    sql
}

/// The indexes on every column that names a node, an edge, a claim or a source, and the view
/// `lineage_closure`.
pub fn indexes() -> String {
    let mut sql = String::new();
    for (table, col) in [
        ("names", "node"),
        ("names", "name"),
        ("edges", "from_node"),
        ("edges", "to_node"),
        ("claims", "node"),
        ("claims", "edge"),
        ("events", "node"),
        ("leaders", "person"),
        ("leaders", "organisation"),
        ("elections", "node"),
        ("external_ids", "node"),
        ("citations", "source"),
        ("citations", "key"),
    ] {
        sql.push_str(&format!("CREATE INDEX {table}_{col} ON {table} ({col});\n"));
    }
    let lineage: Vec<String> = EdgeKind::LINEAGE
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect();
    let kinds = lineage.join(", ");
    sql.push_str(&format!(
        "CREATE VIEW lineage_closure (node, ancestor, depth) AS
WITH RECURSIVE up (node, ancestor, depth) AS (
  SELECT to_node, from_node, 1 FROM edges WHERE kind IN ({kinds})
  UNION
  SELECT up.node, e.from_node, up.depth + 1
  FROM up JOIN edges AS e ON e.to_node = up.ancestor
  WHERE e.kind IN ({kinds})
)
SELECT node, ancestor, min(depth) FROM up GROUP BY node, ancestor;\n"
    ));
    sql
}

/// The selection's tables as the bytes of a SQLite database file.
///
/// # Errors
/// [`Error::Export`] when SQLite refuses a statement (it does not, for the schema here).
///
/// # Complexity
/// One pass over the selection ([`walk`]), one insert per row.
///
/// # Example
/// ```
/// use lineage::{Db, query::{Filter, Selection}, render::tables::sqlite};
/// let db = Db::embedded().unwrap();
/// let bytes = sqlite::database(&db, &Selection::all(&db, true, &Filter::default())).unwrap();
/// assert!(bytes.starts_with(b"SQLite format 3\0"));
/// ```
pub fn database(db: &Db, sel: &Selection) -> Result<Vec<u8>> {
    let mut conn = Connection::open_in_memory().map_err(fail)?;
    conn.execute_batch(&schema_tables()).map_err(fail)?;
    let tx = conn.transaction().map_err(fail)?;
    {
        let mut inserts = Vec::new();
        for t in TABLES {
            let marks = vec!["?"; t.columns.len()].join(", ");
            let sql = format!("INSERT INTO {} VALUES ({marks})", t.name);
            debug_assert_eq!(t.table as usize, inserts.len());
            inserts.push(tx.prepare_cached(&sql).map_err(fail)?);
        }
        let mut first_error = None;
        walk(db, sel, &mut |table, row| {
            if first_error.is_some() {
                return;
            }
            // TABLES lists the tidy tables in the order of `Table`
            let stmt = &mut inserts[table as usize];
            use rusqlite::types::{ToSqlOutput, ValueRef};
            let values = row.iter().map(|c| match c {
                Cell::Null => ToSqlOutput::Borrowed(ValueRef::Null),
                Cell::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
                Cell::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
                Cell::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            });
            if let Err(e) = stmt.execute(params_from_iter(values)) {
                first_error = Some(e);
            }
        });
        if let Some(e) = first_error {
            return Err(fail(e));
        }
    }
    tx.commit().map_err(fail)?;
    conn.execute_batch(&indexes()).map_err(fail)?;
    let data = conn.serialize(rusqlite::MAIN_DB).map_err(fail)?;
    Ok(data.to_vec())
}
