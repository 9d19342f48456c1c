//! The binary snapshot format: writing and verifying.
//!
//! A snapshot is a 32-byte header, a section table and 8-byte-aligned sections. Fixed-width
//! columns and adjacency lists are little-endian `u32` arrays that queries read in place; node and
//! edge details are bincode records decoded one at a time. The byte-by-byte layout, invariants and
//! version log are in `docs/design.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::{OPEN_END, OPEN_START};
use crate::graph::Graph;
use crate::model::{Edge, Node, Source};
use crate::names::normalize;

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"\x89LNG\r\n\x1a\n";
/// The format version this build writes and reads.
pub const VERSION: u32 = 2;
/// The header's size in bytes.
pub const HEADER_LEN: usize = 32;
/// The size of one section-table entry.
pub const ENTRY_LEN: usize = 24;
/// The largest snapshot accepted by default (4 GiB).
pub const DEFAULT_MAX_BYTES: u64 = 4 << 30;
/// The largest bincode record (one node, one edge, the source list) a decoder will accept.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// The sections of a version-1 snapshot, in file order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u32)]
#[allow(missing_docs)]
pub enum Sec {
    Meta = 1,
    NodeCols,
    EdgeCols,
    UpOff,
    UpAdj,
    DownOff,
    DownAdj,
    OutOff,
    OutAdj,
    InOff,
    InAdj,
    NodeOff,
    NodeBlob,
    EdgeOff,
    EdgeBlob,
    KeyOff,
    KeyBytes,
    PostOff,
    Posts,
    IdOff,
    IdBytes,
    NameOff,
    NameBytes,
}

/// The number of sections in a version-1 snapshot.
pub const SECTIONS: usize = 23;

impl Sec {
    /// Every section, in file order.
    pub const ALL: [Sec; SECTIONS] = [
        Sec::Meta,
        Sec::NodeCols,
        Sec::EdgeCols,
        Sec::UpOff,
        Sec::UpAdj,
        Sec::DownOff,
        Sec::DownAdj,
        Sec::OutOff,
        Sec::OutAdj,
        Sec::InOff,
        Sec::InAdj,
        Sec::NodeOff,
        Sec::NodeBlob,
        Sec::EdgeOff,
        Sec::EdgeBlob,
        Sec::KeyOff,
        Sec::KeyBytes,
        Sec::PostOff,
        Sec::Posts,
        Sec::IdOff,
        Sec::IdBytes,
        Sec::NameOff,
        Sec::NameBytes,
    ];

    /// The section's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Sec::Meta => "meta",
            Sec::NodeCols => "node columns",
            Sec::EdgeCols => "edge columns",
            Sec::UpOff => "ancestor offsets",
            Sec::UpAdj => "ancestor adjacency",
            Sec::DownOff => "descendant offsets",
            Sec::DownAdj => "descendant adjacency",
            Sec::OutOff => "out-edge offsets",
            Sec::OutAdj => "out-edges",
            Sec::InOff => "in-edge offsets",
            Sec::InAdj => "in-edges",
            Sec::NodeOff => "node record offsets",
            Sec::NodeBlob => "node records",
            Sec::EdgeOff => "edge record offsets",
            Sec::EdgeBlob => "edge records",
            Sec::KeyOff => "name key offsets",
            Sec::KeyBytes => "name keys",
            Sec::PostOff => "name posting offsets",
            Sec::Posts => "name postings",
            Sec::IdOff => "id offsets",
            Sec::IdBytes => "ids",
            Sec::NameOff => "display name offsets",
            Sec::NameBytes => "display names",
        }
    }
}

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot magic.
    #[error("not a lineage snapshot (foreign file: the first bytes are not the snapshot magic)")]
    Foreign,
    /// The file is shorter than its header says.
    #[error("truncated snapshot: {got} bytes where the header promises {expected}")]
    Truncated {
        /// Bytes the header promises.
        expected: u64,
        /// Bytes present.
        got: u64,
    },
    /// Bytes follow the end the header declares.
    #[error("trailing garbage: {extra} bytes after the end of the snapshot")]
    Trailing {
        /// How many extra bytes.
        extra: u64,
    },
    /// The file was written by a newer format version.
    #[error(
        "snapshot format version {found} is newer than this build reads (version {supported}); upgrade lineage"
    )]
    NewerVersion {
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The file was written by an unknown older version.
    #[error(
        "snapshot format version {found} is not supported (this build reads version {supported}); re-compile it from its graph-data with `lineage compile`"
    )]
    UnsupportedVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// A checksum did not match: the bytes were damaged.
    #[error("corrupt snapshot: checksum mismatch in the {part}")]
    Checksum {
        /// Which part (header, section table, a section).
        part: String,
    },
    /// The file declares more bytes than the configured limit.
    #[error("snapshot declares {declared} bytes, more than the limit of {limit}")]
    TooLarge {
        /// Declared size.
        declared: u64,
        /// The limit.
        limit: u64,
    },
    /// The checksums match but the contents break an invariant (a forged or buggy file).
    #[error("malformed snapshot: {0}")]
    Malformed(String),
    /// The graph is too large for format version 1 (an offset exceeds 32 bits).
    #[error("graph too large for the snapshot format: {0}")]
    Overflow(String),
    /// This host is big-endian; version-1 snapshots are read in place as little-endian words.
    #[error("snapshots are little-endian and this host is not")]
    BigEndianHost,
}

/// The decoded META section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub node_count: u32,
    pub edge_count: u32,
    pub sources: Vec<Source>,
}

pub(crate) fn bincode_cfg() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_RECORD_BYTES>()
}

/// Words per node in the node-column section.
pub const NODE_WORDS: usize = 5;
/// Words per edge in the edge-column section.
pub const EDGE_WORDS: usize = 5;
/// Column flag: the node has a begin interval.
pub const HAS_BEGIN: u32 = 1 << 8;
/// Column flag: the node has an end interval / the edge is dated.
pub const HAS_END: u32 = 1 << 9;

fn words(v: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * 4);
    for w in v {
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

fn u32_of(n: usize, what: &str) -> Result<u32, SnapshotError> {
    u32::try_from(n).map_err(|_| SnapshotError::Overflow(format!("{what} is {n}")))
}

/// Builds offsets + concatenated bytes for a list of byte strings.
fn strings<'a>(
    items: impl Iterator<Item = &'a [u8]>,
    what: &str,
) -> Result<(Vec<u32>, Vec<u8>), SnapshotError> {
    let mut off = vec![0u32];
    let mut bytes = Vec::new();
    for s in items {
        bytes.extend_from_slice(s);
        off.push(u32_of(bytes.len(), what)?);
    }
    Ok((off, bytes))
}

/// CSR adjacency: for each node, its (neighbour, edge) pairs.
fn csr(
    n: usize,
    mut pairs: Vec<(u32, u32, u32)>,
    interleave: bool,
) -> Result<(Vec<u32>, Vec<u32>), SnapshotError> {
    pairs.sort_unstable();
    let mut off = vec![0u32; n + 1];
    for &(v, _, _) in &pairs {
        off[v as usize + 1] += 1;
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    let mut adj = Vec::with_capacity(pairs.len() * if interleave { 2 } else { 1 });
    for (_, nb, e) in pairs {
        if interleave {
            adj.push(nb);
        }
        adj.push(e);
    }
    u32_of(adj.len(), "adjacency length")?;
    Ok((off, adj))
}

/// Encodes a validated graph as snapshot bytes.
///
/// Node ids are assigned in id order and edge ids in the graph's stable edge order, so the same
/// graph always gives the same bytes.
///
/// # Errors
/// [`SnapshotError::Overflow`] when the graph exceeds the format's 32-bit offsets.
pub fn encode(g: &Graph) -> Result<Vec<u8>, SnapshotError> {
    let nodes: Vec<&Node> = g.nodes();
    let edges: Vec<&Edge> = g.edges().into_iter().map(|(_, e)| e).collect();
    let index: std::collections::HashMap<&str, u32> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i as u32))
        .collect();
    let n = nodes.len();
    u32_of(n, "node count")?;
    u32_of(edges.len(), "edge count")?;

    let cfg = bincode::config::standard();
    let enc = |v: &dyn erased::Enc| v.enc(cfg);

    let meta = Meta {
        node_count: n as u32,
        edge_count: edges.len() as u32,
        sources: g.sources().cloned().collect(),
    };
    let meta_bytes = enc(&meta);

    let mut node_cols = Vec::with_capacity(n * NODE_WORDS);
    for node in &nodes {
        let mut w0 = node.kind.code() as u32;
        let (b_lo, b_hi) = match node.begin() {
            Some(b) => {
                w0 |= HAS_BEGIN;
                b
            }
            None => (OPEN_START, OPEN_END),
        };
        let (e_lo, e_hi) = match node.end() {
            Some(e) => {
                w0 |= HAS_END;
                e
            }
            None => (OPEN_START, OPEN_END),
        };
        node_cols.extend([w0, b_lo as u32, b_hi as u32, e_lo as u32, e_hi as u32]);
    }
    let mut edge_cols = Vec::with_capacity(edges.len() * EDGE_WORDS);
    let mut up = Vec::new();
    let mut down = Vec::new();
    let mut out = Vec::new();
    let mut inn = Vec::new();
    for (ei, e) in edges.iter().enumerate() {
        let (a, b) = (index[e.from.as_str()], index[e.to.as_str()]);
        let ei = ei as u32;
        let mut w2 = e.kind.code() as u32;
        let (lo, hi) = match e.when() {
            Some(x) => {
                w2 |= HAS_END;
                x
            }
            None => (OPEN_START, OPEN_END),
        };
        edge_cols.extend([a, b, w2, lo as u32, hi as u32]);
        if e.kind.is_lineage() {
            up.push((b, a, ei));
            down.push((a, b, ei));
        }
        out.push((a, b, ei));
        inn.push((b, a, ei));
    }
    let (up_off, up_adj) = csr(n, up, true)?;
    let (down_off, down_adj) = csr(n, down, true)?;
    let (out_off, out_adj) = csr(n, out, false)?;
    let (in_off, in_adj) = csr(n, inn, false)?;

    let node_blobs: Vec<Vec<u8>> = nodes.iter().map(|x| enc(*x)).collect();
    let (node_off, node_blob) = strings(node_blobs.iter().map(|v| v.as_slice()), "node records")?;
    let edge_blobs: Vec<Vec<u8>> = edges.iter().map(|x| enc(*x)).collect();
    let (edge_off, edge_blob) = strings(edge_blobs.iter().map(|v| v.as_slice()), "edge records")?;

    let mut keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        for name in std::iter::once(&node.id)
            .chain(std::iter::once(&node.name))
            .chain(node.aliases.iter())
        {
            let k = normalize(name);
            if k.is_empty() {
                continue;
            }
            let post = keys.entry(k).or_default();
            if post.last() != Some(&(i as u32)) {
                post.push(i as u32);
            }
        }
    }
    let (key_off, key_bytes) = strings(keys.keys().map(|k| k.as_bytes()), "name keys")?;
    let mut post_off = vec![0u32];
    let mut posts = Vec::new();
    for p in keys.values() {
        posts.extend_from_slice(p);
        post_off.push(u32_of(posts.len(), "name postings")?);
    }
    let (id_off, id_bytes) = strings(nodes.iter().map(|x| x.id.as_bytes()), "ids")?;
    let (name_off, name_bytes) = strings(nodes.iter().map(|x| x.name.as_bytes()), "names")?;

    let sections: Vec<Vec<u8>> = vec![
        meta_bytes,
        words(&node_cols),
        words(&edge_cols),
        words(&up_off),
        words(&up_adj),
        words(&down_off),
        words(&down_adj),
        words(&out_off),
        words(&out_adj),
        words(&in_off),
        words(&in_adj),
        words(&node_off),
        node_blob,
        words(&edge_off),
        edge_blob,
        words(&key_off),
        key_bytes,
        words(&post_off),
        words(&posts),
        words(&id_off),
        id_bytes,
        words(&name_off),
        name_bytes,
    ];
    Ok(assemble(&sections))
}

/// Lays out header, table and sections.
pub(crate) fn assemble(sections: &[Vec<u8>]) -> Vec<u8> {
    let table_len = sections.len() * ENTRY_LEN;
    let mut payload = vec![0u8; table_len];
    let mut table = Vec::with_capacity(table_len);
    for (i, s) in sections.iter().enumerate() {
        while !payload.len().is_multiple_of(8) {
            payload.push(0);
        }
        let off = payload.len() as u64;
        payload.extend_from_slice(s);
        table.extend_from_slice(&(i as u32 + 1).to_le_bytes());
        table.extend_from_slice(&crc32fast::hash(s).to_le_bytes());
        table.extend_from_slice(&off.to_le_bytes());
        table.extend_from_slice(&(s.len() as u64).to_le_bytes());
    }
    while !payload.len().is_multiple_of(8) {
        payload.push(0);
    }
    payload[..table_len].copy_from_slice(&table);
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload[..table_len]).to_le_bytes());
    let hcrc = crc32fast::hash(&out[..28]);
    out.extend_from_slice(&hcrc.to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// The byte range of each section within the whole file, after the header and table checks.
pub type Layout = [(usize, usize); SECTIONS];

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(a)
}

/// Verifies the header, the section table and every section's checksum, and returns where each
/// section is. Nothing is decoded before this succeeds.
///
/// # Errors
/// The [`SnapshotError`] that says what is wrong: foreign, truncated, trailing bytes, newer
/// version, checksum mismatch (and where), or a table that breaks the layout rules.
pub fn verify(bytes: &[u8], max_bytes: u64) -> Result<Layout, SnapshotError> {
    let layout = verify_head(bytes, bytes.len() as u64, max_bytes)?;
    let mut prev_end = HEADER_LEN + SECTIONS * ENTRY_LEN;
    for (i, sec) in Sec::ALL.iter().enumerate() {
        let (start, end) = layout[i];
        if crc32fast::hash(&bytes[start..end]) != section_crc(bytes, i) {
            return Err(SnapshotError::Checksum {
                part: format!("{} section", sec.name()),
            });
        }
        if bytes[prev_end..start].iter().any(|b| *b != 0) {
            return Err(SnapshotError::Malformed(format!(
                "non-zero padding before the {} section",
                sec.name()
            )));
        }
        prev_end = end;
    }
    if bytes[prev_end..].iter().any(|b| *b != 0) {
        return Err(SnapshotError::Malformed(
            "non-zero padding after the last section".into(),
        ));
    }
    Ok(layout)
}

/// The CRC-32 that the section table records for section `i` (`head` holds the table).
pub fn section_crc(head: &[u8], i: usize) -> u32 {
    le32(head, HEADER_LEN + i * ENTRY_LEN + 4)
}

/// Verifies the header and the section table, and where each section lies, without reading any
/// section: `head` is the start of the snapshot (at least [`HEADER_LEN`] + `SECTIONS` ×
/// [`ENTRY_LEN`] bytes, or all of it when it is shorter) and `len` its whole length. Each
/// section's checksum and padding are left to the caller ([`verify`], or a lazy reader before
/// the section's first use).
///
/// # Errors
/// As [`verify`], except checksum mismatches and padding inside sections.
pub fn verify_head(head: &[u8], len: u64, max_bytes: u64) -> Result<Layout, SnapshotError> {
    read_head(head, len, max_bytes, true)
}

/// The layout of snapshot bytes whose checksums were verified when they were made: the header
/// and table are checked as by [`verify_head`] (magic, version, counts, every section in place
/// and in bounds), except their checksums and the sections'. For the snapshot compiled into the
/// binary, which `build.rs` verifies with [`verify`] before embedding it; computing a checksum
/// at run time costs the CPU feature detection of a fresh process (tens of microseconds).
///
/// # Errors
/// As [`verify_head`], except checksum mismatches.
pub fn layout_of_verified(bytes: &[u8]) -> Result<Layout, SnapshotError> {
    read_head(bytes, bytes.len() as u64, u64::MAX, false)
}

fn read_head(
    head: &[u8],
    len: u64,
    max_bytes: u64,
    checksums: bool,
) -> Result<Layout, SnapshotError> {
    let m = head.len().min(8);
    if head[..m] != MAGIC[..m] {
        return Err(SnapshotError::Foreign);
    }
    if len < HEADER_LEN as u64 || head.len() < HEADER_LEN {
        return Err(SnapshotError::Truncated {
            expected: HEADER_LEN as u64,
            got: len,
        });
    }
    if checksums && crc32fast::hash(&head[..28]) != le32(head, 28) {
        return Err(SnapshotError::Checksum {
            part: "header".into(),
        });
    }
    let version = le32(head, 8);
    if version > VERSION {
        return Err(SnapshotError::NewerVersion {
            found: version,
            supported: VERSION,
        });
    }
    if version < VERSION {
        return Err(SnapshotError::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let count = le32(head, 12) as usize;
    let payload_len = le64(head, 16);
    let declared = payload_len.saturating_add(HEADER_LEN as u64);
    if declared > max_bytes {
        return Err(SnapshotError::TooLarge {
            declared,
            limit: max_bytes,
        });
    }
    if len < declared {
        return Err(SnapshotError::Truncated {
            expected: declared,
            got: len,
        });
    }
    if len > declared {
        return Err(SnapshotError::Trailing {
            extra: len - declared,
        });
    }
    if count != SECTIONS {
        return Err(SnapshotError::Malformed(format!(
            "{count} sections, version 1 has {SECTIONS}"
        )));
    }
    let table_len = count * ENTRY_LEN;
    if payload_len < table_len as u64 || head.len() < HEADER_LEN + table_len {
        return Err(SnapshotError::Malformed(
            "section table runs past the end".into(),
        ));
    }
    let payload = &head[HEADER_LEN..];
    if checksums && crc32fast::hash(&payload[..table_len]) != le32(head, 24) {
        return Err(SnapshotError::Checksum {
            part: "section table".into(),
        });
    }
    let mut layout = [(0usize, 0usize); SECTIONS];
    let mut prev_end = table_len as u64;
    for (i, sec) in Sec::ALL.iter().enumerate() {
        let e = &payload[i * ENTRY_LEN..(i + 1) * ENTRY_LEN];
        let (id, off, slen) = (le32(e, 0), le64(e, 8), le64(e, 16));
        if id != *sec as u32 {
            return Err(SnapshotError::Malformed(format!(
                "section {} has id {id}, expected {}",
                i, *sec as u32
            )));
        }
        let end = off
            .checked_add(slen)
            .ok_or_else(|| SnapshotError::Malformed("section length overflows".into()))?;
        if off % 8 != 0 || off < prev_end || end > payload_len {
            return Err(SnapshotError::Malformed(format!(
                "the {} section is out of place",
                sec.name()
            )));
        }
        prev_end = end;
        layout[i] = (HEADER_LEN + off as usize, HEADER_LEN + end as usize);
    }
    Ok(layout)
}

/// A tiny helper so that `encode` can bincode-encode values of different types through one
/// closure.
mod erased {
    pub trait Enc {
        fn enc(&self, cfg: bincode::config::Configuration) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Enc for T {
        fn enc(&self, cfg: bincode::config::Configuration) -> Vec<u8> {
            bincode::serde::encode_to_vec(self, cfg)
                .expect("bincode encoding of plain data cannot fail")
        }
    }
}
