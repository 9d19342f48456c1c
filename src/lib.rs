#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

//! # Modules
//!
//! Data flows one way: files → validated graph → queries → renderers → output.
//!
//! - [`model`]: nodes, edges, sources, claims and events.
//! - [`date`]: partial, uncertain dates as intervals of days.
//! - [`names`]: name folding for lookup.
//! - [`load`]: RON `graph-data/` → validated [`Graph`], with `file:line:col` problems; RON saving.
//! - [`graph`]: the editable graph (add, update, remove, validate).
//! - [`snapshot`]: the binary snapshot format (header, checksums, sections).
//! - [`db`]: the frozen, query-ready [`Db`] read in place from a snapshot.
//! - [`query`]: ancestors, descendants, paths, common ancestors, name at a date, leaders, search,
//!   timelines.
//! - [`render`]: text, JSON, DOT and SVG output.
//! - [`save`]: atomic file writes.
//! - [`lock`]: one writer at a time: an OS lock on a sidecar file, refused at once when held.
//! - [`error`]: errors and validation problems.

pub mod date;
pub mod db;
pub mod error;
pub mod graph;
pub mod load;
pub mod lock;
pub mod model;
pub mod names;
pub mod query;
pub mod render;
pub mod save;
pub mod snapshot;
/// A deterministic synthetic lineage generator for the benchmarks (cargo feature `synth`).
#[cfg(feature = "synth")]
pub mod synth;

use std::path::Path;

pub use date::DateSpec;
pub use db::{Db, EdgeId, NodeId};
pub use error::{Error, Problem, Result};
pub use graph::{EdgeHandle, Graph};
pub use model::{
    Claim, Covers, Edge, EdgeKind, ElectionResult, Event, EventKind, ExternalId, KindSet, Node,
    NodeKind, Source, Term,
};

/// Opens a graph from a path: a `graph-data` directory or a `.ron` file (parsed and validated),
/// or a snapshot file (verified and read).
///
/// # Errors
/// [`Error::Invalid`] with every problem for RON input; [`Error::Snapshot`] for a refused
/// snapshot; [`Error::Io`] when the path cannot be read.
pub fn open(path: &Path) -> Result<Db> {
    if path.is_dir() || path.extension().is_some_and(|e| e == "ron") {
        Db::from_graph(&load::load_path(path)?)
    } else {
        Db::open_file(path)
    }
}

impl Graph {
    /// Loads a `graph-data` directory or a single RON file.
    ///
    /// # Errors
    /// [`Error::Invalid`] with every problem found, each at `file:line:col`.
    pub fn load(path: &Path) -> Result<Graph> {
        load::load_path(path)
    }

    /// The graph as one RON document (deterministic).
    pub fn to_ron(&self) -> String {
        load::to_ron_string(self)
    }

    /// Saves the graph as one RON file, atomically.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be written.
    pub fn save_ron(&self, path: &Path) -> Result<()> {
        lock::write_atomic(path, self.to_ron().as_bytes())
    }

    /// The graph as snapshot bytes (validating it first).
    ///
    /// # Errors
    /// [`Error::Invalid`] when the graph does not validate; [`Error::Snapshot`] when it is too
    /// large for the format.
    pub fn to_snapshot(&self) -> Result<Vec<u8>> {
        let problems = self.validate();
        if !problems.is_empty() {
            return Err(Error::Invalid(error::Problems(problems)));
        }
        Ok(db::encode_graph(self)?)
    }

    /// Saves the graph as a snapshot file, atomically.
    ///
    /// # Errors
    /// As [`Graph::to_snapshot`], or [`Error::Io`].
    pub fn save_snapshot(&self, path: &Path) -> Result<()> {
        lock::write_atomic(path, &self.to_snapshot()?)
    }

    /// Freezes the graph into a queryable [`Db`].
    ///
    /// # Errors
    /// [`Error::Invalid`] when the graph does not validate.
    pub fn freeze(&self) -> Result<Db> {
        Db::from_graph(self)
    }
}
