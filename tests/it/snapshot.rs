//! Snapshot round trips and refusal of damaged snapshots (exhaustive over a small snapshot).

use crate::support;
use std::path::Path;

use lineage::snapshot::SnapshotError;
use lineage::{Db, Error, Graph};

fn sample() -> Graph {
    Graph::load(Path::new("tests/fixtures/sample.ron")).expect("the sample validates")
}

fn refusal(bytes: &[u8]) -> SnapshotError {
    match Db::open_bytes(bytes) {
        Ok(_) => panic!("damaged snapshot was accepted"),
        Err(Error::Snapshot(e)) => e,
        Err(other) => panic!("unexpected error: {other}"),
    }
}

#[test]
fn ron_graph_snapshot_graph_is_identity() {
    let g = sample();
    let bytes = g.to_snapshot().unwrap();
    let back = Db::open_bytes(&bytes).unwrap().to_graph();
    assert_eq!(back.to_ron(), g.to_ron());
    assert_eq!(back.nodes(), g.nodes());
    let a: Vec<_> = g.edges().into_iter().map(|(_, e)| e.clone()).collect();
    let b: Vec<_> = back.edges().into_iter().map(|(_, e)| e.clone()).collect();
    assert_eq!(a, b);
    // and the encoding is deterministic
    assert_eq!(back.to_snapshot().unwrap(), bytes);
}

#[test]
fn ron_save_is_deterministic_and_reloads() {
    let g = sample();
    let text = g.to_ron();
    let again = lineage::load::load_str("saved.ron", &text).unwrap();
    assert_eq!(again.to_ron(), text);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("g.ron");
    g.save_ron(&p).unwrap();
    assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
    let snap = dir.path().join("g.snap");
    g.save_snapshot(&snap).unwrap();
    let db = lineage::open(&snap).unwrap();
    assert_eq!(db.node_count(), g.node_count());
    // no temporary files are left behind: the two files and their write locks' sidecars
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["g.ron", "g.ron.lock", "g.snap", "g.snap.lock"]);
}

#[test]
fn every_truncation_is_refused_as_truncated() {
    let bytes = sample().to_snapshot().unwrap();
    for len in 0..bytes.len() {
        match refusal(&bytes[..len]) {
            SnapshotError::Truncated { got, .. } => assert_eq!(got, len as u64),
            other => panic!("truncation to {len} bytes: {other}"),
        }
    }
}

#[test]
fn every_single_bit_flip_is_refused() {
    let bytes = sample().to_snapshot().unwrap();
    let mut copy = bytes.clone();
    let mut counts = [0usize; 4];
    for i in 0..bytes.len() {
        for bit in 0..8 {
            copy[i] ^= 1 << bit;
            let e = refusal(&copy);
            // the message says what is wrong, by where the flip fell
            match (&e, i) {
                (SnapshotError::Foreign, 0..8) => counts[0] += 1,
                (SnapshotError::Checksum { part }, 8..32) => {
                    assert_eq!(part, "header");
                    counts[1] += 1
                }
                (SnapshotError::Checksum { .. }, _) => counts[2] += 1,
                // a flip in the zero padding between sections breaks no checksum but the layout
                (SnapshotError::Malformed(_), _) => counts[3] += 1,
                _ => panic!("bit {bit} of byte {i}: unexpected refusal {e}"),
            }
            copy[i] ^= 1 << bit;
        }
    }
    assert_eq!(copy, bytes);
    assert_eq!(counts[0], 64);
    assert_eq!(counts.iter().sum::<usize>(), bytes.len() * 8);
}

#[test]
fn foreign_newer_and_trailing_are_refused_with_their_own_messages() {
    let bytes = sample().to_snapshot().unwrap();
    assert_eq!(refusal(b"(nodes: [])"), SnapshotError::Foreign);
    let mut trailing = bytes.clone();
    trailing.extend_from_slice(b"garbage");
    assert_eq!(refusal(&trailing), SnapshotError::Trailing { extra: 7 });
    // a newer version with a valid header checksum
    let mut newer = bytes.clone();
    newer[8..12].copy_from_slice(&(lineage::snapshot::VERSION + 1).to_le_bytes());
    let sum = crc(&newer[..28]);
    newer[28..32].copy_from_slice(&sum.to_le_bytes());
    assert_eq!(
        refusal(&newer),
        SnapshotError::NewerVersion {
            found: lineage::snapshot::VERSION + 1,
            supported: lineage::snapshot::VERSION
        }
    );
    assert!(refusal(&newer).to_string().contains("newer"));
    // a forged payload length with a valid header checksum
    let mut forged = bytes.clone();
    forged[16..24].copy_from_slice(&(u64::MAX - 64).to_le_bytes());
    let sum = crc(&forged[..28]);
    forged[28..32].copy_from_slice(&sum.to_le_bytes());
    assert!(matches!(refusal(&forged), SnapshotError::TooLarge { .. }));
}

fn crc(data: &[u8]) -> u32 {
    support::crc(data)
}

/// The snapshot compiled into the binary (`src/db/embedded.snap`, committed) is exactly what
/// compiling `graph-data/` gives now, and passes every check. After editing graph-data, run this
/// test with `LINEAGE_BLESS=1` (or `lineage compile graph-data -o src/db/embedded.snap`) to rewrite
/// the file.
#[test]
fn embedded_snapshot_is_graph_data_compiled() {
    let fresh = Graph::load(Path::new("graph-data"))
        .and_then(|g| g.to_snapshot())
        .unwrap_or_else(|e| panic!("graph-data does not compile:\n{e}"));
    lineage::snapshot::verify(&fresh, u64::MAX).expect("a fresh snapshot verifies");
    if fresh != Db::embedded_bytes() {
        if std::env::var_os("LINEAGE_BLESS").is_some() {
            std::fs::write("src/db/embedded.snap", &fresh).expect("write src/db/embedded.snap");
            panic!(
                "src/db/embedded.snap rewritten from graph-data: rebuild and run the tests again"
            );
        }
        panic!(
            "src/db/embedded.snap ({} bytes) is not graph-data compiled ({} bytes): run \
             `LINEAGE_BLESS=1 cargo test embedded_snapshot` and commit src/db/embedded.snap",
            Db::embedded_bytes().len(),
            fresh.len()
        );
    }
    let db = Db::open_bytes(Db::embedded_bytes()).expect("the embedded snapshot opens");
    assert_eq!(
        db.node_count(),
        Graph::load(Path::new("graph-data")).unwrap().nodes().len()
    );
}

/// A version-2 snapshot committed when version 2 was the format (`tests/fixtures/format-v2.snap`,
/// compiled from `tests/fixtures/sample.ron`) opens in every later build, eagerly and lazily,
/// and holds exactly the sample graph: the format's record types are frozen apart from the
/// model (redb's backward-compatibility test). Never regenerate the fixture: a build that cannot
/// read it must convert, not drop, version 2.
#[test]
fn the_committed_version_2_snapshot_opens_as_the_graph_it_was_compiled_from() {
    committed_fixture_opens_as_the_sample("tests/fixtures/format-v2.snap", 2);
}

/// Opens a committed fixture eagerly and lazily and checks it is the sample graph.
fn committed_fixture_opens_as_the_sample(path: &str, version: u32) {
    let path = Path::new(path);
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(
        &bytes[8..12],
        &version.to_le_bytes(),
        "the fixture is version {version}"
    );
    let want = sample();
    for db in [
        Db::open_file(path).expect("opens"),
        Db::open_file_lazy(path).expect("opens lazily"),
    ] {
        db.preload(&[lineage::Preload::Everything]).unwrap();
        let got = db.to_graph();
        assert_eq!(got.to_ron(), want.to_ron());
        assert_eq!(db.node_count(), want.node_count());
        let n = db.resolve("Nur Otan").expect("a sample node");
        assert_eq!(db.id(n), "nur-otan");
    }
}

/// The version-3 snapshot committed when version 3 became the format
/// (`tests/fixtures/format-v3.snap`, compiled from `tests/fixtures/sample.ron`) opens in every
/// later build as the sample graph. Never regenerate it.
#[test]
fn the_committed_version_3_snapshot_opens_as_the_graph_it_was_compiled_from() {
    committed_fixture_opens_as_the_sample("tests/fixtures/format-v3.snap", 3);
}

/// Versions 2 and 3 differ only in the name-index key: version 2 dropped `ә` and read `ý` as
/// `y`. A version-2 file is checked against, and looked up by, its own rule (its ә aliases
/// still resolve, and it is not refused as non-canonical); a version-3 file reads `ә` as `a`,
/// so the Latin spelling finds the Cyrillic alias.
#[test]
fn each_format_version_keeps_its_own_name_key_rule() {
    use lineage::Source;
    let mut g = sample();
    let mut n = g.node("nur-otan").unwrap().clone();
    n.aliases.push("Әділет Отан".into());
    n.aliases.push("Kommýnıst".into());
    g.update_node(n).unwrap();
    let sources: Vec<&Source> = g.sources().collect();
    let edges: Vec<_> = g.edges().into_iter().map(|(_, e)| e).collect();
    let dir = tempfile::tempdir().unwrap();
    for version in [2u32, 3] {
        let bytes =
            lineage::snapshot::encode_version(version, &sources, &g.nodes(), &edges).unwrap();
        assert_eq!(&bytes[8..12], &version.to_le_bytes());
        let path = dir.path().join(format!("v{version}.snap"));
        std::fs::write(&path, &bytes).unwrap();
        for db in [
            Db::open_bytes(&bytes).expect("opens with every check"),
            Db::open_file_lazy(&path).expect("opens lazily"),
        ] {
            let id = |q: &str| db.resolve(q).map(|n| db.id(n).to_string()).ok();
            assert_eq!(id("Әділет Отан").as_deref(), Some("nur-otan"), "v{version}");
            assert_eq!(id("Kommýnıst").as_deref(), Some("nur-otan"), "v{version}");
            let latin = id("Adilet Otan");
            let u = id("Kommunist");
            if version == 3 {
                assert_eq!(latin.as_deref(), Some("nur-otan"));
                assert_eq!(u.as_deref(), Some("nur-otan"));
            } else {
                assert_eq!(latin, None, "version 2 keyed the alias without its ә");
            }
        }
    }
}
