//! Corruption and forgery of snapshots.
//!
//! - Every single-bit flip and every truncation of the embedded snapshot (and of a small one built
//!   from `tests/fixtures/sample.ron`) is refused, exhaustively, each with the message that names
//!   what was hit: the magic, the header, the section table, the section whose checksum broke, or
//!   the padding.
//! - Forged length prefixes, newer and older versions, forged section counts and tables, forged
//!   record counts, and trailing garbage are refused with their own messages.
//! - Peak memory while refusing hostile snapshots stays under the configured limit (measured in a
//!   child process from its own `VmHWM`).

use crate::support;
use std::path::Path;
use std::process::Command;

use lineage::OpenOptions;
use lineage::snapshot::{ENTRY_LEN, HEADER_LEN, SECTIONS, Sec, SnapshotError};
use lineage::{Db, Error, Graph};

fn sample() -> Vec<u8> {
    Graph::load(Path::new("tests/fixtures/sample.ron"))
        .unwrap()
        .to_snapshot()
        .unwrap()
}

/// The embedded snapshot, which must open with every check.
fn embedded_or_sample() -> (Vec<u8>, &'static str) {
    let bytes = Db::embedded_bytes();
    Db::open_bytes(bytes).expect("the embedded snapshot opens with every check");
    (bytes.to_vec(), "embedded")
}

fn refusal_with(bytes: &[u8], opts: OpenOptions) -> SnapshotError {
    match Db::open_bytes_with(bytes, opts) {
        Ok(_) => panic!("damaged snapshot was accepted"),
        Err(Error::Snapshot(e)) => e,
        Err(other) => panic!("unexpected error: {other}"),
    }
}

fn refusal(bytes: &[u8]) -> SnapshotError {
    refusal_with(bytes, OpenOptions::default())
}

fn le64(b: &[u8], at: usize) -> u64 {
    support::le64(b, at)
}

fn crc(data: &[u8]) -> u32 {
    support::crc(data)
}

fn fix_header(b: &mut [u8]) {
    let sum = crc(&b[..28]);
    b[28..32].copy_from_slice(&sum.to_le_bytes());
}

fn fix_table(b: &mut [u8]) {
    let t = SECTIONS * ENTRY_LEN;
    let sum = crc(&b[HEADER_LEN..HEADER_LEN + t]);
    b[24..28].copy_from_slice(&sum.to_le_bytes());
    fix_header(b);
}

/// Rewrites section `i`'s checksum, then the table's and the header's.
fn fix_section(b: &mut [u8], i: usize) {
    let e = HEADER_LEN + i * ENTRY_LEN;
    let (off, len) = (le64(b, e + 8) as usize, le64(b, e + 16) as usize);
    let sum = crc(&b[HEADER_LEN + off..HEADER_LEN + off + len]);
    b[e + 4..e + 8].copy_from_slice(&sum.to_le_bytes());
    fix_table(b);
}

/// What a flip at each byte must be refused as, worked out from the layout independently of the
/// library's verifier.
fn expected_at(b: &[u8]) -> Vec<SnapshotError> {
    let table_end = HEADER_LEN + SECTIONS * ENTRY_LEN;
    let mut want = Vec::with_capacity(b.len());
    for i in 0..b.len() {
        want.push(if i < 8 {
            SnapshotError::Foreign
        } else if i < HEADER_LEN {
            SnapshotError::Checksum {
                part: "header".into(),
            }
        } else if i < table_end {
            SnapshotError::Checksum {
                part: "section table".into(),
            }
        } else {
            SnapshotError::Malformed("non-zero padding after the last section".into())
        });
    }
    for (k, sec) in Sec::ALL.iter().enumerate() {
        let e = HEADER_LEN + k * ENTRY_LEN;
        let (off, len) = (le64(b, e + 8) as usize, le64(b, e + 16) as usize);
        let (start, end) = (HEADER_LEN + off, HEADER_LEN + off + len);
        for w in want.iter_mut().take(end).skip(start) {
            *w = SnapshotError::Checksum {
                part: format!("{} section", sec.name()),
            };
        }
        // padding before this section, after the previous one
        let prev_end = if k == 0 {
            table_end
        } else {
            let p = HEADER_LEN + (k - 1) * ENTRY_LEN;
            HEADER_LEN + (le64(b, p + 8) + le64(b, p + 16)) as usize
        };
        for w in want.iter_mut().take(start).skip(prev_end) {
            *w = SnapshotError::Malformed(format!(
                "non-zero padding before the {} section",
                sec.name()
            ));
        }
    }
    want
}

/// Flips every bit of `bytes` in turn, on two threads, and checks each refusal against
/// [`expected_at`]. Returns the number of flips checked.
fn every_flip(bytes: &[u8]) -> usize {
    let want = expected_at(bytes);
    let half = bytes.len() / 2;
    let ranges = [(0, half), (half, bytes.len())];
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|&(lo, hi)| {
                let want = &want;
                s.spawn(move || {
                    let mut copy = bytes.to_vec();
                    let mut n = 0;
                    for i in lo..hi {
                        for bit in 0..8 {
                            copy[i] ^= 1 << bit;
                            let got = refusal(&copy);
                            assert_eq!(got, want[i], "bit {bit} of byte {i}");
                            copy[i] ^= 1 << bit;
                            n += 1;
                        }
                    }
                    n
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn every_truncation(bytes: &[u8]) -> usize {
    for len in 0..bytes.len() {
        let expected = if len < HEADER_LEN {
            HEADER_LEN as u64
        } else {
            bytes.len() as u64
        };
        assert_eq!(
            refusal(&bytes[..len]),
            SnapshotError::Truncated {
                expected,
                got: len as u64
            },
            "truncated to {len} bytes"
        );
    }
    bytes.len()
}

#[test]
fn every_bit_flip_of_the_embedded_snapshot_is_refused_with_the_right_message() {
    let (bytes, which) = embedded_or_sample();
    let n = every_flip(&bytes);
    assert_eq!(n, bytes.len() * 8);
    eprintln!(
        "corruption: {n} single-bit flips of the {which} snapshot ({} bytes), all refused as expected",
        bytes.len()
    );
}

#[test]
fn every_truncation_of_the_embedded_snapshot_is_refused_as_truncated() {
    let (bytes, which) = embedded_or_sample();
    let n = every_truncation(&bytes);
    eprintln!("corruption: {n} truncations of the {which} snapshot, all refused as truncated");
}

#[test]
fn every_bit_flip_and_truncation_of_a_small_snapshot_is_refused() {
    let bytes = sample();
    assert_eq!(every_flip(&bytes), bytes.len() * 8);
    assert_eq!(every_truncation(&bytes), bytes.len());
    // the expectations cover every kind of place a flip can land
    let want = expected_at(&bytes);
    assert!(
        want.iter()
            .any(|w| matches!(w, SnapshotError::Malformed(_)))
    );
    for sec in Sec::ALL {
        let part = format!("{} section", sec.name());
        let has_bytes = want
            .iter()
            .any(|w| matches!(w, SnapshotError::Checksum { part: p } if *p == part));
        let empty = {
            let e = HEADER_LEN + (sec as usize - 1) * ENTRY_LEN;
            le64(&bytes, e + 16) == 0
        };
        assert!(has_bytes || empty, "{part}");
    }
}

#[test]
fn forged_length_prefixes_are_refused() {
    let bytes = sample();
    let payload = (bytes.len() - HEADER_LEN) as u64;
    let mut cases = vec![
        0u64,
        1,
        7,
        8,
        payload - 8,
        payload - 1,
        payload + 1,
        payload + 8,
    ];
    cases.extend([
        1 << 32,
        (4u64 << 30) - 32,
        (4u64 << 30) - 31,
        u64::MAX - 31,
        u64::MAX,
    ]);
    for forged in cases {
        let mut b = bytes.clone();
        b[16..24].copy_from_slice(&forged.to_le_bytes());
        fix_header(&mut b);
        let declared = forged.saturating_add(HEADER_LEN as u64);
        let got = refusal(&b);
        let len = bytes.len() as u64;
        let want = if declared > OpenOptions::default().max_bytes {
            SnapshotError::TooLarge {
                declared,
                limit: OpenOptions::default().max_bytes,
            }
        } else if declared > len {
            SnapshotError::Truncated {
                expected: declared,
                got: len,
            }
        } else {
            SnapshotError::Trailing {
                extra: len - declared,
            }
        };
        assert_eq!(got, want, "payload length forged to {forged}");
    }
    // a small configured limit refuses before anything is read past the header
    let small = OpenOptions { max_bytes: 1024 };
    assert!(matches!(
        refusal_with(&bytes, small),
        SnapshotError::TooLarge { limit: 1024, .. }
    ));
}

#[test]
fn newer_and_older_versions_are_refused_with_their_own_messages() {
    let bytes = sample();
    for v in [4u32, 5, 255, 1 << 16, u32::MAX] {
        let mut b = bytes.clone();
        b[8..12].copy_from_slice(&v.to_le_bytes());
        fix_header(&mut b);
        let e = refusal(&b);
        assert_eq!(
            e,
            SnapshotError::NewerVersion {
                found: v,
                supported: 3
            }
        );
        assert!(e.to_string().contains("upgrade lineage"), "{e}");
    }
    for v in [0u32, 1] {
        let mut b = bytes.clone();
        b[8..12].copy_from_slice(&v.to_le_bytes());
        fix_header(&mut b);
        assert_eq!(
            refusal(&b),
            SnapshotError::UnsupportedVersion {
                found: v,
                supported: 3
            }
        );
    }
}

#[test]
fn trailing_garbage_is_refused() {
    let bytes = sample();
    for extra in 1..=64usize {
        let mut b = bytes.clone();
        b.extend((0..extra).map(|i| i as u8));
        assert_eq!(
            refusal(&b),
            SnapshotError::Trailing {
                extra: extra as u64
            }
        );
    }
    // two snapshots back to back, and trailing zeros
    let mut twice = bytes.clone();
    twice.extend_from_slice(&bytes);
    assert_eq!(
        refusal(&twice),
        SnapshotError::Trailing {
            extra: bytes.len() as u64
        }
    );
    let mut zeros = bytes.clone();
    zeros.resize(bytes.len() + 4096, 0);
    assert_eq!(refusal(&zeros), SnapshotError::Trailing { extra: 4096 });
}

/// Forgeries whose checksums were all rewritten: only the structural checks stand in the way.
fn forgeries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    // section count
    for count in [0u32, 1, 22, 24, u32::MAX] {
        let mut b = bytes.to_vec();
        b[12..16].copy_from_slice(&count.to_le_bytes());
        fix_header(&mut b);
        out.push((format!("section count {count}"), b));
    }
    // every table entry: offset, length, id
    for i in 0..SECTIONS {
        let e = HEADER_LEN + i * ENTRY_LEN;
        for (field, at, values) in [
            ("offset", 8, vec![0u64, 4, u64::MAX, u64::MAX - 7, 1 << 40]),
            ("length", 16, vec![1, 3, u64::MAX, 1 << 40, 1 << 20]),
        ] {
            for v in values {
                let mut b = bytes.to_vec();
                b[e + at..e + at + 8].copy_from_slice(&v.to_le_bytes());
                fix_table(&mut b);
                out.push((format!("section {i} {field} {v}"), b));
            }
        }
        let mut b = bytes.to_vec();
        b[e..e + 4].copy_from_slice(&99u32.to_le_bytes());
        fix_table(&mut b);
        out.push((format!("section {i} id 99"), b));
    }
    // the META record's node and edge counts (bincode varints at its start)
    let meta = HEADER_LEN + le64(bytes, HEADER_LEN + 8) as usize;
    for (what, at) in [("node count", meta), ("edge count", meta + 1)] {
        for v in [0u8, 0xfb, 0xfc, 0xfd, 0xfe, 0xff, 200] {
            let mut b = bytes.to_vec();
            b[at] = v;
            fix_section(&mut b, 0);
            out.push((format!("{what} byte {v:#x}"), b));
        }
    }
    // every word of every u32 section set to large values
    for (k, _) in Sec::ALL.iter().enumerate().skip(1) {
        let e = HEADER_LEN + k * ENTRY_LEN;
        let (off, len) = (le64(bytes, e + 8) as usize, le64(bytes, e + 16) as usize);
        for w in (0..len / 4).take(8) {
            for v in [u32::MAX, 1 << 31, 0x7fff_ffff, 1000] {
                let mut b = bytes.to_vec();
                let at = HEADER_LEN + off + w * 4;
                b[at..at + 4].copy_from_slice(&v.to_le_bytes());
                fix_section(&mut b, k);
                out.push((format!("section {k} word {w} = {v:#x}"), b));
            }
        }
    }
    out
}

#[test]
fn forged_tables_counts_and_words_are_refused() {
    let bytes = sample();
    let (mut refused, mut opened) = (0, 0);
    // a "forgery" that writes the value already there is no forgery
    for (what, b) in forgeries(&bytes).into_iter().filter(|(_, b)| *b != bytes) {
        match Db::open_bytes(&b) {
            Err(Error::Snapshot(_)) => refused += 1,
            Err(e) => panic!("{what}: unexpected error {e}"),
            // a forgery that passes every check must still answer every query without panicking
            Ok(db) => {
                opened += 1;
                eprintln!("corruption: opened: {what}");
                for n in db.node_ids() {
                    let _ = lineage::query::closure(
                        &db,
                        n,
                        lineage::query::Direction::Ancestors,
                        &Default::default(),
                    );
                    let _ = db.years(n);
                }
            }
        }
    }
    eprintln!("corruption: {refused} forgeries refused, {opened} opened and answered queries");
    assert!(refused > 800);
    // every forged word is noticed: the columns must be exactly what the encoder writes
    assert_eq!(opened, 0);
}

const CHILD_ENV: &str = "LINEAGE_MEMORY_CHILD";

/// The peak resident memory of this process, from `/proc/self/status` (Linux).
fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Child mode: open hostile snapshots under a 1 MiB limit and report the growth of the peak RSS.
#[test]
fn child_memory_probe() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let bytes = sample();
    let cases = forgeries(&bytes);
    let limit = OpenOptions { max_bytes: 1 << 20 };
    // a file declaring 8 GiB (sparse: nothing is really written)
    let huge = dir.join("huge.snap");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(8 << 30).unwrap();
    drop(f);
    let before = peak_rss_kib().unwrap();
    for (_, b) in &cases {
        let _ = Db::open_bytes_with(b, limit);
    }
    let e = Db::open_file(&huge).unwrap_err();
    assert!(
        matches!(e, Error::Snapshot(SnapshotError::TooLarge { .. })),
        "{e}"
    );
    let mut forged = bytes.clone();
    forged[16..24].copy_from_slice(&(1u64 << 40).to_le_bytes());
    fix_header(&mut forged);
    let _ = Db::open_bytes_with(&forged, limit);
    let after = peak_rss_kib().unwrap();
    println!("MEMORY: {} {} {}", cases.len() + 2, before, after);
}

#[test]
fn peak_memory_stays_under_the_configured_limit() {
    if peak_rss_kib().is_none() {
        eprintln!("no /proc/self/status here; peak memory not measured");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            &support::child_test(module_path!(), "child_memory_probe"),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.find("MEMORY: ").map(|at| &l[at + 8..]))
        .expect("the child reports");
    let v: Vec<u64> = line
        .split_whitespace()
        .take(3)
        .map(|x| x.parse().unwrap())
        .collect();
    let (cases, before, after) = (v[0], v[1], v[2]);
    let grew = after.saturating_sub(before);
    eprintln!(
        "corruption: {cases} hostile snapshots under a 1 MiB limit: peak RSS {before} KiB -> {after} KiB (+{grew} KiB)"
    );
    assert!(
        grew < 1024,
        "peak RSS grew by {grew} KiB, more than the 1 MiB limit"
    );
}
