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
                        format!("unknown source id {}", crate::names::clipped(s)),
                        "list the document in sources.ron",
                    )
                    .unresolved(format!("source id {}", crate::names::clipped(s)))
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
        let limit = crate::limits::MAX_RECORD_BYTES;
        let size = record_size_bound(n);
        if size > limit {
            p.push(node_problem(
                n,
                format!(
                    "node {} holds about {size} bytes, more than the {} MiB a snapshot record may hold",
                    n.id,
                    limit >> 20
                ),
                "shorten its notes or split its facts",
            ));
        }
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
                                format!("name {} also names node {} ({})", crate::names::clipped(name), other.id, crate::names::clipped(oname)),
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

/// An upper bound of the bytes a node's snapshot record takes: every string with its longest
/// length prefix, every list and date with theirs. Validation refuses what could exceed the
/// record limit, so that whatever validates can be compiled and read back; the encoder's exact
/// check stays behind it.
fn record_size_bound(n: &Node) -> usize {
    let s = |x: &String| x.len() + 9;
    let strs = |v: &[String]| 9 + v.iter().map(s).sum::<usize>();
    let date = |d: &crate::date::DateSpec| 19 + d.as_str().len();
    let claims = |v: &[crate::model::Claim]| {
        9 + v
            .iter()
            .map(|c| date(&c.date) + strs(&c.sources) + s(&c.note))
            .sum::<usize>()
    };
    s(&n.id)
        + 5
        + s(&n.name)
        + strs(&n.aliases)
        + strs(&n.shared_names)
        + claims(&n.founded)
        + claims(&n.registered)
        + claims(&n.ended)
        + 9
        + n.events
            .iter()
            .map(|e| date(&e.date) + 5 + s(&e.note) + strs(&e.sources))
            .sum::<usize>()
        + 9
        + n.results
            .iter()
            .map(|r| {
                date(&r.election)
                    + s(&r.body)
                    + r.share.as_ref().map_or(1, s)
                    + 20
                    + strs(&r.sources)
                    + s(&r.note)
            })
            .sum::<usize>()
        + 9
        + n.external_ids
            .iter()
            .map(|x| s(&x.scheme) + s(&x.id) + 5 + strs(&x.sources) + s(&x.note))
            .sum::<usize>()
        + strs(&n.sources)
        + s(&n.note)
}
