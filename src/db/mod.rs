//! The frozen, query-ready graph: a verified snapshot read in place.
//!
//! [`Db`] is what every query runs on. It is opened from snapshot bytes (the embedded graph, a
//! file, or a [`Graph`] frozen in memory). Adjacency and columns are `u32` arrays used where they
//! lie; node and edge details are decoded from bincode only when asked for.
//!
//! - this file: the [`Db`] facade and the ways to open one;
//! - `files`: opening a snapshot file, whole or lazily;
//! - `storage`: where the bytes live (static, owned, or a file read a part at a time);
//! - `parts`: which sections are checked together, and their checks;
//! - `preload`: what a lazily opened file has checked, and the contract of its accessors;
//! - `records`: node and edge records, decoded and checked against the columns;
//! - `columns`: typed views of the fixed-width node and edge rows;
//! - `csr`: the adjacency lists;
//! - `index`: ids, names and fuzzy search.

use std::sync::OnceLock;

mod canonical;
mod columns;
mod csr;
mod files;
mod index;
mod parts;
mod preload;
mod records;
mod storage;

use crate::snapshot::{MetaV2, SourceV2};
pub use index::{SearchHit, search};
use parts::Parts;
pub use preload::Preload;
use records::decode_exact;
use storage::{EMBEDDED, Storage};

use crate::error::{Error, Result};
use crate::graph::Graph;
use crate::model::{Edge, Source};
use crate::snapshot::{self, EDGE_WORDS, Layout, NODE_WORDS, Sec, SnapshotError};

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
    /// Set for a file opened lazily: its parts are read only after [`Db::preload`] checked them
    /// (see [`Db::open_file_lazy`]); `Db::embedded` checks its parts on first use instead.
    preload_only: bool,
    /// For a Db whose parts are checked after the open: the outcome of checking the node and
    /// the edge records, and of the whole-file agreement ([`Preload::Everything`]).
    later: Option<Box<preload::Later>>,
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
        Db::with_meta(store, layout, true, false)
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
        let mut db = Db::with_meta(store, layout, false, true)?;
        db.check_structure()?;
        match trust {
            Trust::Nothing => db.check_canonical(true)?,
            // encoded here from a graph: canonical by construction
            Trust::OwnEncoding => {}
        }
        Ok(db)
    }

    /// A Db over checksummed storage: decodes the META section (without `whole_meta`, only the
    /// counts at its start, leaving the sources for first use) and checks the counts against the
    /// columns' lengths; with `lazy`, every other part is checked later.
    fn with_meta(store: Storage, layout: Layout, lazy: bool, whole_meta: bool) -> Result<Db> {
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
        let (n, m, sources) = if !whole_meta {
            let counts =
                bincode::serde::decode_from_slice::<(u32, u32), _>(bytes, snapshot::bincode_cfg());
            let ((n, m), _) = counts
                .map_err(|e| Db::malformed(format!("meta: {}", records::decode_words(&e))))?;
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
            preload_only: false,
            later: lazy.then(Box::default),
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
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::NodeRecords`] and [`Preload::EdgeRecords`]
    /// were preloaded ([`Db::open_file_lazy`]).
    #[track_caller]
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
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::Everything`] was preloaded
    /// ([`Db::open_file_lazy`]): the bytes are then put together from the parts read, with no
    /// further read of the file.
    #[track_caller]
    pub fn as_bytes(&self) -> &[u8] {
        if self.preload_only {
            self.gate_whole();
        }
        self.bytes_unchecked()
    }

    /// The snapshot bytes; for a lazily read file, every section must have been read.
    pub(super) fn bytes_unchecked(&self) -> &[u8] {
        match &self.store {
            Storage::Lazy(l) => l.whole(&self.layout),
            s => s.bytes(),
        }
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
