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
