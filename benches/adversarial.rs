//! Benchmark 5: the inputs that used to be quadratic, at 100,000 nodes (issue 12).
//!
//! - `common` of the two ends of a 100k-node chain (77 s at 40,000 nodes before);
//! - DOT with the year axis of a 100k-node chain that runs backwards in time, every other node
//!   without a year (100 s at 40,000 nodes before);
//! - the time-respecting `path` along a 100k-node chain of dated hops;
//! - validating 100k nodes of RON text with 10,000 misspelt edge ends ("did you mean" for each:
//!   203 s before).
//!
//! Each beside a baseline timed in the same run over the same graph: `query::reach` (one BFS
//! over the chain), which is linear; the ratio to it is what says "linear". Run with
//! `cargo bench --bench adversarial`.

use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use lineage::query::{Direction, Filter, Selection, common_ancestors, path, reach};
use lineage::render::dot::Dot;
use lineage::{Claim, DateSpec, Db, Edge, EdgeKind, Graph, KindSet, Node, NodeKind, Source};

const N: usize = 100_000;

fn id(i: usize) -> String {
    format!("n{i:06}")
}

/// A chain n0 → n1 → … of splits. With `backwards`, even nodes are founded in years that fall
/// along the chain and odd nodes have no year; with `dated`, every hop is dated in a year that
/// rises along the chain.
fn chain(backwards: bool, dated: bool) -> Db {
    let mut g = Graph::new();
    g.insert_source_unvalidated(Source::new("s", "synthetic"));
    let year = |y: usize| DateSpec::parse(&format!("{y:04}")).unwrap();
    for i in 0..N {
        let mut n = Node::new(&id(i), NodeKind::Party, &format!("Party {i}"), "s");
        if backwards && i % 2 == 0 {
            n.founded.push(Claim {
                date: year(9000 - i / 20),
                sources: vec!["s".into()],
                note: String::new(),
            });
        }
        g.insert_node_unvalidated(n);
    }
    for i in 0..N - 1 {
        let mut e = Edge::new(EdgeKind::Split, &id(i), &id(i + 1), "s");
        if dated {
            e.date.push(Claim {
                date: year(1000 + i / 20),
                sources: vec!["s".into()],
                note: String::new(),
            });
        }
        g.insert_edge_unvalidated(e).unwrap();
    }
    Db::from_graph_unvalidated(&g).unwrap()
}

/// RON text of a 100k-node chain in which 10,000 edges name a node that does not exist.
fn misspelt_ron() -> String {
    let mut s = String::from("(sources: [(id: \"s\", title: \"synthetic\")], nodes: [\n");
    for i in 0..N {
        let _ = writeln!(
            s,
            "(id: \"{}\", kind: party, name: \"Party {i}\", sources: [\"s\"]),",
            id(i)
        );
    }
    s.push_str("], edges: [\n");
    for i in 0..N - 1 {
        let to = if i % 10 == 0 {
            format!("m{:06}", i + 1)
        } else {
            id(i + 1)
        };
        let _ = writeln!(
            s,
            "(kind: split, from: \"{}\", to: \"{to}\", sources: [\"s\"]),",
            id(i)
        );
    }
    s.push_str("])\n");
    s
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10)
        .configure_from_args();
    let mut g = c.benchmark_group("adversarial-100k");

    let plain = chain(false, false);
    let (first, last) = (
        plain.by_id(&id(0)).unwrap(),
        plain.by_id(&id(N - 1)).unwrap(),
    );
    let mut seen = vec![0u64; N.div_ceil(64)];
    g.bench_function("baseline: reach along the chain", |b| {
        b.iter(|| {
            seen.iter_mut().for_each(|w| *w = 0);
            black_box(
                reach(
                    &plain,
                    last,
                    Direction::Ancestors,
                    KindSet::LINEAGE,
                    &mut seen,
                )
                .len(),
            )
        })
    });
    g.bench_function("common of the chain's ends", |b| {
        b.iter(|| {
            black_box(
                common_ancestors(&plain, first, last, KindSet::LINEAGE)
                    .all
                    .len(),
            )
        })
    });

    let back = chain(true, false);
    let sel = Selection::all(&back, false, &Filter::default());
    g.bench_function("DOT with the year axis, chain backwards in time", |b| {
        b.iter(|| black_box(Dot::new(&back, &sel).to_string().len()))
    });

    let dated = chain(false, true);
    let (a, z) = (
        dated.by_id(&id(0)).unwrap(),
        dated.by_id(&id(N - 1)).unwrap(),
    );
    g.bench_function("time-respecting path along the chain", |b| {
        b.iter(|| black_box(path(&dated, a, z, KindSet::LINEAGE, true).map(|h| h.len())))
    });

    let ron = misspelt_ron();
    g.bench_function("validate with 10,000 misspelt ids", |b| {
        b.iter(|| black_box(lineage::load::load_str("chain.ron", &ron).is_err()))
    });
    g.finish();
    c.final_summary();
}
