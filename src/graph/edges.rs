//! The checks of one edge: its endpoints and kind, its dates against their lives, and the cycles
//! and duplicates it would make.

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{EdgeHandle, Graph, edge_label, edge_problem, hidden, roles};
use crate::date::Interval;
use crate::error::{Problem, Seg, Subject};
use crate::model::{Edge, EdgeKind, NodeKind};

impl Graph {
    /// Problems of one edge on its own and against its endpoints.
    pub(crate) fn edge_problems(&self, e: &Edge) -> Vec<Problem> {
        let mut p = Vec::new();
        let sub = Subject::Edge(edge_label(e));
        for (field, id) in [("from", &e.from), ("to", &e.to)] {
            if !self.ids.contains_key(id) {
                p.push(
                    edge_problem(
                        e,
                        format!("unknown node id {} in `{field}`", crate::names::clipped(id)),
                        "define the node, or fix the id",
                    )
                    .unresolved(format!("node id {}", crate::names::clipped(id)))
                    .at(&[Seg::Field(if field == "from" {
                        "from"
                    } else {
                        "to"
                    })]),
                );
            }
        }
        if e.from == e.to {
            p.push(
                edge_problem(
                    e,
                    format!("edge from {:?} to itself", e.from),
                    "an edge joins two different nodes",
                )
                .at(&[Seg::Field("to")]),
            );
        }
        p.extend(self.sources_problems(&sub, &e.sources, &[]));
        p.extend(self.claims_problems(&sub, "date", &e.date));
        p.extend(hidden::edge_text_problems(e));
        if let Some(t) = &e.term
            && let (Some(a), Some(b)) = (&t.from, &t.until)
            && b.latest() < a.earliest()
        {
            p.push(
                edge_problem(
                    e,
                    format!("term ends ({b}) before it starts ({a})"),
                    "check the term",
                )
                .at(&[Seg::Field("term")]),
            );
        }
        if !p.is_empty() {
            return p;
        }
        let (a, b) = (&self.g[self.ids[&e.from]], &self.g[self.ids[&e.to]]);
        let person_from = e.kind.is_personal();
        if person_from && a.kind != NodeKind::Person {
            p.push(
                edge_problem(
                    e,
                    format!(
                        "a {} edge starts at a person, but {} is a {}",
                        e.kind, a.id, a.kind
                    ),
                    "swap from and to, or use another kind",
                )
                .at(&[Seg::Field("from")]),
            );
        }
        if !person_from && a.kind == NodeKind::Person {
            p.push(
                edge_problem(
                    e,
                    format!("a {} edge cannot start at a person ({})", e.kind, a.id),
                    "use leadership, founder or affiliation",
                )
                .at(&[Seg::Field("from")]),
            );
        }
        if b.kind == NodeKind::Person {
            p.push(
                edge_problem(
                    e,
                    format!("a {} edge cannot end at a person ({})", e.kind, b.id),
                    "edges point to organisations",
                )
                .at(&[Seg::Field("to")]),
            );
        }
        p.extend(self.edge_dates_problems(e));
        p.extend(roles::edge_life_problems(e, a, b));
        p
    }

    /// An edge dated before an endpoint existed or after it ended.
    pub(super) fn edge_dates_problems(&self, e: &Edge) -> Vec<Problem> {
        let mut p = Vec::new();
        let (Some(&ai), Some(&bi)) = (self.ids.get(&e.from), self.ids.get(&e.to)) else {
            return p;
        };
        for (i, c) in e.date.iter().enumerate() {
            for n in [&self.g[ai], &self.g[bi]] {
                if n.kind == NodeKind::Person {
                    continue;
                }
                if let Some(Interval { lo, .. }) = n.begin()
                    && c.date.latest() < lo
                {
                    p.push(
                        edge_problem(
                            e,
                            format!("dated {}, before {} existed ({})", c.date, n.id, n.years()),
                            "check the edge's date and the node's founding",
                        )
                        .at(&[
                            Seg::Field("date"),
                            Seg::Index(i),
                            Seg::Field("date"),
                        ]),
                    );
                }
                if let Some(Interval { hi, .. }) = n.end()
                    && c.date.earliest() > hi
                {
                    p.push(
                        edge_problem(
                            e,
                            format!("dated {}, after {} ended ({})", c.date, n.id, n.years()),
                            "check the edge's date and the node's end",
                        )
                        .at(&[
                            Seg::Field("date"),
                            Seg::Index(i),
                            Seg::Field("date"),
                        ]),
                    );
                }
            }
        }
        p
    }

    /// Checks that need the rest of the graph: renamings, cycles, duplicates.
    pub(super) fn edge_graph_problems(&self, e: &Edge, skip: Option<EdgeIndex>) -> Vec<Problem> {
        let mut p = Vec::new();
        let (a, b) = (self.ids[&e.from], self.ids[&e.to]);
        let live = |x: &petgraph::stable_graph::EdgeReference<'_, (EdgeHandle, Edge)>| {
            Some(x.id()) != skip
        };
        if e.kind == EdgeKind::Renaming {
            if let Some(o) = self
                .g
                .edges_directed(a, Direction::Outgoing)
                .filter(live)
                .find(|x| x.weight().1.kind == EdgeKind::Renaming)
            {
                p.push(edge_problem(
                    e,
                    format!(
                        "{} is renamed twice: to {} and to {}",
                        e.from,
                        o.weight().1.to,
                        e.to
                    ),
                    "a renaming chain runs a -> b -> c; use merger or split for the rest",
                ));
            }
            if let Some(o) = self
                .g
                .edges_directed(b, Direction::Incoming)
                .filter(live)
                .find(|x| x.weight().1.kind == EdgeKind::Renaming)
            {
                p.push(edge_problem(
                    e,
                    format!(
                        "{} is the new name of two nodes: {} and {}",
                        e.to,
                        o.weight().1.from,
                        e.from
                    ),
                    "two organisations becoming one is a merger",
                ));
            }
        }
        if e.kind.is_lineage() && self.lineage_reaches(b, a, skip) {
            p.push(edge_problem(
                e,
                format!("lineage cycle: {} already descends from {}", e.from, e.to),
                "lineage edges point from earlier to later; check the direction",
            ));
        }
        if self
            .g
            .edges_connecting(a, b)
            .filter(live)
            .any(|x| x.weight().1 == *e)
        {
            p.push(edge_problem(e, "duplicate edge", "remove one of them"));
        }
        p
    }

    pub(super) fn lineage_reaches(
        &self,
        from: NodeIndex,
        to: NodeIndex,
        skip: Option<EdgeIndex>,
    ) -> bool {
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![from];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if !seen.insert(x) {
                continue;
            }
            for er in self.g.edges_directed(x, Direction::Outgoing) {
                if Some(er.id()) != skip && er.weight().1.kind.is_lineage() {
                    stack.push(er.target());
                }
            }
        }
        false
    }
}
