//! The tables as Parquet files (`lineage export --format parquet -o DIR`, the `parquet`
//! feature): one file per table of [`TABLES`], written by Apache's `parquet` crate through its
//! column API (without arrow), Snappy-compressed, one row group per file.
//!
//! The columns are those of the tidy tables, typed: text as UTF-8 strings, integers as INT64,
//! reals as DOUBLE, days as DATE; every column is optional (NULL where the CSV cell is empty
//! of a number or a day). `edges.parquet` names its ends `src` and `dst` (the tables'
//! `from_node` and `to_node`), and `nodes.parquet` keys its rows by `id`: the shape that
//! polars, DuckDB's duckpgq and Spark's GraphFrames read as a graph.

use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type as Schema;

use super::{Cell, TABLES, Table, TableDef, Type, walk};
use crate::date::DateSpec;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::query::Selection;

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Export {
        format: "parquet",
        message: e.to_string(),
    }
}

/// The column's name in Parquet: the table's, but `src` and `dst` for an edge's ends.
pub fn column_name(table: Table, name: &'static str) -> &'static str {
    match (table, name) {
        (Table::Edges, "from_node") => "src",
        (Table::Edges, "to_node") => "dst",
        _ => name,
    }
}

fn schema(def: &TableDef) -> Result<Schema> {
    let fields = def
        .columns
        .iter()
        .map(|c| {
            let (physical, logical) = match c.ty {
                Type::Text => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                Type::Integer => (Physical::INT64, None),
                Type::Real => (Physical::DOUBLE, None),
                Type::Date => (Physical::INT32, Some(LogicalType::Date)),
            };
            Schema::primitive_type_builder(column_name(def.table, c.name), physical)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(logical)
                .build()
                .map(Arc::new)
        })
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(fail)?;
    Schema::group_type_builder(def.name)
        .with_fields(fields)
        .build()
        .map_err(fail)
}

/// One column's values: the present ones, and a definition level (1 present, 0 NULL) a row.
#[derive(Default)]
struct Col {
    text: Vec<ByteArray>,
    int: Vec<i64>,
    real: Vec<f64>,
    day: Vec<i32>,
    defined: Vec<i16>,
}

impl Col {
    fn push(&mut self, ty: Type, cell: &Cell) -> Result<()> {
        let present = match (ty, cell) {
            (_, Cell::Null) => false,
            (Type::Text, Cell::Text(s)) => {
                self.text.push(ByteArray::from(s.as_str()));
                true
            }
            (Type::Date, Cell::Text(s)) => {
                let d = DateSpec::parse(s)
                    .ok()
                    .filter(DateSpec::is_exact_day)
                    .ok_or_else(|| fail(format!("{s:?} is not a day")))?;
                self.day.push(d.earliest());
                true
            }
            (Type::Integer, Cell::Int(v)) => {
                self.int.push(*v);
                true
            }
            (Type::Real, Cell::Real(v)) => {
                self.real.push(*v);
                true
            }
            (Type::Text, Cell::Int(v)) => {
                self.text.push(ByteArray::from(v.to_string().as_str()));
                true
            }
            (ty, cell) => return Err(fail(format!("a {ty:?} column holds {cell:?}"))),
        };
        self.defined.push(i16::from(present));
        Ok(())
    }
}

/// One table's rows as the bytes of a Parquet file.
fn file(def: &TableDef, cols: &[Col]) -> Result<Vec<u8>> {
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("lineage {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut w =
        SerializedFileWriter::new(Vec::new(), Arc::new(schema(def)?), props).map_err(fail)?;
    let mut rg = w.next_row_group().map_err(fail)?;
    let mut i = 0;
    while let Some(mut cw) = rg.next_column().map_err(fail)? {
        let (c, ty) = (&cols[i], def.columns[i].ty);
        let levels = Some(c.defined.as_slice());
        match ty {
            Type::Text => cw
                .typed::<ByteArrayType>()
                .write_batch(&c.text, levels, None),
            Type::Integer => cw.typed::<Int64Type>().write_batch(&c.int, levels, None),
            Type::Real => cw.typed::<DoubleType>().write_batch(&c.real, levels, None),
            Type::Date => cw.typed::<Int32Type>().write_batch(&c.day, levels, None),
        }
        .map_err(fail)?;
        cw.close().map_err(fail)?;
        i += 1;
    }
    rg.close().map_err(fail)?;
    w.into_inner().map_err(fail)
}

/// Every table of [`TABLES`] for `sel` as a Parquet file: `(file name, bytes)`, in the tables'
/// order, from one pass over the selection.
///
/// # Errors
/// [`Error::Export`] if the writer fails (it writes to memory, so only on a bug).
///
/// # Complexity
/// O(N + E + S log S) as [`walk`]; every table's columns are held until its file is written.
pub fn files(db: &Db, sel: &Selection) -> Result<Vec<(String, Vec<u8>)>> {
    let mut cols: Vec<Vec<Col>> = TABLES
        .iter()
        .map(|d| d.columns.iter().map(|_| Col::default()).collect())
        .collect();
    let mut err = None;
    walk(db, sel, &mut |t, row| {
        let i = TABLES.iter().position(|d| d.table == t).expect("a table");
        for ((col, c), cell) in cols[i].iter_mut().zip(TABLES[i].columns).zip(row) {
            if let Err(e) = col.push(c.ty, cell)
                && err.is_none()
            {
                err = Some(e);
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    TABLES
        .iter()
        .zip(&cols)
        .map(|(d, c)| Ok((format!("{}.parquet", d.name), file(d, c)?)))
        .collect()
}
