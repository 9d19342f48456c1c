//! Snapshots checked after the open (`Db::open_file_lazy` with `Db::preload`; `Db::embedded` on
//! first use): the same answers as a Db checked whole at open, and the same refusals, only later.
//!
//! - Every query answer and record of a lazily opened file equals the eagerly opened one's, also
//!   with several threads preloading at once.
//! - Every single-bit flip and every truncation of a snapshot file is refused, by the lazy open or
//!   by `Db::preload(&[Preload::Everything])`, with exactly the error the eager open gives.
//! - Every forged word (checksums rewritten to match) is refused by `Preload::Everything` with
//!   the eager open's error, and accepted exactly when the eager open accepts it.
//! - Damage that appears after a lazy open is never returned as data: `preload` reports it.
//! - The contract (`lazy_contract.rs`): no public call panics on any file once its parts are
//!   preloaded, and one whose parts are not preloaded panics whatever the file holds.

use std::path::Path;

use lineage::Preload;
use lineage::query::{Direction, Filter, closure, reach};
use lineage::snapshot::{ENTRY_LEN, HEADER_LEN, SECTIONS, Sec, SnapshotError};
use lineage::{Db, Error, Graph, KindSet};

use crate::support;

fn sample() -> Vec<u8> {
    Graph::load(Path::new("tests/fixtures/sample.ron"))
        .unwrap()
        .to_snapshot()
        .unwrap()
}

/// Everything a Db answers, as text: records, columns, names, closures both ways.
fn answers(db: &Db) -> Vec<String> {
    let mut out = vec![format!("{:?}", db.sources())];
    let mut seen = vec![0u64; db.node_count().div_ceil(64) + 1];
    for n in db.node_ids() {
        assert_eq!(db.years(n), db.node(n).years(), "years from the columns");
        out.push(format!(
            "{} {} {:?} {} {:?} {:?} {:?} {:?}",
            db.id(n),
            db.name(n),
            db.kind(n),
            db.years(n),
            db.begin(n),
            db.end(n),
            db.node(n),
            db.lookup(db.name(n)),
        ));
        for dir in [Direction::Ancestors, Direction::Descendants] {
            out.push(format!("{:?}", closure(db, n, dir, &Filter::default())));
            out.push(format!(
                "{:?}",
                reach(db, n, dir, KindSet::LINEAGE, &mut seen)
            ));
        }
        out.push(format!(
            "{:?} {:?}",
            db.out_edges(n).collect::<Vec<_>>(),
            db.in_edges(n).collect::<Vec<_>>()
        ));
    }
    for e in db.edge_ids() {
        out.push(format!("{:?} {:?}", db.edge(e), db.endpoints(e)));
    }
    out.push(db.to_graph().to_ron());
    out
}

fn write(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join("g.snap");
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The error a lazy open gives, at open or at `preload` of everything.
fn lazy_refusal(path: &Path) -> Option<SnapshotError> {
    let r = Db::open_file_lazy(path).and_then(|db| db.preload(&[Preload::Everything]).map(|_| db));
    match r {
        Ok(_) => None,
        Err(Error::Snapshot(e)) => Some(e),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

fn eager_refusal(bytes: &[u8]) -> Option<SnapshotError> {
    match Db::open_bytes(bytes) {
        Ok(_) => None,
        Err(Error::Snapshot(e)) => Some(e),
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[test]
fn lazy_answers_equal_eager_answers() {
    let dir = tempfile::tempdir().unwrap();
    for bytes in [sample(), Db::embedded_bytes().to_vec()] {
        let eager = Db::open_bytes(&bytes).unwrap();
        let path = write(dir.path(), &bytes);
        let lazy = Db::open_file_lazy(&path).unwrap();
        assert!(lazy.is_lazy() && !eager.is_lazy());
        lazy.preload(&[Preload::Everything]).unwrap();
        assert_eq!(answers(&lazy), answers(&eager));
        assert_eq!(lazy.as_bytes(), &bytes[..]);
        eager.preload(&[Preload::Everything]).unwrap();
        // each part on its own gives the same answers
        let parts = Db::open_file_lazy(&path).unwrap();
        parts.preload(&[Preload::Parts]).unwrap();
        assert_eq!(answers(&parts), answers(&eager));
    }
    // the embedded graph is checked on first use too, and passes every check
    let emb = Db::embedded().unwrap();
    assert_eq!(
        answers(&emb),
        answers(&Db::open_bytes(Db::embedded_bytes()).unwrap())
    );
    emb.preload(&[Preload::Everything]).unwrap();
}

#[test]
fn preloads_from_many_threads_at_once() {
    let bytes = Db::embedded_bytes().to_vec();
    let want = answers(&Db::open_bytes(&bytes).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &bytes);
    for round in 0..4 {
        let lazy = Db::open_file_lazy(&path).unwrap();
        std::thread::scope(|s| {
            for t in 0..4 {
                let lazy = &lazy;
                let want = &want;
                s.spawn(move || {
                    let what = if (round + t) % 2 == 0 {
                        Preload::Everything
                    } else {
                        Preload::Parts
                    };
                    lazy.preload(&[what]).unwrap();
                    assert_eq!(&answers(lazy), want);
                });
            }
        });
    }
}

#[test]
fn every_bit_flip_is_refused_lazily_with_the_eager_message() {
    let bytes = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    let mut copy = bytes.clone();
    let mut flips = 0;
    for i in 0..bytes.len() {
        for bit in 0..8 {
            copy[i] ^= 1 << bit;
            std::fs::write(&path, &copy).unwrap();
            let want = eager_refusal(&copy).expect("the eager open refuses every flip");
            assert_eq!(
                lazy_refusal(&path),
                Some(want),
                "flip of bit {bit} of byte {i}"
            );
            copy[i] ^= 1 << bit;
            flips += 1;
        }
    }
    assert_eq!(flips, bytes.len() * 8);
}

#[test]
fn every_truncation_is_refused_at_lazy_open() {
    let bytes = sample();
    let dir = tempfile::tempdir().unwrap();
    for len in 0..bytes.len() {
        let path = write(dir.path(), &bytes[..len]);
        match Db::open_file_lazy(&path) {
            Err(Error::Snapshot(SnapshotError::Truncated { got, .. })) => {
                assert_eq!(got, len as u64)
            }
            Err(e) => panic!("truncation to {len}: {e}"),
            Ok(_) => panic!("truncation to {len} was opened"),
        }
    }
    let mut longer = bytes.clone();
    longer.push(0);
    let path = write(dir.path(), &longer);
    assert!(matches!(
        Db::open_file_lazy(&path),
        Err(Error::Snapshot(SnapshotError::Trailing { extra: 1 }))
    ));
}

#[test]
fn forged_words_are_refused_lazily_exactly_when_eagerly() {
    let bytes = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    let (mut refused, mut forgeries) = (0, 0);
    for k in 0..SECTIONS {
        let e = HEADER_LEN + k * ENTRY_LEN;
        let (off, len) = (
            support::le64(&bytes, e + 8) as usize,
            support::le64(&bytes, e + 16) as usize,
        );
        for w in 0..len / 4 {
            for v in [u32::MAX, 1 << 31, 1000, 1, 0] {
                let mut b = bytes.clone();
                let at = HEADER_LEN + off + w * 4;
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
                if b == bytes {
                    continue;
                }
                support::reseal(&mut b);
                std::fs::write(&path, &b).unwrap();
                let want = eager_refusal(&b);
                forgeries += 1;
                refused += usize::from(want.is_some());
                assert_eq!(lazy_refusal(&path), want, "section {k} word {w} = {v:#x}");
            }
        }
    }
    eprintln!("lazy_open: {refused} of {forgeries} forged words refused, lazily as eagerly");
    assert!(refused > 1000);
}

#[test]
fn damage_after_a_lazy_open_is_never_returned() {
    let bytes = Db::embedded_bytes().to_vec();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &bytes);
    let db = Db::open_file_lazy(&path).unwrap();
    db.preload(&[Preload::Names]).unwrap();
    // damage the ancestor adjacency in place, after the open
    let e = HEADER_LEN + (Sec::UpAdj as usize - 1) * ENTRY_LEN;
    let at = HEADER_LEN + support::le64(&bytes, e + 8) as usize;
    let mut b = bytes.clone();
    b[at] ^= 1;
    std::fs::write(&path, &b).unwrap();
    let root = db.resolve("Amanat").unwrap();
    match db.preload(&[Preload::Ancestors]) {
        Err(Error::Snapshot(SnapshotError::Checksum { part })) => {
            assert_eq!(part, "ancestor adjacency section")
        }
        other => panic!("{other:?}"),
    }
    // every later preload says the same, and the part is never read
    assert!(db.preload(&[Preload::Ancestors]).is_err());
    let used = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        closure(&db, root, Direction::Ancestors, &Filter::default())
    }));
    let msg = used.expect_err("a part that failed its check was used");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        msg.contains("snapshot's ancestor adjacency failed their check"),
        "{msg}"
    );
    // what was read before the damage is still answered from memory
    assert_eq!(db.name(root), "Amanat");
    // a file cut short after the open is reported as truncated
    let db = Db::open_file_lazy(&write(dir.path(), &bytes)).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert!(matches!(
        db.preload(&[Preload::Everything]),
        Err(Error::Snapshot(SnapshotError::Truncated { .. }))
    ));
}

/// `Db::resolve` returns `Result`, so a damaged part it reads is its error, never a panic.
#[test]
fn resolve_on_a_damaged_lazy_file_is_an_error_not_a_panic() {
    let bytes = Db::embedded_bytes().to_vec();
    let dir = tempfile::tempdir().unwrap();
    for sec in [
        Sec::IdBytes,
        Sec::NameBytes,
        Sec::KeyBytes,
        Sec::Posts,
        Sec::NodeCols,
    ] {
        let e = HEADER_LEN + (sec as usize - 1) * ENTRY_LEN;
        let at = HEADER_LEN + support::le64(&bytes, e + 8) as usize;
        let mut b = bytes.clone();
        b[at] ^= 1;
        let path = write(dir.path(), &b);
        let db = Db::open_file_lazy(&path).unwrap();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| db.resolve("Otan")));
        match r {
            Ok(Err(Error::Snapshot(SnapshotError::Checksum { .. }))) => {}
            Ok(other) => panic!("{sec:?}: {other:?}"),
            Err(_) => panic!("{sec:?}: resolve panicked"),
        }
    }
}

/// A fuzz finding: a forged file whose META section does not decode and whose padding before a
/// later section is not zero. A whole open checks every section's checksum and padding before
/// it decodes META, and so must the lazy open's refusal say (it decoded META first, and said
/// "meta: it ends early").
#[test]
fn a_broken_meta_and_later_padding_are_refused_lazily_with_the_whole_open_s_error() {
    let seed = std::fs::read("fuzz/seeds/snapshot/regression-lazy-meta-error-order").unwrap();
    assert_eq!(
        seed[0] & 7,
        1,
        "mode: checksums rewritten, default limit, Everything"
    );
    let mut bytes = seed[1..].to_vec();
    support::reseal(&mut bytes);
    let whole = Db::open_bytes(&bytes).expect_err("a whole open refuses it");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &bytes);
    let lazy = Db::open_file_lazy(&path)
        .and_then(|db| db.preload(&[Preload::Everything]).map(|_| db))
        .expect_err("a lazy open refuses it");
    assert!(whole.to_string().contains("padding"), "{whole}");
    assert_eq!(lazy.to_string(), whole.to_string());
}
