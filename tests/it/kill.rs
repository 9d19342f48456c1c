//! Kill tests: a child process saves a graph over and over (a snapshot and a RON file, through
//! `Graph::save_snapshot` and `Graph::save_ron`, alternating two versions) and is killed with
//! SIGKILL at a random moment. Each time, both files must open as exactly the old or the new
//! version: 0 torn files in 1,000 runs.
//!
//! SIGKILL tests what a crash of the process can leave; the page cache survives it. What a power
//! cut can leave depends on the fsync ordering, which `tests/io_faults.rs` checks step by step.

use crate::support;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use lineage::{Db, Graph};

const CHILD_ENV: &str = "LINEAGE_KILL_CHILD";
const RUNS: usize = 1000;

/// A graph large enough that a save takes a while: the sample plus a chain of parties.
fn version(tag: &str, extra: usize) -> Graph {
    let mut text = std::fs::read_to_string("tests/fixtures/sample.ron").unwrap();
    let cut = text.rfind("    ],\n    edges: [").expect("sample layout");
    let mut nodes = String::new();
    for i in 0..extra {
        nodes.push_str(&format!(
            "        (id: \"p-{i}\", kind: party, name: \"Party {tag} {i}\", founded: [(date: \"{}\", sources: [\"wp-civic-party\"])], sources: [\"wp-civic-party\"], note: \"{tag}\"),\n",
            1990 + i % 30
        ));
    }
    text.insert_str(cut, &nodes);
    lineage::load::load_str("version.ron", &text).unwrap()
}

/// Child mode: read the two versions from the directory in the environment, write `R`, then save
/// them in turn for ever, writing `S` before and `E` after each save on standard output.
#[test]
fn child_saver() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let a = Db::open_file(&dir.join("a.snap")).unwrap().to_graph();
    let b = Db::open_file(&dir.join("b.snap")).unwrap().to_graph();
    let mut out = std::io::stdout();
    out.write_all(b"R").unwrap();
    out.flush().unwrap();
    for k in 0.. {
        let g = if k % 2 == 0 { &b } else { &a };
        out.write_all(b"S").unwrap();
        out.flush().unwrap();
        g.save_snapshot(&dir.join("kz.snap")).unwrap();
        g.save_ron(&dir.join("kz.ron")).unwrap();
        out.write_all(b"E").unwrap();
        out.flush().unwrap();
    }
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".tmp-"))
        })
        .collect()
}

fn spawn_saver(dir: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            &support::child_test(module_path!(), "child_saver"),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Reads the child's output up to its `R`.
fn wait_ready(out: &mut ChildStdout) {
    let mut b = [0u8];
    loop {
        assert_eq!(
            out.read(&mut b).unwrap(),
            1,
            "the child died before it was ready"
        );
        if b[0] == b'R' {
            return;
        }
    }
}

#[test]
fn sigkill_during_saves_never_leaves_a_torn_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (a, b) = (version("a", 150), version("b", 160));
    let (a_snap, b_snap) = (a.to_snapshot().unwrap(), b.to_snapshot().unwrap());
    let (a_ron, b_ron) = (a.to_ron(), b.to_ron());
    std::fs::write(d.join("a.snap"), &a_snap).unwrap();
    std::fs::write(d.join("b.snap"), &b_snap).unwrap();
    a.save_snapshot(&d.join("kz.snap")).unwrap();
    a.save_ron(&d.join("kz.ron")).unwrap();

    // calibrate: how long does one save take here? Kills then land anywhere in the first two.
    let per_save = {
        let mut child = spawn_saver(d);
        let mut out = child.stdout.take().unwrap();
        wait_ready(&mut out);
        std::thread::sleep(Duration::from_millis(1500));
        child.kill().unwrap();
        child.wait().unwrap();
        let mut said = String::new();
        out.read_to_string(&mut said).unwrap();
        let done = said.matches('E').count().max(1) as u64;
        std::fs::copy(d.join("a.snap"), d.join("kz.snap")).unwrap();
        a.save_ron(&d.join("kz.ron")).unwrap();
        for t in temp_files(d) {
            std::fs::remove_file(t).unwrap();
        }
        1_500_000 / done
    };
    let window = 2 * per_save;
    let seed = 0x5eed_1234_abcd_u64;
    let mut rng = Rng(seed);
    let (mut torn, mut mid_save, mut saw_a, mut saw_b, mut leftovers) = (0, 0, 0, 0, 0);
    let runs: usize = std::env::var("LINEAGE_KILL_RUNS").map_or(RUNS, |v| v.parse().unwrap());
    for run in 0..runs {
        let mut child = spawn_saver(d);
        let mut out = child.stdout.take().unwrap();
        wait_ready(&mut out);
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        child.kill().unwrap();
        child.wait().unwrap();
        let mut said = String::new();
        out.read_to_string(&mut said).unwrap();
        let marks: String = said.chars().filter(|c| *c == 'S' || *c == 'E').collect();
        if marks.ends_with('S') {
            mid_save += 1;
        }
        if std::env::var_os("LINEAGE_KILL_DEBUG").is_some() {
            eprintln!("run {run}: {marks}");
        }

        let snap = std::fs::read(d.join("kz.snap")).unwrap();
        let ron = std::fs::read_to_string(d.join("kz.ron")).unwrap();
        let snap_ok = snap == a_snap || snap == b_snap;
        let ron_ok = ron == a_ron || ron == b_ron;
        if !(snap_ok && ron_ok) {
            torn += 1;
            eprintln!("run {run}: torn file (snapshot whole: {snap_ok}, RON whole: {ron_ok})");
            continue;
        }
        if snap == a_snap {
            saw_a += 1;
        } else {
            saw_b += 1;
        }
        // and each opens as that version
        let db = lineage::open(&d.join("kz.snap")).unwrap();
        assert!(db.node_count() == a.node_count() || db.node_count() == b.node_count());
        if run % 50 == 0 {
            let g = Graph::load(&d.join("kz.ron")).unwrap();
            assert_eq!(g.to_ron(), ron);
        }
        // a killed save leaves its temporary file behind; the next save clears it
        let left = temp_files(d);
        leftovers += left.len();
        if !left.is_empty() {
            let g = if snap == a_snap { &a } else { &b };
            g.save_snapshot(&d.join("kz.snap")).unwrap();
            g.save_ron(&d.join("kz.ron")).unwrap();
            assert_eq!(
                temp_files(d),
                Vec::<PathBuf>::new(),
                "run {run}: the next save left stale temporary files"
            );
        }
    }
    eprintln!(
        "kill: {runs} runs (seed {seed:#x}, kill within {window} µs of start, one save \
         {per_save} µs): {torn} torn, {mid_save} killed inside a save, old/new snapshot seen \
         {saw_a}/{saw_b}, {leftovers} temporary files left behind"
    );
    assert_eq!(torn, 0);
    assert!(
        mid_save > runs / 2,
        "too few kills landed inside a save: {mid_save}"
    );
    assert!(saw_a > 0 && saw_b > 0);
}
