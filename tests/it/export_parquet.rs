//! `lineage export --format parquet -o DIR` (the `parquet` feature): every file reads back with
//! the `parquet` crate, row for row and cell for cell against the tidy tables, with `id`, `src`
//! and `dst` where graph readers look for them; docs/export.md's pandas example (pyarrow) prints
//! what it shows. A build without the feature says so and writes nothing.
//!
//! `cargo test --features parquet --test it export_parquet` runs the read-back (CI does);
//! pandas with pyarrow is an external program: without it that test prints a notice and
//! passes, unless `LINEAGE_REQUIRE_PYARROW=1` (set by `.ci/run`).

use assert_cmd::prelude::*;
use std::process::Command;

fn export(dir: &std::path::Path) -> std::process::Output {
    Command::cargo_bin("lineage")
        .unwrap()
        .args(["export", "--format", "parquet", "--people", "-o"])
        .arg(dir)
        .output()
        .unwrap()
}

#[cfg(not(feature = "parquet"))]
#[test]
fn a_build_without_the_feature_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = export(&dir.path().join("pq"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("build it with `--features parquet`"), "{err}");
    assert!(!dir.path().join("pq").exists());
}

#[cfg(feature = "parquet")]
#[test]
fn every_parquet_file_reads_back_as_its_tidy_table() {
    use lineage::date::format_day;
    use lineage::query::{Filter, Selection};
    use lineage::render::tables::{self, Cell, TABLES, Type, parquet::column_name};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let db = lineage::Db::embedded().unwrap();
    let sel = Selection::all(&db, true, &Filter::default());
    let dir = tempfile::tempdir().unwrap();
    let out = export(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = TABLES
        .iter()
        .map(|d| format!("{}.parquet", d.name))
        .collect();
    want.sort();
    assert_eq!(files, want, "one file per table and nothing else");
    for def in TABLES {
        let mut rows = Vec::new();
        tables::each_row(&db, &sel, def.table, &mut |r| rows.push(r.to_vec()));
        let file = std::fs::File::open(dir.path().join(format!("{}.parquet", def.name))).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let got: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(got.len(), rows.len(), "{}", def.name);
        for (row, want) in got.iter().zip(&rows) {
            let cols: Vec<(&String, &Field)> = row.get_column_iter().collect();
            assert_eq!(cols.len(), def.columns.len());
            for ((name, field), (col, cell)) in cols.iter().zip(def.columns.iter().zip(want)) {
                assert_eq!(name.as_str(), column_name(def.table, col.name));
                let same = match (col.ty, cell, field) {
                    (_, Cell::Null, Field::Null) => true,
                    (Type::Text, Cell::Text(a), Field::Str(b)) => a == b,
                    (Type::Text, Cell::Int(a), Field::Str(b)) => a.to_string() == *b,
                    (Type::Integer, Cell::Int(a), Field::Long(b)) => a == b,
                    (Type::Real, Cell::Real(a), Field::Double(b)) => a == b,
                    (Type::Date, Cell::Text(a), Field::Date(d)) => format_day(*d) == *a,
                    _ => false,
                };
                assert!(
                    same,
                    "{}.{}: {cell:?} read back as {field:?}",
                    def.name, col.name
                );
            }
        }
    }
    // the graph shape: nodes by id, edges by src and dst
    let names = |t: &str| -> Vec<String> {
        let file = std::fs::File::open(dir.path().join(t)).unwrap();
        let r = SerializedFileReader::new(file).unwrap();
        let schema = r.metadata().file_metadata().schema_descr_ptr();
        schema
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect()
    };
    assert_eq!(names("nodes.parquet")[0], "id");
    let e = names("edges.parquet");
    assert!(
        e.contains(&"src".into()) && e.contains(&"dst".into()),
        "{e:?}"
    );
}

#[cfg(feature = "parquet")]
#[test]
fn the_parquet_example_of_docs_export_md_prints_what_it_shows() {
    if !crate::export_tables::tool(
        "python3",
        &["-c", "import pandas, pyarrow"],
        "LINEAGE_REQUIRE_PYARROW",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = export(&dir.path().join("pq"));
    assert!(out.status.success());
    let n = crate::export_tables::doc_blocks("python parquet", &|code| {
        crate::export_tables::python(&[code], dir.path())
    });
    assert_eq!(n, 1);
}
