//! The frozen, query-ready graph: a verified snapshot read in place.
//!
//! [`Db`] is what every query runs on. It is opened from snapshot bytes (the embedded graph, a
//! file, or a [`Graph`] frozen in memory). Adjacency and columns are `u32` arrays used where they
//! lie; node and edge details are decoded from bincode only when asked for.
//!
//! - this file: the [`Db`] facade and the ways to open one;
//! - `storage`: where the bytes live (static, owned, or a file read a part at a time);
//! - `parts`: which sections are checked together, and when (at open, or on first use);
//! - `records`: node and edge records, decoded and checked against the columns;
//! - `columns`: typed views of the fixed-width node and edge rows;
//! - `csr`: the adjacency lists;
//! - `index`: ids, names and fuzzy search.

use std::io::Read;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

mod canonical;
mod columns;
mod csr;
mod index;
mod parts;
mod records;
mod storage;

use crate::snapshot::{MetaV2, SourceV2};
pub use index::{SearchHit, search};
use parts::Parts;
pub use parts::Preload;
use records::decode_exact;
use storage::{EMBEDDED, LazyFile, Storage, check_magic, open_regular, read_full};

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::{Edge, Source};
use crate::snapshot::{
    self, EDGE_WORDS, ENTRY_LEN, HEADER_LEN, Layout, NODE_WORDS, SECTIONS, Sec, SnapshotError,
};

/// A node of a [`Db`]: its position in id order. Valid only for the `Db` it came from.
///
/// # Panics
/// A `NodeId` is a plain index and does not carry its `Db`. Passing one to another `Db` is a
/// logic error: when its index is out of that Db's range, every accessor panics with "NodeId(i)
/// is not a node of this Db (n nodes): it came from another Db"; when it is in range, it
/// names that Db's node at the same index. Resolve names in the `Db` you query
/// ([`Db::resolve`], [`Db::by_id`]) to move between two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

/// An edge of a [`Db`]: its position in the stable edge order. Valid only for the `Db` it came
/// from; as for [`NodeId`], another Db's edge id panics when out of range.
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
    /// The snapshot's format version (which decides the name-index key rule).
    version: u32,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("nodes", &self.n)
            .field("edges", &self.m)
            .finish()
    }
}

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
    /// Its checksums are verified by the test that checks it against `graph-data/` (a damaged
    /// binary is not a damaged database file), so they are not computed again here: the header and section
    /// table are checked for layout, and the other invariants of each part of the snapshot are
    /// checked on first use, and each node or edge record when it is decoded, as for
    /// [`Db::open_file_lazy`], so that a command that reads a few records does not decode them
    /// all. (The tests open it with every check.)
    ///
    /// # Errors
    /// [`Error::Snapshot`] when its header or table is refused (never, for the committed file).
    pub fn embedded() -> Result<Db> {
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
        let bytes = encode_graph(g)?;
        Db::open_checked(
            Storage::owned(&bytes),
            OpenOptions::default(),
            Trust::OwnEncoding,
        )
    }

    /// Freezes a graph without validating it first: for tests and the fuzz crate, to query what
    /// a snapshot made elsewhere may hold. The snapshot's own structural checks still apply.
    ///
    /// # Errors
    /// As [`Db::from_graph`], less the validation.
    #[doc(hidden)]
    pub fn from_graph_unvalidated(g: &Graph) -> Result<Db> {
        let bytes = encode_graph(g)?;
        Db::open_checked(
            Storage::owned(&bytes),
            OpenOptions::default(),
            Trust::OwnEncoding,
        )
    }

    fn open_storage(store: Storage, opts: OpenOptions) -> Result<Db> {
        Db::open_checked(store, opts, Trust::Nothing)
    }

    fn open_checked(store: Storage, opts: OpenOptions, trust: Trust) -> Result<Db> {
        if cfg!(target_endian = "big") {
            return Err(SnapshotError::BigEndianHost.into());
        }
        let layout = snapshot::verify(store.bytes(), opts.max_bytes)?;
        let mut db = Db::with_meta(store, layout, false)?;
        db.check_structure()?;
        match trust {
            Trust::Nothing => db.check_canonical(true)?,
            // encoded here from a graph: canonical by construction
            Trust::OwnEncoding => {}
        }
        Ok(db)
    }

    /// A Db over checksummed storage: decodes the META section (with `lazy`, only the counts at
    /// its start, leaving the sources and every part to be checked on first use) and checks the
    /// counts against the columns' lengths.
    fn with_meta(store: Storage, layout: Layout, lazy: bool) -> Result<Db> {
        let head = match &store {
            Storage::Lazy(l) => &l.head[..],
            _ => store.bytes(),
        };
        // read_head has checked the version against the supported range
        let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
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
            let meta: MetaV2 = decode_exact(bytes, "meta")?;
            let sources = meta.sources.into_iter().map(SourceV2::into_model);
            (
                meta.node_count,
                meta.edge_count,
                OnceLock::from(sources.collect::<Vec<_>>()),
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
            version,
        })
    }

    /// The sources, decoding the META section whole on first use.
    fn decode_sources(&self) -> Result<&[Source]> {
        if let Some(s) = self.sources.get() {
            return Ok(s);
        }
        let meta: MetaV2 = decode_exact(self.sec(Sec::Meta), "meta")?;
        if (meta.node_count, meta.edge_count) != (self.n, self.m) {
            return Err(Db::malformed("meta: the counts changed".into()));
        }
        let _ = self
            .sources
            .set(meta.sources.into_iter().map(SourceV2::into_model).collect());
        Ok(self.sources.get().expect("just set"))
    }

    /// Whether this Db reads its snapshot file a part at a time ([`Db::open_file_lazy`]).
    pub fn is_lazy(&self) -> bool {
        matches!(self.store, Storage::Lazy(_))
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

/// How much of a snapshot was made by this build, and so need not be checked against its records.
#[derive(Clone, Copy)]
enum Trust {
    /// Bytes from elsewhere: check everything, the agreement of every part with the records
    /// and the records' validity included.
    Nothing,
    /// Bytes this process just encoded from a graph.
    OwnEncoding,
}

/// A graph's snapshot bytes: its sources, its nodes in id order and its edges in stable order.
pub(crate) fn encode_graph(g: &Graph) -> Result<Vec<u8>, SnapshotError> {
    let sources: Vec<&Source> = g.sources().collect();
    let edges: Vec<&Edge> = g.edges().into_iter().map(|(_, e)| e).collect();
    snapshot::encode(&sources, &g.nodes(), &edges)
}
