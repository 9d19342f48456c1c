//! Writes the DOT of a party's lineage: its ancestors and descendants, ranked by year, with a
//! legend. Render it with Graphviz:
//!
//! ```sh
//! cargo run --example dot_lineage -- Amanat > amanat.dot && dot -Tsvg amanat.dot > amanat.svg
//! ```

use lineage::Db;
use lineage::query::Filter;
use lineage::render::Selection;
use lineage::render::dot::{Dot, DotConfig};

fn main() -> Result<(), lineage::Error> {
    let db = Db::embedded()?;
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Amanat".to_string());
    let root = db.resolve(&name)?;
    // `None`: both directions, as `lineage dot NAME` does
    let sel = Selection::around(&db, &[root], None, &Filter::default(), false);
    let dot = Dot::new(&db, &sel).with_config(DotConfig {
        wrap: 20,
        ..DotConfig::default()
    });
    print!("{dot}");
    eprintln!(
        "{}: {} nodes, {} edges",
        db.name(root),
        sel.nodes.len(),
        sel.edges.len()
    );
    Ok(())
}
