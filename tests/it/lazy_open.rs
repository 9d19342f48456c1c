//! Snapshots checked on first use (`Db::open_file_lazy`, `Db::embedded`): the same answers as a
//! Db checked whole at open, and the same refusals, only later.
//!
//! - Every query answer and record of a lazily opened file equals the eagerly opened one's, also
//!   with several threads making the first use at once.
//! - Every single-bit flip and every truncation of a snapshot file is refused, by the lazy open or
//!   by `Db::preload` of every section, with exactly the error the eager open gives.
//! - Forged words (checksums rewritten to match) are refused by `preload` whenever the eager open
//!   refuses them.
//! - Damage that appears after a lazy open is never returned as data: first use panics, and
//!   `preload` reports it.

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
        assert_eq!(answers(&lazy), answers(&eager));
        assert_eq!(lazy.as_bytes(), &bytes[..]);
        lazy.preload(&[Preload::Everything]).unwrap();
        eager.preload(&[Preload::Everything]).unwrap();
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
fn first_use_from_many_threads_at_once() {
    let bytes = Db::embedded_bytes().to_vec();
    let want = answers(&Db::open_bytes(&bytes).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &bytes);
    for _ in 0..4 {
        let lazy = Db::open_file_lazy(&path).unwrap();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| assert_eq!(answers(&lazy), want));
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

/// Whether an eager refusal comes from the checks only a whole open makes: the agreement of
/// every part with the records, and the records' validity (`Db::open_file_lazy` checks each
/// part's own structure and each record against its columns, not these; docs/reliability.md).
fn whole_open_only(e: &SnapshotError) -> bool {
    let m = e.to_string();
    m.contains("disagrees with the node and edge records")
        || m.contains("do not form a valid graph")
        || m.contains("not in strictly ascending order")
}

#[test]
fn forged_words_are_refused_lazily_whenever_eagerly() {
    let bytes = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.snap");
    let (mut refused, mut forgeries, mut whole_only) = (0, 0, 0);
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
                let got = lazy_refusal(&path);
                forgeries += 1;
                if let Some(e) = &want {
                    refused += 1;
                    if got.is_none() {
                        assert!(
                            whole_open_only(e),
                            "section {k} word {w} = {v:#x}: {want:?}"
                        );
                        whole_only += 1;
                    }
                } else {
                    assert_eq!(got, None, "section {k} word {w} = {v:#x}");
                }
            }
        }
    }
    eprintln!(
        "lazy_open: {refused} of {forgeries} forged words refused by a whole open; a lazy open \
         refused all but {whole_only}, which only the agreement with the records catches"
    );
    assert!(refused > 1000);
}

#[test]
fn damage_after_a_lazy_open_is_never_returned() {
    let bytes = Db::embedded_bytes().to_vec();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &bytes);
    let db = Db::open_file_lazy(&path).unwrap();
    // damage the ancestor adjacency in place, after the open
    let e = HEADER_LEN + (Sec::UpAdj as usize - 1) * ENTRY_LEN;
    let at = HEADER_LEN + support::le64(&bytes, e + 8) as usize;
    let mut b = bytes.clone();
    b[at] ^= 1;
    std::fs::write(&path, &b).unwrap();
    let root = db.by_id(db.id(db.node_ids().last().unwrap())).unwrap();
    let first_use = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        closure(&db, root, Direction::Ancestors, &Filter::default())
    }));
    let msg = first_use.expect_err("damaged adjacency was used");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        msg.contains("checksum mismatch in the ancestor adjacency"),
        "{msg}"
    );
    // and every later use says the same, as an error where one can be returned
    match db.preload(&[Preload::Ancestors]) {
        Err(Error::Snapshot(SnapshotError::Checksum { part })) => {
            assert_eq!(part, "ancestor adjacency section")
        }
        other => panic!("{other:?}"),
    }
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
