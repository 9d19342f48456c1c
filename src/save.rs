//! Atomic saves: write a temporary file in the same directory, fsync it, rename it over the
//! target, then fsync the directory. A crash leaves the old file or the new one, never a torn one.
//!
//! - The temporary file is created by `tempfile` with `O_EXCL` and a random name
//!   (`.NAME.tmp-XXXXXX`), so nothing planted at a predictable name is ever followed or
//!   overwritten.
//! - The new file keeps the mode of the file it replaces, and its owner and group where the
//!   process may set them; a new file gets `0666` less the umask, as `File::create` would.
//! - A symbolic link at the target is followed: the file the link points to is replaced, and the
//!   link stays a link. Anything that is not a regular file (a directory, a device, a FIFO, a
//!   socket) is refused, never replaced.
//! - [`write_atomic`](crate::lock::write_atomic) takes the target's [`WriteLock`](crate::lock::WriteLock) and, holding it,
//!   removes temporary files of this naming that earlier saves killed mid-way left behind.
//! - A file-size limit (`ulimit -f`, `RLIMIT_FSIZE`) that the new file would exceed is an
//!   ordinary I/O error ("File too large", EFBIG) reported before anything is written, instead of
//!   `SIGXFSZ` killing the process without a word and leaving a partial temporary file.
//!
//! The file-system calls go through the small [`Fs`] trait so that tests can make the Nth write,
//! fsync or rename fail.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The file-system operations an atomic save needs.
pub trait Fs {
    /// Creates a new temporary file in `dir` whose name starts with `prefix`, exclusively
    /// (`O_EXCL`), and returns it with its path.
    fn create_temp(&mut self, dir: &Path, prefix: &str) -> io::Result<(File, PathBuf)>;
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
    fn create_temp(&mut self, dir: &Path, prefix: &str) -> io::Result<(File, PathBuf)> {
        create_exclusive(dir, prefix, 12)
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

/// Creates `dir/PREFIX` followed by `random` random characters with `O_CREAT | O_EXCL` (mode
/// 0600): an existing file or symbolic link of that name is never opened, the call fails or
/// tries another name instead. `RealFs` uses 12 random characters; tests use 0 to plant a link
/// at the one name it can choose.
#[doc(hidden)]
pub fn create_exclusive(dir: &Path, prefix: &str, random: usize) -> io::Result<(File, PathBuf)> {
    let t = tempfile::Builder::new()
        .prefix(prefix)
        .rand_bytes(random)
        .tempfile_in(dir)?;
    let (file, path) = t.into_parts();
    // the caller removes the file on failure; keep() only stops the guard deleting it
    let path = path.keep().map_err(|e| e.error)?;
    Ok((file, path))
}

/// The prefix of the temporary files saves of `target` create: `.NAME.tmp-`.
pub fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(".{name}.tmp-")
}

/// The file a save of `path` replaces: `path` itself, or the end of the chain of symbolic links
/// that starts there (which need not exist yet).
///
/// # Errors
/// [`Error::Io`] for a chain of more than 40 links (a loop) or an unreadable link.
pub fn resolve_target(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p).map_err(|e| Error::io(&p, e))?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::io(
        path,
        io::Error::other("too many levels of symbolic links"),
    ))
}

fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// EFBIG when the file-size limit of the process is below `len` bytes: writing would raise
/// SIGXFSZ, which kills the process by default.
fn check_size_limit(len: usize) -> io::Result<()> {
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Fsize).current;
        if let Some(max) = limit
            && len as u64 > max
        {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                    "File too large: the new file is {len} bytes and the file-size limit (ulimit -f) is {max} bytes"
                ),
            ));
        }
    }
    let _ = len;
    Ok(())
}

/// The mode a new file gets: 0666 less the process's umask (read from /proc, else 022).
#[cfg(unix)]
fn new_file_mode() -> u32 {
    let umask = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022);
    0o666 & !umask
}

/// Gives the temporary file the replaced file's mode and, where the process may, its owner.
fn copy_metadata(file: &File, old: Option<&std::fs::Metadata>) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let mode = old.map_or_else(new_file_mode, |m| m.mode() & 0o7777);
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        if let Some(m) = old {
            // only root (or the owner, for the group) may: anything else keeps the saver's
            let _ = std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid()));
            let _ = std::os::unix::fs::fchown(file, None, Some(m.gid()));
        }
    }
    #[cfg(not(unix))]
    {
        if let Some(m) = old {
            file.set_permissions(m.permissions())?;
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically through `fs`, without taking the write lock.
///
/// Any failure leaves the old file untouched and removes the temporary file. A failed fsync is
/// reported as an error and never retried: after a failed fsync the kernel may have dropped the
/// dirty pages, so a retry that succeeds would prove nothing.
///
/// # Errors
/// [`Error::Io`] naming the path and the step that failed, or saying that the target is not a
/// regular file.
pub fn write_atomic_with(fs: &mut dyn Fs, path: &Path, bytes: &[u8]) -> Result<()> {
    let target = resolve_target(path)?;
    check_size_limit(bytes.len()).map_err(|e| Error::io(path, e))?;
    let old = match std::fs::metadata(&target) {
        Ok(m) if m.is_file() => Some(m),
        Ok(m) => {
            let what = crate::error::not_regular(&m);
            return Err(Error::io(
                path,
                io::Error::other(format!("refusing to replace it: it is {what}")),
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, e)),
    };
    let dir = dir_of(&target);
    let step = |what: &str, e: io::Error| {
        Error::io(path, io::Error::new(e.kind(), format!("{what}: {e}")))
    };
    let (mut file, tmp) = fs
        .create_temp(&dir, &temp_prefix(&target))
        .map_err(|e| step("creating the temporary file", e))?;
    let result = (|| {
        fs.write_all(&mut file, bytes)
            .map_err(|e| step("writing", e))?;
        copy_metadata(&file, old.as_ref()).map_err(|e| step("setting the mode", e))?;
        fs.sync_file(&file)
            .map_err(|e| step("fsync of the new file", e))?;
        drop(file);
        fs.rename(&tmp, &target)
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

/// Removes the temporary files that killed saves of `target` left behind. Call it only while
/// holding the target's write lock: then no save of it is under way.
pub fn remove_stale_temps(target: &Path) {
    let target = resolve_target(target).unwrap_or_else(|_| target.to_path_buf());
    let prefix = temp_prefix(&target);
    let Ok(rd) = std::fs::read_dir(dir_of(&target)) else {
        return;
    };
    for entry in rd.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
