//! Opening a snapshot file: whole ([`Db::open_file`]), or lazily, a part at a time when the
//! caller preloads it ([`Db::open_file_lazy`]).

use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use crate::error::{Error, Result};
use crate::snapshot::{self, ENTRY_LEN, HEADER_LEN, SECTIONS, Sec, SnapshotError};

use super::storage::{LazyFile, Storage, check_magic, open_regular, read_full};
use super::{Db, OpenOptions};

impl Db {
    /// Opens a snapshot file.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read, else as [`Db::open_bytes`].
    pub fn open_file(path: &Path) -> Result<Db> {
        let opts = OpenOptions::default();
        let io = |e| Error::io(path, e);
        let mut f = open_regular(path)?;
        let flen = f.metadata().map_err(io)?.len();
        let too_large = SnapshotError::TooLarge {
            declared: flen,
            limit: opts.max_bytes,
        };
        if flen > opts.max_bytes {
            return Err(too_large.into());
        }
        // then the magic, before the rest is read: a foreign file costs eight bytes
        check_magic(&mut f, path)?;
        let len = usize::try_from(flen).map_err(|_| too_large)?;
        // one read straight into 8-byte words, so that a large file is not copied a second time
        let mut w = vec![0u64; len.div_ceil(8)];
        let bytes = &mut bytemuck::cast_slice_mut::<u64, u8>(&mut w)[..len];
        let got = read_full(&mut f, bytes).map_err(io)?;
        let mut rest = Vec::new();
        Read::take(&mut f, opts.max_bytes - flen + 1)
            .read_to_end(&mut rest)
            .map_err(io)?;
        if got < len || !rest.is_empty() {
            // the file changed size while it was read: judge the bytes that were read
            let mut bytes = bytemuck::cast_slice::<u64, u8>(&w)[..got].to_vec();
            bytes.extend_from_slice(&rest);
            return Db::open_bytes(&bytes);
        }
        Db::open_storage(Storage::Owned(w, len), opts)
    }

    /// Opens a snapshot file without reading it all: the header, the section table and the
    /// META section (the counts and the sources) are checked now, and each other *part* of the file is read
    /// and checked by [`Db::preload`], when the caller names what it is about to use. Opening a
    /// large snapshot to answer one query therefore reads only what that query needs (for
    /// [`query::reach`](crate::query::reach): the ancestor adjacency, 8 bytes per edge and 8 per
    /// node).
    ///
    /// # The contract
    /// - Damage is an error, from this call or from [`Db::preload`]; no accessor ever finds it.
    ///   A part is read once, into memory, so damage done to the file later is never seen.
    /// - An accessor reads only parts that `preload` has checked and returned `Ok` for. One that
    ///   needs any other part panics, with a message naming the [`Preload`](crate::Preload) to add, *whatever
    ///   the file holds*: the panic depends on the calling code, never on the bytes, so a program
    ///   that runs once on a good file does not panic on a damaged one. (Each accessor's
    ///   `# Panics` names the parts it reads; functions that return `Result`, such as
    ///   [`Db::resolve`] and [`Db::select`], preload what they read themselves.)
    /// - [`Preload::Everything`](crate::Preload::Everything) runs every check of [`Db::open_file`], the agreement of every
    ///   part with the records and their validation included: after it returns `Ok`, every
    ///   answer is the answer for the graph the records describe, and a forged file is refused
    ///   as a whole open refuses it. A narrower preload checks the named parts' own structure
    ///   (and each record against its columns when records are named) but not that they agree
    ///   with records it does not read: use `Everything` for a file you did not write.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read; [`Error::Snapshot`] when the header, the
    /// table or the META section is refused, as by [`Db::open_file`].
    ///
    /// # Example
    /// ```
    /// use lineage::{Db, KindSet, Preload, query::{Direction, reach}};
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("kz.snap");
    /// std::fs::write(&path, Db::embedded_bytes()).unwrap();
    /// let db = Db::open_file_lazy(&path).unwrap();
    /// let otan = db.resolve("Otan").unwrap(); // preloads the names itself
    /// db.preload(&[Preload::Ancestors]).unwrap();
    /// let mut seen = vec![0u64; db.node_count().div_ceil(64)];
    /// let found = reach(&db, otan, Direction::Ancestors, KindSet::LINEAGE, &mut seen);
    /// assert!(!found.is_empty());
    /// ```
    pub fn open_file_lazy(path: &Path) -> Result<Db> {
        if cfg!(target_endian = "big") {
            return Err(SnapshotError::BigEndianHost.into());
        }
        let opts = OpenOptions::default();
        let io = |e| Error::io(path, e);
        let mut file = open_regular(path)?;
        let len = file.metadata().map_err(io)?.len();
        check_magic(&mut file, path)?;
        let table_end = HEADER_LEN + SECTIONS * ENTRY_LEN;
        let mut head = vec![0u8; table_end.min(usize::try_from(len).unwrap_or(usize::MAX))];
        file.read_exact(&mut head).map_err(io)?;
        let layout = snapshot::verify_head(&head, len, opts.max_bytes)?;
        // the bytes between the table and the first section must be zero padding
        let mut gap = vec![0u8; layout[0].0 - table_end];
        file.read_exact(&mut gap).map_err(io)?;
        if gap.iter().any(|b| *b != 0) {
            return Err(Db::malformed(format!(
                "non-zero padding before the {} section",
                Sec::Meta.name()
            )));
        }
        let lazy = LazyFile {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            len,
            head,
            raw: std::array::from_fn(|_| OnceLock::new()),
            whole: OnceLock::new(),
        };
        let words = lazy.read_section(&layout, 0).map_err(|f| f.error(path))?;
        let _ = lazy.raw[0].set(words);
        // the META section whole (its sources are few), so that it is refused as a whole open
        // refuses it
        let mut db = match Db::with_meta(Storage::Lazy(Box::new(lazy)), layout, true, true) {
            Ok(db) => db,
            // a whole open checks every section's checksum and padding before it decodes META:
            // refuse with what it would say first (the file is read whole only on this path,
            // through its length, which the head check bounded)
            Err(e) => return Err(first_layout_error(path, len).unwrap_or(e)),
        };
        db.preload_only = true;
        Ok(db)
    }
}

/// What [`snapshot::verify`] refuses in the file, if anything: the first error of a whole open.
fn first_layout_error(path: &Path, len: u64) -> Option<Error> {
    let mut bytes = Vec::new();
    let file = open_regular(path).ok()?;
    file.take(len).read_to_end(&mut bytes).ok()?;
    snapshot::verify(&bytes, OpenOptions::default().max_bytes)
        .err()
        .map(Error::from)
}
