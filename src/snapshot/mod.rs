//! The binary snapshot format: its layout, writing and verifying.
//!
//! A snapshot is a 32-byte header, a section table and 8-byte-aligned sections. Fixed-width
//! columns and adjacency lists are little-endian `u32` arrays that queries read in place; node and
//! edge details are bincode records decoded one at a time. The byte-by-byte layout, invariants and
//! version log are in `docs/design.md`.

mod encode;
mod format;

pub(crate) mod checks;
pub(crate) mod columns;
pub use encode::{encode, encode_version};
pub(crate) use format::{BadRecord, EdgeV2, MetaV2, NodeV2, SourceV2};

/// The first eight bytes of every snapshot.
pub const MAGIC: [u8; 8] = *b"\x89LNG\r\n\x1a\n";
/// The format version this build writes. It reads every version from [`OLDEST_VERSION`] on.
pub const VERSION: u32 = 3;
/// The oldest format version this build reads. Version 3 differs from 2 only in its name-index
/// key rule ([`crate::names::index_key`]); the record types are the same.
pub const OLDEST_VERSION: u32 = 2;
/// The header's size in bytes.
pub const HEADER_LEN: usize = 32;
/// The size of one section-table entry.
pub const ENTRY_LEN: usize = 24;
/// The largest snapshot accepted by default (4 GiB).
pub const DEFAULT_MAX_BYTES: u64 = crate::limits::MAX_SNAPSHOT_BYTES;
/// The largest bincode record (one node, one edge, the source list) a decoder will accept.
pub const MAX_RECORD_BYTES: usize = crate::limits::MAX_RECORD_BYTES;

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

pub use crate::error::SnapshotError;

/// Words per node in the node-column section.
pub const NODE_WORDS: usize = 5;
/// Words per edge in the edge-column section.
pub const EDGE_WORDS: usize = 5;
/// Column flag: the node has a begin interval.
pub const HAS_BEGIN: u32 = 1 << 8;
/// Column flag: the node has an end interval / the edge is dated.
pub const HAS_END: u32 = 1 << 9;

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
/// binary, which a test verifies with [`verify`] against a fresh compile of `graph-data/`; computing a checksum
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
    if version < OLDEST_VERSION {
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

/// The bincode configuration of every record, with the record size limit.
pub(crate) fn bincode_cfg() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<MAX_RECORD_BYTES>()
}
