//! Benchmark 2: cold open + first answer at 100k (and 1M with `LINEAGE_BENCH_1M=1`) nodes.
//!
//! One iteration opens the file, answers one median-size ancestors query (the target whose
//! ancestor closure is the median one among the 1,000 query targets) and closes it again:
//!
//! - `lineage-lazy`: `Db::open_file_lazy`, then `preload` of the ancestor adjacency (read and
//!   checked: checksum, offsets, bounds), then `reach`;
//! - `sqlite`: open the SQLite file read-only, prepare the `WITH RECURSIVE` query, run it;
//! - `lineage-full`: `Db::open_file`, which reads and checks the whole file and decodes every
//!   record before answering (the full bincode decode);
//! - `ron-parse`: `Graph::load` of the same graph in the `graph-data/` format (one RON file per
//!   country; parse and validate, no query).
//!
//! The operating system's page cache is warm for every engine (the files were just written or
//! read); what is cold is the process's own state: nothing of the database is in memory yet.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use lineage::Preload;
use lineage::query::{Direction, reach};
use lineage::{Db, Graph, KindSet};

use common::{ANCESTORS_SQL, Csr, sorted, sqlite_closure};

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let mut sizes = vec![100_000];
    if common::big() {
        sizes.push(1_000_000);
    }
    for n in sizes {
        let d = common::data(n);
        // the median-size ancestors query among the targets
        let csr = Csr::new(&d.synth, true);
        let mut seen = vec![0u64; n.div_ceil(64)];
        let mut by_size: Vec<(usize, u32)> = d
            .targets
            .iter()
            .map(|&t| (csr.bfs(t, &mut seen).len(), t))
            .collect();
        by_size.sort_unstable();
        let (size, root) = by_size[by_size.len() / 2];
        let want = sorted(csr.bfs(root, &mut seen));
        let ron = common::ron_dir(&d);

        let lazy_answer = || -> Vec<u32> {
            let db = Db::open_file_lazy(&d.snap).expect("lazy open");
            db.preload(&[Preload::Ancestors])
                .expect("the adjacency checks");
            let mut seen = vec![0u64; db.node_count().div_ceil(64)];
            let r = common::node(&db, root);
            reach(&db, r, Direction::Ancestors, KindSet::LINEAGE, &mut seen)
                .into_iter()
                .map(|x| x.index() as u32)
                .collect()
        };
        let full_answer = || -> Vec<u32> {
            let db = Db::open_file(&d.snap).expect("open");
            let mut seen = vec![0u64; db.node_count().div_ceil(64)];
            let r = common::node(&db, root);
            reach(&db, r, Direction::Ancestors, KindSet::LINEAGE, &mut seen)
                .into_iter()
                .map(|x| x.index() as u32)
                .collect()
        };
        let sqlite_answer = || -> Vec<u32> {
            let conn = common::sqlite_file(&d.sqlite);
            let mut q = conn.prepare(ANCESTORS_SQL).expect("prepare");
            sqlite_closure(&mut q, root)
        };
        assert_eq!(sorted(lazy_answer()), want, "lazy open");
        assert_eq!(sorted(full_answer()), want, "full open");
        assert_eq!(sorted(sqlite_answer()), want, "SQLite");
        let parsed = Graph::load(&ron).expect("the RON loads");
        assert_eq!(parsed.node_count(), n);
        drop(parsed);
        eprintln!(
            "cold open {n}: node {root} has the median ancestor closure ({size} nodes); \
             every engine agrees"
        );
        common::write_note(
            &format!("cold-open-{n}.txt"),
            &format!(
                "root {root}\nsize {size}\nsnapshot {}\nsqlite {}\nron {}\n",
                std::fs::metadata(&d.snap).unwrap().len(),
                std::fs::metadata(&d.sqlite).unwrap().len(),
                std::fs::read_dir(&ron)
                    .unwrap()
                    .map(|e| e.unwrap().metadata().unwrap().len())
                    .sum::<u64>()
            ),
        );

        let mut g = c.benchmark_group(format!("cold-open-{n}"));
        g.sample_size(50);
        g.bench_function("lineage-lazy", |b| b.iter(|| black_box(lazy_answer())));
        g.bench_function("sqlite", |b| b.iter(|| black_box(sqlite_answer())));
        g.sample_size(10);
        g.bench_function("lineage-full", |b| b.iter(|| black_box(full_answer())));
        g.bench_function("ron-parse", |b| {
            b.iter(|| black_box(Graph::load(&ron).expect("the RON loads")))
        });
        g.finish();
    }
    c.final_summary();
}
