#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

//! # Contents
//!
//! Data flows one way: RON files → validated [`Graph`] → snapshot → [`Db`] → [`query`] →
//! [`render`] → the `lineage` binary. `docs/architecture.md` draws the layers.
//!
//! - **Opening a graph:** [`Db::embedded`] (the Kazakhstan graph compiled in), [`open`] (a
//!   `graph-data` directory, a `.ron` file or a snapshot), [`Db::open_file_lazy`],
//!   [`Graph::load`] then [`Graph::freeze`].
//! - **The model:** [`Node`], [`Edge`], [`Source`], [`Claim`], [`Event`], [`Term`],
//!   [`ElectionResult`], [`ExternalId`], their kinds ([`NodeKind`], [`EdgeKind`], [`EventKind`],
//!   [`Covers`]) and [`KindSet`]; dates are [`DateSpec`] over [`Interval`]s of days ([`date`]).
//! - **Editing:** [`Graph`] adds, updates, removes and validates; [`Graph::save_ron`] and
//!   [`Graph::save_snapshot`] write atomically, one writer at a time ([`WriteLock`]).
//! - **Asking:** [`Db`] resolves names ([`Db::resolve`]) and reads nodes and edges; [`query`]
//!   holds closures, paths, common ancestors, the name at a date, leaders, search, timelines.
//! - **Asking in the query language:** [`Db::select`] with an expression such as
//!   `"::Amanat & kind(party) & founded(before:1999)"`, or [`Db::select_expr`] with one built
//!   by [`lang::Expr`]; the [`lang`] module, and the guide
//!   [the query language](crate::docs::query_language).
//! - **Showing:** [`render`]: text, JSON, DOT, SVG timelines, CSV and GraphML.
//! - **Errors:** [`Error`], with [`Problem`]s at `file:line:col` for invalid data and
//!   [`SnapshotError`] for refused snapshots.
//!
//! # Guides
//!
//! - [The data model](crate::docs::model)
//! - [The RON data format](crate::docs::data_format)
//! - [The snapshot format, byte by byte](crate::docs::design)
//! - [The query language](crate::docs::query_language)
//! - [The architecture](crate::docs::architecture)
//! - [Reliability](crate::docs::reliability)
//! - [Performance](crate::docs::performance)

pub mod date;
mod db;
mod error;
mod graph;
pub mod lang;
mod model;
pub mod query;
pub mod render;

// Internals, public only for the tests, the benchmarks and the fuzz crate.
pub mod limits;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lock;
#[doc(hidden)]
pub mod names;
#[doc(hidden)]
pub mod save;
#[doc(hidden)]
pub mod snapshot;

/// The guides in `docs/`, included so that rustdoc shows them and checks their links.
pub mod docs {
    #[doc = include_str!("../docs/model.md")]
    pub mod model {}
    #[doc = include_str!("../docs/data-format.md")]
    pub mod data_format {}
    #[doc = include_str!("../docs/design.md")]
    pub mod design {}
    #[doc = include_str!("../docs/query-language.md")]
    pub mod query_language {}
    #[doc = include_str!("../docs/architecture.md")]
    pub mod architecture {}
    #[doc = include_str!("../docs/reliability.md")]
    pub mod reliability {}
    #[doc = include_str!("../docs/performance.md")]
    pub mod performance {}
}

use std::path::Path;

pub use date::{DateError, DateSpec, Day, Interval};
pub use db::{Db, EdgeId, NodeId, OpenOptions, Preload, SearchHit};
pub use error::{
    Candidate, Error, Location, Problem, Problems, QueryError, Result, SnapshotError, Subject,
};
pub use graph::{EdgeHandle, Graph};
pub use lock::{WriteLock, write_atomic};
pub use model::{
    Claim, Covers, Edge, EdgeKind, ElectionResult, Event, EventKind, ExternalId, KindSet, Node,
    NodeKind, Source, Term, UnknownEdgeKind,
};

/// Opens a graph from a path: a `graph-data` directory or a `.ron` file (parsed and validated),
/// or a snapshot file (verified and read).
///
/// # Errors
/// [`Error::Invalid`] with every problem for RON input; [`Error::Snapshot`] for a refused
/// snapshot; [`Error::Io`] when the path cannot be read.
pub fn open(path: &Path) -> Result<Db> {
    if path.is_dir()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
    {
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
    /// [`Error::TooLarge`] when the RON would be larger than the loader reads
    /// ([`limits::MAX_RON_BYTES`]); [`Error::Io`] when the file cannot be written.
    pub fn save_ron(&self, path: &Path) -> Result<()> {
        let ron = self.to_ron();
        if ron.len() as u64 > limits::MAX_RON_BYTES {
            return Err(Error::TooLarge {
                what: format!("{} as RON", path.display()),
                bytes: ron.len() as u64,
                limit: limits::MAX_RON_BYTES,
            });
        }
        lock::write_atomic(path, ron.as_bytes())
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
