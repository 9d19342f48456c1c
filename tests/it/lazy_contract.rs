//! The contract of a lazily opened snapshot (`Db::open_file_lazy`, docs/design.md "Checked after
//! the open"), call by call:
//!
//! - on every damaged file (a bit flipped in each section, every word of every section forged
//!   with the checksums rewritten, the file cut short after the open), every public call either
//!   gets an error from `preload` of the parts it reads, or answers without panicking; after
//!   `Preload::Everything` its answer is the eager open's;
//! - calls that return `Result` never panic, preloaded or not;
//! - a call whose parts were not preloaded panics, naming the `Preload` to add, and the panic is
//!   the same on a good file as on a damaged one: it depends on the code, not on the bytes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lineage::query::{self, Direction, Filter};
use lineage::snapshot::{ENTRY_LEN, HEADER_LEN, SECTIONS};
use lineage::{DateSpec, Db, Graph, KindSet, Preload};

use crate::support;

/// One public call: its name, the parts it reads, and what it answers, as text.
struct Call {
    name: &'static str,
    needs: &'static [Preload],
    /// `Err` when the call itself refuses the file (a snapshot or I/O error).
    run: fn(&Db) -> Result<String, String>,
}

/// A call's own answer, or its refusal of the file; other errors are answers.
fn refusal<T: std::fmt::Debug>(r: lineage::Result<T>) -> Result<String, String> {
    match r {
        Err(e @ (lineage::Error::Snapshot(_) | lineage::Error::Io { .. })) => Err(e.to_string()),
        other => Ok(format!("{other:?}")),
    }
}

/// A node and an edge every call uses (the last ones: they have the most history).
fn last(db: &Db) -> (lineage::NodeId, Option<lineage::EdgeId>) {
    (db.node_ids().last().unwrap(), db.edge_ids().last())
}

fn calls() -> Vec<Call> {
    use Preload::*;
    macro_rules! call {
        ($name:expr, [], $f:expr) => {
            Call { name: $name, needs: &[], run: $f }
        };
        ($name:expr, [$($p:expr),+], $f:expr) => {
            Call { name: $name, needs: &[$($p),+], run: |db| Ok(($f as fn(&Db) -> String)(db)) }
        };
    }
    vec![
        call!("node_count, edge_count, node_ids, edge_ids", [], |db| Ok(
            format!(
                "{} {} {} {}",
                db.node_count(),
                db.edge_count(),
                db.node_ids().count(),
                db.edge_ids().count(),
            )
        )),
        call!("resolve", [], |db| Ok(format!(
            "{} {}",
            refusal(db.resolve("Otan").map(|n| n.index()))?,
            refusal(db.resolve("nur otn").map(|n| n.index()))?
        ))),
        call!("select", [], |db| refusal(
            db.select("::\"Otan\"").map(|s| s.nodes)
        )),
        call!("select_nodes", [], |db| refusal(
            db.select_nodes("all() & kind(party)").map(|s| s.len())
        )),
        call!("prepare", [], |db| refusal(
            db.prepare("::$x").map(|p| format!("{:?}", p.plan()))
        )),
        call!("lang::plan, lang::run", [], |db| refusal(
            lineage::lang::plan(db, "alive(2005)")
                .and_then(|p| Ok((p.explain(db), lineage::lang::run(db, &p, "alive(2005)")?)))
        )),
        call!("select_expr", [], |db| refusal(
            db.select_expr(&lineage::lang::Expr::all().ancestors())
        )),
        call!("Prepared::select", [], |db| {
            let first = db.node_ids().next().unwrap();
            refusal(
                db.prepare("$x::")
                    .and_then(|q| q.select(db, &[("x", first)])),
            )
        }),
        call!("sources, source", [], |db| Ok(format!(
            "{:?} {:?}",
            db.sources(),
            db.source("nope")
        ))),
        call!("id, name", [Names], |db| db
            .node_ids()
            .map(|n| format!("{} {}", db.id(n), db.name(n)))
            .collect()),
        call!("by_id, lookup", [Names], |db| db
            .node_ids()
            .map(|n| format!("{:?} {:?}", db.by_id(db.id(n)), db.lookup(db.name(n))))
            .collect()),
        call!("search", [Names], |db| format!(
            "{:?}",
            query::search(db, "nur otn", 5)
        )),
        call!("kind, begin, end, years", [NodeColumns], |db| db
            .node_ids()
            .map(|n| format!(
                "{:?} {:?} {:?} {}",
                db.kind(n),
                db.begin(n),
                db.end(n),
                db.years(n)
            ))
            .collect()),
        call!("candidate", [Names, NodeColumns], |db| format!(
            "{:?}",
            db.candidate(last(db).0)
        )),
        call!("edge_kind, endpoints, edge_when", [EdgeColumns], |db| db
            .edge_ids()
            .map(|e| format!(
                "{:?} {:?} {:?}",
                db.edge_kind(e),
                db.endpoints(e),
                db.edge_when(e)
            ))
            .collect()),
        call!("out_edges, in_edges", [EdgeLists], |db| db
            .node_ids()
            .map(|n| format!(
                "{:?} {:?}",
                db.out_edges(n).collect::<Vec<_>>(),
                db.in_edges(n).collect::<Vec<_>>()
            ))
            .collect()),
        call!("node", [NodeRecords], |db| db
            .node_ids()
            .map(|n| format!("{:?}", db.node(n)))
            .collect()),
        call!("edge", [EdgeRecords], |db| db
            .edge_ids()
            .map(|e| format!("{:?}", db.edge(e)))
            .collect()),
        call!("to_graph", [NodeRecords, EdgeRecords], |db| db
            .to_graph()
            .to_ron()),
        call!("reach", [Ancestors, Descendants], |db| {
            let mut seen = vec![0u64; db.node_count().div_ceil(64) + 1];
            db.node_ids()
                .map(|n| {
                    let up = query::reach(db, n, Direction::Ancestors, KindSet::LINEAGE, &mut seen);
                    let down =
                        query::reach(db, n, Direction::Descendants, KindSet::LINEAGE, &mut seen);
                    format!("{up:?} {down:?}")
                })
                .collect()
        }),
        call!("closure_set", [Ancestors, EdgeColumns], |db| {
            let roots: Vec<_> = db.node_ids().map(|n| (n, true)).collect();
            format!(
                "{:?}",
                query::closure_set(db, &roots, Direction::Ancestors, &Filter::default())
            )
        }),
        call!("closure", [Ancestors, Descendants, EdgeColumns], |db| db
            .node_ids()
            .map(|n| {
                format!(
                    "{:?} {:?}",
                    query::closure(db, n, Direction::Ancestors, &Filter::default()),
                    query::closure(db, n, Direction::Descendants, &Filter::default())
                )
            })
            .collect()),
        call!("queries", [Parts], |db| {
            let (n, _) = last(db);
            let first = db.node_ids().next().unwrap();
            let at = DateSpec::parse("2005").unwrap();
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                query::common_ancestors(db, n, first, KindSet::LINEAGE),
                query::path(db, first, n, KindSet::LINEAGE, true),
                query::leaders(db, n, Some(&at)),
                query::name_at(db, n, &at),
                query::timeline(db, None, None, None),
                query::stats(db),
                query::chain(db, n, KindSet::LINEAGE),
            )
        }),
        call!("as_bytes", [Everything], |db| format!(
            "{}",
            db.as_bytes().len()
        )),
    ]
}

fn sample() -> Vec<u8> {
    Graph::load(Path::new("tests/fixtures/sample.ron"))
        .unwrap()
        .to_snapshot()
        .unwrap()
}

fn quiet<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    catch_unwind(AssertUnwindSafe(f))
}

fn panic_text(e: &Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Every damaged variant of `bytes`, with what it is.
fn damaged(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for k in 0..SECTIONS {
        let e = HEADER_LEN + k * ENTRY_LEN;
        let (off, len) = (
            support::le64(bytes, e + 8) as usize,
            support::le64(bytes, e + 16) as usize,
        );
        if len > 0 {
            let mut b = bytes.to_vec();
            b[HEADER_LEN + off + len / 2] ^= 0x10;
            out.push((format!("section {k}: a bit flipped"), b));
        }
        for w in 0..len / 4 {
            for v in [u32::MAX, 1000, 1, 0] {
                let mut b = bytes.to_vec();
                let at = HEADER_LEN + off + w * 4;
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
                if b != bytes {
                    support::reseal(&mut b);
                    out.push((format!("section {k} word {w} = {v:#x}, resealed"), b));
                }
            }
        }
    }
    out
}

#[test]
fn no_call_panics_on_any_damaged_file_once_its_parts_are_preloaded() {
    let bytes = sample();
    let want: Vec<String> = {
        let eager = Db::open_bytes(&bytes).unwrap();
        calls().iter().map(|c| (c.run)(&eager).unwrap()).collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    let calls = calls();
    let (mut files, mut answered, mut refused, mut unlike) = (0, 0, 0, 0);
    for (what, b) in damaged(&bytes) {
        std::fs::write(&path, &b).unwrap();
        let eager_ok = Db::open_bytes(&b).is_ok();
        let Ok(db) = Db::open_file_lazy(&path) else {
            continue;
        };
        files += 1;
        // the whole-file check last: once it fails, every part is closed to accessors
        for (c, want) in calls.iter().zip(&want) {
            let ran = quiet(|| {
                if db.preload(c.needs).is_err() {
                    return None;
                }
                (c.run)(&db).ok()
            });
            match ran {
                Err(p) => panic!("{what}: {} panicked: {}", c.name, panic_text(&p)),
                Ok(None) => refused += 1,
                Ok(Some(got)) => {
                    answered += 1;
                    if eager_ok {
                        assert_eq!(&got, want, "{what}: {} (the eager open accepts it)", c.name);
                    } else if &got != want && !c.needs.contains(&Preload::Everything) {
                        // a narrower preload does not compare the parts with the records
                        unlike += 1;
                    }
                }
            }
        }
        // after the whole-file check, every answer is the eager one, or it was refused
        if db.preload(&[Preload::Everything]).is_ok() {
            assert!(
                eager_ok,
                "{what}: Everything accepted what a whole open refuses"
            );
        }
    }
    eprintln!(
        "lazy_contract: {files} damaged files opened lazily; {answered} calls answered, \
         {refused} refused by preload, none panicked; {unlike} answers after a narrower preload \
         differ from the original's (forgeries only the whole-file check refuses)"
    );
    assert!(files > 1000 && answered > 1000 && refused > 1000);
}

#[test]
fn a_file_cut_short_after_the_open_is_an_error_for_every_call() {
    let bytes = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    // cut where the node columns (the first section after META) begin
    let cut = HEADER_LEN + support::le64(&bytes, HEADER_LEN + ENTRY_LEN + 8) as usize;
    for c in calls() {
        std::fs::write(&path, &bytes).unwrap();
        let db = Db::open_file_lazy(&path).unwrap();
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let r = quiet(|| db.preload(c.needs).ok().and_then(|_| (c.run)(&db).ok()));
        match r {
            Err(p) => panic!("{} panicked: {}", c.name, panic_text(&p)),
            // calls that read nothing beyond the META section still answer
            Ok(Some(_)) => assert!(
                c.needs.is_empty(),
                "{} answered from a truncated file",
                c.name
            ),
            Ok(None) => {}
        }
    }
}

#[test]
fn a_call_whose_parts_are_not_preloaded_panics_whatever_the_file_holds() {
    let good = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    // a good file, then damaged ones whose header still opens
    let mut files = vec![("good".to_string(), good.clone())];
    files.extend(damaged(&good).into_iter().step_by(97));
    let mut checked = 0;
    for c in calls() {
        let mut first: Option<String> = None;
        for (what, b) in &files {
            std::fs::write(&path, b).unwrap();
            let Ok(db) = Db::open_file_lazy(&path) else {
                continue;
            };
            let r = quiet(|| (c.run)(&db));
            let outcome = match r {
                Ok(_) if c.needs.is_empty() => "answered".to_string(),
                Ok(_) => panic!("{what}: {} read parts that were not preloaded", c.name),
                Err(_) if c.needs.is_empty() => panic!("{what}: {} panicked", c.name),
                Err(p) => panic_text(&p),
            };
            if !c.needs.is_empty() {
                assert!(
                    outcome.contains("must be preloaded first: call db.preload(&[Preload::"),
                    "{}: {outcome}",
                    c.name
                );
            }
            match &first {
                None => first = Some(outcome),
                Some(f) if c.needs.is_empty() => {
                    let _ = f;
                }
                Some(f) => assert_eq!(&outcome, f, "{what}: {}", c.name),
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}
