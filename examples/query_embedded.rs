//! Query the embedded Kazakhstan graph: where did Amanat come from, and what was it called in
//! 2005?

use lineage::query::{self, Direction, Filter};
use lineage::{DateSpec, Db};

fn main() -> Result<(), lineage::Error> {
    let db = Db::embedded()?;
    let amanat = db.resolve("Amanat")?;

    let then = query::name_at(&db, amanat, &DateSpec::parse("2005")?);
    for n in &then.candidates {
        println!(
            "in 2005 it was called {} (certain: {})",
            db.name(*n),
            then.certain
        );
    }

    let anc = query::closure(&db, amanat, Direction::Ancestors, &Filter::default());
    println!("{} has {} ancestors:", db.name(amanat), anc.hits.len());
    for hit in &anc.hits {
        let via = db.edge(hit.via[0]);
        println!(
            "  depth {}: {} ({} {}, sources: {})",
            hit.depth,
            db.name(hit.node),
            via.kind,
            lineage::render::edge_dates(&via),
            via.sources.join(", ")
        );
    }
    Ok(())
}
