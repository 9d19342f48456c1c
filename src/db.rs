//! The frozen, query-ready graph: a verified snapshot read in place.
//!
//! [`Db`] is what every query runs on. It is opened from snapshot bytes (the embedded graph, a
//! file, or a [`Graph`] frozen in memory). Adjacency and columns are `u32` arrays used where they
//! lie; node and edge details are decoded from bincode only when asked for.

use std::path::Path;

use crate::date::Day;
use crate::error::{Candidate, Error, Result};
use crate::graph::Graph;
use crate::model::{Edge, EdgeKind, Node, NodeKind, Source};
use crate::names::normalize;
use crate::snapshot::{
    self, EDGE_WORDS, HAS_BEGIN, HAS_END, Layout, Meta, NODE_WORDS, Sec, SnapshotError,
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
}

impl Storage {
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Static(b) => b,
            Storage::Owned(w, len) => &bytemuck::cast_slice(w)[..*len],
        }
    }

    fn owned(bytes: &[u8]) -> Storage {
        let mut w = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut w)[..bytes.len()].copy_from_slice(bytes);
        Storage::Owned(w, bytes.len())
    }
}

/// A read-only lineage database.
pub struct Db {
    store: Storage,
    layout: Layout,
    n: u32,
    m: u32,
    sources: Vec<Source>,
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
    /// # Errors
    /// [`Error::Invalid`] when `graph-data/` did not validate at build time (the build still
    /// succeeds so that `lineage validate` can show the problems).
    pub fn embedded() -> Result<Db> {
        if !EMBEDDED_PROBLEMS.is_empty() {
            return Err(Error::BadQuery(format!(
                "the embedded graph-data did not validate when this binary was built:\n{EMBEDDED_PROBLEMS}"
            )));
        }
        Db::open_static(&EMBEDDED.0)
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
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() > opts.max_bytes {
            return Err(SnapshotError::TooLarge {
                declared: meta.len(),
                limit: opts.max_bytes,
            }
            .into());
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Db::open_bytes(&bytes)
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

    fn open_storage(store: Storage, opts: OpenOptions) -> Result<Db> {
        if cfg!(target_endian = "big") {
            return Err(SnapshotError::BigEndianHost.into());
        }
        let layout = snapshot::verify(store.bytes(), opts.max_bytes)?;
        let b = store.bytes();
        let (s, e) = layout[0];
        let meta: Meta = decode_exact(&b[s..e], "meta")?;
        let mut db = Db {
            store,
            layout,
            n: meta.node_count,
            m: meta.edge_count,
            sources: meta.sources,
        };
        db.check_structure()?;
        Ok(db)
    }

    fn sec(&self, s: Sec) -> &[u8] {
        let (a, b) = self.layout[s as usize - 1];
        &self.store.bytes()[a..b]
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
    fn check_structure(&mut self) -> Result<()> {
        let (n, m) = (self.n as usize, self.m as usize);
        for s in Sec::ALL.iter().skip(1) {
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
        if self.words(Sec::NodeCols).len() != n * NODE_WORDS {
            return Err(Db::malformed(
                "node columns do not match the node count".into(),
            ));
        }
        if self.words(Sec::EdgeCols).len() != m * EDGE_WORDS {
            return Err(Db::malformed(
                "edge columns do not match the edge count".into(),
            ));
        }
        for c in self.words(Sec::NodeCols).chunks(NODE_WORDS) {
            if NodeKind::from_code((c[0] & 0xff) as u8).is_none() || c[0] >> 10 != 0 {
                return Err(Db::malformed(format!("bad node kind word {:#x}", c[0])));
            }
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
        let offsets =
            |off: Sec, adj: Sec, count: usize, stride: usize, limit: usize| -> Result<()> {
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
                if limit > 0 && a.iter().any(|x| *x as usize >= limit.max(n).max(m)) {
                    return Err(Db::malformed(format!(
                        "the {} section points outside the graph",
                        adj.name()
                    )));
                }
                Ok(())
            };
        offsets(Sec::UpOff, Sec::UpAdj, n, 2, 1)?;
        offsets(Sec::DownOff, Sec::DownAdj, n, 2, 1)?;
        offsets(Sec::OutOff, Sec::OutAdj, n, 1, 1)?;
        offsets(Sec::InOff, Sec::InAdj, n, 1, 1)?;
        for (adj, stride) in [(Sec::UpAdj, 2), (Sec::DownAdj, 2)] {
            for p in self.words(adj).chunks(stride) {
                if p[0] as usize >= n || p[1] as usize >= m {
                    return Err(Db::malformed(format!(
                        "the {} section points outside the graph",
                        adj.name()
                    )));
                }
            }
        }
        for adj in [Sec::OutAdj, Sec::InAdj] {
            if self.words(adj).iter().any(|e| *e as usize >= m) {
                return Err(Db::malformed(format!(
                    "the {} section points outside the graph",
                    adj.name()
                )));
            }
        }
        let blob = |off: Sec, bytes: Sec, count: usize| -> Result<()> {
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
        };
        blob(Sec::NodeOff, Sec::NodeBlob, n)?;
        blob(Sec::EdgeOff, Sec::EdgeBlob, m)?;
        blob(Sec::IdOff, Sec::IdBytes, n)?;
        blob(Sec::NameOff, Sec::NameBytes, n)?;
        let keys = self.words(Sec::KeyOff).len().saturating_sub(1);
        blob(Sec::KeyOff, Sec::KeyBytes, keys)?;
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
        for s in [Sec::KeyBytes, Sec::IdBytes, Sec::NameBytes] {
            if std::str::from_utf8(self.sec(s)).is_err() {
                return Err(Db::malformed(format!(
                    "the {} section is not UTF-8",
                    s.name()
                )));
            }
        }
        // every string boundary must fall on a char boundary
        for (off, bytes) in [
            (Sec::KeyOff, Sec::KeyBytes),
            (Sec::IdOff, Sec::IdBytes),
            (Sec::NameOff, Sec::NameBytes),
        ] {
            let s = std::str::from_utf8(self.sec(bytes)).expect("checked above");
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
        }
        let ks: Vec<&str> = (0..keys).map(|i| self.key(i)).collect();
        if ks.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Db::malformed("name keys are not sorted".into()));
        }
        for i in 0..n {
            let node: Node =
                decode_exact(self.blob(Sec::NodeOff, Sec::NodeBlob, i), "node record")?;
            if node.id != self.id(NodeId(i as u32)) || node.kind != self.kind(NodeId(i as u32)) {
                return Err(Db::malformed(format!(
                    "node record {i} does not match its columns"
                )));
            }
        }
        for i in 0..m {
            let e: Edge = decode_exact(self.blob(Sec::EdgeOff, Sec::EdgeBlob, i), "edge record")?;
            let c = self.edge_cols(EdgeId(i as u32));
            if e.kind.code() as u32 != c[2] & 0xff
                || e.from != self.id(NodeId(c[0]))
                || e.to != self.id(NodeId(c[1]))
            {
                return Err(Db::malformed(format!(
                    "edge record {i} does not match its columns"
                )));
            }
        }
        Ok(())
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
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
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
    pub fn node(&self, n: NodeId) -> Node {
        decode_exact(
            self.blob(Sec::NodeOff, Sec::NodeBlob, n.index()),
            "node record",
        )
        .expect("every record decoded at open")
    }

    /// An edge's full record.
    pub fn edge(&self, e: EdgeId) -> Edge {
        decode_exact(
            self.blob(Sec::EdgeOff, Sec::EdgeBlob, e.index()),
            "edge record",
        )
        .expect("every record decoded at open")
    }

    /// The node's years, as "1998–2006".
    pub fn years(&self, n: NodeId) -> String {
        self.node(n).years()
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
        for s in &self.sources {
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
