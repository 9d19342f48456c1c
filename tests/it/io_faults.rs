//! I/O errors injected behind the storage trait (`lineage::save::Fs`): the Nth create, write,
//! fsync, rename, directory fsync or cleanup fails, once or for ever, while a run of saves goes
//! through. After every save the file on disk must be exactly the version the outcome promises:
//! the old one after any failure before the rename, the new one once it has been renamed in place.
//! A failed fsync is never followed by a rename or a second fsync of the same data.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use lineage::save::{Fs, RealFs, write_atomic_with};
use lineage::{Db, Error, Graph};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Write,
    SyncFile,
    Rename,
    SyncDir,
    Remove,
}

const OPS: [Op; 6] = [
    Op::Create,
    Op::Write,
    Op::SyncFile,
    Op::Rename,
    Op::SyncDir,
    Op::Remove,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Only the Nth call fails.
    Once,
    /// The Nth call and every later one fail.
    Forever,
}

/// The real file system with one kind of call made to fail.
struct FaultyFs {
    target: Op,
    nth: usize,
    mode: Mode,
    /// A failing write first writes half of its bytes (a disk that fills up mid-write).
    short_write: bool,
    /// Removing the temporary file fails too (cleanup is only tried after another failure).
    fail_remove: bool,
    calls: [usize; 6],
    log: Vec<(Op, bool)>,
}

impl FaultyFs {
    fn new(target: Op, nth: usize, mode: Mode, short_write: bool) -> FaultyFs {
        FaultyFs {
            target,
            nth,
            mode,
            short_write,
            fail_remove: false,
            calls: [0; 6],
            log: Vec::new(),
        }
    }

    /// Counts the call and says whether it must fail.
    fn fails(&mut self, op: Op) -> bool {
        let i = OPS.iter().position(|o| *o == op).unwrap();
        self.calls[i] += 1;
        let n = self.calls[i];
        let fail = (op == Op::Remove && self.fail_remove)
            || op == self.target
                && match self.mode {
                    Mode::Once => n == self.nth,
                    Mode::Forever => n >= self.nth,
                };
        self.log.push((op, !fail));
        fail
    }
}

fn injected(op: Op) -> io::Error {
    io::Error::other(format!("injected {op:?} failure"))
}

impl Fs for FaultyFs {
    fn create_temp(&mut self, dir: &Path, prefix: &str) -> io::Result<(File, PathBuf)> {
        if self.fails(Op::Create) {
            return Err(injected(Op::Create));
        }
        RealFs.create_temp(dir, prefix)
    }
    fn write_all(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        if self.fails(Op::Write) {
            if self.short_write {
                RealFs.write_all(file, &bytes[..bytes.len() / 2])?;
            }
            return Err(injected(Op::Write));
        }
        RealFs.write_all(file, bytes)
    }
    fn sync_file(&mut self, file: &File) -> io::Result<()> {
        if self.fails(Op::SyncFile) {
            return Err(injected(Op::SyncFile));
        }
        RealFs.sync_file(file)
    }
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        if self.fails(Op::Rename) {
            return Err(injected(Op::Rename));
        }
        RealFs.rename(from, to)
    }
    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        if self.fails(Op::SyncDir) {
            return Err(injected(Op::SyncDir));
        }
        RealFs.sync_dir(dir)
    }
    fn remove(&mut self, path: &Path) -> io::Result<()> {
        if self.fails(Op::Remove) {
            return Err(injected(Op::Remove));
        }
        RealFs.remove(path)
    }
}

/// Six different versions of a graph, as snapshot bytes.
fn versions() -> Vec<Vec<u8>> {
    let base = Graph::load(Path::new("tests/fixtures/sample.ron")).unwrap();
    (0..6)
        .map(|i| {
            let mut g = base.clone();
            let mut n = g.node("otan").unwrap().clone();
            n.note = format!("version {i}: {}", "x".repeat(i * 700));
            g.update_node(n).unwrap();
            g.to_snapshot().unwrap()
        })
        .collect()
}

fn others(dir: &Path, keep: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p != keep)
        .collect()
}

#[derive(Default, Debug)]
struct Tally {
    saves: usize,
    failed: usize,
    failed_before_rename: usize,
    failed_after_rename: usize,
}

/// One scenario: an initial version on disk, then five saves through a faulty file system.
fn scenario(target: Op, nth: usize, mode: Mode, short_write: bool, tally: &mut Tally) {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kz.snap");
    write_atomic_with(&mut RealFs, &path, &v[0]).unwrap();
    // cleanup runs only after another step failed: a failing cleanup rides on a failing write
    let mut fs = if target == Op::Remove {
        let mut fs = FaultyFs::new(Op::Write, nth, mode, short_write);
        fs.fail_remove = true;
        fs
    } else {
        FaultyFs::new(target, nth, mode, short_write)
    };
    let mut on_disk = 0usize;
    let what = format!("{target:?} #{nth} {mode:?} short={short_write}");
    for (i, new) in v.iter().enumerate().skip(1) {
        let start = fs.log.len();
        let r = write_atomic_with(&mut fs, &path, new);
        let calls: Vec<(Op, bool)> = fs.log[start..].to_vec();
        let failed_at = calls.iter().find(|c| !c.1).map(|c| c.0);
        tally.saves += 1;
        match (&r, failed_at) {
            (Ok(()), None) => on_disk = i,
            // a failed cleanup of the temporary file is not the save's failure: it only happens
            // after another step failed
            (Ok(()), Some(op)) => panic!("{what}: save {i} succeeded although {op:?} failed"),
            (Err(e), Some(_)) => {
                let op = calls.iter().find(|c| !c.1 && c.0 != Op::Remove).unwrap().0;
                tally.failed += 1;
                let Error::Io { path: p, source } = e else {
                    panic!("{what}: save {i}: not an I/O error: {e}")
                };
                assert_eq!(p, &path, "{what}: the error names the file");
                assert!(source.to_string().contains("injected"), "{what}: {source}");
                let renamed = calls.contains(&(Op::Rename, true));
                if renamed {
                    // only the directory fsync comes after the rename: the new version is in
                    // place, whole, but its durability is not promised and the caller is told
                    assert_eq!(op, Op::SyncDir, "{what}");
                    on_disk = i;
                    tally.failed_after_rename += 1;
                } else {
                    tally.failed_before_rename += 1;
                }
                if op == Op::SyncFile {
                    let after = calls.iter().skip_while(|c| c.0 != Op::SyncFile).skip(1);
                    for c in after {
                        assert!(
                            !matches!(c.0, Op::Rename | Op::SyncFile),
                            "{what}: {c:?} after a failed fsync: {calls:?}"
                        );
                    }
                }
            }
            (Err(e), None) => panic!("{what}: save {i} failed with nothing injected: {e}"),
        }
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            bytes == v[on_disk],
            "{what}: after save {i} ({r:?}) the file is not version {on_disk}"
        );
        let db = Db::open_file(&path).unwrap();
        let note = db.node(db.by_id("otan").unwrap()).note;
        assert!(note.starts_with(&format!("version {on_disk}:")), "{what}");
        // the temporary file is gone, unless removing it was what failed
        let left = others(dir.path(), &path);
        let remove_failed = calls.contains(&(Op::Remove, false));
        if remove_failed {
            assert!(left.len() <= 1, "{what}: {left:?}");
            for l in left {
                std::fs::remove_file(l).unwrap();
            }
        } else {
            assert!(left.is_empty(), "{what}: temporary files left: {left:?}");
        }
        // after a failure, the next save starts again from a new temporary file: it never
        // renames what an earlier, failed attempt wrote
        if r.is_err() && mode == Mode::Once && i + 1 < v.len() {
            let next = fs.log.len();
            let r2 = write_atomic_with(&mut fs, &path, new);
            let ops: Vec<Op> = fs.log[next..].iter().map(|c| c.0).collect();
            if r2.is_ok() {
                assert_eq!(
                    ops,
                    [Op::Create, Op::Write, Op::SyncFile, Op::Rename, Op::SyncDir],
                    "{what}"
                );
                on_disk = i;
                assert!(std::fs::read(&path).unwrap() == v[i], "{what}");
            }
            tally.saves += 1;
        }
    }
}

#[test]
fn every_injected_failure_leaves_a_whole_file() {
    let mut tally = Tally::default();
    let mut scenarios = 0;
    for target in OPS {
        for nth in 1..=5 {
            for mode in [Mode::Once, Mode::Forever] {
                for short in [false, true] {
                    if short && !matches!(target, Op::Write | Op::Remove) {
                        continue;
                    }
                    scenario(target, nth, mode, short, &mut tally);
                    scenarios += 1;
                }
            }
        }
    }
    eprintln!("io_faults: {scenarios} scenarios, {tally:?}");
    assert_eq!(scenarios, 80);
    assert!(tally.failed_before_rename > 0 && tally.failed_after_rename > 0);
}

#[test]
fn failed_fsync_is_reported_with_its_step() {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kz.snap");
    write_atomic_with(&mut RealFs, &path, &v[0]).unwrap();
    let mut fs = FaultyFs::new(Op::SyncFile, 1, Mode::Once, false);
    let e = write_atomic_with(&mut fs, &path, &v[1]).unwrap_err();
    assert!(e.to_string().contains("fsync of the new file"), "{e}");
    assert!(!fs.log.contains(&(Op::Rename, true)));
    assert!(std::fs::read(&path).unwrap() == v[0]);
    let mut fs = FaultyFs::new(Op::SyncDir, 1, Mode::Once, false);
    let e = write_atomic_with(&mut fs, &path, &v[1]).unwrap_err();
    assert!(e.to_string().contains("fsync of the directory"), "{e}");
}

#[test]
fn concurrent_saves_in_one_process_never_tear_the_file() {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kz.snap");
    write_atomic_with(&mut RealFs, &path, &v[0]).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let torn = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        // a reader that checks every version it sees
        s.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok(b) = std::fs::read(&path)
                    && !v.contains(&b)
                {
                    torn.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
        });
        let writers: Vec<_> = (0..4)
            .map(|w| {
                let (v, path) = (&v, &path);
                s.spawn(move || {
                    for i in 0..25 {
                        // no lock taken on purpose: the temporary files must not collide
                        let _ = write_atomic_with(&mut RealFs, path, &v[(w + i) % v.len()]);
                    }
                })
            })
            .collect();
        for w in writers {
            w.join().unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    let last = std::fs::read(&path).unwrap();
    assert!(v.contains(&last), "the final file is torn");
    assert_eq!(torn.into_inner(), 0, "a reader saw a torn file");
    assert_eq!(others(dir.path(), &path), Vec::<PathBuf>::new());
}
