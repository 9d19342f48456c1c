//! Name resolution: folding, slugs, lookup, resolve and search over the sample graph and the
//! embedded one. Folding is idempotent and yields lower-case ASCII letters and digits; a resolved
//! name names its node; an ambiguity lists at least two nodes.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use lineage::names::{closest_id, is_slug, normalize, normalize_words};
use lineage::{Db, Error};

const SAMPLE: &str = include_str!("../../tests/fixtures/sample.ron");

fn dbs() -> &'static Vec<Db> {
    static DBS: OnceLock<Vec<Db>> = OnceLock::new();
    DBS.get_or_init(|| {
        let mut v = vec![
            lineage::load::load_str("sample.ron", SAMPLE)
                .unwrap()
                .freeze()
                .unwrap(),
        ];
        if let Ok(db) = Db::embedded() {
            v.push(db);
        }
        v
    })
}

fuzz_target!(|data: &[u8]| {
    let q = String::from_utf8_lossy(data);
    let k = normalize(&q);
    assert!(
        k.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{k:?}"
    );
    assert_eq!(normalize(&k), k, "folding is idempotent");
    let w = normalize_words(&q);
    assert_eq!(w.replace(' ', ""), k, "word folding keeps the same letters");
    let _ = is_slug(&q);
    for db in dbs() {
        let _ = closest_id(&q, db.node_ids().map(|n| db.id(n)));
        match db.resolve(&q) {
            Ok(n) => assert!(db.id(n) == q || db.lookup(&q).contains(&n)),
            Err(Error::Ambiguous { candidates, .. }) => assert!(candidates.len() >= 2),
            Err(Error::UnknownName { suggestions, .. }) => assert!(suggestions.len() <= 5),
            Err(e) => panic!("unexpected error {e}"),
        }
        let hits = lineage::query::search(db, &q, 10);
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        assert!(hits.iter().all(|h| (0.7..=1.0).contains(&h.score)));
    }
});
