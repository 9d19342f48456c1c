//! The answers of `lineage validate` and `lineage compile`: what was checked or written, and
//! every problem found, one object each.

use serde::Serialize;

use crate::error::{Problem, Problems, Subject};

/// The report of a validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidateOut {
    /// Whether the graph is valid (no problems).
    pub ok: bool,
    /// What was checked: a path, or `"embedded"`.
    pub path: String,
    /// The nodes, edges and sources of a valid graph (`null` when it is not valid).
    pub nodes: Option<usize>,
    /// See `nodes`.
    pub edges: Option<usize>,
    /// See `nodes` (`null` for a snapshot, which keeps only the sources it cites).
    pub sources: Option<usize>,
    /// Every problem, in the order found.
    pub problems: Vec<ProblemOut>,
}

/// One validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemOut {
    /// The file, when known.
    pub file: Option<String>,
    /// Its line, from 1.
    pub line: Option<usize>,
    /// Its column, from 1.
    pub column: Option<usize>,
    /// What it is about: `input`, `source ID`, `node ID` or `edge KIND FROM -> TO`.
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it (may be empty).
    pub hint: String,
    /// The same problem at other places (each `{"file", "line", "column"}`): the other
    /// references to the same undefined id. Absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_at: Vec<PlaceOut>,
}

/// A place in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceOut {
    /// The file.
    pub file: String,
    /// Its line, from 1.
    pub line: usize,
    /// Its column, from 1.
    pub column: usize,
}

impl From<&Problem> for ProblemOut {
    fn from(p: &Problem) -> ProblemOut {
        let l = p.location.as_ref();
        ProblemOut {
            file: l.map(|l| l.file.clone()),
            line: l.map(|l| l.line),
            column: l.map(|l| l.col),
            subject: match &p.subject {
                Subject::Input => "input".to_string(),
                s => s.to_string(),
            },
            message: p.message.clone(),
            hint: p.hint.clone(),
            also_at: p
                .also_at
                .iter()
                .map(|l| PlaceOut {
                    file: l.file.clone(),
                    line: l.line,
                    column: l.col,
                })
                .collect(),
        }
    }
}

impl ValidateOut {
    /// A valid graph's report.
    pub fn valid(path: &str, nodes: usize, edges: usize, sources: Option<usize>) -> ValidateOut {
        ValidateOut {
            ok: true,
            path: path.to_string(),
            nodes: Some(nodes),
            edges: Some(edges),
            sources,
            problems: Vec::new(),
        }
    }

    /// An invalid graph's report.
    pub fn invalid(path: &str, ps: &Problems) -> ValidateOut {
        ValidateOut {
            ok: false,
            path: path.to_string(),
            nodes: None,
            edges: None,
            sources: None,
            problems: ps.0.iter().map(ProblemOut::from).collect(),
        }
    }
}

/// What `lineage compile` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompileOut {
    /// The graph read.
    pub input: String,
    /// The snapshot written.
    pub output: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its nodes.
    pub nodes: usize,
    /// Its edges.
    pub edges: usize,
}
