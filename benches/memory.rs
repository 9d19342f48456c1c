//! Benchmark 5: memory. The peak resident set (`VmHWM`, Linux) of a fresh process that opens
//! the snapshot of 10k, 100k (and 1M with `LINEAGE_BENCH_1M=1`) nodes and answers every query
//! target's ancestors and descendants, and of the same work in SQLite, with bytes per edge.
//!
//! Each figure comes from a child process (this binary run again with `LINEAGE_MEMORY_CHILD`
//! set), so that nothing the parent generated is counted:
//!
//! - `floor`: the child doing nothing: the process itself, libraries included;
//! - `lineage-lazy`: `Db::open_file_lazy` and every closure: what the closures read is in
//!   memory (the lineage adjacency), nothing else;
//! - `lineage-lazy-names`: the same, then every target resolved by its slug and the name of
//!   every node reached read: the ids and names come in too;
//! - `lineage-full`: `Db::open_file`: the whole file read and checked, then every closure;
//! - `sqlite`: the SQLite file opened read-only and every closure queried, with SQLite's
//!   default page cache (2 MB).
//!
//! Not a criterion benchmark: it prints a table and leaves `target/lineage-bench/memory-<n>.txt`.

mod common;

use std::path::Path;
use std::process::Command;

use lineage::Preload;
use lineage::query::{Direction, reach};
use lineage::{Db, KindSet};

const CHILD: &str = "LINEAGE_MEMORY_CHILD";
const MODES: [&str; 5] = [
    "floor",
    "lineage-lazy",
    "lineage-lazy-names",
    "lineage-full",
    "sqlite",
];

fn main() {
    if let Ok(mode) = std::env::var(CHILD) {
        let args: Vec<String> = std::env::var("LINEAGE_MEMORY_ARGS")
            .expect("args")
            .split('\n')
            .map(String::from)
            .collect();
        child(&mode, Path::new(&args[0]), Path::new(&args[1]), &args[2]);
        return;
    }
    if std::fs::read_to_string("/proc/self/status").is_err() {
        eprintln!("memory: /proc/self/status is not available here; nothing measured");
        return;
    }
    let exe = std::env::current_exe().expect("this binary");
    println!(
        "{:>9} {:<20} {:>10} {:>12} {:>14}",
        "nodes", "process", "peak MB", "above floor", "bytes/edge"
    );
    for n in common::sizes() {
        let d = common::data(n);
        let edges = d.synth.edges.len() as f64;
        let targets: Vec<String> = d.targets.iter().map(|t| t.to_string()).collect();
        let mut note = format!(
            "nodes {n}\nedges {}\nsnapshot_bytes {}\nsqlite_bytes {}\n",
            d.synth.edges.len(),
            std::fs::metadata(&d.snap).unwrap().len(),
            std::fs::metadata(&d.sqlite).unwrap().len()
        );
        let mut floor = 0u64;
        for mode in MODES {
            let out = Command::new(&exe)
                .env(CHILD, mode)
                .env(
                    "LINEAGE_MEMORY_ARGS",
                    format!(
                        "{}\n{}\n{}",
                        d.snap.display(),
                        d.sqlite.display(),
                        targets.join(",")
                    ),
                )
                .output()
                .expect("run the child");
            assert!(
                out.status.success(),
                "{mode}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let kib: u64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .expect("the child prints its peak in KiB");
            if mode == "floor" {
                floor = kib;
            }
            let above = kib.saturating_sub(floor) * 1024;
            println!(
                "{n:>9} {mode:<20} {:>10.1} {:>10.1} MB {:>14.1}",
                kib as f64 / 1024.0,
                above as f64 / 1048576.0,
                above as f64 / edges
            );
            note.push_str(&format!("{mode} {kib}\n"));
        }
        common::write_note(&format!("memory-{n}.txt"), &note);
    }
}

/// Runs one measured task and prints the peak resident set in KiB.
fn child(mode: &str, snap: &Path, sqlite: &Path, targets: &str) {
    let targets: Vec<u32> = targets.split(',').map(|t| t.parse().unwrap()).collect();
    let mut reached = 0usize;
    match mode {
        "floor" => {}
        "lineage-lazy" | "lineage-lazy-names" | "lineage-full" => {
            let db = if mode == "lineage-full" {
                Db::open_file(snap).expect("open")
            } else {
                let db = Db::open_file_lazy(snap).expect("open");
                let mut parts = vec![Preload::Ancestors, Preload::Descendants];
                if mode == "lineage-lazy-names" {
                    parts.push(Preload::Names);
                }
                db.preload(&parts).expect("the parts check");
                db
            };
            let mut seen = vec![0u64; db.node_count().div_ceil(64)];
            for &t in &targets {
                let r = common::node(&db, t);
                for dir in [Direction::Ancestors, Direction::Descendants] {
                    let hits = reach(&db, r, dir, KindSet::LINEAGE, &mut seen);
                    if mode == "lineage-lazy-names" {
                        let again = db.resolve(db.id(r)).expect("resolves");
                        assert_eq!(again, r);
                        reached += hits.iter().map(|&h| db.name(h).len()).sum::<usize>();
                    }
                    reached += hits.len();
                }
            }
        }
        "sqlite" => {
            let conn = common::sqlite_file(sqlite);
            for sql in [common::ANCESTORS_SQL, common::DESCENDANTS_SQL] {
                let mut q = conn.prepare(sql).expect("prepare");
                for &t in &targets {
                    reached += common::sqlite_closure(&mut q, t).len();
                }
            }
        }
        other => panic!("unknown mode {other}"),
    }
    std::hint::black_box(reached);
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("VmHWM");
    println!("{kib}");
}
