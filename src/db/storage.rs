//! Where a [`Db`]'s bytes live: in the binary, in one aligned buffer, or in a file read a
//! section at a time; and the checks made before a file is read at all.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::error::{Error, Result};
use crate::snapshot::{self, Layout, SECTIONS, Sec, SnapshotError};

pub(super) enum Storage {
    Static(&'static [u8]),
    /// Owned bytes in 8-byte words, so that every section is aligned for `u32` access.
    Owned(Vec<u64>, usize),
    /// A snapshot file read one part at a time ([`Db::open_file_lazy`]).
    Lazy(Box<LazyFile>),
}

impl Storage {
    pub(super) fn bytes(&self) -> &[u8] {
        match self {
            Storage::Static(b) => b,
            Storage::Owned(w, len) => &bytemuck::cast_slice(w)[..*len],
            Storage::Lazy(_) => unreachable!("a lazily read file's bytes are put together by Db"),
        }
    }

    pub(super) fn owned(bytes: &[u8]) -> Storage {
        let mut w = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut w)[..bytes.len()].copy_from_slice(bytes);
        Storage::Owned(w, bytes.len())
    }
}

/// Why a part of a lazily opened snapshot could not be used (kept, so that every later use
/// reports the same).
#[derive(Debug, Clone)]
pub(super) enum Failure {
    Snapshot(SnapshotError),
    Io(std::io::ErrorKind, String),
}

impl Failure {
    pub(super) fn error(&self, path: &Path) -> Error {
        match self {
            Failure::Snapshot(e) => Error::Snapshot(e.clone()),
            Failure::Io(kind, msg) => Error::io(path, std::io::Error::new(*kind, msg.clone())),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            Error::Snapshot(s) => Failure::Snapshot(s),
            Error::Io { source, .. } => Failure::Io(source.kind(), source.to_string()),
            other => Failure::Io(std::io::ErrorKind::Other, other.to_string()),
        }
    }
}

/// A snapshot file read a part at a time: see [`Db::open_file_lazy`].
pub(super) struct LazyFile {
    pub(super) path: PathBuf,
    pub(super) file: Mutex<File>,
    /// The file's length when it was opened (the header promised exactly this many bytes).
    pub(super) len: u64,
    /// The header and section table.
    pub(super) head: Vec<u8>,
    /// Each section's bytes (8-byte words, so aligned for `u32` access) with the padding that
    /// follows it, once read and checked against its checksum.
    pub(super) raw: [OnceLock<Box<[u64]>>; SECTIONS],
    /// The whole file, if [`Db::as_bytes`] asked for it.
    pub(super) whole: OnceLock<Storage>,
}

impl LazyFile {
    /// Reads bytes `at..at + buf.len()` of the file.
    pub(super) fn read_at(&self, at: u64, buf: &mut [u8]) -> Result<(), Failure> {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let r = f.seek(SeekFrom::Start(at)).and_then(|_| f.read_exact(buf));
        match r {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                let got = f.metadata().map_or(0, |m| m.len());
                Err(Failure::Snapshot(SnapshotError::Truncated {
                    expected: self.len,
                    got,
                }))
            }
            Err(e) => Err(Failure::Io(e.kind(), e.to_string())),
        }
    }

    /// Reads section `i` and the padding after it, and checks the checksum and the padding.
    pub(super) fn read_section(&self, layout: &Layout, i: usize) -> Result<Box<[u64]>, Failure> {
        let (start, end) = layout[i];
        let stop = if i + 1 < SECTIONS {
            layout[i + 1].0
        } else {
            self.len as usize
        };
        let mut w = vec![0u64; (stop - start).div_ceil(8)].into_boxed_slice();
        let buf = &mut bytemuck::cast_slice_mut::<u64, u8>(&mut w)[..stop - start];
        self.read_at(start as u64, buf)?;
        if crc32fast::hash(&buf[..end - start]) != snapshot::section_crc(&self.head, i) {
            return Err(Failure::Snapshot(SnapshotError::Checksum {
                part: format!("{} section", Sec::ALL[i].name()),
            }));
        }
        if buf[end - start..].iter().any(|b| *b != 0) {
            return Err(Failure::Snapshot(SnapshotError::Malformed(
                match Sec::ALL.get(i + 1) {
                    Some(next) => format!("non-zero padding before the {} section", next.name()),
                    None => "non-zero padding after the last section".into(),
                },
            )));
        }
        Ok(w)
    }

    /// Section `s`, which must have been read.
    pub(super) fn section(&self, layout: &Layout, s: Sec) -> &[u8] {
        let i = s as usize - 1;
        let w = self.raw[i]
            .get()
            .expect("a part's sections are read before use");
        &bytemuck::cast_slice(w)[..layout[i].1 - layout[i].0]
    }

    /// The whole file, put together from the header and the sections already read (every
    /// section must have been read): the file is not read again, so it cannot fail, and what
    /// it returns is what was checked.
    pub(super) fn whole(&self, layout: &Layout) -> &[u8] {
        self.whole
            .get_or_init(|| {
                let mut w = vec![0u64; (self.len as usize).div_ceil(8)];
                let bytes = &mut bytemuck::cast_slice_mut::<u64, u8>(&mut w)[..self.len as usize];
                bytes[..self.head.len()].copy_from_slice(&self.head);
                for (i, raw) in self.raw.iter().enumerate() {
                    let raw = raw
                        .get()
                        .expect("every section is read before the whole file");
                    let start = layout[i].0;
                    let stop = layout.get(i + 1).map_or(self.len as usize, |l| l.0);
                    bytes[start..stop]
                        .copy_from_slice(&bytemuck::cast_slice::<u64, u8>(raw)[..stop - start]);
                }
                Storage::Owned(w, self.len as usize)
            })
            .bytes()
    }
}

/// The bytes of the embedded Kazakhstan graph, aligned for in-place reading.
#[repr(C, align(8))]
pub(super) struct Aligned<T: ?Sized>(pub(super) T);

///
/// `src/db/embedded.snap` is `graph-data/` compiled (`lineage compile graph-data -o
/// src/db/embedded.snap`) and committed; the test `embedded_snapshot_is_graph_data_compiled` fails
/// when the two differ, and rewrites the file when run with `LINEAGE_BLESS=1`.
pub(super) static EMBEDDED: &Aligned<[u8]> = &Aligned(*include_bytes!("embedded.snap"));

/// Reads until `buf` is full or the end of the file; returns how many bytes were read.
pub(super) fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Opens a file for reading, refusing anything that is not a regular file (a directory, a device
/// such as /dev/zero, a FIFO, a socket), whose size says nothing about how much it holds.
pub(super) fn open_regular(path: &Path) -> Result<File> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    let m = f.metadata().map_err(|e| Error::io(path, e))?;
    if !m.is_file() {
        let what = crate::error::not_regular(&m);
        return Err(Error::io(
            path,
            std::io::Error::other(format!("cannot open it as a snapshot: it is {what}")),
        ));
    }
    Ok(f)
}

/// Reads the first eight bytes and refuses a file that does not start with the snapshot magic,
/// then rewinds.
pub(super) fn check_magic(f: &mut File, path: &Path) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut m = [0u8; 8];
    let got = read_full(f, &mut m).map_err(|e| Error::io(path, e))?;
    if m[..got] != snapshot::MAGIC[..got] {
        return Err(SnapshotError::Foreign.into());
    }
    f.seek(SeekFrom::Start(0)).map_err(|e| Error::io(path, e))?;
    Ok(())
}
