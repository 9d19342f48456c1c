//! What a lazily opened snapshot has checked, and the contract of its accessors: a part is read
//! only after [`Db::preload`] checked it and returned `Ok`; an accessor that needs any other part
//! panics whatever the file holds (docs/design.md, "Checked after the open").

use std::sync::OnceLock;

use crate::error::Result;
use crate::snapshot::Sec;

use super::Db;
use super::parts::{Checking, Part, Parts};
use super::storage::Failure;

/// What a task is about to read, for [`Db::preload`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preload {
    /// The ancestor adjacency: closures, paths and common ancestors towards the past.
    Ancestors,
    /// The descendant adjacency.
    Descendants,
    /// Every edge's kind, ends and dates: filtered closures, paths, edge lists.
    EdgeColumns,
    /// Every node's kind and dates.
    NodeColumns,
    /// Every edge out of and into each node.
    EdgeLists,
    /// Ids, display names and the name index: resolving and searching names.
    Names,
    /// The node records: [`Db::node`].
    NodeRecords,
    /// The edge records: [`Db::edge`].
    EdgeRecords,
    /// The sources (read at the open of a file; for [`Db::embedded`], on first use).
    Sources,
    /// Every part above, each checked on its own and each record against its columns, without
    /// the whole-file agreement: what [`Db::select`] and the other query-language calls preload.
    Parts,
    /// Every part, then every check of a whole open ([`Db::open_file`]): the re-encoding of the
    /// records, which must give the file byte for byte, and their validation as a graph.
    Everything,
}

impl Preload {
    fn sections(self) -> &'static [Sec] {
        match self {
            Preload::Ancestors => &[Sec::UpOff, Sec::UpAdj],
            Preload::Descendants => &[Sec::DownOff, Sec::DownAdj],
            Preload::EdgeColumns => &[Sec::EdgeCols],
            Preload::NodeColumns => &[Sec::NodeCols],
            Preload::EdgeLists => &[Sec::OutOff, Sec::OutAdj, Sec::InOff, Sec::InAdj],
            Preload::Names => &[
                Sec::IdOff,
                Sec::IdBytes,
                Sec::NameOff,
                Sec::NameBytes,
                Sec::KeyOff,
            ],
            Preload::NodeRecords => &[Sec::NodeBlob],
            Preload::EdgeRecords => &[Sec::EdgeBlob],
            Preload::Sources => &[Sec::Meta],
            Preload::Parts | Preload::Everything => &Sec::ALL,
        }
    }
}

/// What is checked after the open for a Db whose parts are checked later: the node and the
/// edge records (each decoded and compared with its columns), and the whole-file agreement.
#[derive(Default)]
pub(super) struct Later {
    records: [OnceLock<Result<(), Failure>>; 2],
    whole: OnceLock<Result<(), Failure>>,
}

impl Part {
    /// The [`Preload`] that checks this part, for messages.
    fn preload(self) -> &'static str {
        match self {
            Part::NodeCols => "NodeColumns",
            Part::EdgeCols => "EdgeColumns",
            Part::Up => "Ancestors",
            Part::Down => "Descendants",
            Part::Out | Part::In => "EdgeLists",
            Part::Ids | Part::Names | Part::Keys => "Names",
            Part::NodeRecords => "NodeRecords",
            Part::EdgeRecords => "EdgeRecords",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Part::NodeCols => "node columns",
            Part::EdgeCols => "edge columns",
            Part::Up => "ancestor adjacency",
            Part::Down => "descendant adjacency",
            Part::Out => "out-edge lists",
            Part::In => "in-edge lists",
            Part::Ids => "ids",
            Part::Names => "display names",
            Part::Keys => "name index",
            Part::NodeRecords => "node records",
            Part::EdgeRecords => "edge records",
        }
    }
}

/// The panic of an accessor that needs a part `preload` has not checked: it depends on the
/// calling code, never on the file.
#[cold]
#[track_caller]
fn not_preloaded(what: &str, preload: &str, failed: Option<&Failure>) -> ! {
    match failed {
        None => panic!(
            "lineage: this lazily opened snapshot's {what} must be preloaded first: call \
             db.preload(&[Preload::{preload}]) and handle its error"
        ),
        Some(_) => panic!(
            "lineage: this lazily opened snapshot's {what} failed their check: \
             db.preload(&[Preload::{preload}]) returned that error, and nothing of them is read"
        ),
    }
}

impl Db {
    /// For a lazily opened file: panics unless `preload` checked part `p` (and, for records,
    /// every record) and returned `Ok`, and the whole-file check, if it ran, passed.
    #[track_caller]
    pub(super) fn gate(&self, parts: &Parts, p: Part) {
        let later = self
            .later
            .as_deref()
            .expect("a lazy Db has its later checks");
        if let Some(Err(f)) = later.whole.get() {
            not_preloaded("parts", "Everything", Some(f));
        }
        let cell = match p {
            Part::NodeRecords => &later.records[0],
            Part::EdgeRecords => &later.records[1],
            _ => &parts[p as usize],
        };
        match cell.get() {
            Some(Ok(())) => {}
            other => not_preloaded(p.what(), p.preload(), other.and_then(|r| r.as_ref().err())),
        }
    }

    /// For a lazily opened file: panics unless the whole-file check passed.
    #[track_caller]
    pub(super) fn gate_whole(&self) {
        let later = self
            .later
            .as_deref()
            .expect("a lazy Db has its later checks");
        match later.whole.get() {
            Some(Ok(())) => {}
            other => not_preloaded(
                "whole-file check",
                "Everything",
                other.and_then(|r| r.as_ref().err()),
            ),
        }
    }

    /// Reads and checks the parts of the snapshot that a task is about to use, if this Db was
    /// opened lazily (for any other Db everything was checked at open and this does nothing).
    /// A part is read and checked once; its outcome is kept, so every later call says the same.
    /// After it returns `Ok`, the accessors that read those parts cannot fail; see the contract
    /// in [`Db::open_file_lazy`].
    ///
    /// # Errors
    /// [`Error::Snapshot`](crate::Error::Snapshot) when a part is damaged (checksum, padding, or an invariant) or, with
    /// [`Preload::Everything`], when the file is not what its records encode or they do not
    /// validate; [`Error::Io`](crate::Error::Io) when it cannot be read. Once the whole-file check has failed,
    /// every later `preload` returns its error.
    ///
    /// # Complexity
    /// Linear in the size of the parts named; [`Preload::Everything`] also re-encodes the
    /// records (O(N log N + E)) and validates the graph.
    pub fn preload(&self, what: &[Preload]) -> Result<()> {
        if self.parts.is_none() {
            return Ok(());
        }
        let sections: Vec<Sec> = what.iter().flat_map(|w| w.sections()).copied().collect();
        self.preload_sections(&sections, what.contains(&Preload::Everything))
    }

    /// [`Db::preload`] by section; with `whole`, also the whole-file agreement.
    fn preload_sections(&self, sections: &[Sec], whole: bool) -> Result<()> {
        let (Some(parts), Some(later)) = (&self.parts, &self.later) else {
            return Ok(());
        };
        if let Some(Err(f)) = later.whole.get() {
            return Err(self.failure(f));
        }
        if sections.contains(&Sec::Meta) {
            self.decode_sources()?;
        }
        for p in sections.iter().filter_map(|s| Part::of(*s)) {
            self.ready(parts, p)?;
            let records = match p {
                Part::NodeRecords => Some((0, Db::check_node_records as fn(&Db) -> Result<()>)),
                Part::EdgeRecords => Some((1, Db::check_edge_records as fn(&Db) -> Result<()>)),
                _ => None,
            };
            if let Some((i, check)) = records {
                later.records[i]
                    .get_or_init(|| {
                        let _checking = Checking::start();
                        Ok(check(self)?)
                    })
                    .clone()
                    .map_err(|f| self.failure(&f))?;
            }
        }
        if whole {
            later
                .whole
                .get_or_init(|| {
                    let _checking = Checking::start();
                    Ok(self.check_canonical(true)?)
                })
                .clone()
                .map_err(|f| self.failure(&f))?;
        }
        Ok(())
    }
}
