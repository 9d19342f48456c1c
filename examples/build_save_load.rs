//! Build a small graph in code, save it as RON and as a snapshot, and load both again.

use lineage::{Db, Edge, EdgeKind, Graph, Node, NodeKind, Source};

fn main() -> Result<(), lineage::Error> {
    let mut g = Graph::new();
    g.add_source(Source {
        id: "notes".into(),
        title: "My research notes".into(),
        publisher: String::new(),
        author: "A. Researcher".into(),
        date: "2026".into(),
        url: String::new(),
        seed: String::new(),
        note: String::new(),
    })?;
    let mut old = Node::new("old-party", NodeKind::Party, "Old Party", "notes");
    old.founded.push(lineage::Claim {
        date: "early 1990".parse()?,
        sources: vec!["notes".into()],
        note: String::new(),
    });
    g.add_node(old)?;
    g.add_node(Node::new(
        "new-party",
        NodeKind::Party,
        "New Party",
        "notes",
    ))?;
    g.add_node(Node::new(
        "renamed-party",
        NodeKind::Party,
        "Renamed Party",
        "notes",
    ))?;
    g.add_edge(Edge::new(EdgeKind::Split, "old-party", "new-party", "notes").dated("1993")?)?;
    g.add_edge(
        Edge::new(EdgeKind::Renaming, "new-party", "renamed-party", "notes").dated("1999-05")?,
    )?;

    // Every edit is checked: a cycle is refused.
    let bad = g.add_edge(Edge::new(
        EdgeKind::Merger,
        "renamed-party",
        "old-party",
        "notes",
    ));
    println!("refused: {}", bad.unwrap_err());

    let dir = std::env::temp_dir().join(format!("lineage-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| lineage::Error::io(&dir, e))?;
    let ron = dir.join("graph.ron");
    let snap = dir.join("graph.snap");
    g.save_ron(&ron)?;
    g.save_snapshot(&snap)?;

    let from_ron = Graph::load(&ron)?;
    assert_eq!(from_ron.to_ron(), g.to_ron());
    let db = Db::open_file(&snap)?;
    let n = db.resolve("Renamed Party")?;
    let anc = lineage::query::closure(
        &db,
        n,
        lineage::query::Direction::Ancestors,
        &Default::default(),
    );
    println!(
        "{} ancestors of {} after a round trip through {}",
        anc.hits.len(),
        db.name(n),
        snap.display()
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
