//! The structural invariants of a snapshot's sections, as pure functions over section slices.
//!
//! A [`crate::Db`] runs these on each part of a snapshot before any query reads it (at open, or
//! on first use for a lazily opened file), so that no query can index out of bounds or read a
//! string that is not UTF-8. `docs/design.md` lists every invariant and where it is checked.

use super::{EDGE_WORDS, NODE_WORDS, Sec, SnapshotError};
use crate::model::{EdgeKind, NodeKind};

fn malformed(msg: String) -> SnapshotError {
    SnapshotError::Malformed(msg)
}

type R = Result<(), SnapshotError>;

/// A word section: whole `u32` words, aligned for in-place reading.
pub(crate) fn whole_words(s: Sec, raw: &[u8]) -> R {
    if !raw.len().is_multiple_of(4) {
        return Err(malformed(format!(
            "the {} section is not whole words",
            s.name()
        )));
    }
    if bytemuck::try_cast_slice::<u8, u32>(raw).is_err() {
        return Err(malformed(format!("the {} section is misaligned", s.name())));
    }
    Ok(())
}

/// Node columns: `n` rows, each with a known kind and no stray flag bits.
pub(crate) fn node_cols(cols: &[u32], n: usize) -> R {
    if cols.len() != n * NODE_WORDS {
        return Err(malformed("node columns do not match the node count".into()));
    }
    for c in cols.chunks(NODE_WORDS) {
        if NodeKind::from_code((c[0] & 0xff) as u8).is_none() || c[0] >> 10 != 0 {
            return Err(malformed(format!("bad node kind word {:#x}", c[0])));
        }
    }
    Ok(())
}

/// Edge columns: `m` rows, each naming two existing nodes and a known kind.
pub(crate) fn edge_cols(cols: &[u32], n: usize, m: usize) -> R {
    if cols.len() != m * EDGE_WORDS {
        return Err(malformed("edge columns do not match the edge count".into()));
    }
    for c in cols.chunks(EDGE_WORDS) {
        if c[0] as usize >= n
            || c[1] as usize >= n
            || EdgeKind::from_code((c[2] & 0xff) as u8).is_none()
        {
            return Err(malformed(
                "an edge column names a node or kind that does not exist".into(),
            ));
        }
    }
    Ok(())
}

/// Offsets into a list of `count` entries: `count + 1` of them, from 0, never decreasing,
/// ending at `len`.
fn offsets(s: Sec, o: &[u32], count: usize, len: usize) -> R {
    if o.len() != count + 1
        || o[0] != 0
        || o.windows(2).any(|w| w[0] > w[1])
        || o[count] as usize != len
    {
        return Err(malformed(format!(
            "the {} section is inconsistent",
            s.name()
        )));
    }
    Ok(())
}

/// CSR adjacency over `n` nodes: consistent offsets, and every entry (a neighbour and edge pair
/// when `pairs`, else an edge) inside the graph.
pub(crate) fn adjacency(
    off_sec: Sec,
    adj_sec: Sec,
    off: &[u32],
    adj: &[u32],
    n: usize,
    m: usize,
    pairs: bool,
) -> R {
    let stride = if pairs { 2 } else { 1 };
    if !adj.len().is_multiple_of(stride) {
        return Err(malformed(format!(
            "the {} section is inconsistent",
            off_sec.name()
        )));
    }
    offsets(off_sec, off, n, adj.len() / stride)?;
    let outside = if pairs {
        adj.chunks(2)
            .any(|p| p[0] as usize >= n || p[1] as usize >= m)
    } else {
        adj.iter().any(|e| *e as usize >= m)
    };
    if outside {
        return Err(malformed(format!(
            "the {} section points outside the graph",
            adj_sec.name()
        )));
    }
    Ok(())
}

/// Record offsets: `count` records that together fill the bytes.
pub(crate) fn blobs(off_sec: Sec, off: &[u32], bytes: &[u8], count: usize) -> R {
    offsets(off_sec, off, count, bytes.len())
}

/// A string section: consistent offsets, UTF-8, and every string boundary on a character
/// boundary.
pub(crate) fn strings(off_sec: Sec, bytes_sec: Sec, off: &[u32], bytes: &[u8], count: usize) -> R {
    blobs(off_sec, off, bytes, count)?;
    let Ok(s) = std::str::from_utf8(bytes) else {
        return Err(malformed(format!(
            "the {} section is not UTF-8",
            bytes_sec.name()
        )));
    };
    if off.iter().any(|o| !s.is_char_boundary(*o as usize)) {
        return Err(malformed(format!(
            "the {} section splits a character",
            off_sec.name()
        )));
    }
    Ok(())
}

/// The ids: strings as above, in strictly ascending order (the order `Db::by_id` binary-searches).
pub(crate) fn ids(off: &[u32], bytes: &[u8], count: usize) -> R {
    strings(Sec::IdOff, Sec::IdBytes, off, bytes, count)?;
    let id = |i: usize| &bytes[off[i] as usize..off[i + 1] as usize];
    if let Some(i) = (1..count).find(|&i| id(i - 1) >= id(i)) {
        let text = |i| String::from_utf8_lossy(id(i)).into_owned();
        return Err(malformed(format!(
            "node ids are not in strictly ascending order ({:?} before {:?})",
            text(i - 1),
            text(i)
        )));
    }
    Ok(())
}

/// The name index: sorted, distinct UTF-8 keys, each with its postings: node ids inside the
/// graph.
pub(crate) fn keys(
    key_off: &[u32],
    key_bytes: &[u8],
    post_off: &[u32],
    posts: &[u32],
    n: usize,
) -> R {
    let count = key_off.len().saturating_sub(1);
    strings(Sec::KeyOff, Sec::KeyBytes, key_off, key_bytes, count)?;
    if post_off.len() != count + 1
        || post_off[0] != 0
        || post_off.windows(2).any(|w| w[0] > w[1])
        || post_off[count] as usize != posts.len()
    {
        return Err(malformed("the name postings are inconsistent".into()));
    }
    if posts.iter().any(|x| *x as usize >= n) {
        return Err(malformed("a name posting points outside the graph".into()));
    }
    // UTF-8 sorts as its bytes do
    let key = |i: usize| &key_bytes[key_off[i] as usize..key_off[i + 1] as usize];
    if (1..count).any(|i| key(i - 1) >= key(i)) {
        return Err(malformed("name keys are not sorted".into()));
    }
    Ok(())
}
