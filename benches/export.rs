//! Benchmark: exporting the whole synthetic graph as tidy tables, at 100k nodes (and 1M with
//! `LINEAGE_BENCH_1M=1`).
//!
//! - `sqlite-export`: `render::tables::sqlite::database` of every node and edge (every table,
//!   the indexes and the view, built in memory and serialised to the bytes of a file);
//! - `csv-edges`, `csv-claims`: one CSV table each (`render::tables::csv`);
//! - `ntriples`: every fact as N-Triples (`render::rdf::ntriples`);
//! - `sqlite-baseline`: the same nodes and edges inserted into an in-memory SQLite database in
//!   the benchmarks' own two-table schema (`common::fill_sqlite`): what loading the bare graph
//!   into SQLite costs, the floor of any SQLite export of it.
//!
//! The note (`target/lineage-bench/export`) gives the medians and the export's ratio to the
//! baseline, measured in the same run.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use lineage::query::{Filter, Selection};
use lineage::render::rdf;
use lineage::render::tables::{self, Table};
use lineage::{Db, Preload};

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .sample_size(10)
        .configure_from_args();
    let mut sizes = vec![100_000];
    if common::big() {
        sizes.push(1_000_000);
    }
    let mut notes = String::new();
    for n in sizes {
        let d = common::data(n);
        let db = Db::open_file_lazy(&d.snap).expect("open");
        db.preload(&[Preload::Parts]).expect("the parts check");
        let all = Selection::all(&db, true, &Filter::default());
        let mut g = c.benchmark_group(format!("export-{n}"));
        g.bench_function("sqlite-export", |b| {
            b.iter(|| black_box(tables::sqlite::database(&db, &all).expect("export").len()))
        });
        g.bench_function("sqlite-baseline", |b| {
            b.iter(|| black_box(common::sqlite_memory(&d.synth)))
        });
        g.bench_function("ntriples", |b| {
            b.iter(|| black_box(rdf::ntriples(&db, &all).expect("export").len()))
        });
        for (name, t) in [("csv-edges", Table::Edges), ("csv-claims", Table::Claims)] {
            g.bench_function(name, |b| {
                b.iter(|| black_box(tables::csv(&db, &all, t).len()))
            });
        }
        g.finish();
        // medians of five, timed here too, for the note
        let time = |f: &mut dyn FnMut()| {
            let mut v: Vec<u64> = (0..5)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_micros() as u64
                })
                .collect();
            common::median(&mut v)
        };
        let mut bytes = 0;
        let export = time(&mut || bytes = tables::sqlite::database(&db, &all).unwrap().len());
        let base = time(&mut || drop(common::sqlite_memory(&d.synth)));
        let edges = time(&mut || drop(tables::csv(&db, &all, Table::Edges)));
        let (mut nt_bytes, mut triples) = (0, 0);
        let nt = time(&mut || {
            let text = rdf::ntriples(&db, &all).unwrap();
            nt_bytes = text.len();
            triples = text.bytes().filter(|&b| b == b'\n').count();
        });
        notes.push_str(&format!(
            "{n} nodes, {} edges: SQLite export {:.2} s ({} MB), baseline insert {:.2} s, \
             ratio {:.2}x; CSV edges {:.2} s; N-Triples {:.2} s ({} triples, {} MB, \
             {:.2} s per million triples)\n",
            db.edge_count(),
            export as f64 / 1e6,
            bytes / 1_000_000,
            base as f64 / 1e6,
            export as f64 / base as f64,
            edges as f64 / 1e6,
            nt as f64 / 1e6,
            triples,
            nt_bytes / 1_000_000,
            nt as f64 / triples.max(1) as f64,
        ));
    }
    eprint!("{notes}");
    common::write_note("export", &notes);
}
