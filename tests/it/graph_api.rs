//! Building and changing a graph in code: each edit is checked the way loading checks.

use lineage::{Edge, EdgeKind, Error, Graph, Node, NodeKind, Source};

fn source() -> Source {
    Source::new("s", "A source")
}

fn graph() -> Graph {
    let mut g = Graph::new();
    g.add_source(source()).unwrap();
    for (id, name) in [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")] {
        g.add_node(Node::new(id, NodeKind::Party, name, "s"))
            .unwrap();
    }
    g
}

fn messages(e: Error) -> Vec<String> {
    match e {
        Error::Invalid(ps) => ps.0.into_iter().map(|p| p.message).collect(),
        other => panic!("expected Invalid, got {other}"),
    }
}

#[test]
fn edits_are_checked() {
    let mut g = graph();
    // unknown node
    let m = messages(
        g.add_edge(Edge::new(EdgeKind::Split, "a", "zzz", "s"))
            .unwrap_err(),
    );
    assert_eq!(m, vec!["unknown node id \"zzz\" in `to`"]);
    // unknown source
    let m = messages(
        g.add_edge(Edge::new(EdgeKind::Split, "a", "b", "nope"))
            .unwrap_err(),
    );
    assert_eq!(m, vec!["unknown source id \"nope\""]);
    // a cycle is refused at the edit that would close it
    g.add_edge(Edge::new(EdgeKind::Split, "a", "b", "s"))
        .unwrap();
    g.add_edge(Edge::new(EdgeKind::Merger, "b", "c", "s"))
        .unwrap();
    let m = messages(
        g.add_edge(Edge::new(EdgeKind::Founding, "c", "a", "s"))
            .unwrap_err(),
    );
    assert_eq!(m, vec!["lineage cycle: c already descends from a"]);
    // renamed twice
    g.add_edge(Edge::new(EdgeKind::Renaming, "a", "c", "s"))
        .unwrap();
    let extra = Node::new("d", NodeKind::Party, "Delta", "s");
    g.add_node(extra).unwrap();
    let m = messages(
        g.add_edge(Edge::new(EdgeKind::Renaming, "a", "d", "s"))
            .unwrap_err(),
    );
    assert_eq!(m, vec!["a is renamed twice: to c and to d"]);
    // duplicate id and colliding name
    let m = messages(
        g.add_node(Node::new("a", NodeKind::Party, "Other", "s"))
            .unwrap_err(),
    );
    assert_eq!(m, vec!["duplicate node id \"a\""]);
    let m = messages(
        g.add_node(Node::new("e", NodeKind::Party, "ALPHA", "s"))
            .unwrap_err(),
    );
    assert_eq!(m, vec!["name \"ALPHA\" also names node a (\"Alpha\")"]);
    assert!(g.validate().is_empty());
}

#[test]
fn update_and_remove_keep_the_graph_valid() {
    let mut g = graph();
    let h = g
        .add_edge(
            Edge::new(EdgeKind::Split, "a", "b", "s")
                .dated("1995")
                .unwrap(),
        )
        .unwrap();
    // an update that would date the edge before b existed is refused and leaves b as it was
    let mut b = g.node("b").unwrap().clone();
    b.founded.push(lineage::Claim {
        date: "2000".parse().unwrap(),
        sources: vec!["s".into()],
        note: String::new(),
    });
    let m = messages(g.update_node(b).unwrap_err());
    assert_eq!(m, vec!["dated 1995, before b existed (2000–)"]);
    assert!(g.node("b").unwrap().founded.is_empty());
    // remove_node takes its edges with it, and other handles stay valid
    let h2 = g
        .add_edge(Edge::new(EdgeKind::Merger, "b", "c", "s"))
        .unwrap();
    let (node, edges) = g.remove_node("a").unwrap();
    assert_eq!(node.id, "a");
    assert_eq!(edges.len(), 1);
    assert!(g.edge(h).is_none());
    assert_eq!(g.edge(h2).unwrap().to, "c");
    assert!(g.remove_node("a").is_err());
    assert!(g.remove_edge(h).is_err());
    assert_eq!(g.remove_edge(h2).unwrap().from, "b");
    assert_eq!(g.edge_count(), 0);
    assert!(g.validate().is_empty());
}

#[test]
fn a_frozen_graph_answers_queries() {
    let mut g = graph();
    g.add_edge(Edge::new(EdgeKind::Split, "a", "b", "s"))
        .unwrap();
    g.add_edge(Edge::new(EdgeKind::Renaming, "b", "c", "s"))
        .unwrap();
    let db = g.freeze().unwrap();
    let c = db.resolve("Gamma").unwrap();
    let anc = lineage::query::closure(
        &db,
        c,
        lineage::query::Direction::Ancestors,
        &Default::default(),
    );
    let got: Vec<(&str, u32)> = anc.hits.iter().map(|h| (db.id(h.node), h.depth)).collect();
    // renaming does not add a generation: b is depth 0, a depth 1
    assert_eq!(got, vec![("b", 0), ("a", 1)]);
}

/// A `NodeId` or `EdgeId` from another Db (here: the embedded graph's, past the sample's
/// range) makes every accessor panic with a message that says so, not with a bare index error
/// and not with an answer about some other node. The contract is in `NodeId`'s docs.
#[test]
fn an_id_from_another_db_panics_with_a_message_that_says_so() {
    use lineage::Db;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    let big = Db::embedded().unwrap();
    let small = Db::open_file(std::path::Path::new("tests/fixtures/format-v3.snap")).unwrap();
    let n = big.node_ids().last().unwrap();
    let e = big.edge_ids().last().unwrap();
    assert!(n.index() >= small.node_count() && e.index() >= small.edge_count());
    type Call<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let calls: Vec<Call> = vec![
        (
            "id",
            Box::new(|| {
                std::hint::black_box(small.id(n).len());
            }),
        ),
        (
            "name",
            Box::new(|| {
                std::hint::black_box(small.name(n).len());
            }),
        ),
        (
            "kind",
            Box::new(|| {
                std::hint::black_box(small.kind(n));
            }),
        ),
        (
            "begin",
            Box::new(|| {
                std::hint::black_box(small.begin(n));
            }),
        ),
        (
            "end",
            Box::new(|| {
                std::hint::black_box(small.end(n));
            }),
        ),
        (
            "node",
            Box::new(|| {
                std::hint::black_box(small.node(n));
            }),
        ),
        (
            "years",
            Box::new(|| {
                std::hint::black_box(small.years(n));
            }),
        ),
        (
            "candidate",
            Box::new(|| {
                std::hint::black_box(small.candidate(n));
            }),
        ),
        (
            "out_edges",
            Box::new(|| {
                std::hint::black_box(small.out_edges(n).count());
            }),
        ),
        (
            "in_edges",
            Box::new(|| {
                std::hint::black_box(small.in_edges(n).count());
            }),
        ),
        (
            "edge",
            Box::new(|| {
                std::hint::black_box(small.edge(e));
            }),
        ),
        (
            "edge_kind",
            Box::new(|| {
                std::hint::black_box(small.edge_kind(e));
            }),
        ),
        (
            "endpoints",
            Box::new(|| {
                std::hint::black_box(small.endpoints(e));
            }),
        ),
        (
            "edge_when",
            Box::new(|| {
                std::hint::black_box(small.edge_when(e));
            }),
        ),
    ];
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut wrong = Vec::new();
    for (name, call) in &calls {
        match catch_unwind(AssertUnwindSafe(call)) {
            Ok(()) => wrong.push(format!("{name}: no panic")),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                if !msg.contains("came from another Db") {
                    wrong.push(format!("{name}: {msg}"));
                }
            }
        }
    }
    std::panic::set_hook(hook);
    assert!(wrong.is_empty(), "{wrong:#?}");
}
