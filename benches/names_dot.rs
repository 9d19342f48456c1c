//! Benchmark 4: name resolution on the embedded graph, and DOT rendering of a 1,000-node
//! subgraph of the 100k synthetic graph.
//!
//! Names: an exact id, an exact display name, an alias in another script (folded by
//! transliteration), and a fuzzy search, each beside SQLite answering the exact and alias
//! lookups from an indexed table of the same folded keys (the fold itself done in Rust for both,
//! so the SQLite figure is its lookup alone). SQLite has no fuzzy match to compare with; a
//! misspelt name resolved to an error with ranked suggestions (what the CLI shows) is timed too.
//!
//! DOT: the `lineage dot` rendering (year axis, styles, renaming bands, legend, escaping) of a
//! root and its first 999 ancestors, beside a bare DOT writer over the same nodes and edges
//! (`"a" -> "b";` and a label per node): the floor of writing that picture at all.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use lineage::names::normalize;
use lineage::query::{Direction, Filter, reach, search};
use lineage::render::{Selection, dot::Dot};
use lineage::{Db, Error, KindSet, NodeId};
use rusqlite::Connection;

const EXACT_ID: &str = "nur-otan";
const EXACT_NAME: &str = "Nur Otan";
const ALIAS: &str = "Қазақстан азаматтық партиясы";
const FUZZY: &str = "nur otn";

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    names(&mut c);
    dot(&mut c);
    c.final_summary();
}

fn names(c: &mut Criterion) {
    let db = Db::embedded().expect("the embedded graph");
    // SQLite: the same folded keys (id, name, aliases) the snapshot's name index holds
    let sql = Connection::open_in_memory().expect("SQLite");
    sql.execute_batch(
        "CREATE TABLE nodes(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE);
         CREATE TABLE names(key TEXT NOT NULL, node INTEGER NOT NULL);",
    )
    .expect("schema");
    for n in db.node_ids() {
        let node = db.node(n);
        sql.execute(
            "INSERT INTO nodes VALUES (?1, ?2)",
            (n.index() as i64, &node.id),
        )
        .expect("insert");
        let mut keys: Vec<String> = std::iter::once(&node.id)
            .chain(std::iter::once(&node.name))
            .chain(&node.aliases)
            .map(|s| normalize(s))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            sql.execute("INSERT INTO names VALUES (?1, ?2)", (k, n.index() as i64))
                .expect("insert");
        }
    }
    sql.execute_batch("CREATE INDEX names_key ON names(key, node); ANALYZE;")
        .expect("index");
    let mut by_slug = sql
        .prepare("SELECT id FROM nodes WHERE slug = ?1")
        .expect("prepare");
    let mut by_key = sql
        .prepare("SELECT node FROM names WHERE key = ?1")
        .expect("prepare");
    let sql_resolve = |by_slug: &mut rusqlite::Statement<'_>,
                       by_key: &mut rusqlite::Statement<'_>,
                       name: &str|
     -> Vec<usize> {
        let id: Vec<usize> = by_slug
            .query_map([name], |r| r.get::<_, i64>(0))
            .expect("query")
            .map(|r| r.expect("row") as usize)
            .collect();
        if !id.is_empty() {
            return id;
        }
        by_key
            .query_map([normalize(name)], |r| r.get::<_, i64>(0))
            .expect("query")
            .map(|r| r.expect("row") as usize)
            .collect()
    };
    // both engines name the same node
    for name in [EXACT_ID, EXACT_NAME, ALIAS] {
        let ours = db.resolve(name).expect("resolves").index();
        assert_eq!(
            sql_resolve(&mut by_slug, &mut by_key, name),
            vec![ours],
            "{name}"
        );
    }
    let fuzzy = search(&db, FUZZY, 5);
    assert_eq!(db.id(fuzzy[0].node), EXACT_ID);
    assert!(matches!(
        db.resolve("Nur Otn"),
        Err(Error::UnknownName { .. })
    ));

    let mut g = c.benchmark_group("names");
    g.sample_size(50);
    for (label, name) in [
        ("exact-id", EXACT_ID),
        ("exact-name", EXACT_NAME),
        ("alias", ALIAS),
    ] {
        g.bench_function(format!("lineage/{label}"), |b| {
            b.iter(|| black_box(db.resolve(black_box(name)).expect("resolves")))
        });
        g.bench_function(format!("sqlite/{label}"), |b| {
            b.iter(|| black_box(sql_resolve(&mut by_slug, &mut by_key, black_box(name))))
        });
    }
    g.bench_function("lineage/fuzzy", |b| {
        b.iter(|| black_box(search(&db, black_box(FUZZY), 5)))
    });
    g.bench_function("lineage/misspelt-with-suggestions", |b| {
        b.iter(|| black_box(db.resolve(black_box("Nur Otn")).unwrap_err()))
    });
    g.finish();
}

fn dot(c: &mut Criterion) {
    let d = common::data(100_000);
    let db = Db::open_file(&d.snap).expect("open the snapshot");
    let mut seen = vec![0u64; db.node_count().div_ceil(64)];
    // the target with the largest ancestor closure; it and its first 999 ancestors
    let (root, mut anc) = d
        .targets
        .iter()
        .map(|&t| {
            let r = common::node(&db, t);
            (
                r,
                reach(&db, r, Direction::Ancestors, KindSet::LINEAGE, &mut seen),
            )
        })
        .max_by_key(|(_, a)| a.len())
        .expect("targets");
    assert!(anc.len() >= 999, "a closure of 999 ancestors");
    anc.truncate(999);
    let nodes: BTreeSet<NodeId> = std::iter::once(root).chain(anc).collect();
    let sel = Selection::induced(&db, nodes, &Filter::default());
    assert_eq!(sel.nodes.len(), 1_000);
    let ours = Dot::new(&db, &sel).to_string();
    let bare = bare_dot(&db, &sel);
    eprintln!(
        "dot: 1000 nodes, {} edges; lineage's DOT {} bytes, the bare one {} bytes",
        sel.edges.len(),
        ours.len(),
        bare.len()
    );
    common::write_note(
        "dot.txt",
        &format!(
            "nodes 1000\nedges {}\nbytes {}\nbare_bytes {}\n",
            sel.edges.len(),
            ours.len(),
            bare.len()
        ),
    );
    let mut g = c.benchmark_group("dot-1000");
    g.sample_size(30);
    g.throughput(Throughput::Elements(1_000));
    g.bench_function("lineage", |b| {
        b.iter(|| black_box(Dot::new(&db, &sel).to_string()))
    });
    g.bench_function("bare", |b| b.iter(|| black_box(bare_dot(&db, &sel))));
    g.finish();
}

/// The least DOT of a selection: a quoted label per node and an arrow per edge.
fn bare_dot(db: &Db, sel: &Selection) -> String {
    let mut o = String::from("digraph lineage {\n");
    for &n in &sel.nodes {
        let _ = writeln!(
            o,
            "  \"{}\" [label=\"{}\"];",
            db.id(n),
            db.name(n).replace('"', "\\\"")
        );
    }
    for &e in &sel.edges {
        let (a, b) = db.endpoints(e);
        let _ = writeln!(o, "  \"{}\" -> \"{}\";", db.id(a), db.id(b));
    }
    o.push_str("}\n");
    o
}
