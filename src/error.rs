//! Errors and validation problems.
//!
//! Longer than 400 lines: every error type of the library is here, with its message, so that the
//! messages can be read (and kept consistent) side by side.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use crate::date::DateError;

/// One step of the path to a field inside a node, edge or source: the validator names the field
/// and the loader turns the path into a file position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg {
    /// A named field.
    Field(&'static str),
    /// A list item.
    Index(usize),
}

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot magic.
    #[error(
        "not a lineage snapshot (foreign file: the first bytes are not the snapshot magic; a RON file must be named *.ron)"
    )]
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
        "snapshot format version {found} is not supported (this build reads versions 2 to {supported}); re-compile it from its graph-data with `lineage compile`"
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

/// Where a problem is: a file position when the fact came from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as given to the loader.
    pub file: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// What a problem is about, for graphs built in code (no file position).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A whole file or input.
    Input,
    /// A source, by id.
    Source(String),
    /// A node, by id.
    Node(String),
    /// An edge, by its description (`kind from -> to`).
    Edge(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Input => f.write_str("input"),
            Subject::Source(s) => write!(f, "source {s}"),
            Subject::Node(n) => write!(f, "node {n}"),
            Subject::Edge(e) => write!(f, "edge {e}"),
        }
    }
}

/// One validation problem: what is wrong, where, and a hint to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong, naming the bad value.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// What it is about.
    pub subject: Subject,
    /// The field within the subject (used to find the file position).
    pub(crate) path: Vec<Seg>,
    /// The file position, when known.
    pub location: Option<Location>,
    /// Internal: the edge's handle, to find its file position.
    pub(crate) edge_handle: Option<u64>,
    /// Internal: the problem is a reference to an id that no record defines (which a file that
    /// could not be parsed may have defined).
    pub(crate) unresolved: bool,
    /// Internal: for an unresolved reference, what it refers to (`node id "otan"`), by which
    /// the references to one missing id are reported as one problem.
    pub(crate) missing: Option<String>,
    /// The same problem at other places: the other references to the same missing id, so that
    /// one typo in an id is one problem, not one per reference.
    pub also_at: Vec<Location>,
}

impl Problem {
    pub(crate) fn new(
        subject: Subject,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.into(),
            subject,
            path: Vec::new(),
            location: None,
            edge_handle: None,
            unresolved: false,
            missing: None,
            also_at: Vec::new(),
        }
    }

    /// Marks the problem as a reference to an id that no record defines: `what` names it
    /// (`node id "otan"`).
    pub(crate) fn unresolved(mut self, what: String) -> Problem {
        self.unresolved = true;
        self.missing = Some(what);
        self
    }

    pub(crate) fn at(mut self, path: &[Seg]) -> Problem {
        self.path = path.to_vec();
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(l) => write!(f, "{l}: error: {}", self.message)?,
            None => write!(f, "{}: error: {}", self.subject, self.message)?,
        }
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        const SHOWN: usize = 3;
        if !self.also_at.is_empty() {
            let shown: Vec<String> = self
                .also_at
                .iter()
                .take(SHOWN)
                .map(|l| l.to_string())
                .collect();
            write!(f, "\n  also at {}", shown.join(", "))?;
            if self.also_at.len() > SHOWN {
                write!(
                    f,
                    " and {} more places (`--format json` lists each)",
                    self.also_at.len() - SHOWN
                )?;
            }
        }
        Ok(())
    }
}

/// Every problem found in one validation, in the order found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// A node offered as a candidate for a name: in ambiguity errors and "did you mean" lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The node id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: crate::model::NodeKind,
    /// Its years ("1998–2006").
    pub years: String,
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}  ({}, {}", self.id, self.kind, self.name)?;
        if !self.years.is_empty() {
            write!(f, ", {}", self.years)?;
        }
        f.write_str(")")
    }
}

fn list(c: &[Candidate]) -> String {
    c.iter().map(|c| format!("\n  {c}")).collect()
}

/// Everything that can go wrong in the library.
///
/// New variants may be added; match with a `_` arm. Every variant is `Clone` (an I/O error is
/// shared through an `Arc`).
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: Arc<std::io::Error>,
    },
    /// The data is invalid; every problem found is listed.
    #[error("{0}")]
    Invalid(Problems),
    /// A snapshot was refused.
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    /// A date could not be parsed.
    #[error(transparent)]
    Date(#[from] DateError),
    /// No node has this name.
    #[error("no node is called {}{}", crate::names::clipped(query), if suggestions.is_empty() { String::new() } else { format!("; did you mean:{}", list(suggestions)) })]
    UnknownName {
        /// The name asked for.
        query: String,
        /// Similar names, most similar first.
        suggestions: Vec<Candidate>,
    },
    /// More than one node has this name.
    #[error("{} is ambiguous; it names {} nodes:{}", crate::names::clipped(query), candidates.len(), list(candidates))]
    Ambiguous {
        /// The name asked for.
        query: String,
        /// Every node it names.
        candidates: Vec<Candidate>,
    },
    /// An edge handle that names no edge of the graph (the edge was removed).
    #[error("no edge with handle {handle}")]
    StaleHandle {
        /// The handle.
        handle: u64,
    },
    /// Something to be written is larger than the readers accept (`lineage::limits`), so it is
    /// refused before anything is written.
    #[error("{what} would be {bytes} bytes, more than the {limit} bytes lineage reads back")]
    TooLarge {
        /// What was to be written.
        what: String,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Another writer holds the lock on this file.
    #[error("{path}: locked by another writer")]
    Locked {
        /// The locked file.
        path: PathBuf,
    },
    /// A query expression was refused ([`crate::Db::select`]): a syntax error, an unknown
    /// function, a bad argument, or a name that names no node or several.
    #[error("{0}")]
    Query(QueryError),
    /// An export could not be made (the SQLite library refused a statement).
    #[error("cannot write the {format} export: {message}")]
    Export {
        /// The format.
        format: &'static str,
        /// Why.
        message: String,
    },
}

/// A refused query expression: what is wrong, the byte span of the text at fault, and a hint.
/// Its `Display` is the message with the query text and a caret under the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// The query text.
    pub query: String,
    /// The bytes of `query` at fault (empty at the end of the text, or for a built query).
    pub span: std::ops::Range<usize>,
    /// What is wrong.
    pub message: String,
    /// A hint: the nearest function or name, or what was expected.
    pub help: Option<String>,
}

impl QueryError {
    /// An error at `span` of `query`.
    pub fn new(query: &str, span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        let end = query.len();
        let (a, b) = (span.start.min(end), span.end.min(end));
        QueryError {
            query: query.to_string(),
            span: a..b.max(a),
            message: message.into(),
            help: None,
        }
    }

    /// The same error with a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The report: the message, the query with the span underlined, and the hint (plain text,
    /// drawn by `ariadne`).
    pub fn report(&self) -> String {
        use ariadne::{CharSet, Config, IndexType, Label, Report, ReportKind, Source};
        // a query is one line for the caret: line breaks and tabs are shown as spaces (same
        // byte length, so the span still fits)
        let mut text = String::with_capacity(self.query.len());
        for c in self.query.chars() {
            if c.is_control() {
                text.extend(std::iter::repeat_n(' ', c.len_utf8()));
            } else {
                text.push(c);
            }
        }
        let span = self.span.clone();
        let config = Config::default()
            .with_color(false)
            .with_char_set(CharSet::Ascii)
            .with_index_type(IndexType::Byte);
        let mut report = Report::build(ReportKind::Error, ("query", span.clone()))
            .with_config(config)
            .with_message(&self.message)
            .with_label(Label::new(("query", span)).with_message("here"));
        if let Some(h) = &self.help {
            report = report.with_help(h);
        }
        let mut out = Vec::new();
        match report
            .finish()
            .write(("query", Source::from(text.as_str())), &mut out)
        {
            Ok(()) => {
                let text = String::from_utf8_lossy(&out);
                let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
                lines.join("\n").trim_end().to_string()
            }
            Err(_) => format!("{} (at byte {})", self.message, self.span.start),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report())
    }
}

impl std::error::Error for QueryError {}

impl Error {
    /// Whether the error is the user's (bad name, bad date, invalid data): exit status 2.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Error::Io { .. } | Error::Locked { .. })
    }

    /// An I/O error about a file.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source: Arc::new(source),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a file that is not a regular file is, in the words error messages use.
pub fn not_regular(m: &std::fs::Metadata) -> &'static str {
    if m.is_dir() {
        "a directory"
    } else {
        "not a regular file (a device, FIFO or socket)"
    }
}
