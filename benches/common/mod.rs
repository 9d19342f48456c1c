//! What the benchmarks share: the synthetic datasets (generated once and cached under
//! `target/lineage-bench/`), the query targets, and the two baselines every closure is checked
//! against and timed beside: a plain BFS over a CSR array, and SQLite's `WITH RECURSIVE`.
//!
//! Each bench target includes this file with `mod common;` and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use lineage::{Db, NodeId};
use lineage_synth::{Config, Synth};
use rusqlite::{Connection, OpenFlags, Statement};

/// The generator seed of every dataset.
pub const SEED: u64 = 2024;
/// The seed that draws the query targets.
pub const TARGET_SEED: u64 = 7;
/// How many query targets (from the newest 10% of nodes).
pub const TARGETS: usize = 1_000;
/// Bumped whenever the generator changes, so that stale cached files are not reused.
pub const GENERATOR_VERSION: u32 = 1;

/// The dataset sizes to run: 10k and 100k, and 1M when `LINEAGE_BENCH_1M=1`.
pub fn sizes() -> Vec<usize> {
    let mut v = vec![10_000, 100_000];
    if big() {
        v.push(1_000_000);
    }
    v
}

/// Whether the 1M-node case is on (`LINEAGE_BENCH_1M=1`).
pub fn big() -> bool {
    std::env::var("LINEAGE_BENCH_1M").is_ok_and(|v| v == "1")
}

/// `target/lineage-bench/`: cached datasets and the figures the benches leave for the report.
pub fn cache_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let d = target.join("lineage-bench");
    std::fs::create_dir_all(&d).expect("create target/lineage-bench");
    d
}

/// Writes `text` as `target/lineage-bench/<name>` (figures for `benches/report.py`).
pub fn write_note(name: &str, text: &str) {
    std::fs::write(cache_dir().join(name), text).expect("write a bench note");
}

/// A dataset: the generated history, its snapshot and SQLite files, and the query targets.
pub struct Data {
    /// Number of nodes.
    pub n: usize,
    /// The generated history (node `i` is `NodeId` index `i` of the snapshot).
    pub synth: Synth,
    /// The snapshot file.
    pub snap: PathBuf,
    /// The SQLite file (same nodes and edges, same numbering).
    pub sqlite: PathBuf,
    /// The query targets, as node indices.
    pub targets: Vec<u32>,
}

fn stem(n: usize) -> String {
    format!(
        "synth-{n}-s{SEED}-g{GENERATOR_VERSION}-v{}",
        lineage::snapshot::VERSION
    )
}

/// Generates (or reuses from the cache) the dataset of `n` nodes.
pub fn data(n: usize) -> Data {
    let t = Instant::now();
    let synth = Synth::generate(&Config::new(n, SEED));
    let dir = cache_dir();
    let snap = dir.join(format!("{}.snap", stem(n)));
    let usable = Db::open_file(&snap).is_ok_and(|db| db.node_count() == n);
    if !usable {
        eprintln!("bench: writing {} (once; cached)", snap.display());
        synth
            .to_graph()
            .save_snapshot(&snap)
            .expect("the synthetic graph validates");
    }
    let sqlite = dir.join(format!("synth-{n}-s{SEED}-g{GENERATOR_VERSION}.sqlite"));
    if !sqlite.exists() {
        eprintln!("bench: writing {} (once; cached)", sqlite.display());
        let tmp = sqlite.with_extension("sqlite.tmp");
        let _ = std::fs::remove_file(&tmp);
        let mut conn = Connection::open(&tmp).expect("create the SQLite file");
        fill_sqlite(&mut conn, &synth);
        conn.execute_batch("VACUUM; ANALYZE;").expect("vacuum");
        drop(conn);
        std::fs::rename(&tmp, &sqlite).expect("rename the SQLite file");
    }
    let targets = synth.targets(TARGETS, TARGET_SEED);
    eprintln!("bench: dataset {n} ready in {:.1?}", t.elapsed());
    Data {
        n,
        synth,
        snap,
        sqlite,
        targets,
    }
}

/// The same history in the `graph-data/` format: a directory with the source in `sources.ron`
/// and one RON file per country (a single file would exceed the loader's 64 MiB limit), written
/// once.
pub fn ron_dir(d: &Data) -> PathBuf {
    let dir = cache_dir().join(format!("synth-{}-s{SEED}-g{GENERATOR_VERSION}-ron", d.n));
    if !dir.join("done").exists() {
        eprintln!("bench: writing {} (once; cached)", dir.display());
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the RON directory");
        let mut sources = lineage::Graph::new();
        sources
            .add_source(d.synth.source())
            .expect("the source is valid");
        sources
            .save_ron(&dir.join("sources.ron"))
            .expect("write RON");
        for c in 0..d.synth.country_start.len() {
            d.synth
                .country_graph(c)
                .save_ron(&dir.join(format!("c{c:03}.ron")))
                .expect("write RON");
        }
        std::fs::write(dir.join("done"), "").expect("mark the RON directory done");
    }
    dir
}

/// The `NodeId` of node index `i`.
pub fn node(db: &Db, i: u32) -> NodeId {
    db.node_ids().nth(i as usize).expect("index in range")
}

// ---- the CSR baseline -----------------------------------------------------------------------

/// A plain CSR adjacency (offsets + neighbours): the in-memory limit of a closure.
pub struct Csr {
    /// `off[v]..off[v + 1]` indexes `nb` for node `v`.
    pub off: Vec<u32>,
    /// Neighbours.
    pub nb: Vec<u32>,
}

impl Csr {
    /// Parents (`up`) or children of every node, from the generator's edge list.
    pub fn new(s: &Synth, up: bool) -> Csr {
        let n = s.nodes.len();
        let mut off = vec![0u32; n + 1];
        for e in &s.edges {
            let v = if up { e.to } else { e.from };
            off[v as usize + 1] += 1;
        }
        for i in 0..n {
            off[i + 1] += off[i];
        }
        let mut fill = off.clone();
        let mut nb = vec![0u32; s.edges.len()];
        for e in &s.edges {
            let (v, u) = if up { (e.to, e.from) } else { (e.from, e.to) };
            nb[fill[v as usize] as usize] = u;
            fill[v as usize] += 1;
        }
        Csr { off, nb }
    }

    /// Breadth-first search from `root`: every node reached, root excluded, in BFS order.
    /// `seen` is a cleared bitset of at least one bit per node, cleared again on return.
    pub fn bfs(&self, root: u32, seen: &mut [u64]) -> Vec<u32> {
        let mut out = Vec::new();
        seen[root as usize >> 6] |= 1 << (root & 63);
        let mut i = 0;
        let mut v = root;
        loop {
            let (a, b) = (
                self.off[v as usize] as usize,
                self.off[v as usize + 1] as usize,
            );
            for &u in &self.nb[a..b] {
                let (w, bit) = (u as usize >> 6, 1u64 << (u & 63));
                if seen[w] & bit == 0 {
                    seen[w] |= bit;
                    out.push(u);
                }
            }
            if i == out.len() {
                break;
            }
            v = out[i];
            i += 1;
        }
        for &u in out.iter().chain(std::iter::once(&root)) {
            seen[u as usize >> 6] &= !(1 << (u & 63));
        }
        out
    }

    /// The edges a closure from `root` scans: the degrees of the root and of every node reached.
    pub fn scanned(&self, root: u32, reached: &[u32]) -> u64 {
        std::iter::once(&root)
            .chain(reached)
            .map(|&v| u64::from(self.off[v as usize + 1] - self.off[v as usize]))
            .sum()
    }
}

// ---- the SQLite baseline --------------------------------------------------------------------

/// Ancestors of `?1`: SQLite's recursive CTE over `edges(src, dst)` indexed on `dst`.
pub const ANCESTORS_SQL: &str = "WITH RECURSIVE anc(id) AS (\
     SELECT src FROM edges WHERE dst = ?1 \
     UNION SELECT e.src FROM edges AS e JOIN anc ON e.dst = anc.id) \
     SELECT id FROM anc";

/// Descendants of `?1`, over the index on `src`.
pub const DESCENDANTS_SQL: &str = "WITH RECURSIVE des(id) AS (\
     SELECT dst FROM edges WHERE src = ?1 \
     UNION SELECT e.dst FROM edges AS e JOIN des ON e.src = des.id) \
     SELECT id FROM des";

/// Creates the schema and loads the history: `nodes(id, slug, name, founded, ended)` and
/// `edges(src, dst, kind, year)` with covering indexes `(dst, src)` and `(src, dst)`, node ids
/// being our node indices.
pub fn fill_sqlite(conn: &mut Connection, s: &Synth) {
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE TABLE nodes(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                            founded INTEGER, ended INTEGER);
         CREATE TABLE edges(src INTEGER NOT NULL, dst INTEGER NOT NULL, kind TEXT NOT NULL,
                            year INTEGER);",
    )
    .expect("schema");
    let tx = conn.transaction().expect("transaction");
    {
        let mut ins = tx
            .prepare("INSERT INTO nodes VALUES (?1, ?2, ?3, ?4, ?5)")
            .expect("prepare");
        for (i, n) in s.nodes.iter().enumerate() {
            ins.execute(rusqlite::params![
                i as i64,
                s.id(i as u32),
                n.name,
                n.founded,
                n.ended
            ])
            .expect("insert node");
        }
        let mut ins = tx
            .prepare("INSERT INTO edges VALUES (?1, ?2, ?3, ?4)")
            .expect("prepare");
        for e in &s.edges {
            ins.execute(rusqlite::params![e.from, e.to, e.kind.as_str(), e.year])
                .expect("insert edge");
        }
    }
    tx.commit().expect("commit");
    conn.execute_batch(
        "CREATE INDEX edges_dst ON edges(dst, src); CREATE INDEX edges_src ON edges(src, dst);",
    )
    .expect("indexes");
}

/// An in-memory SQLite database holding the history.
pub fn sqlite_memory(s: &Synth) -> Connection {
    let mut c = Connection::open_in_memory().expect("in-memory SQLite");
    fill_sqlite(&mut c, s);
    c.execute_batch("ANALYZE;").expect("analyze");
    c
}

/// Opens the SQLite file read-only, with SQLite's default settings.
pub fn sqlite_file(p: &Path) -> Connection {
    Connection::open_with_flags(
        p,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open the SQLite file")
}

/// Runs a prepared closure query for `root`.
pub fn sqlite_closure(stmt: &mut Statement<'_>, root: u32) -> Vec<u32> {
    stmt.query_map([root], |r| r.get::<_, u32>(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
}

/// Sorted copy, for comparing answers as sets.
pub fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

/// The median of some numbers.
pub fn median(v: &mut [u64]) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}
