//! Benchmark 1: ancestor and descendant closures at 10k, 100k (and 1M with
//! `LINEAGE_BENCH_1M=1`) nodes, each beside its baselines in the same run: a plain BFS over a CSR
//! array (the in-memory limit) and SQLite's `WITH RECURSIVE`, in memory and on disk.
//!
//! `lineage` is `query::reach` (the set of nodes reached, as every baseline answers);
//! `lineage-closure` is `query::closure`, which also gives each node its generation and the edges
//! that reach it (what the CLI prints).
//!
//! One iteration answers all 1,000 query targets (the same set for every engine). Before timing,
//! every engine's answer for every target is checked equal to ours. The number of edges each
//! closure scans is left in `target/lineage-bench/closure-<n>-<dir>.txt` for the cost per
//! visited edge.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use lineage::query::{Direction, Filter, closure, reach};
use lineage::{Db, KindSet, NodeId};

use common::{ANCESTORS_SQL, Csr, DESCENDANTS_SQL, sorted, sqlite_closure};

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    for n in common::sizes() {
        let d = common::data(n);
        let db = Db::open_file(&d.snap).expect("open the snapshot");
        let roots: Vec<NodeId> = d.targets.iter().map(|&t| common::node(&db, t)).collect();
        let mem = common::sqlite_memory(&d.synth);
        let disk = common::sqlite_file(&d.sqlite);
        let mut seen = vec![0u64; n.div_ceil(64)];
        for (dir, name, sql) in [
            (Direction::Ancestors, "ancestors", ANCESTORS_SQL),
            (Direction::Descendants, "descendants", DESCENDANTS_SQL),
        ] {
            let csr = Csr::new(&d.synth, dir == Direction::Ancestors);
            let mut mem_q = mem.prepare(sql).expect("prepare");
            let mut disk_q = disk.prepare(sql).expect("prepare");
            // every engine's answer, checked equal to ours, for every target
            let (mut reached, mut scanned, mut sizes) = (0u64, 0u64, Vec::new());
            for (&t, &r) in d.targets.iter().zip(&roots) {
                let ours = sorted(
                    reach(&db, r, dir, KindSet::LINEAGE, &mut seen)
                        .into_iter()
                        .map(|x| x.index() as u32)
                        .collect(),
                );
                let base = csr.bfs(t, &mut seen);
                scanned += csr.scanned(t, &base);
                reached += base.len() as u64;
                sizes.push(base.len() as u64);
                assert_eq!(ours, sorted(base), "CSR differs for node {t}");
                let full = closure(&db, r, dir, &Filter::default());
                let full = sorted(full.hits.iter().map(|h| h.node.index() as u32).collect());
                assert_eq!(ours, full, "closure and reach differ for node {t}");
                assert_eq!(
                    ours,
                    sorted(sqlite_closure(&mut mem_q, t)),
                    "SQLite (memory)"
                );
                assert_eq!(
                    ours,
                    sorted(sqlite_closure(&mut disk_q, t)),
                    "SQLite (disk)"
                );
            }
            let med = common::median(&mut sizes);
            eprintln!(
                "closure {n} {name}: {} targets, all engines agree; {reached} nodes reached \
                 (median {med}), {scanned} edges scanned",
                roots.len()
            );
            common::write_note(
                &format!("closure-{n}-{name}.txt"),
                &format!(
                    "targets {}\nreached {reached}\nmedian {med}\nscanned {scanned}\n",
                    roots.len()
                ),
            );

            let mut g = c.benchmark_group(format!("closure-{n}-{name}"));
            g.throughput(Throughput::Elements(roots.len() as u64));
            g.sample_size(30);
            g.bench_function("lineage", |b| {
                b.iter(|| {
                    for &r in &roots {
                        black_box(reach(&db, r, dir, KindSet::LINEAGE, &mut seen));
                    }
                })
            });
            // the full closure: depth of every node and the edges that reach it
            g.bench_function("lineage-closure", |b| {
                b.iter(|| {
                    for &r in &roots {
                        black_box(closure(&db, r, dir, &Filter::default()));
                    }
                })
            });
            g.bench_function("csr", |b| {
                b.iter(|| {
                    for &t in &d.targets {
                        black_box(csr.bfs(t, &mut seen));
                    }
                })
            });
            g.sample_size(10);
            g.bench_function("sqlite-memory", |b| {
                b.iter(|| {
                    for &t in &d.targets {
                        black_box(sqlite_closure(&mut mem_q, t));
                    }
                })
            });
            g.bench_function("sqlite-disk", |b| {
                b.iter(|| {
                    for &t in &d.targets {
                        black_box(sqlite_closure(&mut disk_q, t));
                    }
                })
            });
            g.finish();
        }
    }
    c.final_summary();
}
