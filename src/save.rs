//! Atomic saves: write a temporary file in the same directory, fsync it, rename it over the
//! target, then fsync the directory. A crash leaves the old file or the new one, never a torn one.
//!
//! The file-system calls go through the small [`Fs`] trait so that tests can make the Nth write,
//! fsync or rename fail.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The file-system operations an atomic save needs.
pub trait Fs {
    /// Creates (truncating) a file for writing.
    fn create(&mut self, path: &Path) -> io::Result<File>;
    /// Writes all bytes to the file.
    fn write_all(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()>;
    /// Flushes the file's data and metadata to stable storage.
    fn sync_file(&mut self, file: &File) -> io::Result<()>;
    /// Renames `from` over `to`, atomically.
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes a directory's entries to stable storage.
    fn sync_dir(&mut self, dir: &Path) -> io::Result<()>;
    /// Removes a file (best effort cleanup of a temporary file).
    fn remove(&mut self, path: &Path) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl Fs for RealFs {
    fn create(&mut self, path: &Path) -> io::Result<File> {
        File::create(path)
    }
    fn write_all(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)
    }
    fn sync_file(&mut self, file: &File) -> io::Result<()> {
        file.sync_all()
    }
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }
    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            let _ = dir;
            Ok(())
        }
    }
    fn remove(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// A temporary file name of its own for every save: the process id alone would let two threads
/// of one process saving the same file truncate each other's temporary file, and rename a torn
/// one into place.
fn temp_path(path: &Path) -> PathBuf {
    static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = format!(".{name}.tmp-{}-{n}", std::process::id());
    path.with_file_name(tmp)
}

/// Writes `bytes` to `path` atomically through `fs`.
///
/// Any failure leaves the old file untouched and removes the temporary file. A failed fsync is
/// reported as an error and never retried: after a failed fsync the kernel may have dropped the
/// dirty pages, so a retry that succeeds would prove nothing.
///
/// # Errors
/// [`Error::Io`] naming the path and the step that failed.
pub fn write_atomic_with(fs: &mut dyn Fs, path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = temp_path(path);
    let step = |what: &str, e: io::Error| {
        Error::io(path, io::Error::new(e.kind(), format!("{what}: {e}")))
    };
    let mut file = fs
        .create(&tmp)
        .map_err(|e| step("creating the temporary file", e))?;
    let result = (|| {
        fs.write_all(&mut file, bytes)
            .map_err(|e| step("writing", e))?;
        fs.sync_file(&file)
            .map_err(|e| step("fsync of the new file", e))?;
        drop(file);
        fs.rename(&tmp, path)
            .map_err(|e| step("renaming into place", e))
    })();
    if let Err(e) = result {
        let _ = fs.remove(&tmp);
        return Err(e);
    }
    // The new file is in place; a failed directory fsync means the rename may not be durable.
    fs.sync_dir(&dir)
        .map_err(|e| step("fsync of the directory", e))
}

/// Writes `bytes` to `path` atomically on the real file system.
///
/// # Errors
/// As [`write_atomic_with`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(&mut RealFs, path, bytes)
}
