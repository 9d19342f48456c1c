//! Write locks: one writer at a time for a database file.
//!
//! A writer takes the lock before it saves; a second writer gets [`Error::Locked`] at once instead
//! of waiting or overwriting the first one's save. The lock is an OS file lock
//! ([`File::try_lock`], `flock` on Unix, `LockFileEx` on Windows) on a sidecar file beside the
//! database (`kz.snap` → `kz.snap.lock`), so that the database file itself can be replaced by an
//! atomic rename while the lock is held. The OS drops the lock when the holder exits, however it
//! exits, so a crashed writer never leaves a stale lock.
//!
//! The sidecar file is left in place on release: removing it would let two writers lock two
//! different files of the same name.
//!
//! The lock is keyed on the file a save would replace, not on the path as written: symbolic
//! links are followed and the directory is canonicalised, so `kz.snap`, `./kz.snap`, a link to
//! it and the same file reached through a linked directory all take one lock.
//!
//! ```
//! use lineage::lock::WriteLock;
//! let dir = tempfile::tempdir().unwrap();
//! let db = dir.path().join("kz.snap");
//! let lock = WriteLock::acquire(&db).unwrap();
//! assert!(matches!(WriteLock::acquire(&db), Err(lineage::Error::Locked { .. })));
//! drop(lock);
//! assert!(WriteLock::acquire(&db).is_ok());
//! ```

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// An exclusive write lock on a database file, held until it is dropped.
#[derive(Debug)]
pub struct WriteLock {
    file: File,
    path: PathBuf,
}

impl WriteLock {
    /// The sidecar lock file of a database file: the same name with `.lock` added.
    pub fn lock_path(path: &Path) -> PathBuf {
        let mut name = path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".lock");
        path.with_file_name(name)
    }

    /// Takes the write lock on `path` without waiting.
    ///
    /// # Errors
    /// [`Error::Locked`] at once when another writer (in this process or another) holds it;
    /// [`Error::Io`] when the lock file cannot be created or locked.
    pub fn acquire(path: &Path) -> Result<WriteLock> {
        let lock = WriteLock::lock_path(&WriteLock::key(path)?);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| Error::io(&lock, e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock {
                file,
                path: path.to_path_buf(),
            }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked {
                path: path.to_path_buf(),
            }),
            Err(TryLockError::Error(e)) => Err(Error::io(&lock, e)),
        }
    }

    /// The canonical file a lock on `path` is about: the end of its chain of symbolic links,
    /// in its canonical directory.
    ///
    /// # Errors
    /// [`Error::Io`] when the directory does not exist or a link cannot be read.
    pub fn key(path: &Path) -> Result<PathBuf> {
        let target = crate::save::resolve_target(path)?;
        let name = target.file_name().ok_or_else(|| {
            Error::io(path, std::io::Error::other("a database path names a file"))
        })?;
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let dir = std::fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
        Ok(dir.join(name))
    }

    /// The database file this lock guards, as given to [`WriteLock::acquire`].
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Saves `bytes` to the locked file atomically ([`crate::save::write_atomic_with`]), after
    /// removing the temporary files that killed saves left behind.
    ///
    /// # Errors
    /// As [`crate::save::write_atomic_with`].
    pub fn write(&self, bytes: &[u8]) -> Result<()> {
        crate::save::remove_stale_temps(&self.path);
        crate::save::write_atomic_with(&mut crate::save::RealFs, &self.path, bytes)
    }

    /// Releases the lock (dropping the guard does the same).
    ///
    /// # Errors
    /// [`Error::Io`] when the OS refuses to unlock; the lock is released anyway when the file is
    /// closed.
    pub fn release(self) -> Result<()> {
        self.file
            .unlock()
            .map_err(|e| Error::io(WriteLock::lock_path(&self.path), e))
    }
}

impl Drop for WriteLock {
    /// Unlocks explicitly rather than only closing the file: a child process forked by another
    /// thread at this moment shares the open file until it executes its program, and closing our
    /// descriptor alone would leave the lock held until then.
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Writes `bytes` to `path` atomically on the real file system, holding the write lock of
/// `path` for the time of the save and clearing stale temporary files first.
///
/// # Errors
/// [`Error::Locked`] when another writer holds the lock; otherwise as
/// [`crate::save::write_atomic_with`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    WriteLock::acquire(path)?.write(bytes)
}
