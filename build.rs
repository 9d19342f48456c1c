//! Compiles `graph-data/` into the snapshot that the binary embeds.
//!
//! The loader and snapshot writer are the library's own modules, included by path. When the data
//! does not validate, the build still succeeds: an empty snapshot is embedded along with the
//! problems, so that `lineage validate` can show them and `Db::embedded()` reports them.

#![allow(dead_code, unused_imports, missing_docs)]

#[path = "src/date.rs"]
mod date;
#[path = "src/error.rs"]
mod error;
#[path = "src/graph/mod.rs"]
mod graph;
#[path = "src/load/mod.rs"]
mod load;
#[path = "src/model.rs"]
mod model;
#[path = "src/names.rs"]
mod names;
#[path = "src/snapshot.rs"]
mod snapshot;

use std::path::Path;

fn main() {
    for f in [
        "src/date.rs",
        "src/error.rs",
        "src/graph",
        "src/load/mod.rs",
        "src/load/spans.rs",
        "src/model.rs",
        "src/names.rs",
        "src/snapshot.rs",
        "graph-data",
    ] {
        println!("cargo:rerun-if-changed={f}");
    }
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out);
    let (snap, problems) = match load::load_path(Path::new("graph-data")) {
        Ok(g) => match snapshot::encode(&g) {
            // `Db::embedded` trusts these checksums instead of computing them at every start
            Ok(bytes) => match snapshot::verify(&bytes, u64::MAX) {
                Ok(_) => (bytes, String::new()),
                Err(e) => (
                    Vec::new(),
                    format!("the snapshot just written fails: {e}\n"),
                ),
            },
            Err(e) => (Vec::new(), format!("{e}\n")),
        },
        Err(e) => (Vec::new(), format!("{e}\n")),
    };
    if !problems.is_empty() {
        let n = problems.lines().count();
        println!(
            "cargo:warning=graph-data does not validate ({n} problems); run `cargo run -- validate graph-data`"
        );
    }
    std::fs::write(out.join("embedded.snap"), snap).expect("write embedded.snap");
    std::fs::write(out.join("embedded-problems.txt"), problems)
        .expect("write embedded-problems.txt");
}
