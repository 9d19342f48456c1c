//! Every validation problem, from a fixture, with its expected message and location.
//!
//! Each `tests/fixtures/invalid/NAME.ron` has an insta snapshot of exactly what `lineage
//! validate` prints on stderr for it (`snapshots/it__validation__invalid_fixture@NAME.ron.snap`).
//! The test also checks exit status 2 and that nothing is printed on stdout.

use std::path::Path;

use assert_cmd::Command;
use lineage::{Error, Graph};

fn lineage() -> Command {
    Command::cargo_bin("lineage").expect("the lineage binary is built")
}

/// What `lineage validate` prints on stderr for an invalid input, after checking that it exits
/// with status 2 and prints nothing on stdout.
fn report(fixture: &Path) -> String {
    let out = lineage()
        .arg("validate")
        .arg(fixture)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}: exit status",
        fixture.display()
    );
    assert!(
        out.stdout.is_empty(),
        "{}: stdout must be empty",
        fixture.display()
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The path as the CLI is given it: relative to the package, so that reports name it so.
fn relative(p: &Path) -> &Path {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(p)
}

#[test]
fn invalid_fixture() {
    let mut n = 0;
    insta::glob!("../fixtures/invalid", "*.ron", |p| {
        insta::assert_snapshot!(report(relative(p)));
        n += 1;
    });
    assert!(n >= 19, "expected at least 19 fixtures, found {n}");
}

#[test]
fn a_directory_reports_problems_of_every_file_in_file_order() {
    insta::assert_snapshot!(report(Path::new("tests/fixtures/multi")));
}

#[test]
fn every_library_problem_carries_a_file_position() {
    for e in std::fs::read_dir("tests/fixtures/invalid").expect("fixture dir") {
        let p = e.expect("entry").path();
        if p.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        match Graph::load(&p) {
            Ok(_) => panic!("{} should not load", p.display()),
            Err(Error::Invalid(ps)) => {
                assert!(!ps.0.is_empty());
                for prob in &ps.0 {
                    let loc = prob
                        .location
                        .as_ref()
                        .unwrap_or_else(|| panic!("{}: {prob} has no location", p.display()));
                    assert!(loc.line >= 1 && loc.col >= 1);
                    assert_eq!(Path::new(&loc.file), p.as_path());
                    assert!(!prob.hint.is_empty(), "{prob} has no hint");
                }
            }
            Err(other) => panic!("{}: unexpected error {other}", p.display()),
        }
    }
}

#[test]
fn the_sample_validates_and_the_empty_directory_does_not() {
    lineage()
        .args(["validate", "tests/fixtures/sample.ron"])
        .assert()
        .success()
        .stdout(predicates::str::contains("5 nodes, 4 edges"));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = lineage()
        .arg("validate")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no .ron files in this directory"));
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    let out = lineage()
        .args(["validate", "tests/fixtures/does-not-exist.ron"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

/// "Did you mean" compares an unknown id with every node id, so only the first
/// `MAX_SUGGESTIONS` unknown ids get one: thousands of misspelt ids among many nodes stay
/// linear (10,000 among 100,000 took 203 s before).
#[test]
fn suggestions_stop_after_the_first_hundred_unknown_ids() {
    let mut ron = String::from("(sources: [(id: \"s\", title: \"S\")],\nnodes: [\n");
    for i in 0..2000 {
        ron.push_str(&format!(
            "(id: \"n{i}\", kind: party, name: \"Party {i}\", sources: [\"s\"]),\n"
        ));
    }
    ron.push_str("],\nedges: [\n");
    for i in 0..500 {
        ron.push_str(&format!(
            "(kind: split, from: \"n{i}\", to: \"n{i}x\", sources: [\"s\"]),\n"
        ));
    }
    ron.push_str("])\n");
    let Err(Error::Invalid(p)) = lineage::load::load_str("typos.ron", &ron) else {
        panic!("the unknown ids are refused");
    };
    assert_eq!(p.0.len(), 500);
    let suggested =
        p.0.iter()
            .filter(|x| x.hint.starts_with("did you mean"))
            .count();
    assert_eq!(suggested, lineage::load::MAX_SUGGESTIONS);
    assert!(p.0[499].hint.contains("no suggestion"), "{}", p.0[499].hint);
    assert!(
        p.0.iter()
            .all(|x| x.message.starts_with("unknown node id \"n"))
    );
}

/// Two files whose names are not UTF-8 are told apart in messages (each undecodable byte
/// written as `\xNN`), where the lossy form printed both as `�.ron`.
#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_told_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    for b in [0xffu8, 0xfe] {
        let bytes = [b, b'.', b'r', b'o', b'n'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        std::fs::write(dir.path().join(name), "(nodes: [,])").unwrap();
    }
    let err = report(dir.path());
    assert!(
        err.contains("\\xff.ron:") && err.contains("\\xfe.ron:"),
        "{err}"
    );
    assert!(!err.contains('\u{fffd}'), "{err}");
}

/// A record that bincode cannot decode is described in words, not as bincode's type names.
#[test]
fn an_undecodable_record_is_described_in_words() {
    let g = Graph::load(Path::new("tests/fixtures/sample.ron")).unwrap();
    let good = g.to_snapshot().unwrap();
    // the node records section: the kind of the first node is its second field, after the id
    let blob = crate::support::section_start(&good, 12);
    let id_len = good[blob] as usize;
    let mut b = good.clone();
    b[blob + 1 + id_len] = 9; // no node kind has variant 9
    crate::support::reseal(&mut b);
    let err = lineage::Db::open_bytes(&b).unwrap_err().to_string();
    assert!(
        err.contains("node record") && err.contains("unknown variant (9)"),
        "{err}"
    );
    assert!(
        !err.contains("UnexpectedVariant") && !err.contains('{'),
        "{err}"
    );
}

/// A stray comma in one file is one syntax error, not also an "unknown node id" for every
/// reference to the ids that file defines.
#[test]
fn a_syntax_error_does_not_make_spurious_unknown_ids() {
    insta::assert_snapshot!(report(Path::new("tests/fixtures/stray-comma")));
}
