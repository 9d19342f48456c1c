//! Benchmark: the query language against SQLite. Five typical expressions at 100k nodes (and
//! 1M with `LINEAGE_BENCH_1M=1`), each beside the equivalent SQLite `WITH RECURSIVE` query over
//! an in-memory database in the same run; and the parse of a 200-character expression.
//!
//! One iteration answers the expression for all 100 query targets (the same for both engines):
//! `lineage-nodes` parses the text, resolves its names, plans and evaluates it
//! (`Db::select_nodes`: the node set, as SQLite answers); `lineage-with-edges` is `Db::select`,
//! which also collects the edges among the answer into a `Selection` (what the CLI prints);
//! `lineage-prepared` parses and plans once (`Db::prepare`) and runs with the targets bound to
//! `$x` and `$z`, as SQLite runs its prepared statement. Before timing, the answers are checked equal for every
//! target.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use lineage::{Db, lang};
use rusqlite::Connection;

const TARGETS: usize = 100;

/// Ancestors of ?1, ?1 included.
const ANC: &str = "WITH RECURSIVE anc(id) AS (SELECT ?1 \
     UNION SELECT e.src FROM edges AS e JOIN anc ON e.dst = anc.id)";

struct Case {
    name: &'static str,
    /// The expression for target x, other target z and year y.
    expr: fn(&str, &str, i32) -> String,
    /// The SQL, with ?1 = x, ?2 = z, ?3 = y.
    sql: String,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "ancestors",
            expr: |x, _, _| format!("::{x}"),
            sql: format!("{ANC} SELECT id FROM anc WHERE ?2 = ?2 AND ?3 = ?3"),
        },
        Case {
            name: "ancestors_founded_before",
            expr: |x, _, y| format!("::{x} & founded(before:{y})"),
            sql: format!(
                "{ANC} SELECT n.id FROM anc JOIN nodes AS n ON n.id = anc.id \
                 WHERE n.founded IS NOT NULL AND n.founded < ?3 AND ?2 = ?2"
            ),
        },
        Case {
            name: "range",
            expr: |x, z, _| format!("{z}..{x}"),
            sql: "WITH RECURSIVE a(id) AS (SELECT ?1 UNION SELECT e.src FROM edges AS e JOIN a ON e.dst = a.id), \
                  b(id) AS (SELECT ?2 UNION SELECT e.src FROM edges AS e JOIN b ON e.dst = b.id) \
                  SELECT id FROM a WHERE ?3 = ?3 EXCEPT SELECT id FROM b"
                .into(),
        },
        Case {
            name: "union_alive",
            expr: |x, z, y| format!("(::{x} | ::{z}) & alive({y})"),
            sql: "WITH RECURSIVE u(id) AS (SELECT ?1 UNION SELECT ?2 \
                  UNION SELECT e.src FROM edges AS e JOIN u ON e.dst = u.id) \
                  SELECT n.id FROM u JOIN nodes AS n ON n.id = u.id WHERE n.founded IS NOT NULL \
                  AND n.founded <= ?3 AND (n.ended IS NULL OR n.ended > ?3)"
                .into(),
        },
        Case {
            name: "mergers_into_descendants",
            expr: |x, _, _| format!("into({x}::, merger)"),
            sql: "WITH RECURSIVE des(id) AS (SELECT ?1 \
                  UNION SELECT e.dst FROM edges AS e JOIN des ON e.src = des.id) \
                  SELECT DISTINCT e.src FROM edges AS e JOIN des ON e.dst = des.id \
                  WHERE e.kind = 'merger' AND ?2 = ?2 AND ?3 = ?3"
                .into(),
        },
    ]
}

fn sqlite_ids(conn: &Connection, sql: &str, x: u32, z: u32, y: i32) -> Vec<u32> {
    let mut st = conn.prepare_cached(sql).expect("prepare");
    let mut v: Vec<u32> = st
        .query_map(rusqlite::params![x, z, y], |r| r.get::<_, u32>(0))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn ours(db: &Db, q: &str) -> Vec<u32> {
    let s = db.select(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    let v: Vec<u32> = s.nodes.iter().map(|n| n.index() as u32).collect();
    let fast = db.select_nodes(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    assert!(
        fast.members()
            .map(|m| m.0.index() as u32)
            .eq(v.iter().copied()),
        "{q}"
    );
    v
}

/// A 200-character expression using every kind of token.
pub const LONG: &str = "(::amanat | ancestors(nur-otan, depth=3, kinds=merger|renaming, at=2006)) & kind(party, movement) & founded(sure:before:1999) ~ (otan.. asar | heads(into(otan, merger, when=2006))) | \"Civic Party\" @ 2005";

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    assert!(LONG.len() >= 200, "{}", LONG.len());
    lang::parse(LONG).expect("the long expression parses");
    c.bench_function("parse/200-char", |b| {
        b.iter(|| lang::parse(black_box(LONG)))
    });
    let mut sizes = vec![100_000];
    if common::big() {
        sizes.push(1_000_000);
    }
    for n in sizes {
        let d = common::data(n);
        let db = Db::open_file(&d.snap).expect("open the snapshot");
        let mem = common::sqlite_memory(&d.synth);
        let year = d.synth.config.first_year + d.synth.config.years / 2;
        let t: Vec<u32> = d.targets.iter().copied().take(TARGETS).collect();
        let pairs: Vec<(u32, u32)> = t
            .iter()
            .zip(t.iter().rev())
            .map(|(a, b)| (*a, *b))
            .collect();
        let slug = |i: u32| d.synth.id(i);
        for case in cases() {
            let texts: Vec<String> = pairs
                .iter()
                .map(|&(x, z)| (case.expr)(&slug(x), &slug(z), year))
                .collect();
            let mut nonempty = 0;
            for (q, &(x, z)) in texts.iter().zip(&pairs) {
                let a = ours(&db, q);
                assert_eq!(a, sqlite_ids(&mem, &case.sql, x, z, year), "{q}");
                nonempty += usize::from(!a.is_empty());
            }
            assert!(nonempty > 0, "{}: every answer is empty", case.name);
            // the same expression prepared once, with the targets as parameters
            let prepared = db.prepare(&(case.expr)("$x", "$z", year)).expect("prepare");
            let ids: Vec<(lineage::NodeId, lineage::NodeId)> = pairs
                .iter()
                .map(|&(x, z)| {
                    let id = |i| db.by_id(&slug(i)).expect("a target");
                    (id(x), id(z))
                })
                .collect();
            for (q, &(x, z)) in texts.iter().zip(&ids) {
                let got = prepared
                    .select_nodes(&db, &[("x", x), ("z", z)])
                    .expect("run");
                assert!(
                    got.members().map(|m| m.0.index() as u32).eq(ours(&db, q)),
                    "prepared {q}"
                );
            }
            let mut g = c.benchmark_group(format!("select-{n}/{}", case.name));
            g.bench_function("lineage-prepared", |b| {
                b.iter(|| {
                    for &(x, z) in &ids {
                        black_box(
                            prepared
                                .select_nodes(&db, &[("x", x), ("z", z)])
                                .expect("run"),
                        );
                    }
                })
            });
            g.bench_function("lineage-nodes", |b| {
                b.iter(|| {
                    for q in &texts {
                        black_box(db.select_nodes(q).expect("select"));
                    }
                })
            });
            g.bench_function("lineage-with-edges", |b| {
                b.iter(|| {
                    for q in &texts {
                        black_box(db.select(q).expect("select"));
                    }
                })
            });
            g.bench_function("sqlite-memory", |b| {
                b.iter(|| {
                    for &(x, z) in &pairs {
                        black_box(sqlite_ids(&mem, &case.sql, x, z, year));
                    }
                })
            });
            g.finish();
        }
    }
    c.final_summary();
}
