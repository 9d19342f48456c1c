//! The query language: any text is parsed, checked and run against the embedded graph without
//! a panic; an answer's uncertain nodes are among its nodes and its edges join its nodes; a
//! refusal is a query error whose span lies within the text, or (for a name the graph cannot
//! read) another library error. Limits on size and nesting keep every input fast.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use lineage::{Db, Error};

fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| Db::embedded().expect("the embedded graph opens"))
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let db = db();
    match db.select(&q) {
        Ok(s) => {
            assert!(s.uncertain.is_subset(&s.nodes));
            for e in &s.edges {
                let (a, b) = db.endpoints(*e);
                assert!(s.nodes.contains(&a) && s.nodes.contains(&b));
            }
        }
        Err(Error::Query(e)) => {
            assert!(e.span.start <= e.span.end && e.span.end <= q.len());
            assert!(!e.report().is_empty());
        }
        Err(e) => panic!("not a query error: {e}"),
    }
    if let Ok(plan) = lineage::lang::plan(db, &q) {
        let _ = plan.explain(db);
    }
});
