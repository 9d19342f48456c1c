//! Safe writes (issue 15): the atomic save's temporary file cannot be hijacked, a save keeps
//! what it replaces (mode, owner, symbolic links), refuses what is not a regular file, cleans up
//! after killed saves, survives a file-size limit, and every writer takes one lock per file
//! whatever path names it.

#![cfg(unix)]

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;

use assert_cmd::Command;
use lineage::lock::WriteLock;
use lineage::lock::write_atomic;
use lineage::save::temp_prefix;
use lineage::{Error, Graph};

fn lineage() -> Command {
    Command::cargo_bin("lineage").expect("the lineage binary is built")
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
fn planted_symlinks_at_temporary_names_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    let target = d.join("kz.snap");
    let prefix = temp_prefix(&target);
    // the old predictable names, for this process and its neighbours, and a thousand more of
    // the current shape: none of them may be opened
    let pid = std::process::id();
    let mut planted = 0;
    for p in pid.saturating_sub(5)..pid + 5 {
        for n in 0..20 {
            symlink(&victim, d.join(format!("{prefix}{p}-{n}"))).unwrap();
            planted += 1;
        }
    }
    for i in 0..1000u32 {
        symlink(&victim, d.join(format!("{prefix}{i:012x}"))).unwrap();
        planted += 1;
    }
    for round in 0..50 {
        let bytes = format!("version {round}");
        lineage::save::write_atomic_with(&mut lineage::save::RealFs, &target, bytes.as_bytes())
            .unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), bytes.as_bytes());
    }
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert!(planted > 1000);
}

/// The exclusive create behind every temporary file, with no random part: the one name it can
/// choose holds a planted link, and the link's target must not be opened.
#[test]
fn the_exclusive_create_never_follows_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    symlink(&victim, d.join(".kz.snap.tmp-")).unwrap();
    let r = lineage::save::create_exclusive(d, ".kz.snap.tmp-", 0);
    assert!(r.is_err(), "a planted link was opened");
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    // a dangling link is not followed either (O_CREAT alone would create its target)
    std::fs::remove_file(d.join(".kz.snap.tmp-")).unwrap();
    symlink(d.join("created-through-link"), d.join(".kz.snap.tmp-")).unwrap();
    assert!(lineage::save::create_exclusive(d, ".kz.snap.tmp-", 0).is_err());
    assert!(!d.join("created-through-link").exists());
}

#[test]
fn a_save_keeps_the_mode_of_the_file_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("kz.snap");
    std::fs::write(&p, b"old").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomic(&p, b"new").unwrap();
    assert_eq!(std::fs::read(&p).unwrap(), b"new");
    assert_eq!(std::fs::metadata(&p).unwrap().mode() & 0o7777, 0o600);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_atomic(&p, b"newer").unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().mode() & 0o7777, 0o640);
}

#[test]
fn a_save_keeps_the_owner_where_the_process_may_set_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("kz.snap");
    std::fs::write(&p, b"old").unwrap();
    let me = std::fs::metadata(&p).unwrap().uid();
    // only root may give a file away; as anyone else the saver's own ids are kept
    if std::os::unix::fs::chown(&p, Some(65534), Some(65534)).is_ok() {
        write_atomic(&p, b"new").unwrap();
        let m = std::fs::metadata(&p).unwrap();
        assert_eq!((m.uid(), m.gid()), (65534, 65534), "the owner was kept");
    } else {
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::metadata(&p).unwrap().uid(), me);
        eprintln!("not root: checked only that the save keeps the saver's own owner");
    }
}

#[test]
fn a_symlinked_database_keeps_its_link_and_its_target_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    let real = d.join("real/kz.snap");
    std::fs::write(&real, b"old").unwrap();
    let link = d.join("kz.snap");
    symlink("real/kz.snap", &link).unwrap();
    write_atomic(&link, b"new").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&real).unwrap(), b"new");
    // a dangling link gets its target created
    let dangling = d.join("later.snap");
    symlink("real/later.snap", &dangling).unwrap();
    write_atomic(&dangling, b"created").unwrap();
    assert_eq!(
        std::fs::read(d.join("real/later.snap")).unwrap(),
        b"created"
    );
    // a loop of links is an error, not a hang
    symlink(d.join("loop-b"), d.join("loop-a")).unwrap();
    symlink(d.join("loop-a"), d.join("loop-b")).unwrap();
    let e = write_atomic(&d.join("loop-a"), b"x").unwrap_err();
    assert!(e.to_string().contains("symbolic links"), "{e}");
}

#[test]
fn anything_but_a_regular_file_is_refused_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // a device
    let e = write_atomic(Path::new("/dev/null"), b"x").unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device_like()
    );
    // a symlink to a device
    symlink("/dev/null", d.join("null.snap")).unwrap();
    assert!(write_atomic(&d.join("null.snap"), b"x").is_err());
    // a directory
    std::fs::create_dir(d.join("adir")).unwrap();
    let e = write_atomic(&d.join("adir"), b"x").unwrap_err();
    assert!(e.to_string().contains("directory"), "{e}");
    // a FIFO
    let fifo = d.join("fifo.snap");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let e = write_atomic(&fifo, b"x").unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo_like()
    );
    // and the CLI says so with exit 1
    let out = lineage()
        .args(["compile", "graph-data", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}

trait FileTypeLike {
    fn is_char_device_like(&self) -> bool;
    fn is_fifo_like(&self) -> bool;
}

impl FileTypeLike for std::fs::FileType {
    fn is_char_device_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_char_device(self)
    }
    fn is_fifo_like(&self) -> bool {
        std::os::unix::fs::FileTypeExt::is_fifo(self)
    }
}

#[test]
fn stale_temporary_files_of_our_naming_are_removed_by_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let p = d.join("kz.snap");
    let prefix = temp_prefix(&p);
    for name in [
        format!("{prefix}4242-0"),
        format!("{prefix}4242-17"),
        format!("{prefix}AbCdEf012345"),
    ] {
        std::fs::write(d.join(name), vec![0u8; 4096]).unwrap();
    }
    // not ours: another file's temporaries, and our prefix on a directory
    std::fs::write(d.join(".other.snap.tmp-1-0"), b"keep").unwrap();
    std::fs::write(d.join("notes.txt"), b"keep").unwrap();
    write_atomic(&p, b"new").unwrap();
    assert_eq!(
        entries(d),
        vec![
            ".other.snap.tmp-1-0",
            "kz.snap",
            "kz.snap.lock",
            "notes.txt"
        ]
    );
}

#[test]
fn a_file_size_limit_is_an_error_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bin = assert_cmd::cargo::cargo_bin("lineage");
    // ulimit -f counts 1024-byte blocks: 4 KiB is far below the embedded graph's snapshot
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 4 && exec '{}' compile graph-data -o '{}'",
            bin.display(),
            d.join("kz.snap").display()
        ))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "not killed by SIGXFSZ: {err}");
    assert!(err.contains("File too large"), "{err}");
    assert_eq!(entries(d), vec!["kz.snap.lock"], "no partial file is left");
}

#[test]
fn two_paths_to_one_file_take_one_lock() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    let real = d.join("sub/kz.snap");
    std::fs::write(&real, b"x").unwrap();
    symlink(&real, d.join("alias.snap")).unwrap();
    symlink(d.join("sub"), d.join("linkdir")).unwrap();
    let _held = WriteLock::acquire(&real).unwrap();
    for alias in [
        d.join("alias.snap"),
        d.join("linkdir/kz.snap"),
        d.join("sub/../sub/kz.snap"),
    ] {
        assert!(
            matches!(WriteLock::acquire(&alias), Err(Error::Locked { .. })),
            "{} got a second lock",
            alias.display()
        );
        // and a save through the alias waits for nobody: it is refused at once
        assert!(matches!(
            write_atomic(&alias, b"y"),
            Err(Error::Locked { .. })
        ));
    }
    assert_eq!(std::fs::read(&real).unwrap(), b"x");
}

#[test]
fn every_writer_takes_the_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kz.snap");
    let _held = WriteLock::acquire(&out).unwrap();
    // lineage compile
    let r = lineage()
        .args(["compile", "graph-data", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&r.stderr).contains("locked"),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(!out.exists());
    // Graph::save_snapshot and Graph::save_ron
    let g = Graph::load(Path::new("tests/fixtures/sample.ron")).unwrap();
    assert!(matches!(g.save_snapshot(&out), Err(Error::Locked { .. })));
    let ron = dir.path().join("kz.ron");
    let _held_ron = WriteLock::acquire(&ron).unwrap();
    assert!(matches!(g.save_ron(&ron), Err(Error::Locked { .. })));
}
