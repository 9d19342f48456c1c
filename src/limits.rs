//! Every size limit, in one place, shared by the writers and the readers: whatever
//! `lineage compile`, `Graph::save_snapshot` or `Graph::save_ron` writes, every open can read.

/// The largest RON file the loader reads, and the largest `Graph::save_ron` writes.
pub const MAX_RON_BYTES: u64 = 64 * 1024 * 1024;

/// The largest bincode record (one node, one edge, the source list) a snapshot holds: the
/// encoder refuses a larger one, and the decoder reads no further.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// The largest snapshot accepted by default (4 GiB).
pub const MAX_SNAPSHOT_BYTES: u64 = 4 << 30;

/// The longest node id, in bytes.
pub const MAX_ID_BYTES: usize = 128;
