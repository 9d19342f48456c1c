//! A forger: structural changes to a snapshot with every checksum recomputed afterwards, as an
//! attacker (or a buggy writer) would make them. Every forgery must be refused when the file is
//! opened whole (`Db::open_bytes`, `Db::open_file`, `lineage validate FILE`, `--data FILE`), with
//! a message saying what is inconsistent; none may be answered as some other graph.
//!
//! The kinds of change are the ones an outside probe used (ids out of order, adjacency that
//! disagrees with the edge columns, wrong in/out lists, wrong name postings, a display name that
//! differs from its record, date text that disagrees with its interval, renaming cycles, a person
//! as a split's parent) and more of the same families, one or more per derived section.

use std::ops::Range;

use assert_cmd::Command;
use lineage::snapshot::{ENTRY_LEN, HEADER_LEN};
use lineage::{Db, Edge, EdgeKind, Error, Graph, Node, NodeKind, SnapshotError, Source};

use crate::support;

// section indices, in file order (docs/design.md)
const NODE_COLS: usize = 1;
const EDGE_COLS: usize = 2;
const UP_OFF: usize = 3;
const UP_ADJ: usize = 4;
const DOWN_OFF: usize = 5;
const DOWN_ADJ: usize = 6;
const OUT_OFF: usize = 7;
const OUT_ADJ: usize = 8;
const IN_OFF: usize = 9;
const IN_ADJ: usize = 10;
const NODE_BLOB: usize = 12;
const KEY_OFF: usize = 15;
const KEY_BYTES: usize = 16;
const POST_OFF: usize = 17;
const POSTS: usize = 18;
const ID_OFF: usize = 19;
const ID_BYTES: usize = 20;
const NAME_OFF: usize = 21;
const NAME_BYTES: usize = 22;

/// The byte range of section `i`.
fn section(b: &[u8], i: usize) -> Range<usize> {
    let start = support::section_start(b, i);
    let len = support::le64(b, HEADER_LEN + i * ENTRY_LEN + 16) as usize;
    start..start + len
}

fn word(b: &[u8], i: usize, k: usize) -> u32 {
    let at = section(b, i).start + k * 4;
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn set_word(b: &mut [u8], i: usize, k: usize, v: u32) {
    let at = section(b, i).start + k * 4;
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Word `k` of section `i` set to the next value below the count of rows of section `rows`
/// (nodes or edges), wrapping: another node or edge that exists.
fn bump(b: &mut [u8], i: usize, k: usize, rows: usize) {
    let count = (words(b, rows) / 5) as u32;
    let v = word(b, i, k);
    set_word(b, i, k, (v + 1) % count);
}

fn words(b: &[u8], i: usize) -> usize {
    section(b, i).len() / 4
}

/// The byte ranges of the strings of a string section (offsets in `off`, bytes in `bytes`).
fn strings(b: &[u8], off: usize, bytes: usize) -> Vec<Range<usize>> {
    let base = section(b, bytes).start;
    (0..words(b, off) - 1)
        .map(|k| base + word(b, off, k) as usize..base + word(b, off, k + 1) as usize)
        .collect()
}

/// Two different strings of the same length, next to each other: (first, second).
fn equal_length_pair(b: &[u8], off: usize, bytes: usize) -> (Range<usize>, Range<usize>) {
    let s = strings(b, off, bytes);
    s.windows(2)
        .find(|w| w[0].len() == w[1].len() && b[w[0].clone()] != b[w[1].clone()])
        .map(|w| (w[0].clone(), w[1].clone()))
        .expect("two neighbouring strings of one length")
}

/// Moves one entry of a CSR from node `k` to node `k + 1` by raising offset `k + 1`, at the
/// first node that has an entry.
fn shift_offset(b: &mut [u8], off: usize) {
    let n = words(b, off) - 1;
    let k = (0..n)
        .find(|&k| word(b, off, k) < word(b, off, k + 1))
        .expect("a node with an entry");
    let v = word(b, off, k + 1);
    set_word(b, off, k + 1, v - 1);
}

/// The index of a lineage edge and of a personal one, from the edge columns.
fn edge_of(b: &[u8], lineage: bool) -> usize {
    (0..words(b, EDGE_COLS) / 5)
        .find(|&e| ((word(b, EDGE_COLS, e * 5 + 2) & 0xff) < 6) == lineage)
        .expect("an edge of that family")
}

type Forge = Box<dyn Fn(&mut Vec<u8>)>;

/// Every byte-level forgery, by name.
fn forgeries() -> Vec<(&'static str, Forge)> {
    let swap = |b: &mut Vec<u8>, x: Range<usize>, y: Range<usize>| {
        let tmp = b[x.clone()].to_vec();
        b.copy_within(y.clone(), x.start);
        b[y].copy_from_slice(&tmp);
    };
    vec![
        (
            "ids out of order (two swapped)",
            Box::new(move |b: &mut Vec<u8>| {
                let (x, y) = equal_length_pair(b, ID_OFF, ID_BYTES);
                swap(b, x, y);
            }),
        ),
        (
            "an id written over its neighbour (a duplicate)",
            Box::new(|b: &mut Vec<u8>| {
                let (x, y) = equal_length_pair(b, ID_OFF, ID_BYTES);
                b.copy_within(x, y.start);
            }),
        ),
        (
            "a display name that differs from its record",
            Box::new(|b: &mut Vec<u8>| {
                let r = strings(b, NAME_OFF, NAME_BYTES)[0].clone();
                let at = (r.start..r.end)
                    .find(|&i| b[i].is_ascii_lowercase())
                    .unwrap();
                b[at] = if b[at] == b'x' { b'y' } else { b'x' };
            }),
        ),
        (
            "two display names swapped",
            Box::new(move |b: &mut Vec<u8>| {
                let (x, y) = equal_length_pair(b, NAME_OFF, NAME_BYTES);
                swap(b, x, y);
            }),
        ),
        (
            "a node column's kind changed",
            Box::new(|b: &mut Vec<u8>| {
                let w = word(b, NODE_COLS, 0);
                set_word(b, NODE_COLS, 0, (w & !0xff) | (((w & 0xff) + 1) % 5));
            }),
        ),
        (
            "a node column's founding day moved",
            Box::new(|b: &mut Vec<u8>| {
                let k = (0..words(b, NODE_COLS) / 5)
                    .find(|&k| word(b, NODE_COLS, k * 5) & (1 << 8) != 0)
                    .unwrap();
                let v = word(b, NODE_COLS, k * 5 + 1);
                set_word(b, NODE_COLS, k * 5 + 1, v.wrapping_add(1));
            }),
        ),
        (
            "a node column's begin flag cleared",
            Box::new(|b: &mut Vec<u8>| {
                let k = (0..words(b, NODE_COLS) / 5)
                    .find(|&k| word(b, NODE_COLS, k * 5) & (1 << 8) != 0)
                    .unwrap();
                let w = word(b, NODE_COLS, k * 5);
                set_word(b, NODE_COLS, k * 5, w & !(1 << 8));
            }),
        ),
        (
            "an edge column's from node changed",
            Box::new(|b: &mut Vec<u8>| {
                let e = edge_of(b, true);
                bump(b, EDGE_COLS, e * 5, NODE_COLS);
            }),
        ),
        (
            "an edge column's to node changed",
            Box::new(|b: &mut Vec<u8>| {
                let e = edge_of(b, true);
                bump(b, EDGE_COLS, e * 5 + 1, NODE_COLS);
            }),
        ),
        (
            "an edge column's kind changed",
            Box::new(|b: &mut Vec<u8>| {
                let e = edge_of(b, true);
                let w = word(b, EDGE_COLS, e * 5 + 2);
                set_word(
                    b,
                    EDGE_COLS,
                    e * 5 + 2,
                    (w & !0xff) | (((w & 0xff) + 1) % 6),
                );
            }),
        ),
        (
            "an edge column's date moved",
            Box::new(|b: &mut Vec<u8>| {
                let e = (0..words(b, EDGE_COLS) / 5)
                    .find(|&e| word(b, EDGE_COLS, e * 5 + 2) & (1 << 9) != 0)
                    .unwrap();
                let v = word(b, EDGE_COLS, e * 5 + 3);
                set_word(b, EDGE_COLS, e * 5 + 3, v.wrapping_sub(1));
            }),
        ),
        (
            "an ancestor adjacency's neighbour changed",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, UP_ADJ, 0, NODE_COLS);
            }),
        ),
        (
            "an ancestor adjacency's edge changed",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, UP_ADJ, 1, EDGE_COLS);
            }),
        ),
        (
            "an ancestor adjacency entry moved to another node",
            Box::new(|b: &mut Vec<u8>| shift_offset(b, UP_OFF)),
        ),
        (
            "two ancestor adjacency entries swapped",
            Box::new(move |b: &mut Vec<u8>| {
                let s = section(b, UP_ADJ);
                let last = s.end - 8;
                swap(b, s.start..s.start + 8, last..last + 8);
            }),
        ),
        (
            "a personal edge put in the ancestor adjacency",
            Box::new(|b: &mut Vec<u8>| {
                let e = edge_of(b, false);
                let from = word(b, EDGE_COLS, e * 5);
                set_word(b, UP_ADJ, 0, from);
                set_word(b, UP_ADJ, 1, e as u32);
            }),
        ),
        (
            "a descendant adjacency's neighbour changed",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, DOWN_ADJ, 0, NODE_COLS);
            }),
        ),
        (
            "a descendant adjacency's edge changed",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, DOWN_ADJ, 1, EDGE_COLS);
            }),
        ),
        (
            "a descendant adjacency entry moved to another node",
            Box::new(|b: &mut Vec<u8>| shift_offset(b, DOWN_OFF)),
        ),
        (
            "an out-list edge changed",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, OUT_ADJ, 0, EDGE_COLS);
            }),
        ),
        (
            "an out-list entry moved to another node",
            Box::new(|b: &mut Vec<u8>| shift_offset(b, OUT_OFF)),
        ),
        (
            "an in-list edge changed",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, IN_ADJ, 0, EDGE_COLS);
            }),
        ),
        (
            "an in-list entry moved to another node",
            Box::new(|b: &mut Vec<u8>| shift_offset(b, IN_OFF)),
        ),
        (
            "a name posting pointed at another node",
            Box::new(|b: &mut Vec<u8>| {
                bump(b, POSTS, 0, NODE_COLS);
            }),
        ),
        (
            "a name posting moved to another key",
            Box::new(|b: &mut Vec<u8>| shift_offset(b, POST_OFF)),
        ),
        (
            "two name postings swapped",
            Box::new(|b: &mut Vec<u8>| {
                let n = words(b, POSTS);
                let (x, y) = (word(b, POSTS, 0), word(b, POSTS, n - 1));
                set_word(b, POSTS, 0, y);
                set_word(b, POSTS, n - 1, x);
            }),
        ),
        (
            "a name key changed",
            Box::new(|b: &mut Vec<u8>| {
                let r = strings(b, KEY_OFF, KEY_BYTES)[1].clone();
                let at = (r.start..r.end)
                    .find(|&i| b[i].is_ascii_lowercase())
                    .unwrap();
                b[at] = if b[at] == b'z' { b'y' } else { b'z' };
            }),
        ),
        (
            "two name keys swapped",
            Box::new(move |b: &mut Vec<u8>| {
                let (x, y) = equal_length_pair(b, KEY_OFF, KEY_BYTES);
                swap(b, x, y);
            }),
        ),
        (
            "a record's date text that disagrees with its interval",
            Box::new(|b: &mut Vec<u8>| {
                let s = section(b, NODE_BLOB);
                // a date's text is a bincode string: its length (4), then "199x"
                let at = (s.start..s.end - 5)
                    .find(|&i| b[i] == 4 && &b[i + 1..i + 4] == b"199" && b[i + 4].is_ascii_digit())
                    .expect("a 199x year in a node record")
                    + 1;
                b[at + 3] = if b[at + 3] == b'0' { b'1' } else { b'0' };
            }),
        ),
    ]
}

/// Bytes that every check but the agreement with the records would accept: a graph that breaks
/// a validation rule, encoded consistently by the library's own encoder.
fn encoded(g: &Graph) -> Vec<u8> {
    let sources: Vec<&Source> = g.sources().collect();
    let edges: Vec<&Edge> = g.edges().into_iter().map(|(_, e)| e).collect();
    lineage::snapshot::encode(&sources, &g.nodes(), &edges).expect("encodes")
}

fn graph(nodes: &[(&str, NodeKind)], edges: &[(EdgeKind, &str, &str)], cite: &str) -> Graph {
    let mut g = Graph::new();
    g.insert_source_unvalidated(Source::new("s", "A source"));
    for (id, k) in nodes {
        g.insert_node_unvalidated(Node::new(id, *k, &id.to_uppercase(), cite));
    }
    for (k, a, b) in edges {
        g.insert_edge_unvalidated(Edge::new(*k, a, b, cite))
            .unwrap();
    }
    g
}

/// Consistent snapshots of invalid graphs.
fn invalid_graphs() -> Vec<(&'static str, Vec<u8>)> {
    use EdgeKind::*;
    use NodeKind::*;
    vec![
        (
            "a renaming cycle",
            encoded(&graph(
                &[("a", Party), ("b", Party)],
                &[(Renaming, "a", "b"), (Renaming, "b", "a")],
                "s",
            )),
        ),
        (
            "a person as a split's parent",
            encoded(&graph(
                &[("p", Person), ("q", Party)],
                &[(Split, "p", "q")],
                "s",
            )),
        ),
        (
            "a source cited but absent",
            encoded(&graph(
                &[("a", Party), ("b", Party)],
                &[(Merger, "a", "b")],
                "nope",
            )),
        ),
        (
            "an edge from a node to itself",
            encoded(&graph(&[("a", Party)], &[(Split, "a", "a")], "s")),
        ),
        (
            "a leadership edge held by a party",
            encoded(&graph(
                &[("a", Party), ("b", Party)],
                &[(Leadership, "a", "b")],
                "s",
            )),
        ),
    ]
}

fn refused(bytes: &[u8]) -> Option<String> {
    match Db::open_bytes(bytes) {
        Ok(_) => None,
        Err(Error::Snapshot(e @ SnapshotError::Malformed(_))) => Some(e.to_string()),
        Err(e) => Some(e.to_string()),
    }
}

#[test]
fn every_forgery_of_the_embedded_snapshot_is_refused_when_opened_whole() {
    let base = Db::embedded_bytes().to_vec();
    Db::open_bytes(&base).expect("the original opens");
    let all = forgeries();
    assert!(all.len() >= 29, "{} kinds of forgery", all.len());
    let mut accepted = Vec::new();
    for (what, forge) in &all {
        let mut b = base.clone();
        forge(&mut b);
        support::reseal(&mut b);
        assert_ne!(b, base, "{what}: the forgery changed nothing");
        match refused(&b) {
            Some(msg) => assert!(
                msg.contains("malformed snapshot"),
                "{what}: refused, but not as malformed: {msg}"
            ),
            None => accepted.push(*what),
        }
    }
    assert!(accepted.is_empty(), "forgeries accepted: {accepted:?}");
}

#[test]
fn consistent_snapshots_of_invalid_graphs_are_refused() {
    let cases = invalid_graphs();
    for (what, bytes) in &cases {
        let msg = refused(bytes).unwrap_or_else(|| panic!("{what}: accepted"));
        assert!(msg.contains("do not form a valid graph"), "{what}: {msg}");
    }
    assert!(forgeries().len() + cases.len() >= 30);
}

/// The lazy open with `Preload::Everything` runs the same checks: every forgery above, and
/// every consistent snapshot of an invalid graph, is refused with the whole open's error, and
/// a lazily opened Db whose whole-file check failed lets no accessor read it.
#[test]
fn every_forgery_is_refused_lazily_with_the_whole_open_s_error() {
    let base = Db::embedded_bytes().to_vec();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.snap");
    let mut files: Vec<(String, Vec<u8>)> = forgeries()
        .into_iter()
        .map(|(what, forge)| {
            let mut b = base.clone();
            forge(&mut b);
            support::reseal(&mut b);
            (what.to_string(), b)
        })
        .collect();
    files.extend(
        invalid_graphs()
            .into_iter()
            .map(|(w, b)| (w.to_string(), b)),
    );
    assert!(files.len() >= 34);
    let mut whole = 0;
    for (what, b) in &files {
        let want = refused(b).unwrap_or_else(|| panic!("{what}: a whole open accepted it"));
        std::fs::write(&path, b).unwrap();
        let got = Db::open_file_lazy(&path).and_then(|db| {
            db.preload(&[lineage::Preload::Everything])?;
            Ok(db)
        });
        match got {
            Ok(_) => panic!("{what}: accepted lazily"),
            Err(e) => assert_eq!(e.to_string(), want, "{what}"),
        }
        // the verdict is kept; when the whole-file check is what failed, every part is closed
        if let Ok(db) = Db::open_file_lazy(&path) {
            let first = db.preload(&[lineage::Preload::Everything]).unwrap_err();
            let again = db.preload(&[lineage::Preload::Everything]).unwrap_err();
            assert_eq!(first.to_string(), again.to_string(), "{what}");
            let m = first.to_string();
            if m.contains("disagrees with the node and edge records")
                || m.contains("do not form a valid graph")
            {
                whole += 1;
                let names = db.preload(&[lineage::Preload::Names]).unwrap_err();
                assert_eq!(names.to_string(), m, "{what}");
                let n = db.node_ids().next().unwrap();
                let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    db.name(n).to_string()
                }));
                assert!(
                    read.is_err(),
                    "{what}: a name was read after the check failed"
                );
            }
        }
    }
    assert!(
        whole >= 10,
        "{whole} forgeries refused by the whole-file check"
    );
}

/// What the outside probe ran: `lineage validate FILE.snap` and a query with `--data`.
#[test]
fn the_command_line_refuses_forgeries_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut b = Db::embedded_bytes().to_vec();
    let (_, forge) = forgeries().into_iter().next().unwrap();
    forge(&mut b);
    support::reseal(&mut b);
    let f = dir.path().join("forged.snap");
    std::fs::write(&f, &b).unwrap();
    for args in [
        vec!["validate", f.to_str().unwrap()],
        vec!["--data", f.to_str().unwrap(), "Otan", "--ancestors"],
    ] {
        let out = Command::cargo_bin("lineage")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("malformed snapshot"), "{args:?}: {err}");
    }
}
