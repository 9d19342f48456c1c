//! The RON loader: parse, locate problems, validate. What loads must save and reload to the same
//! RON text, compile to a snapshot that opens, and answer every query.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::Db;
use lineage::load::load_str;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(g) = load_str("fuzz.ron", text) else {
        return;
    };
    let ron = g.to_ron();
    let again = load_str("saved.ron", &ron).expect("saved RON reloads");
    assert_eq!(again.to_ron(), ron, "RON round trip");
    let snap = g.to_snapshot().expect("a valid graph compiles");
    let db = Db::open_bytes(&snap).expect("a compiled snapshot opens");
    assert_eq!(db.to_graph().to_ron(), ron, "snapshot round trip");
    lineage_fuzz::exercise(&db);
});
