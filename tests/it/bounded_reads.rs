//! Reads are bounded whatever a file's size says (part of issue 12): devices and FIFOs are
//! refused, a foreign file is refused after its first eight bytes, and `.ron` entries that are
//! not files are reported, never skipped.

#![cfg(unix)]

use std::os::unix::fs::symlink;

use assert_cmd::Command;

fn lineage() -> Command {
    Command::cargo_bin("lineage").expect("the lineage binary is built")
}

#[test]
fn ron_entries_that_are_not_files_are_reported_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy("tests/fixtures/sample.ron", d.join("a.ron")).unwrap();
    std::fs::create_dir(d.join("b.ron")).unwrap();
    symlink("nowhere.ron", d.join("c.ron")).unwrap();
    symlink("d.ron", d.join("d.ron")).unwrap();
    symlink("/dev/zero", d.join("z.ron")).unwrap();
    let out = lineage().arg("validate").arg(d).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let at = |f: &str| format!("{}:1:1: error: ", d.join(f).display());
    for (file, what) in [
        ("b.ron", "it is a directory"),
        ("c.ron", "No such file"),
        ("d.ron", "symbolic links"),
        ("z.ron", "not a regular file"),
    ] {
        let line = err
            .lines()
            .find(|l| l.starts_with(&at(file)))
            .unwrap_or_else(|| panic!("{file} is not reported:\n{err}"));
        assert!(line.contains(what), "{line}");
    }
    assert!(err.ends_with("4 problems found\n"), "{err}");
}

#[test]
fn devices_are_refused_before_anything_is_read() {
    for path in ["/dev/zero", "/dev/urandom"] {
        let out = lineage().args(["stats", "--data", path]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{path}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a regular file"),
            "{path}"
        );
    }
    // a .ron link to /dev/zero, given directly
    let dir = tempfile::tempdir().unwrap();
    symlink("/dev/zero", dir.path().join("zero.ron")).unwrap();
    let out = lineage()
        .arg("stats")
        .arg("--data")
        .arg(dir.path().join("zero.ron"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}

#[test]
fn a_huge_foreign_file_is_refused_by_its_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.snap");
    // 3 GiB, sparse: no disk is used, but reading it whole would take 3 GB of memory
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(3 << 30).unwrap();
    drop(f);
    let bin = assert_cmd::cargo::cargo_bin("lineage");
    // under a 512 MiB address-space limit: the open must not try to read the file
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 524288 && exec '{}' stats --data '{}'",
            bin.display(),
            p.display()
        ))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("foreign file"), "{err}");
    // the lazy open refuses it the same way
    match lineage::Db::open_file_lazy(&p) {
        Err(lineage::Error::Snapshot(lineage::snapshot::SnapshotError::Foreign)) => {}
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("opened"),
    }
}

/// One set of limits (`lineage::limits`): a record the reader would refuse is refused by the
/// writer, and a RON file the loader would refuse is never written.
#[test]
fn nothing_is_written_that_the_readers_refuse() {
    use lineage::{Error, Graph, Node, NodeKind, SnapshotError, Source};
    let mut g = Graph::new();
    g.add_source(Source::new("s", "A source")).unwrap();
    let mut n = Node::new("big", NodeKind::Party, "Big", "s");
    n.note = "x".repeat(lineage::limits::MAX_RECORD_BYTES + 1);
    // validation refuses it, with the limit named, whether built in code or loaded from RON
    match g.add_node(n.clone()) {
        Err(Error::Invalid(ps)) => assert!(
            ps.to_string()
                .contains("more than the 16 MiB a snapshot record may hold"),
            "{ps}"
        ),
        other => panic!("a node over the record limit was added: {other:?}"),
    }
    let ron = format!(
        "(sources: [(id: \"s\", title: \"A source\")], nodes: [(id: \"big\", kind: party, \
         name: \"Big\", sources: [\"s\"], note: \"{}\")])",
        n.note
    );
    let e = lineage::load::load_str("big.ron", &ron)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("big.ron:") && e.contains("16 MiB"),
        "{}",
        &e[..e.len().min(300)]
    );
    // and should such a node get in unvalidated, the encoder refuses it
    g.insert_node_unvalidated(n);
    match lineage::Db::from_graph_unvalidated(&g).map(|_| ()) {
        Err(Error::Snapshot(SnapshotError::Overflow(m))) => {
            assert!(
                m.contains("the record of node big") && m.contains("16 MiB"),
                "{m}"
            )
        }
        other => panic!("a 16 MiB record was encoded: {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("big.snap");
    assert!(g.save_snapshot(&snap).is_err());
    assert!(!snap.exists(), "nothing is written");

    let mut g = Graph::new();
    g.add_source(Source::new("s", "A source")).unwrap();
    for i in 0..5 {
        let mut n = Node::new(&format!("n{i}"), NodeKind::Party, &format!("N {i}"), "s");
        n.note = "y".repeat(lineage::limits::MAX_RON_BYTES as usize / 5 + 1000);
        g.add_node(n).unwrap();
    }
    let ron = dir.path().join("big.ron");
    match g.save_ron(&ron) {
        Err(Error::TooLarge { bytes, limit, .. }) => assert!(bytes > limit),
        other => panic!("a RON file over the loader's limit: {other:?}"),
    }
    assert!(!ron.exists(), "nothing is written");
}
