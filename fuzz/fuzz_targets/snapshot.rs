//! The snapshot decoder, header included.
//!
//! The first byte picks the mode. Even: the bytes are opened as they are (what a damaged or foreign
//! file looks like; almost all are refused by a checksum). Odd: every checksum is rewritten first,
//! as a forger would, so that the mutations reach the layout checks, the structural checks and the
//! bincode records. Whatever opens must then answer every query without panicking.
//!
//! The same bytes are also opened lazily from a file (`Db::open_file_lazy`, then `Db::preload`).
//! With `Preload::Everything` (mode bit 2 clear) the lazy open must refuse exactly what the whole
//! open refuses, with the same error. With `Preload::Parts` (bit 2 set: each part checked on its
//! own, without the agreement with the records) it may accept more, but whatever it accepts must
//! answer every query without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::Db;
use lineage::{OpenOptions, Preload};

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
    let whole = Db::open_bytes_with(&bytes, opts);
    if let Ok(db) = &whole {
        lineage_fuzz::exercise(db);
        // what opens must survive a round trip through the editable graph
        let g = db.to_graph();
        let _ = g.validate();
    }
    if opts.max_bytes == OpenOptions::default().max_bytes {
        let path = std::env::temp_dir().join(format!("lineage-fuzz-{}.snap", std::process::id()));
        std::fs::write(&path, &bytes).expect("write the lazy file");
        let what = if mode & 4 == 4 {
            Preload::Parts
        } else {
            Preload::Everything
        };
        let lazy = Db::open_file_lazy(&path).and_then(|db| db.preload(&[what]).map(|_| db));
        match (&whole, &lazy) {
            (Ok(_), Err(e)) => panic!("a whole open accepted what the lazy open refused: {e}"),
            (Err(e), Ok(_)) if what == Preload::Everything => {
                panic!("Preload::Everything accepted what a whole open refused: {e}")
            }
            (Err(a), Err(b)) if what == Preload::Everything && a.to_string() != b.to_string() => {
                panic!("the lazy open said {b}, the whole open {a}")
            }
            (_, Ok(db)) => lineage_fuzz::exercise(db),
            _ => {}
        }
    }
});
