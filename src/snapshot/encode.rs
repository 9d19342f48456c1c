//! Writing a snapshot: the canonical records (sources, nodes, edges) and the columns, adjacency
//! and name index derived from them.

use std::collections::BTreeMap;

use super::columns::{edge_row, node_row};
use super::format::{EdgeV2, MetaV2, NodeV2, SourceV2};
use super::{EDGE_WORDS, ENTRY_LEN, HEADER_LEN, MAGIC, NODE_WORDS, SnapshotError, VERSION};
use crate::model::{Edge, Node, Source};
use crate::names::index_key;

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

/// Encodes a validated graph's sources, nodes (in id order) and edges (in the graph's stable
/// edge order) as snapshot bytes ([`crate::Graph::to_snapshot`] passes them so).
///
/// Node ids are the positions in `nodes` and edge ids the positions in `edges`, so the same
/// graph always gives the same bytes.
///
/// # Errors
/// [`SnapshotError::Overflow`] when the graph exceeds the format's 32-bit offsets.
pub fn encode(
    sources: &[&Source],
    nodes: &[&Node],
    edges: &[&Edge],
) -> Result<Vec<u8>, SnapshotError> {
    encode_version(VERSION, sources, nodes, edges)
}

/// [`encode`] as format `version` ([`super::OLDEST_VERSION`] to [`VERSION`]) would: the same
/// records, with that version's name-index keys ([`crate::names::index_key`]). An open checks
/// an old file against it.
#[doc(hidden)]
pub fn encode_version(
    version: u32,
    sources: &[&Source],
    nodes: &[&Node],
    edges: &[&Edge],
) -> Result<Vec<u8>, SnapshotError> {
    debug_assert!(
        nodes.windows(2).all(|w| w[0].id < w[1].id),
        "nodes in id order"
    );
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

    let meta = MetaV2 {
        node_count: n as u32,
        edge_count: edges.len() as u32,
        sources: sources.iter().map(|s| SourceV2::of(s)).collect(),
    };
    let meta_bytes = enc(&meta);

    let mut node_cols = Vec::with_capacity(n * NODE_WORDS);
    for node in nodes {
        node_cols.extend(node_row(node.kind, node.begin(), node.end()));
    }
    let mut edge_cols = Vec::with_capacity(edges.len() * EDGE_WORDS);
    let mut up = Vec::new();
    let mut down = Vec::new();
    let mut out = Vec::new();
    let mut inn = Vec::new();
    for (ei, e) in edges.iter().enumerate() {
        let (a, b) = (index[e.from.as_str()], index[e.to.as_str()]);
        let ei = ei as u32;
        edge_cols.extend(edge_row(a, b, e.kind, e.when()));
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

    // a reader decodes no record over the limit, so none may be written
    let limit = crate::limits::MAX_RECORD_BYTES;
    let too_big = |what: String, len: usize| {
        SnapshotError::Overflow(format!(
            "{what} would be {len} bytes, more than the {} MiB a reader accepts",
            limit >> 20
        ))
    };
    if meta_bytes.len() > limit {
        return Err(too_big("the source list".into(), meta_bytes.len()));
    }
    let node_blobs: Vec<Vec<u8>> = nodes.iter().map(|x| enc(&NodeV2::of(x))).collect();
    if let Some((i, b)) = node_blobs.iter().enumerate().find(|(_, b)| b.len() > limit) {
        return Err(too_big(
            format!("the record of node {}", nodes[i].id),
            b.len(),
        ));
    }
    let (node_off, node_blob) = strings(node_blobs.iter().map(|v| v.as_slice()), "node records")?;
    let edge_blobs: Vec<Vec<u8>> = edges.iter().map(|x| enc(&EdgeV2::of(x))).collect();
    if let Some((i, b)) = edge_blobs.iter().enumerate().find(|(_, b)| b.len() > limit) {
        let e = edges[i];
        return Err(too_big(
            format!("the record of the {} edge {} -> {}", e.kind, e.from, e.to),
            b.len(),
        ));
    }
    let (edge_off, edge_blob) = strings(edge_blobs.iter().map(|v| v.as_slice()), "edge records")?;

    let mut keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        for name in std::iter::once(&node.id)
            .chain(std::iter::once(&node.name))
            .chain(node.aliases.iter())
        {
            let k = index_key(name, version);
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
    Ok(assemble(version, &sections))
}

/// Lays out header, table and sections.
pub(crate) fn assemble(version: u32, sections: &[Vec<u8>]) -> Vec<u8> {
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
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload[..table_len]).to_le_bytes());
    let hcrc = crc32fast::hash(&out[..28]);
    out.extend_from_slice(&hcrc.to_le_bytes());
    out.extend_from_slice(&payload);
    out
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
