//! The parts of a snapshot (groups of sections whose invariants are checked together) and their
//! checks: all at open, each on first use for the embedded snapshot, or each when preloaded for
//! a lazily opened file (`preload`).

use std::cell::Cell;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::snapshot::{Sec, SnapshotError};

use super::Db;
use super::storage::{Failure, Storage};

/// Groups of sections whose invariants are checked together. A lazily opened [`Db`] reads and
/// checks one part at a time, on first use; an eagerly opened one checks them all at open, in
/// this order (each part after the parts it [needs](Part::needs)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
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

pub(super) const PARTS: usize = 11;

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
    pub(super) fn of(s: Sec) -> Option<Part> {
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

    pub(super) fn sections(self) -> &'static [Sec] {
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
    pub(super) fn needs(self) -> &'static [Part] {
        match self {
            Part::NodeRecords => &[Part::NodeCols, Part::Ids, Part::Names],
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
pub(super) struct Checking;

impl Checking {
    pub(super) fn start() -> Checking {
        CHECKING.set(true);
        Checking
    }
}

impl Drop for Checking {
    fn drop(&mut self) {
        CHECKING.set(false);
    }
}

/// Each part's outcome, once checked, for a Db whose parts are checked on first use.
pub(super) type Parts = [OnceLock<Result<(), Failure>>; PARTS];

impl Db {
    pub(super) fn sec(&self, s: Sec) -> &[u8] {
        if let Some(parts) = &self.parts
            && !CHECKING.get()
            && let Some(p) = Part::of(s)
        {
            if self.preload_only {
                self.gate(parts, p);
            } else if let Err(e) = self.ready(parts, p) {
                // only `Db::embedded` checks on first use: its bytes are this binary's own,
                // checked by the tests, so this is a damaged binary
                panic!("lineage: {e} (the snapshot compiled into this binary is damaged)");
            }
        }
        if let Storage::Lazy(l) = &self.store {
            return l.section(&self.layout, s);
        }
        let (a, b) = self.layout[s as usize - 1];
        &self.store.bytes()[a..b]
    }

    /// Reads part `p` (of a lazily opened file) and checks its invariants, once; later calls
    /// return the first outcome.
    pub(super) fn ready(&self, parts: &Parts, p: Part) -> Result<()> {
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

    pub(super) fn failure(&self, f: &Failure) -> Error {
        match &self.store {
            Storage::Lazy(l) => f.error(&l.path),
            _ => f.error(Path::new("snapshot")),
        }
    }

    /// A section as `u32` words. Alignment and length were checked when the Db was opened.
    pub(crate) fn words(&self, s: Sec) -> &[u32] {
        bytemuck::cast_slice(self.sec(s))
    }

    pub(super) fn malformed(msg: String) -> Error {
        SnapshotError::Malformed(msg).into()
    }

    /// Checks every invariant that queries rely on, so that no query can index out of bounds,
    /// and decodes every record once, so that [`Db::node`] and [`Db::edge`] cannot fail later.
    /// (A Db checked on first use runs the same checks a part, or a record, at a time.)
    pub(super) fn check_structure(&mut self) -> Result<()> {
        for p in Part::ALL {
            self.check_part(p)?;
        }
        self.check_node_records()?;
        self.check_edge_records()
    }

    /// Checks the invariants of one part (a group of sections); the parts it [needs](Part::needs)
    /// must have been checked already.
    pub(super) fn check_part(&self, p: Part) -> Result<()> {
        use crate::snapshot::checks as c;
        let (n, m) = (self.n as usize, self.m as usize);
        for s in p.sections() {
            let is_bytes = matches!(
                s,
                Sec::NodeBlob | Sec::EdgeBlob | Sec::KeyBytes | Sec::IdBytes | Sec::NameBytes
            );
            if !is_bytes {
                c::whole_words(*s, self.sec(*s))?;
            }
        }
        let w = |s| self.words(s);
        match p {
            Part::NodeCols => c::node_cols(w(Sec::NodeCols), n)?,
            Part::EdgeCols => c::edge_cols(w(Sec::EdgeCols), n, m)?,
            Part::Up => c::adjacency(
                Sec::UpOff,
                Sec::UpAdj,
                w(Sec::UpOff),
                w(Sec::UpAdj),
                n,
                m,
                true,
            )?,
            Part::Down => c::adjacency(
                Sec::DownOff,
                Sec::DownAdj,
                w(Sec::DownOff),
                w(Sec::DownAdj),
                n,
                m,
                true,
            )?,
            Part::Out => c::adjacency(
                Sec::OutOff,
                Sec::OutAdj,
                w(Sec::OutOff),
                w(Sec::OutAdj),
                n,
                m,
                false,
            )?,
            Part::In => c::adjacency(
                Sec::InOff,
                Sec::InAdj,
                w(Sec::InOff),
                w(Sec::InAdj),
                n,
                m,
                false,
            )?,
            Part::Ids => c::ids(w(Sec::IdOff), self.sec(Sec::IdBytes), n)?,
            Part::Names => c::strings(
                Sec::NameOff,
                Sec::NameBytes,
                w(Sec::NameOff),
                self.sec(Sec::NameBytes),
                n,
            )?,
            Part::Keys => c::keys(
                w(Sec::KeyOff),
                self.sec(Sec::KeyBytes),
                w(Sec::PostOff),
                w(Sec::Posts),
                n,
            )?,
            // each record is checked when decoded (for a Db checked at open: all of them, there)
            Part::NodeRecords => {
                c::blobs(Sec::NodeOff, w(Sec::NodeOff), self.sec(Sec::NodeBlob), n)?
            }
            Part::EdgeRecords => {
                c::blobs(Sec::EdgeOff, w(Sec::EdgeOff), self.sec(Sec::EdgeBlob), m)?
            }
        }
        Ok(())
    }
}
