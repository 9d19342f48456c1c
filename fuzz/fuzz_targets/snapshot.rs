//! The snapshot decoder, header included.
//!
//! The first byte picks the mode. Even: the bytes are opened as they are (what a damaged or foreign
//! file looks like; almost all are refused by a checksum). Odd: every checksum is rewritten first,
//! as a forger would, so that the mutations reach the layout checks, the structural checks and the
//! bincode records. Whatever opens must then answer every query without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::Db;
use lineage::OpenOptions;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut bytes = rest.to_vec();
    if mode & 1 == 1 {
        lineage_fuzz::fix_checksums(&mut bytes);
    }
    // a small limit as well as the default one: both must refuse cleanly
    let opts = OpenOptions {
        max_bytes: if mode & 2 == 2 {
            1 << 16
        } else {
            OpenOptions::default().max_bytes
        },
    };
    if let Ok(db) = Db::open_bytes_with(&bytes, opts) {
        lineage_fuzz::exercise(&db);
        // what opens must survive a round trip through the editable graph
        let g = db.to_graph();
        let _ = g.validate();
    }
});
