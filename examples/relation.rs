//! How are two parties related? The shortest lineage path and the nearest common ancestors.

use lineage::KindSet;
use lineage::{Db, query};

fn main() -> Result<(), lineage::Error> {
    let db = Db::embedded()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (a, b) = match args.as_slice() {
        [a, b] => (a.as_str(), b.as_str()),
        _ => ("Civic Party", "Amanat"),
    };
    let (x, y) = (db.resolve(a)?, db.resolve(b)?);
    match query::path(&db, x, y, KindSet::LINEAGE, false) {
        None => println!(
            "{} and {} are not related by lineage",
            db.name(x),
            db.name(y)
        ),
        Some(hops) => {
            println!("{} → {}: {} hops", db.name(x), db.name(y), hops.len());
            for h in hops {
                let e = db.edge(h.edge);
                println!(
                    "  {} {} → {} ({}) [{}]",
                    e.kind,
                    e.from,
                    e.to,
                    lineage::render::edge_dates(&e),
                    e.sources.join(", ")
                );
            }
        }
    }
    let common = query::common_ancestors(&db, x, y, KindSet::LINEAGE);
    let names: Vec<&str> = common.nearest.iter().map(|n| db.name(*n)).collect();
    println!(
        "nearest common ancestors: {}",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    );
    Ok(())
}
