//! The checks of one source or node on its own and against the graph: ids, sources cited,
//! claims, names that collide.

use petgraph::stable_graph::NodeIndex;

use super::{Graph, hidden, life, name_keys, node_problem};
use crate::error::{Problem, Seg, Subject};
use crate::model::{Claim, Node, Source};
use crate::names::normalize;

impl Graph {
    // ---- checks ---------------------------------------------------------------------------

    pub(super) fn sources_problems(
        &self,
        subject: &Subject,
        sources: &[String],
        path: &[Seg],
    ) -> Vec<Problem> {
        let mut p = Vec::new();
        if sources.is_empty() {
            let mut path = path.to_vec();
            path.push(Seg::Field("sources"));
            p.push(
                Problem::new(
                    subject.clone(),
                    "a fact with no source",
                    "cite at least one source id from sources.ron",
                )
                .at(&path),
            );
        }
        for (i, s) in sources.iter().enumerate() {
            if !self.sources.contains_key(s) {
                let mut path = path.to_vec();
                path.extend([Seg::Field("sources"), Seg::Index(i)]);
                p.push(
                    Problem::new(
                        subject.clone(),
                        format!("unknown source id {s:?}"),
                        "list the document in sources.ron",
                    )
                    .at(&path),
                );
            }
        }
        p
    }

    pub(super) fn claims_problems(
        &self,
        subject: &Subject,
        field: &'static str,
        claims: &[Claim],
    ) -> Vec<Problem> {
        let mut p = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            p.extend(self.sources_problems(
                subject,
                &c.sources,
                &[Seg::Field(field), Seg::Index(i)],
            ));
        }
        p
    }

    pub(crate) fn source_problems(&self, s: &Source) -> Vec<Problem> {
        let mut p = Vec::new();
        let sub = Subject::Source(s.id.clone());
        if let Some(why) = crate::names::slug_problem(&s.id) {
            p.push(
                Problem::new(
                    sub.clone(),
                    format!("source id {:?} {why}", s.id),
                    "use lower-case words joined by '-'",
                )
                .at(&[Seg::Field("id")]),
            );
        }
        if s.title.trim().is_empty() {
            p.push(
                Problem::new(
                    sub,
                    "source has an empty title",
                    "give the document's title",
                )
                .at(&[Seg::Field("title")]),
            );
        }
        p.extend(hidden::source_text_problems(s));
        p
    }

    /// Problems of one node on its own (not its relations to other nodes).
    pub(crate) fn node_problems(&self, n: &Node) -> Vec<Problem> {
        let mut p = Vec::new();
        let sub = Subject::Node(n.id.clone());
        if let Some(why) = crate::names::slug_problem(&n.id) {
            p.push(
                node_problem(
                    n,
                    format!("node id {:?} {why}", n.id),
                    format!(
                        "use at most {} lower-case letters and digits in words joined by '-', e.g. nur-otan",
                        crate::limits::MAX_ID_BYTES
                    ),
                )
                .at(&[Seg::Field("id")]),
            );
        }
        if n.name.trim().is_empty() || normalize(&n.name).is_empty() {
            p.push(
                node_problem(
                    n,
                    format!("node name {:?} is empty after folding", n.name),
                    "give a name with letters or digits",
                )
                .at(&[Seg::Field("name")]),
            );
        }
        for (i, a) in n.aliases.iter().enumerate() {
            if normalize(a).is_empty() {
                p.push(
                    node_problem(
                        n,
                        format!("alias {a:?} is empty after folding"),
                        "remove it",
                    )
                    .at(&[Seg::Field("aliases"), Seg::Index(i)]),
                );
            }
        }
        let keys: Vec<String> = std::iter::once(&n.name)
            .chain(n.aliases.iter())
            .map(|s| normalize(s))
            .collect();
        for (i, s) in n.shared_names.iter().enumerate() {
            if !keys.contains(&normalize(s)) {
                p.push(
                    node_problem(
                        n,
                        format!("shared name {s:?} is neither the name nor an alias of this node"),
                        "list it in aliases too",
                    )
                    .at(&[Seg::Field("shared_names"), Seg::Index(i)]),
                );
            }
        }
        p.extend(self.sources_problems(&sub, &n.sources, &[]));
        p.extend(self.claims_problems(&sub, "founded", &n.founded));
        p.extend(self.claims_problems(&sub, "registered", &n.registered));
        p.extend(self.claims_problems(&sub, "ended", &n.ended));
        for (i, ev) in n.events.iter().enumerate() {
            p.extend(self.sources_problems(
                &sub,
                &ev.sources,
                &[Seg::Field("events"), Seg::Index(i)],
            ));
        }
        p.extend(hidden::node_text_problems(n));
        p.extend(life::node_life_problems(n));
        p.extend(life::attached_problems(self, n));
        p
    }

    /// Names of `n` that another node also carries, unless both mark them shared.
    pub(super) fn name_collisions(&self, n: &Node, skip: Option<NodeIndex>) -> Vec<Problem> {
        let mut p = Vec::new();
        let mine = name_keys(n);
        for ix in self.g.node_indices() {
            if Some(ix) == skip || self.g[ix].id == n.id {
                continue;
            }
            let other = &self.g[ix];
            let theirs = name_keys(other);
            for (key, (name, path, shared)) in &mine {
                if let Some((oname, _, oshared)) = theirs.get(key)
                    && !(*shared && *oshared)
                {
                    p.push(
                            node_problem(
                                n,
                                format!("name {name:?} also names node {} ({oname:?})", other.id),
                                format!("if both organisations really carry it, list it in shared_names of {} and {}", n.id, other.id),
                            )
                            .at(path),
                        );
                }
            }
        }
        p
    }
}
