//! Depth that the input controls must not reach the stack: a lineage 100,000 generations deep
//! is validated, drawn as a text tree and asked for its common ancestors on a test thread's
//! 2 MiB stack (each of these recursed once per generation before, and aborted the process).

use lineage::query::{self, Direction, Filter};
use lineage::{Db, Edge, EdgeKind, Graph, KindSet, Node, NodeKind, Source};

const DEPTH: usize = 100_000;

fn chain() -> Graph {
    let mut g = Graph::new();
    g.add_source(Source::new("s", "S")).unwrap();
    // through the unchecked inserts: the checked add_node compares each new name with every
    // node, which is quadratic; the graph is validated as a whole below
    for i in 0..DEPTH {
        let n = Node::new(
            &format!("n{i}"),
            NodeKind::Party,
            &format!("Party {i}"),
            "s",
        );
        assert!(g.insert_node_unvalidated(n));
    }
    for i in 1..DEPTH {
        let e = Edge::new(
            EdgeKind::Split,
            &format!("n{}", i - 1),
            &format!("n{i}"),
            "s",
        );
        g.insert_edge_unvalidated(e).unwrap();
    }
    g
}

#[test]
fn a_hundred_thousand_generations_use_no_stack() {
    let g = chain();
    // validation, with its search for lineage cycles
    assert!(g.validate().is_empty());
    let db = Db::from_graph(&g).unwrap();
    let (first, last) = (
        db.by_id("n0").unwrap(),
        db.by_id(&format!("n{}", DEPTH - 1)).unwrap(),
    );
    // the text tree of the whole lineage, both ways
    for (root, dir) in [
        (last, Direction::Ancestors),
        (first, Direction::Descendants),
    ] {
        let c = query::closure(&db, root, dir, &Filter::default());
        assert_eq!(c.hits.len(), DEPTH - 1);
        let text = lineage::render::text::closure_tree(
            &db,
            &c,
            &lineage::render::text::Style::default(),
            None,
        );
        assert_eq!(text.lines().count(), DEPTH);
        // deep lines are indented up to a limit, then numbered: the text stays linear
        let longest = text.lines().map(str::len).max().unwrap();
        assert!(longest < 200, "a line of {longest} bytes");
        assert!(
            text.contains(&format!("[level {}]", DEPTH - 1)),
            "the depth is shown"
        );
    }
    // common ancestors of the two deepest: all the others, and the nearest is the parent
    let prev = db.by_id(&format!("n{}", DEPTH - 2)).unwrap();
    let c = query::common_ancestors(&db, prev, last, KindSet::LINEAGE);
    assert_eq!(c.all.len(), DEPTH - 1);
    assert_eq!(c.nearest, vec![prev]);
    // and the path from one end to the other
    let p = query::path(&db, first, last, KindSet::LINEAGE, false).unwrap();
    assert_eq!(p.len(), DEPTH - 1);
}

/// The depth of the chain that goes through every output: `LINEAGE_DEEP_CHAIN`, else 100,000.
/// CI runs it again at 1,000,000 (`.ci/run`), which takes minutes in a debug build.
fn deep() -> usize {
    match std::env::var("LINEAGE_DEEP_CHAIN") {
        Ok(v) => v.parse().expect("LINEAGE_DEEP_CHAIN is a number"),
        Err(_) => 100_000,
    }
}

/// A dated split chain: node i founded in year 1000 + i / 1000, split off its parent then.
fn dated_chain(n: usize) -> Graph {
    use lineage::Claim;
    let mut g = Graph::new();
    g.add_source(Source::new("s", "S")).unwrap();
    let claim = |i: usize| Claim {
        date: lineage::DateSpec::parse(&format!("{}", 1000 + i / 1000)).unwrap(),
        sources: vec!["s".into()],
        note: String::new(),
    };
    for i in 0..n {
        let mut node = Node::new(
            &format!("n{i}"),
            NodeKind::Party,
            &format!("Party {i}"),
            "s",
        );
        node.founded.push(claim(i));
        assert!(g.insert_node_unvalidated(node));
    }
    for i in 1..n {
        let mut e = Edge::new(
            EdgeKind::Split,
            &format!("n{}", i - 1),
            &format!("n{i}"),
            "s",
        );
        e.date.push(claim(i));
        g.insert_edge_unvalidated(e).unwrap();
    }
    g
}

/// A lineage [`deep`] generations deep (a million in CI) through validation, the snapshot writer and both
/// opens, every query, and every output (text, JSON, DOT with its year axis, the SVG timeline,
/// GraphML and CSV), on a thread with a 1 MiB stack: nothing recurses once per generation, and
/// nothing is quadratic in the depth (the whole test is a few seconds in a release build).
#[test]
fn a_deep_chain_through_every_output() {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(through_every_output)
        .unwrap()
        .join()
        .expect("no stack overflow, no panic");
}

fn through_every_output() {
    let n = deep();
    eprintln!("a chain {n} generations deep");
    let t0 = std::time::Instant::now();
    let lap = |what: &str| eprintln!("  {what}: {:.1?}", t0.elapsed());
    assert!(n >= 100_000);
    use lineage::render::{self, text::Style};
    let g = dated_chain(n);
    assert!(g.validate().is_empty());
    // the writer, and the whole open that re-encodes and validates what it reads
    lap("built and validated");
    let bytes = g.to_snapshot().unwrap();
    lap("written");
    let db = Db::open_bytes(&bytes).unwrap();
    assert_eq!(db.node_count(), n);
    lap("opened whole");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.snap");
    std::fs::write(&path, &bytes).unwrap();
    let lazy = Db::open_file_lazy(&path).unwrap();
    lazy.preload(&[lineage::Preload::Everything]).unwrap();
    let (first, last) = (
        db.by_id("n0").unwrap(),
        db.by_id(&format!("n{}", n - 1)).unwrap(),
    );
    lap("opened lazily");
    let st = Style::default();
    // queries
    let up = query::closure(&db, last, Direction::Ancestors, &Filter::default());
    assert_eq!(up.hits.len(), n - 1);
    let down = query::closure(&db, first, Direction::Descendants, &Filter::default());
    assert_eq!(down.hits.len(), n - 1);
    let mut seen = vec![0u64; n.div_ceil(64)];
    let r = query::reach(&db, last, Direction::Ancestors, KindSet::LINEAGE, &mut seen);
    assert_eq!(r.len(), n - 1);
    for timed in [false, true] {
        let p = query::path(&db, first, last, KindSet::LINEAGE, timed).unwrap();
        assert_eq!(p.len(), n - 1);
        let text = render::text::path(&db, first, last, Some(&p), timed, &st);
        assert_eq!(
            text.lines().count(),
            n + 1,
            "a heading, a line per hop, the hop count"
        );
        let json = serde_json::to_string(&render::json::path(&db, first, last, Some(&p))).unwrap();
        assert!(json.len() > n);
    }
    lap("closures and paths");
    let prev = db.by_id(&format!("n{}", n - 2)).unwrap();
    let c = query::common_ancestors(&db, prev, last, KindSet::LINEAGE);
    assert_eq!(c.nearest, vec![prev]);
    // the year after the last one's founding: it, and only it
    let at = lineage::DateSpec::parse(&format!("{}", 1001 + (n - 1) / 1000)).unwrap();
    assert_eq!(query::name_at(&db, last, &at).candidates, vec![last]);
    lap("common, name_at");
    let t = query::timeline(&db, None, None, None);
    assert_eq!(t.len(), n, "each split and its founding are one entry");
    assert!(render::text::timeline(&db, &t, &st).lines().count() == n);
    assert!(!query::search(&db, &format!("Party {}", n - 1), 3).is_empty());
    // the older half of the ancestors, through the query language
    let q = format!("::n{} & founded(before:{})", n - 1, 1000 + n / 2000);
    assert_eq!(db.select(&q).unwrap().nodes.len(), n / 2);
    // text, JSON, DOT (year axis on and off), SVG, GraphML, CSV of the whole lineage
    lap("timeline, search, select");
    let tree = render::text::closure_tree(&db, &up, &st, None);
    assert_eq!(tree.lines().count(), n);
    let json = serde_json::to_string(&render::json::closure(&db, &up)).unwrap();
    assert!(json.len() > 10 * n);
    lap("tree, JSON");
    let all = render::Selection::around(
        &db,
        &[last],
        Some(Direction::Ancestors),
        &Filter::default(),
        false,
    );
    assert_eq!(all.nodes.len(), n);
    for axis in [true, false] {
        let mut d = render::dot::Dot::new(&db, &all);
        d.cfg.year_axis = axis;
        let dot = d.to_string();
        assert!(dot.lines().count() > 2 * n - 2);
    }
    lap("DOT");
    let svg = render::svg::Timeline {
        db: &db,
        nodes: None,
        cfg: render::svg::TimelineConfig::default(),
    }
    .to_string();
    assert!(svg.matches("<rect").count() >= n);
    lap("SVG");
    assert!(render::export::graphml(&db, &all).len() > n);
    assert_eq!(
        render::tables::csv(&db, &all, render::tables::Table::Edges)
            .lines()
            .count(),
        n
    );
    lap("GraphML, CSV");
}
