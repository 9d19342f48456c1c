//! Validating the whole graph: every record's own checks, then the checks across records.

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::{EdgeHandle, Graph, KeyOwner, edge_problem, name_keys, node_problem, roles};
use crate::error::{Problem, Seg};
use crate::model::{Edge, EdgeKind};
use crate::names::normalize;

impl Graph {
    /// Validates the whole graph and returns every problem found (empty when valid).
    ///
    /// Complexity: O(V + E) apart from name collisions, which are found through one hash map.
    pub fn validate(&self) -> Vec<Problem> {
        let mut p = Vec::new();
        for s in self.sources.values() {
            p.extend(self.source_problems(s));
        }
        let mut nodes: Vec<NodeIndex> = self.g.node_indices().collect();
        nodes.sort_by(|a, b| self.g[*a].id.cmp(&self.g[*b].id));
        // names shared by several nodes
        let mut by_key: BTreeMap<String, Vec<KeyOwner>> = BTreeMap::new();
        for &ix in &nodes {
            p.extend(self.node_problems(&self.g[ix]));
            for (key, (name, path, shared)) in name_keys(&self.g[ix]) {
                by_key
                    .entry(key)
                    .or_default()
                    .push((ix, name, path, shared));
            }
        }
        // A shared name must not also be a node id: the id would win silently over the name.
        for &ix in &nodes {
            let n = &self.g[ix];
            if let Some(owners) = by_key.get(&normalize(&n.id))
                && owners.len() > 1
                && owners.iter().any(|o| o.0 != ix)
            {
                p.push(
                    node_problem(
                        n,
                        format!(
                            "id {:?} reads as the name {:?}, which names several nodes",
                            n.id, owners[0].1
                        ),
                        "give each node an id that tells them apart, e.g. respublika-bloc-1994",
                    )
                    .at(&[Seg::Field("id")]),
                );
            }
        }
        for owners in by_key.values() {
            if owners.len() > 1 && !owners.iter().all(|o| o.3) {
                for (ix, name, path, shared) in owners {
                    if *shared {
                        continue;
                    }
                    let others: Vec<&str> = owners
                        .iter()
                        .filter(|o| o.0 != *ix)
                        .map(|o| self.g[o.0].id.as_str())
                        .collect();
                    p.push(
                        node_problem(
                            &self.g[*ix],
                            format!("name {} also names {}", crate::names::clipped(name), others.join(", ")),
                            format!("if the organisations really share it, list it in shared_names of {} and {}", self.g[*ix].id, others.join(", ")),
                        )
                        .at(path),
                    );
                }
            }
        }
        let mut edges: Vec<EdgeIndex> = self.g.edge_indices().collect();
        edges.sort_by(|a, b| {
            self.g[*a]
                .1
                .cmp(&self.g[*b].1)
                .then(self.g[*a].0.cmp(&self.g[*b].0))
        });
        let mut prev: Option<&Edge> = None;
        for &eix in &edges {
            let (h, e) = &self.g[eix];
            let mut ep = self.edge_problems(e);
            if prev == Some(e) {
                ep.push(edge_problem(e, "duplicate edge", "remove one of them"));
            }
            prev = Some(e);
            for q in &mut ep {
                q.edge_handle = Some(h.0);
            }
            p.extend(ep);
        }
        // renamed twice
        for &ix in &nodes {
            for (dir, what) in [
                (Direction::Outgoing, "renamed twice"),
                (Direction::Incoming, "the new name of two nodes"),
            ] {
                let mut ren: Vec<&(EdgeHandle, Edge)> = self
                    .g
                    .edges_directed(ix, dir)
                    .map(|x| x.weight())
                    .filter(|w| w.1.kind == EdgeKind::Renaming)
                    .collect();
                if ren.len() > 1 {
                    ren.sort_by(|a, b| a.1.cmp(&b.1));
                    let others: Vec<&str> = ren
                        .iter()
                        .map(|w| {
                            if dir == Direction::Outgoing {
                                w.1.to.as_str()
                            } else {
                                w.1.from.as_str()
                            }
                        })
                        .collect();
                    let mut q = edge_problem(
                        &ren[1].1,
                        format!("{} is {what}: {}", self.g[ix].id, others.join(" and ")),
                        "a renaming chain runs a -> b -> c; use merger or split for the rest",
                    );
                    q.edge_handle = Some(ren[1].0.0);
                    p.push(q);
                }
            }
        }
        for (h, mut q) in roles::sole_role_overlaps(self) {
            q.edge_handle = Some(h);
            p.push(q);
        }
        p.extend(roles::alias_is_other_id(self));
        // lineage cycles, through petgraph's strongly connected components
        let lineage =
            petgraph::visit::EdgeFiltered::from_fn(&self.g, |er| er.weight().1.kind.is_lineage());
        // kosaraju_scc walks with an explicit stack: a chain of a million nodes is no deeper for
        // it than a pair (tarjan_scc recurses once per node and overflows the stack)
        for scc in petgraph::algo::kosaraju_scc(&lineage) {
            let self_loop = scc.len() == 1
                && self
                    .g
                    .edges_connecting(scc[0], scc[0])
                    .any(|x| x.weight().1.kind.is_lineage());
            if scc.len() > 1 || self_loop {
                let mut ids: Vec<&str> = scc.iter().map(|ix| self.g[*ix].id.as_str()).collect();
                ids.sort();
                let all_renaming = scc.iter().all(|&ix| {
                    self.g
                        .edges_directed(ix, Direction::Outgoing)
                        .filter(|x| scc.contains(&x.target()) && x.weight().1.kind.is_lineage())
                        .all(|x| x.weight().1.kind == EdgeKind::Renaming)
                });
                let what = if all_renaming {
                    "cycle of renamings"
                } else {
                    "lineage cycle"
                };
                let first = scc
                    .iter()
                    .copied()
                    .min_by_key(|ix| &self.g[*ix].id)
                    .expect("non-empty component");
                p.push(node_problem(
                    &self.g[first],
                    format!("{what} through {}", ids.join(", ")),
                    "lineage edges point from earlier to later; one of them points backwards",
                ));
            }
        }
        p
    }
}
