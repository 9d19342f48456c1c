//! Where each loaded record came from, so that a problem found later points at `file:line:col`.

use std::collections::HashMap;

use super::spans::{Seg, Spanned};
use crate::error::{Location, Problem, Subject};

/// Where each loaded record came from.
#[derive(Default)]
pub(super) struct Origins {
    pub(super) trees: Vec<(String, Spanned)>,
    pub(super) sources: HashMap<String, (usize, usize)>,
    pub(super) nodes: HashMap<String, (usize, usize)>,
    pub(super) edges: HashMap<u64, (usize, usize)>,
    /// (node id, "results" or "external_ids", index on the node) → (file, index in its list)
    pub(super) attached: HashMap<(String, &'static str, usize), (usize, usize)>,
}

impl Origins {
    pub(super) fn locate(&self, p: &mut Problem) {
        if p.location.is_some() {
            return;
        }
        // A problem of a result or external id points into the top-level list it was written in.
        if let (Subject::Node(id), [Seg::Field(list), Seg::Index(i), rest @ ..]) =
            (&p.subject, p.path.as_slice())
            && matches!(*list, "results" | "external_ids")
            && let Some(&(file, idx)) = self.attached.get(&(id.clone(), *list, *i))
        {
            let (name, tree) = &self.trees[file];
            let mut path = vec![Seg::Field(list), Seg::Index(idx)];
            path.extend(rest.iter().copied());
            let pos = tree.find(&path);
            p.location = Some(Location {
                file: name.clone(),
                line: pos.line,
                col: pos.col,
            });
            return;
        }
        let (list, at) = match (&p.subject, p.edge_handle) {
            (_, Some(h)) => ("edges", self.edges.get(&h)),
            (Subject::Node(id), None) => ("nodes", self.nodes.get(id)),
            (Subject::Source(id), None) => ("sources", self.sources.get(id)),
            _ => return,
        };
        if let Some(&(file, idx)) = at {
            let (name, tree) = &self.trees[file];
            let mut path = vec![Seg::Field(list), Seg::Index(idx)];
            path.extend(p.path.iter().copied());
            let pos = tree.find(&path);
            p.location = Some(Location {
                file: name.clone(),
                line: pos.line,
                col: pos.col,
            });
        }
    }
}

impl Origins {
    /// Where the record with this id was first defined (`list`: "sources" or "nodes"), as
    /// `file:line:col`.
    pub(super) fn first_at(&self, id: &str, list: &'static str) -> String {
        let at = match list {
            "sources" => self.sources.get(id),
            _ => self.nodes.get(id),
        };
        match at {
            Some(&(f, i)) => {
                let (name, tree) = &self.trees[f];
                let p = tree.find(&[Seg::Field(list), Seg::Index(i), Seg::Field("id")]);
                format!("{name}:{}:{}", p.line, p.col)
            }
            None => "an earlier record".into(),
        }
    }
}
