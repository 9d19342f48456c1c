//! Two writers on the same database: exactly one gets the lock, the other gets `Error::Locked` at
//! once. Tested between guards in one process, between racing threads and between racing child
//! processes, over many trials; and a killed holder never leaves a stale lock.

use crate::support;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use lineage::Error;
use lineage::lock::WriteLock;

/// A refusal must come at once: well under this.
const AT_ONCE: Duration = Duration::from_millis(200);

const CHILD_ENV: &str = "LINEAGE_LOCK_CHILD";

fn is_locked(r: &lineage::Result<WriteLock>, path: &Path) -> bool {
    matches!(r, Err(Error::Locked { path: p }) if p == path)
}

#[test]
fn a_second_guard_is_refused_at_once_and_gets_the_lock_after_release() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kz.snap");
    let mut slowest = Duration::ZERO;
    for trial in 0..1000 {
        let first = WriteLock::acquire(&db).expect("free lock");
        let t = Instant::now();
        let second = WriteLock::acquire(&db);
        slowest = slowest.max(t.elapsed());
        assert!(is_locked(&second, &db), "trial {trial}: {second:?}");
        if trial % 2 == 0 {
            drop(first);
        } else {
            first.release().unwrap();
        }
        drop(WriteLock::acquire(&db).expect("released lock is free"));
    }
    assert!(slowest < AT_ONCE, "slowest refusal took {slowest:?}");
    // the error is typed, names the file and is not the user's fault (exit status 1)
    let _held = WriteLock::acquire(&db).unwrap();
    let e = WriteLock::acquire(&db).unwrap_err();
    assert!(!e.is_user_error());
    assert_eq!(
        e.to_string(),
        format!("{}: locked by another writer", db.display())
    );
    assert_eq!(WriteLock::lock_path(&db), dir.path().join("kz.snap.lock"));
}

#[test]
fn racing_threads_exactly_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(dir.path().join("race.snap"));
    for trial in 0..500 {
        let start = Arc::new(Barrier::new(2));
        let done = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (db, start, done) = (db.clone(), start.clone(), done.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let t = Instant::now();
                    let r = WriteLock::acquire(&db);
                    let took = t.elapsed();
                    let locked = is_locked(&r, &db);
                    let won = r.is_ok();
                    // hold a won lock until both have tried
                    done.wait();
                    drop(r);
                    (won, locked, took)
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let winners = results.iter().filter(|r| r.0).count();
        let refused = results.iter().filter(|r| r.1).count();
        assert_eq!((winners, refused), (1, 1), "trial {trial}: {results:?}");
        assert!(
            results.iter().all(|r| r.2 < AT_ONCE),
            "trial {trial}: {results:?}"
        );
    }
}

/// Child mode: take the lock on the path in the environment, say whether it was had, and hold it
/// until standard input closes.
#[test]
fn child_lock_holder() {
    let Some(path) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let path = PathBuf::from(path);
    let t = Instant::now();
    let r = WriteLock::acquire(&path);
    let micros = t.elapsed().as_micros();
    let word = match &r {
        Ok(_) => "got",
        Err(Error::Locked { .. }) => "locked",
        Err(_) => "error",
    };
    println!("LOCK: {word} {micros}");
    std::io::stdout().flush().unwrap();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    drop(r);
}

fn spawn_child(path: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            &support::child_test(module_path!(), "child_lock_holder"),
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The child's verdict line: ("got" | "locked" | "error", microseconds it took), and the rest of
/// its output (kept open, so that the child can finish writing).
fn verdict(child: &mut Child) -> (String, u128, BufReader<std::process::ChildStdout>) {
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out);
    loop {
        let mut line = String::new();
        if lines.read_line(&mut line).unwrap() == 0 {
            break;
        }
        // libtest may print "test child_lock_holder ... " on the same line first
        if let Some(at) = line.find("LOCK: ") {
            let rest = &line[at + 6..];
            let mut it = rest.split_whitespace();
            let (w, t) = (it.next().unwrap(), it.next().unwrap());
            return (w.to_string(), t.parse().unwrap(), lines);
        }
    }
    panic!("child said nothing");
}

#[test]
fn racing_processes_exactly_one_wins() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("procs.snap");
    let trials = 100;
    for trial in 0..trials {
        let mut kids = [spawn_child(&db), spawn_child(&db)];
        let mut rest = Vec::new();
        let v: Vec<(String, u128)> = kids
            .iter_mut()
            .map(|k| {
                let (w, t, r) = verdict(k);
                rest.push(r);
                (w, t)
            })
            .collect();
        let got = v.iter().filter(|x| x.0 == "got").count();
        let locked = v.iter().filter(|x| x.0 == "locked").count();
        assert_eq!((got, locked), (1, 1), "trial {trial}: {v:?}");
        assert!(
            v.iter().all(|x| x.1 < AT_ONCE.as_micros()),
            "trial {trial}: {v:?}"
        );
        for (k, mut r) in kids.iter_mut().zip(rest) {
            drop(k.stdin.take());
            let mut tail = String::new();
            r.read_to_string(&mut tail).unwrap();
            assert!(k.wait().unwrap().success(), "trial {trial}: {tail}");
        }
    }
}

#[test]
fn a_killed_holder_leaves_no_stale_lock() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("killed.snap");
    for trial in 0..20 {
        let mut holder = spawn_child(&db);
        let (word, _, _out) = verdict(&mut holder);
        assert_eq!(word, "got", "trial {trial}");
        assert!(is_locked(&WriteLock::acquire(&db), &db), "trial {trial}");
        holder.kill().unwrap();
        holder.wait().unwrap();
        drop(WriteLock::acquire(&db).expect("the OS released the dead holder's lock"));
    }
}
