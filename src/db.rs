//! The frozen, query-ready graph: a verified snapshot read in place.
//!
//! [`Db`] is what every query runs on. It is opened from snapshot bytes (the embedded graph, a
//! file, or a [`Graph`] frozen in memory). Adjacency and columns are `u32` arrays used where they
//! lie; node and edge details are decoded from bincode only when asked for.

use std::cell::Cell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::date::{Day, OPEN_END, OPEN_START};
use crate::error::{Candidate, Error, Result};
use crate::graph::Graph;
use crate::model::{Edge, EdgeKind, Node, NodeKind, Source};
use crate::names::normalize;
use crate::snapshot::{
    self, EDGE_WORDS, ENTRY_LEN, HAS_BEGIN, HAS_END, HEADER_LEN, Layout, Meta, NODE_WORDS,
    SECTIONS, Sec, SnapshotError,
};

/// A node of a [`Db`]: its position in id order. Valid only for the `Db` it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

/// An edge of a [`Db`]: its position in the stable edge order. Valid only for the `Db` it came
/// from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EdgeId(pub(crate) u32);

impl NodeId {
    /// The index, from 0.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl EdgeId {
    /// The index, from 0.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

enum Storage {
    Static(&'static [u8]),
    /// Owned bytes in 8-byte words, so that every section is aligned for `u32` access.
    Owned(Vec<u64>, usize),
    /// A snapshot file read one part at a time ([`Db::open_file_lazy`]).
    Lazy(Box<LazyFile>),
}

impl Storage {
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Static(b) => b,
            Storage::Owned(w, len) => &bytemuck::cast_slice(w)[..*len],
            Storage::Lazy(l) => l.whole(),
        }
    }

    fn owned(bytes: &[u8]) -> Storage {
        let mut w = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut w)[..bytes.len()].copy_from_slice(bytes);
        Storage::Owned(w, bytes.len())
    }
}

/// Groups of sections whose invariants are checked together. A lazily opened [`Db`] reads and
/// checks one part at a time, on first use; an eagerly opened one checks them all at open, in
/// this order (each part after the parts it [needs](Part::needs)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    NodeCols,
    EdgeCols,
    Up,
    Down,
    Out,
    In,
    Ids,
    Names,
    Keys,
    NodeRecords,
    EdgeRecords,
}

const PARTS: usize = 11;

impl Part {
    const ALL: [Part; PARTS] = [
        Part::NodeCols,
        Part::EdgeCols,
        Part::Up,
        Part::Down,
        Part::Out,
        Part::In,
        Part::Ids,
        Part::Names,
        Part::Keys,
        Part::NodeRecords,
        Part::EdgeRecords,
    ];

    /// The part a section belongs to; `None` for the META section, read at open.
    fn of(s: Sec) -> Option<Part> {
        Some(match s {
            Sec::Meta => return None,
            Sec::NodeCols => Part::NodeCols,
            Sec::EdgeCols => Part::EdgeCols,
            Sec::UpOff | Sec::UpAdj => Part::Up,
            Sec::DownOff | Sec::DownAdj => Part::Down,
            Sec::OutOff | Sec::OutAdj => Part::Out,
            Sec::InOff | Sec::InAdj => Part::In,
            Sec::NodeOff | Sec::NodeBlob => Part::NodeRecords,
            Sec::EdgeOff | Sec::EdgeBlob => Part::EdgeRecords,
            Sec::KeyOff | Sec::KeyBytes | Sec::PostOff | Sec::Posts => Part::Keys,
            Sec::IdOff | Sec::IdBytes => Part::Ids,
            Sec::NameOff | Sec::NameBytes => Part::Names,
        })
    }

    fn sections(self) -> &'static [Sec] {
        match self {
            Part::NodeCols => &[Sec::NodeCols],
            Part::EdgeCols => &[Sec::EdgeCols],
            Part::Up => &[Sec::UpOff, Sec::UpAdj],
            Part::Down => &[Sec::DownOff, Sec::DownAdj],
            Part::Out => &[Sec::OutOff, Sec::OutAdj],
            Part::In => &[Sec::InOff, Sec::InAdj],
            Part::Ids => &[Sec::IdOff, Sec::IdBytes],
            Part::Names => &[Sec::NameOff, Sec::NameBytes],
            Part::Keys => &[Sec::KeyOff, Sec::KeyBytes, Sec::PostOff, Sec::Posts],
            Part::NodeRecords => &[Sec::NodeOff, Sec::NodeBlob],
            Part::EdgeRecords => &[Sec::EdgeOff, Sec::EdgeBlob],
        }
    }

    /// The parts whose data this part's checks compare against.
    fn needs(self) -> &'static [Part] {
        match self {
            Part::NodeRecords => &[Part::NodeCols, Part::Ids],
            Part::EdgeRecords => &[Part::EdgeCols, Part::Ids],
            _ => &[],
        }
    }
}

thread_local! {
    /// Set while this thread checks a part of a lazily opened Db: its accessors then read the
    /// part's sections (already read, checksums checked) before the part is declared ready.
    static CHECKING: Cell<bool> = const { Cell::new(false) };
}

/// Clears [`CHECKING`] when dropped, also on unwinding.
struct Checking;

impl Checking {
    fn start() -> Checking {
        CHECKING.set(true);
        Checking
    }
}

impl Drop for Checking {
    fn drop(&mut self) {
        CHECKING.set(false);
    }
}

/// Why a part of a lazily opened snapshot could not be used (kept, so that every later use
/// reports the same).
#[derive(Debug, Clone)]
enum Failure {
    Snapshot(SnapshotError),
    Io(std::io::ErrorKind, String),
}

impl Failure {
    fn error(&self, path: &Path) -> Error {
        match self {
            Failure::Snapshot(e) => Error::Snapshot(e.clone()),
            Failure::Io(kind, msg) => Error::io(path, std::io::Error::new(*kind, msg.clone())),
        }
    }
}

/// Each part's outcome, once checked, for a Db whose parts are checked on first use.
type Parts = [OnceLock<Result<(), Failure>>; PARTS];

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
struct LazyFile {
    path: PathBuf,
    file: Mutex<File>,
    /// The file's length when it was opened (the header promised exactly this many bytes).
    len: u64,
    /// The header and section table.
    head: Vec<u8>,
    /// Each section's bytes (8-byte words, so aligned for `u32` access) with the padding that
    /// follows it, once read and checked against its checksum.
    raw: [OnceLock<Box<[u64]>>; SECTIONS],
    /// The whole file, if [`Db::as_bytes`] asked for it.
    whole: OnceLock<Storage>,
}

impl LazyFile {
    /// Reads bytes `at..at + buf.len()` of the file.
    fn read_at(&self, at: u64, buf: &mut [u8]) -> Result<(), Failure> {
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
    fn read_section(&self, layout: &Layout, i: usize) -> Result<Box<[u64]>, Failure> {
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
    fn section(&self, layout: &Layout, s: Sec) -> &[u8] {
        let i = s as usize - 1;
        let w = self.raw[i]
            .get()
            .expect("a part's sections are read before use");
        &bytemuck::cast_slice(w)[..layout[i].1 - layout[i].0]
    }

    /// The whole file, read and verified on first use.
    fn whole(&self) -> &[u8] {
        self.whole
            .get_or_init(|| {
                let mut bytes = vec![0u8; self.len as usize];
                let r = self
                    .read_at(0, &mut bytes)
                    .map_err(|f| f.error(&self.path))
                    .and_then(|_| Ok(snapshot::verify(&bytes, u64::MAX)?));
                if let Err(e) = r {
                    panic!("lineage: {}: {e}", self.path.display());
                }
                Storage::owned(&bytes)
            })
            .bytes()
    }
}

/// A read-only lineage database.
pub struct Db {
    store: Storage,
    layout: Layout,
    n: u32,
    m: u32,
    /// The sources (from the META section; for a Db checked on first use, decoded then).
    sources: OnceLock<Vec<Source>>,
    /// `Some` when parts are checked on first use and records when they are decoded
    /// ([`Db::open_file_lazy`], [`Db::embedded`]); `None` when everything was checked at open.
    parts: Option<Box<Parts>>,
    /// The kind of each lineage adjacency slot, ancestors' then descendants' ([`Db::slot_kinds`]),
    /// built on first use.
    slot_kinds: [OnceLock<Box<[u8]>>; 2],
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("nodes", &self.n)
            .field("edges", &self.m)
            .finish()
    }
}

/// The bytes of the embedded Kazakhstan graph, aligned for in-place reading.
#[repr(C, align(8))]
struct Aligned<T: ?Sized>(T);

static EMBEDDED: &Aligned<[u8]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/embedded.snap")));
static EMBEDDED_PROBLEMS: &str = include_str!(concat!(env!("OUT_DIR"), "/embedded-problems.txt"));

/// Opening options.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// The largest snapshot accepted, in bytes.
    pub max_bytes: u64,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_bytes: snapshot::DEFAULT_MAX_BYTES,
        }
    }
}

impl Db {
    /// The Kazakhstan party graph compiled into this binary from `graph-data/`.
    ///
    /// Its checksums were verified by `build.rs` when it was embedded (a damaged binary is not
    /// a damaged database file), so they are not computed again here: the header and section
    /// table are checked for layout, and the other invariants of each part of the snapshot are
    /// checked on first use, and each node or edge record when it is decoded, as for
    /// [`Db::open_file_lazy`], so that a command that reads a few records does not decode them
    /// all. (They are build output, which the tests open with every check.)
    ///
    /// # Errors
    /// [`Error::Invalid`] when `graph-data/` did not validate at build time (the build still
    /// succeeds so that `lineage validate` can show the problems).
    pub fn embedded() -> Result<Db> {
        if !EMBEDDED_PROBLEMS.is_empty() {
            return Err(Error::BadQuery(format!(
                "the embedded graph-data did not validate when this binary was built:\n{EMBEDDED_PROBLEMS}"
            )));
        }
        if !(EMBEDDED.0.as_ptr() as usize).is_multiple_of(8) {
            return Db::open_bytes(&EMBEDDED.0);
        }
        let store = Storage::Static(&EMBEDDED.0);
        let layout = snapshot::layout_of_verified(store.bytes())?;
        Db::with_meta(store, layout, true)
    }

    /// The raw bytes of the embedded snapshot.
    pub fn embedded_bytes() -> &'static [u8] {
        &EMBEDDED.0
    }

    /// Opens snapshot bytes that live for the whole program, reading them in place.
    ///
    /// # Errors
    /// [`Error::Snapshot`] saying why the bytes were refused.
    pub fn open_static(bytes: &'static [u8]) -> Result<Db> {
        if !(bytes.as_ptr() as usize).is_multiple_of(8) {
            return Db::open_bytes(bytes);
        }
        Db::open_storage(Storage::Static(bytes), OpenOptions::default())
    }

    /// Opens snapshot bytes, copying them into aligned storage.
    ///
    /// # Errors
    /// [`Error::Snapshot`] saying why the bytes were refused: foreign, truncated, trailing bytes,
    /// a newer version, a checksum mismatch, or contents that break an invariant.
    pub fn open_bytes(bytes: &[u8]) -> Result<Db> {
        Db::open_bytes_with(bytes, OpenOptions::default())
    }

    /// [`Db::open_bytes`] with options.
    ///
    /// # Errors
    /// As [`Db::open_bytes`].
    pub fn open_bytes_with(bytes: &[u8], opts: OpenOptions) -> Result<Db> {
        // Check before copying, so that a huge foreign file is not duplicated in memory.
        snapshot::verify(bytes, opts.max_bytes)?;
        Db::open_storage(Storage::owned(bytes), opts)
    }

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

    /// Opens a snapshot file without reading it all: the header and section table are checked
    /// and the META section read now, and every other part of the file is read and checked on
    /// first use, with the same checksums and invariants as [`Db::open_file`]. Opening a large
    /// snapshot to answer one query therefore reads only what that query needs (for a closure,
    /// the lineage adjacency: 8 bytes per edge and 8 per node).
    ///
    /// The file is kept open. Damage found at first use cannot be returned by an accessor that
    /// does not return a `Result`, so it panics there; call [`Db::preload`] with the sections a
    /// task needs to get it as an error instead. Wrong data is never returned either way.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read; [`Error::Snapshot`] when the header, the
    /// table or the META section is refused, as by [`Db::open_file`].
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
        Db::with_meta(Storage::Lazy(Box::new(lazy)), layout, true)
    }

    /// Freezes a graph for querying (validating it first).
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem when the graph does not validate.
    pub fn from_graph(g: &Graph) -> Result<Db> {
        let problems = g.validate();
        if !problems.is_empty() {
            return Err(Error::Invalid(crate::error::Problems(problems)));
        }
        let bytes = snapshot::encode(g)?;
        Db::open_storage(Storage::owned(&bytes), OpenOptions::default())
    }

    /// Freezes a graph without validating it first: for tests and the fuzz crate, to query what
    /// a snapshot made elsewhere may hold. The snapshot's own structural checks still apply.
    ///
    /// # Errors
    /// As [`Db::from_graph`], less the validation.
    #[doc(hidden)]
    pub fn from_graph_unvalidated(g: &Graph) -> Result<Db> {
        let bytes = snapshot::encode(g)?;
        Db::open_storage(Storage::owned(&bytes), OpenOptions::default())
    }

    fn open_storage(store: Storage, opts: OpenOptions) -> Result<Db> {
        if cfg!(target_endian = "big") {
            return Err(SnapshotError::BigEndianHost.into());
        }
        let layout = snapshot::verify(store.bytes(), opts.max_bytes)?;
        let mut db = Db::with_meta(store, layout, false)?;
        db.check_structure()?;
        Ok(db)
    }

    /// A Db over checksummed storage: decodes the META section (with `lazy`, only the counts at
    /// its start, leaving the sources and every part to be checked on first use) and checks the
    /// counts against the columns' lengths.
    fn with_meta(store: Storage, layout: Layout, lazy: bool) -> Result<Db> {
        let (s, e) = layout[0];
        let bytes = match &store {
            Storage::Lazy(l) => l.section(&layout, Sec::Meta),
            _ => &store.bytes()[s..e],
        };
        let (n, m, sources) = if lazy {
            let counts =
                bincode::serde::decode_from_slice::<(u32, u32), _>(bytes, snapshot::bincode_cfg());
            let ((n, m), _) = counts.map_err(|e| Db::malformed(format!("meta: {e}")))?;
            (n, m, OnceLock::new())
        } else {
            let meta: Meta = decode_exact(bytes, "meta")?;
            (
                meta.node_count,
                meta.edge_count,
                OnceLock::from(meta.sources),
            )
        };
        // the counts must fit the columns, whose lengths the table gives without reading them
        let len = |sec: Sec| (layout[sec as usize - 1].1 - layout[sec as usize - 1].0) as u64;
        if len(Sec::NodeCols) != u64::from(n) * (NODE_WORDS as u64 * 4)
            || len(Sec::EdgeCols) != u64::from(m) * (EDGE_WORDS as u64 * 4)
        {
            return Err(Db::malformed(
                "the node or edge count does not match the columns".into(),
            ));
        }
        Ok(Db {
            store,
            layout,
            n,
            m,
            sources,
            parts: lazy.then(|| Box::new(std::array::from_fn(|_| OnceLock::new()))),
            slot_kinds: [OnceLock::new(), OnceLock::new()],
        })
    }

    /// The sources, decoding the META section whole on first use.
    fn decode_sources(&self) -> Result<&[Source]> {
        if let Some(s) = self.sources.get() {
            return Ok(s);
        }
        let meta: Meta = decode_exact(self.sec(Sec::Meta), "meta")?;
        if (meta.node_count, meta.edge_count) != (self.n, self.m) {
            return Err(Db::malformed("meta: the counts changed".into()));
        }
        let _ = self.sources.set(meta.sources);
        Ok(self.sources.get().expect("just set"))
    }

    fn sec(&self, s: Sec) -> &[u8] {
        if let Some(parts) = &self.parts
            && !CHECKING.get()
            && let Some(p) = Part::of(s)
            && let Err(e) = self.ready(parts, p)
        {
            panic!(
                "lineage: {e} (this snapshot is checked on first use; call Db::preload first to \
                 get this as an error)"
            );
        }
        if let Storage::Lazy(l) = &self.store {
            return l.section(&self.layout, s);
        }
        let (a, b) = self.layout[s as usize - 1];
        &self.store.bytes()[a..b]
    }

    /// Reads part `p` (of a lazily opened file) and checks its invariants, once; later calls
    /// return the first outcome.
    fn ready(&self, parts: &Parts, p: Part) -> Result<()> {
        let cell = &parts[p as usize];
        if let Some(r) = cell.get() {
            return r.clone().map_err(|f| self.failure(&f));
        }
        for &q in p.needs() {
            self.ready(parts, q)?;
        }
        cell.get_or_init(|| {
            if let Storage::Lazy(l) = &self.store {
                for &s in p.sections() {
                    let i = s as usize - 1;
                    if l.raw[i].get().is_none() {
                        let w = l.read_section(&self.layout, i)?;
                        let _ = l.raw[i].set(w);
                    }
                }
            }
            let _checking = Checking::start();
            Ok(self.check_part(p)?)
        })
        .clone()
        .map_err(|f| self.failure(&f))
    }

    fn failure(&self, f: &Failure) -> Error {
        match &self.store {
            Storage::Lazy(l) => f.error(&l.path),
            _ => f.error(Path::new("snapshot")),
        }
    }

    /// Whether this Db reads its snapshot file a part at a time ([`Db::open_file_lazy`]).
    pub fn is_lazy(&self) -> bool {
        matches!(self.store, Storage::Lazy(_))
    }

    /// Reads and checks the given sections now, with the rest of the part each belongs to, if
    /// this Db was opened lazily (for any other Db everything was checked at open and this does
    /// nothing). Call it with the sections a task needs, or with [`Sec::ALL`] for everything, to
    /// get damage as an error here rather than as a panic at first use.
    ///
    /// The sections each query reads: closures and paths the lineage adjacency ([`Sec::UpOff`],
    /// [`Sec::UpAdj`], [`Sec::DownOff`], [`Sec::DownAdj`]) and, unless every lineage kind is
    /// followed without a date filter, the edge columns; names the ids, names and name keys;
    /// node and edge details their records.
    ///
    /// # Errors
    /// [`Error::Snapshot`] when a section is damaged (checksum, padding, or an invariant), or
    /// [`Error::Io`] when it cannot be read.
    pub fn preload(&self, sections: &[Sec]) -> Result<()> {
        let Some(parts) = &self.parts else {
            return Ok(());
        };
        if sections.contains(&Sec::Meta) {
            self.decode_sources()?;
        }
        for p in sections.iter().filter_map(|s| Part::of(*s)) {
            self.ready(parts, p)?;
            match p {
                Part::NodeRecords => self.check_node_records()?,
                Part::EdgeRecords => self.check_edge_records()?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A section as `u32` words. Alignment and length were checked when the Db was opened.
    pub(crate) fn words(&self, s: Sec) -> &[u32] {
        bytemuck::cast_slice(self.sec(s))
    }

    fn malformed(msg: String) -> Error {
        SnapshotError::Malformed(msg).into()
    }

    /// Checks every invariant that queries rely on, so that no query can index out of bounds,
    /// and decodes every record once, so that [`Db::node`] and [`Db::edge`] cannot fail later.
    /// (A Db checked on first use runs the same checks a part, or a record, at a time.)
    fn check_structure(&mut self) -> Result<()> {
        for p in Part::ALL {
            self.check_part(p)?;
        }
        self.check_node_records()?;
        self.check_edge_records()
    }

    /// Checks the invariants of one part (a group of sections); the parts it [needs](Part::needs)
    /// must have been checked already.
    fn check_part(&self, p: Part) -> Result<()> {
        let (n, m) = (self.n as usize, self.m as usize);
        for s in p.sections() {
            let raw = self.sec(*s);
            let is_bytes = matches!(
                s,
                Sec::NodeBlob | Sec::EdgeBlob | Sec::KeyBytes | Sec::IdBytes | Sec::NameBytes
            );
            if !is_bytes && !raw.len().is_multiple_of(4) {
                return Err(Db::malformed(format!(
                    "the {} section is not whole words",
                    s.name()
                )));
            }
            if !is_bytes && bytemuck::try_cast_slice::<u8, u32>(raw).is_err() {
                return Err(Db::malformed(format!(
                    "the {} section is misaligned",
                    s.name()
                )));
            }
        }
        match p {
            Part::NodeCols => {
                if self.words(Sec::NodeCols).len() != n * NODE_WORDS {
                    return Err(Db::malformed(
                        "node columns do not match the node count".into(),
                    ));
                }
                for c in self.words(Sec::NodeCols).chunks(NODE_WORDS) {
                    if NodeKind::from_code((c[0] & 0xff) as u8).is_none() || c[0] >> 10 != 0 {
                        return Err(Db::malformed(format!("bad node kind word {:#x}", c[0])));
                    }
                }
            }
            Part::EdgeCols => {
                if self.words(Sec::EdgeCols).len() != m * EDGE_WORDS {
                    return Err(Db::malformed(
                        "edge columns do not match the edge count".into(),
                    ));
                }
                for c in self.words(Sec::EdgeCols).chunks(EDGE_WORDS) {
                    if c[0] as usize >= n
                        || c[1] as usize >= n
                        || EdgeKind::from_code((c[2] & 0xff) as u8).is_none()
                    {
                        return Err(Db::malformed(
                            "an edge column names a node or kind that does not exist".into(),
                        ));
                    }
                }
            }
            Part::Up | Part::Down => {
                let (off, adj) = if p == Part::Up {
                    (Sec::UpOff, Sec::UpAdj)
                } else {
                    (Sec::DownOff, Sec::DownAdj)
                };
                self.check_offsets(off, adj, 2)?;
                for pair in self.words(adj).chunks(2) {
                    if pair[0] as usize >= n || pair[1] as usize >= m {
                        return Err(Db::malformed(format!(
                            "the {} section points outside the graph",
                            adj.name()
                        )));
                    }
                }
            }
            Part::Out | Part::In => {
                let (off, adj) = if p == Part::Out {
                    (Sec::OutOff, Sec::OutAdj)
                } else {
                    (Sec::InOff, Sec::InAdj)
                };
                self.check_offsets(off, adj, 1)?;
                if self.words(adj).iter().any(|e| *e as usize >= m) {
                    return Err(Db::malformed(format!(
                        "the {} section points outside the graph",
                        adj.name()
                    )));
                }
            }
            Part::Ids => self.check_strings(Sec::IdOff, Sec::IdBytes, n)?,
            Part::Names => self.check_strings(Sec::NameOff, Sec::NameBytes, n)?,
            Part::Keys => {
                let keys = self.words(Sec::KeyOff).len().saturating_sub(1);
                self.check_strings(Sec::KeyOff, Sec::KeyBytes, keys)?;
                let po = self.words(Sec::PostOff);
                if po.len() != keys + 1
                    || po[0] != 0
                    || po.windows(2).any(|w| w[0] > w[1])
                    || po[keys] as usize != self.words(Sec::Posts).len()
                {
                    return Err(Db::malformed("the name postings are inconsistent".into()));
                }
                if self.words(Sec::Posts).iter().any(|x| *x as usize >= n) {
                    return Err(Db::malformed(
                        "a name posting points outside the graph".into(),
                    ));
                }
                // UTF-8 sorts as its bytes do
                let key = |i| self.blob(Sec::KeyOff, Sec::KeyBytes, i);
                if (1..keys).any(|i| key(i - 1) >= key(i)) {
                    return Err(Db::malformed("name keys are not sorted".into()));
                }
            }
            // each record is checked when decoded (for a Db checked at open: all of them, there)
            Part::NodeRecords => self.check_blob(Sec::NodeOff, Sec::NodeBlob, n)?,
            Part::EdgeRecords => self.check_blob(Sec::EdgeOff, Sec::EdgeBlob, m)?,
        }
        Ok(())
    }

    /// CSR offsets: `count + 1` of them, from 0, never decreasing, ending at the adjacency's
    /// length in `stride`-word entries.
    fn check_offsets(&self, off: Sec, adj: Sec, stride: usize) -> Result<()> {
        let count = self.n as usize;
        let o = self.words(off);
        let a = self.words(adj);
        if o.len() != count + 1
            || o[0] != 0
            || o.windows(2).any(|w| w[0] > w[1])
            || o[count] as usize * stride != a.len()
        {
            return Err(Db::malformed(format!(
                "the {} section is inconsistent",
                off.name()
            )));
        }
        Ok(())
    }

    /// Record or string offsets: `count + 1` of them, from 0, never decreasing, ending at the
    /// length of the bytes they index.
    fn check_blob(&self, off: Sec, bytes: Sec, count: usize) -> Result<()> {
        let o = self.words(off);
        let len = self.sec(bytes).len();
        if o.len() != count + 1
            || o[0] != 0
            || o.windows(2).any(|w| w[0] > w[1])
            || o[count] as usize != len
        {
            return Err(Db::malformed(format!(
                "the {} section is inconsistent",
                off.name()
            )));
        }
        Ok(())
    }

    /// A string section: consistent offsets, UTF-8, and every string boundary on a character
    /// boundary.
    fn check_strings(&self, off: Sec, bytes: Sec, count: usize) -> Result<()> {
        self.check_blob(off, bytes, count)?;
        let Ok(s) = std::str::from_utf8(self.sec(bytes)) else {
            return Err(Db::malformed(format!(
                "the {} section is not UTF-8",
                bytes.name()
            )));
        };
        if self
            .words(off)
            .iter()
            .any(|o| !s.is_char_boundary(*o as usize))
        {
            return Err(Db::malformed(format!(
                "the {} section splits a character",
                off.name()
            )));
        }
        Ok(())
    }

    /// Decodes and checks every node record.
    fn check_node_records(&self) -> Result<()> {
        for i in 0..self.n as usize {
            self.node_record(i)?;
        }
        Ok(())
    }

    /// Decodes and checks every edge record.
    fn check_edge_records(&self) -> Result<()> {
        for i in 0..self.m as usize {
            self.edge_record(i)?;
        }
        Ok(())
    }

    /// Decodes node record `i` and checks it against the node columns and ids.
    fn node_record(&self, i: usize) -> Result<Node> {
        let node: Node = decode_exact(self.blob(Sec::NodeOff, Sec::NodeBlob, i), "node record")?;
        let nid = NodeId(i as u32);
        // the columns must be exactly what the encoder writes for this record, unused
        // interval words included, so that no forged word goes unnoticed
        let open = (OPEN_START, OPEN_END);
        let flags = node.begin().map_or(0, |_| HAS_BEGIN) | node.end().map_or(0, |_| HAS_END);
        let (b, e) = (node.begin().unwrap_or(open), node.end().unwrap_or(open));
        let want = [
            node.kind.code() as u32 | flags,
            b.0 as u32,
            b.1 as u32,
            e.0 as u32,
            e.1 as u32,
        ];
        if node.id != self.id(nid) || self.node_cols(nid) != want {
            return Err(Db::malformed(format!(
                "node record {i} does not match its columns"
            )));
        }
        let dates = node
            .founded
            .iter()
            .chain(&node.registered)
            .chain(&node.ended);
        if !dates
            .map(|c| &c.date)
            .chain(node.events.iter().map(|e| &e.date))
            .chain(node.results.iter().map(|r| &r.election))
            .all(sane_date)
        {
            return Err(Db::malformed(format!(
                "node record {i} holds an impossible date"
            )));
        }
        Ok(node)
    }

    /// Decodes edge record `i` and checks it against the edge columns and ids.
    fn edge_record(&self, i: usize) -> Result<Edge> {
        let e: Edge = decode_exact(self.blob(Sec::EdgeOff, Sec::EdgeBlob, i), "edge record")?;
        let c = self.edge_cols(EdgeId(i as u32));
        let term = e.term.iter().flat_map(|t| t.from.iter().chain(&t.until));
        if !e.date.iter().map(|c| &c.date).chain(term).all(sane_date) {
            return Err(Db::malformed(format!(
                "edge record {i} holds an impossible date"
            )));
        }
        let w = e.when().unwrap_or((OPEN_START, OPEN_END));
        let flags = e.when().map_or(0, |_| HAS_END);
        if [c[2], c[3], c[4]] != [e.kind.code() as u32 | flags, w.0 as u32, w.1 as u32]
            || e.from != self.id(NodeId(c[0]))
            || e.to != self.id(NodeId(c[1]))
        {
            return Err(Db::malformed(format!(
                "edge record {i} does not match its columns"
            )));
        }
        Ok(e)
    }

    fn blob(&self, off: Sec, bytes: Sec, i: usize) -> &[u8] {
        let o = self.words(off);
        &self.sec(bytes)[o[i] as usize..o[i + 1] as usize]
    }

    fn str_at(&self, off: Sec, bytes: Sec, i: usize) -> &str {
        std::str::from_utf8(self.blob(off, bytes, i)).expect("UTF-8 and boundaries checked at open")
    }

    fn key(&self, i: usize) -> &str {
        self.str_at(Sec::KeyOff, Sec::KeyBytes, i)
    }

    // ---- sizes and columns ----------------------------------------------------------------

    /// The number of nodes.
    pub fn node_count(&self) -> usize {
        self.n as usize
    }

    /// The number of edges.
    pub fn edge_count(&self) -> usize {
        self.m as usize
    }

    /// Every node id, in id order.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> + '_ {
        (0..self.n).map(NodeId)
    }

    /// Every edge id, in the stable edge order.
    pub fn edge_ids(&self) -> impl Iterator<Item = EdgeId> + '_ {
        (0..self.m).map(EdgeId)
    }

    /// The sources.
    ///
    /// # Panics
    /// As [`Db::node`] ([`Sec::Meta`]).
    pub fn sources(&self) -> &[Source] {
        self.decode_sources()
            .unwrap_or_else(|e| panic!("lineage: {e} (the META section is checked at preload)"))
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources().iter().find(|s| s.id == id)
    }

    /// A node's slug id.
    pub fn id(&self, n: NodeId) -> &str {
        self.str_at(Sec::IdOff, Sec::IdBytes, n.index())
    }

    /// A node's display name.
    pub fn name(&self, n: NodeId) -> &str {
        self.str_at(Sec::NameOff, Sec::NameBytes, n.index())
    }

    fn node_cols(&self, n: NodeId) -> &[u32] {
        &self.words(Sec::NodeCols)[n.index() * NODE_WORDS..(n.index() + 1) * NODE_WORDS]
    }

    pub(crate) fn edge_cols(&self, e: EdgeId) -> &[u32] {
        &self.words(Sec::EdgeCols)[e.index() * EDGE_WORDS..(e.index() + 1) * EDGE_WORDS]
    }

    /// A node's kind.
    pub fn kind(&self, n: NodeId) -> NodeKind {
        NodeKind::from_code((self.node_cols(n)[0] & 0xff) as u8).expect("checked at open")
    }

    /// The interval in which the node began (hull of its founding, else registration, claims).
    pub fn begin(&self, n: NodeId) -> Option<(Day, Day)> {
        let c = self.node_cols(n);
        (c[0] & HAS_BEGIN != 0).then(|| (c[1] as i32, c[2] as i32))
    }

    /// The interval in which the node ended, if it did.
    pub fn end(&self, n: NodeId) -> Option<(Day, Day)> {
        let c = self.node_cols(n);
        (c[0] & HAS_END != 0).then(|| (c[3] as i32, c[4] as i32))
    }

    /// An edge's kind.
    pub fn edge_kind(&self, e: EdgeId) -> EdgeKind {
        EdgeKind::from_code((self.edge_cols(e)[2] & 0xff) as u8).expect("checked at open")
    }

    /// An edge's endpoints.
    pub fn endpoints(&self, e: EdgeId) -> (NodeId, NodeId) {
        let c = self.edge_cols(e);
        (NodeId(c[0]), NodeId(c[1]))
    }

    /// The interval an edge happened in (hull of its date claims, else its term's start).
    pub fn edge_when(&self, e: EdgeId) -> Option<(Day, Day)> {
        let c = self.edge_cols(e);
        (c[2] & HAS_END != 0).then(|| (c[3] as i32, c[4] as i32))
    }

    /// A node's full record.
    ///
    /// # Panics
    /// Only for a Db checked on first use ([`Db::open_file_lazy`]) whose record turns out
    /// malformed; [`Db::preload`] with [`Sec::NodeBlob`] reports that as an error instead.
    pub fn node(&self, n: NodeId) -> Node {
        self.node_record(n.index())
            .unwrap_or_else(|e| panic!("lineage: {e} (records are checked at open or preload)"))
    }

    /// An edge's full record.
    ///
    /// # Panics
    /// As [`Db::node`] ([`Sec::EdgeBlob`]).
    pub fn edge(&self, e: EdgeId) -> Edge {
        self.edge_record(e.index())
            .unwrap_or_else(|e| panic!("lineage: {e} (records are checked at open or preload)"))
    }

    /// The node's years, as "1998–2006": [`Node::years`], worked out from the node columns
    /// without decoding the record.
    pub fn years(&self, n: NodeId) -> String {
        use crate::date::civil_from_days;
        let b = self.begin(n).map(|(lo, _)| lo).filter(|d| *d != OPEN_START);
        let e = self.end(n).map(|(_, hi)| hi).filter(|d| *d != OPEN_END);
        let (b, e) = (
            b.map(|d| civil_from_days(d).0),
            e.map(|d| civil_from_days(d).0),
        );
        match (b, e, self.kind(n)) {
            (None, None, _) => String::new(),
            (Some(b), None, NodeKind::Person) => format!("{b}"),
            (Some(b), None, _) => format!("{b}–"),
            (None, Some(e), _) => format!("?–{e}"),
            (Some(b), Some(e), _) if b == e => format!("{b}"),
            (Some(b), Some(e), _) => format!("{b}–{e}"),
        }
    }

    /// Every edge out of a node (all kinds).
    pub fn out_edges(&self, n: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        let o = self.words(Sec::OutOff);
        self.words(Sec::OutAdj)[o[n.index()] as usize..o[n.index() + 1] as usize]
            .iter()
            .map(|e| EdgeId(*e))
    }

    /// Every edge into a node (all kinds).
    pub fn in_edges(&self, n: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        let o = self.words(Sec::InOff);
        self.words(Sec::InAdj)[o[n.index()] as usize..o[n.index() + 1] as usize]
            .iter()
            .map(|e| EdgeId(*e))
    }

    /// The edge kind code ([`EdgeKind::from_code`]) of every slot of [`Db::lineage_csr`]'s
    /// adjacency, in the same order: one byte per lineage edge, read in step with the adjacency,
    /// so that a closure that weighs its hops (renamings weigh nothing) does not look each edge
    /// up in the 20-byte edge columns. Built from those columns on first use, once per
    /// direction (O(E)).
    pub(crate) fn slot_kinds(&self, up: bool) -> &[u8] {
        self.slot_kinds[usize::from(!up)].get_or_init(|| {
            let (_, adj) = self.lineage_csr(up);
            let cols = self.words(Sec::EdgeCols);
            adj.chunks_exact(2)
                .map(|pair| (cols[pair[1] as usize * EDGE_WORDS + 2] & 0xff) as u8)
                .collect()
        })
    }

    /// The lineage adjacency in one direction: (offsets, interleaved neighbour/edge pairs).
    pub(crate) fn lineage_csr(&self, up: bool) -> (&[u32], &[u32]) {
        if up {
            (self.words(Sec::UpOff), self.words(Sec::UpAdj))
        } else {
            (self.words(Sec::DownOff), self.words(Sec::DownAdj))
        }
    }

    // ---- names ---------------------------------------------------------------------------

    /// A node by exact slug id.
    pub fn by_id(&self, id: &str) -> Option<NodeId> {
        let (mut lo, mut hi) = (0u32, self.n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.id(NodeId(mid)).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(NodeId(mid)),
            }
        }
        None
    }

    /// The nodes whose id, name or alias folds to the same key as `name`.
    pub fn lookup(&self, name: &str) -> Vec<NodeId> {
        let key = normalize(name);
        let keys = self.words(Sec::KeyOff).len() - 1;
        let (mut lo, mut hi) = (0usize, keys);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.key(mid).cmp(key.as_str()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let po = self.words(Sec::PostOff);
                    return self.words(Sec::Posts)[po[mid] as usize..po[mid + 1] as usize]
                        .iter()
                        .map(|x| NodeId(*x))
                        .collect();
                }
            }
        }
        Vec::new()
    }

    /// Every (key, nodes) pair of the name index, in key order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, &[u32])> + '_ {
        let po = self.words(Sec::PostOff);
        let posts = self.words(Sec::Posts);
        (0..po.len() - 1).map(move |i| (self.key(i), &posts[po[i] as usize..po[i + 1] as usize]))
    }

    /// A candidate description of a node, for error messages.
    pub fn candidate(&self, n: NodeId) -> Candidate {
        Candidate {
            id: self.id(n).to_string(),
            name: self.name(n).to_string(),
            kind: self.kind(n),
            years: self.years(n),
        }
    }

    /// Resolves a name: an exact id, or else the one node whose name or alias matches.
    ///
    /// # Errors
    /// [`Error::Ambiguous`] listing every candidate when the name names several nodes;
    /// [`Error::UnknownName`] with suggestions ranked by similarity when it names none.
    pub fn resolve(&self, name: &str) -> Result<NodeId> {
        if let Some(n) = self.by_id(name) {
            return Ok(n);
        }
        let hits = self.lookup(name);
        match hits.len() {
            1 => Ok(hits[0]),
            0 => Err(Error::UnknownName {
                query: name.to_string(),
                suggestions: crate::query::search(self, name, 5)
                    .into_iter()
                    .map(|h| self.candidate(h.node))
                    .collect(),
            }),
            _ => Err(Error::Ambiguous {
                query: name.to_string(),
                candidates: hits.into_iter().map(|n| self.candidate(n)).collect(),
            }),
        }
    }

    /// Rebuilds an editable [`Graph`] with the same sources, nodes and edges.
    pub fn to_graph(&self) -> Graph {
        let mut g = Graph::new();
        for s in self.sources() {
            g.insert_source(s.clone());
        }
        for n in self.node_ids() {
            g.insert_node(self.node(n));
        }
        for e in self.edge_ids() {
            g.insert_edge(self.edge(e));
        }
        g
    }

    /// The snapshot bytes this Db reads.
    pub fn as_bytes(&self) -> &[u8] {
        self.store.bytes()
    }
}

/// Reads until `buf` is full or the end of the file; returns how many bytes were read.
fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
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
fn open_regular(path: &Path) -> Result<File> {
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
fn check_magic(f: &mut File, path: &Path) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut m = [0u8; 8];
    let got = read_full(f, &mut m).map_err(|e| Error::io(path, e))?;
    if m[..got] != snapshot::MAGIC[..got] {
        return Err(SnapshotError::Foreign.into());
    }
    f.seek(SeekFrom::Start(0)).map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// Whether a decoded date is one that [`crate::DateSpec::parse`] can produce: each bound open or
/// within years 0–10001 (the widest that "about 0001" and "about 9999" reach), and not reversed.
/// A forged snapshot with checksums to match could otherwise carry days near `i32::MIN` or
/// `i32::MAX`, which overflow date arithmetic and ask renderers for millions of year ticks.
///
/// The text must also parse back to the same date: a forgery whose date text disagrees with its
/// interval (or carries control characters) is refused, so every printed date says what the
/// queries use.
fn sane_date(d: &crate::DateSpec) -> bool {
    use crate::date::days_from_civil;
    let range = days_from_civil(0, 1, 1)..=days_from_civil(10_002, 1, 1);
    let (lo, hi) = (d.earliest(), d.latest());
    (lo == OPEN_START || range.contains(&lo))
        && (hi == OPEN_END || range.contains(&hi))
        && lo <= hi
        && crate::DateSpec::parse(d.as_str()).is_ok_and(|p| p == *d)
}

fn decode_exact<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    match bincode::serde::decode_from_slice::<T, _>(bytes, snapshot::bincode_cfg()) {
        Ok((v, used)) if used == bytes.len() => Ok(v),
        Ok((_, used)) => Err(Db::malformed(format!(
            "{what}: {} bytes left over after decoding",
            bytes.len() - used
        ))),
        Err(e) => Err(Db::malformed(format!("{what}: {e}"))),
    }
}
