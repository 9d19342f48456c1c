//! Where commands write (issue 16, "Files"): `-o -` is standard output and never a file named
//! "-"; `render` can write its picture to stdout; an output name whose extension names another
//! format than the one written is refused before anything is written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sample.ron")
}

/// Runs the binary in `dir` with the sample data.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lineage"))
        .current_dir(dir)
        .args(args)
        .arg("--data")
        .arg(sample())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn dash_is_stdout_for_every_command_that_takes_an_output_file() {
    for args in [
        vec!["dot", "Amanat", "--ancestors"],
        vec!["timeline"],
        vec!["timeline", "--svg"],
        vec!["timeline", "--format", "json"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "graphml"],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let to_stdout = run_in(dir.path(), &args);
        let mut dash = args.clone();
        dash.extend(["-o", "-"]);
        let out = run_in(dir.path(), &dash);
        assert!(
            out.status.success(),
            "{dash:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{dash:?} wrote nothing to stdout");
        assert_eq!(
            out.stdout, to_stdout.stdout,
            "{dash:?} differs from {args:?}"
        );
        assert_eq!(
            entries(dir.path()),
            Vec::<String>::new(),
            "{dash:?} created a file"
        );
    }
}

#[test]
fn a_mismatched_extension_is_refused_and_nothing_is_written() {
    for (args, names) in [
        (vec!["dot", "Amanat", "--ancestors", "-o", "x.pdf"], "x.pdf"),
        (vec!["dot", "Amanat", "--ancestors", "-o", "x.svg"], "x.svg"),
        (vec!["timeline", "--svg", "-o", "x.png"], "x.png"),
        (
            vec!["render", "Amanat", "--ancestors", "-o", "x.pdf"],
            "x.pdf",
        ),
        (vec!["render", "Amanat", "--svg", "-o", "x.png"], "x.png"),
        (vec!["render", "Amanat", "--png", "-o", "x.svg"], "x.svg"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = run_in(dir.path(), &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(names) && err.contains("not ."),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty());
        assert_eq!(
            entries(dir.path()),
            Vec::<String>::new(),
            "{args:?} wrote a file"
        );
    }
}

#[test]
fn matching_and_missing_extensions_are_accepted() {
    for (args, file) in [
        (vec!["dot", "Amanat", "--ancestors", "-o", "x.dot"], "x.dot"),
        (vec!["dot", "Amanat", "--ancestors", "-o", "x.GV"], "x.GV"),
        (vec!["dot", "Amanat", "--ancestors", "-o", "plain"], "plain"),
        (vec!["timeline", "--svg", "-o", "t.svg"], "t.svg"),
        (vec!["timeline", "-o", "t.txt"], "t.txt"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = run_in(dir.path(), &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        // the writer's lock file (issue 15) stays beside what it wrote
        let written: Vec<String> = entries(dir.path())
            .into_iter()
            .filter(|e| !e.ends_with(".lock"))
            .collect();
        assert_eq!(written, vec![file.to_string()], "{args:?}");
    }
}

#[test]
fn render_writes_its_picture_to_stdout() {
    let have_dot = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_dot {
        assert_ne!(
            std::env::var("LINEAGE_REQUIRE_GRAPHVIZ").as_deref(),
            Ok("1"),
            "LINEAGE_REQUIRE_GRAPHVIZ=1 but Graphviz `dot` is not on PATH"
        );
        eprintln!("*** SKIPPED render_writes_its_picture_to_stdout: no Graphviz `dot` ***");
        return;
    }
    for (flag, magic) in [("--svg", &b"<?xml"[..]), ("--png", &b"\x89PNG"[..])] {
        let dir = tempfile::tempdir().unwrap();
        let args = ["render", "Amanat", "--ancestors", flag, "-o", "-"];
        let out = run_in(dir.path(), &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.starts_with(magic),
            "{args:?} wrote no {flag} picture"
        );
        assert_eq!(entries(dir.path()), Vec::<String>::new());
    }
}
