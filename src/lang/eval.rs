//! Running a [`Plan`]: each operation maps sets to a set, over the existing closures and the
//! adjacency lists. Filters test the members of the set they filter, never the whole graph
//! unless the set is the whole graph.

use super::plan::{Plan, Rel, When};
use super::pred::{Test, term_meets, within};
use super::set::{Set, Truth};
use crate::db::{Db, NodeId};
use crate::error::{Error, QueryError, Result};
use crate::model::{EdgeKind, KindSet};
use crate::query::{self, Direction};

/// The most nodes `common(x)` takes: each costs a closure.
pub const MAX_COMMON: usize = 10_000;

/// The evaluator: the database and the query text (for errors found while running).
pub struct Eval<'a> {
    /// The database.
    pub db: &'a Db,
    /// The query text.
    pub text: &'a str,
    /// The nodes the parameters are bound to.
    pub params: &'a [(&'a str, NodeId)],
}

impl Eval<'_> {
    /// The set a plan denotes.
    pub fn run(&self, p: &Plan) -> Result<Set> {
        let db = self.db;
        Ok(match p {
            Plan::All => Set::all(db.node_count()),
            Plan::Nothing => Set::default(),
            Plan::Node(n) => Set(vec![(n.0, Truth::Yes)]),
            Plan::Param(name, span) => match self.params.iter().find(|p| p.0 == name) {
                Some((_, n)) if n.index() < db.node_count() => Set(vec![(n.0, Truth::Yes)]),
                Some((_, n)) => {
                    return Err(Error::Query(QueryError::new(
                        self.text,
                        span.clone(),
                        format!(
                            "${name} is bound to node {}, which this graph does not have",
                            n.index()
                        ),
                    )));
                }
                None => {
                    return Err(Error::Query(
                        QueryError::new(self.text, span.clone(), format!("${name} is not bound"))
                            .with_help("bind parameters with Db::prepare and Prepared::select"),
                    ));
                }
            },
            Plan::Union(v) => {
                let mut acc = Set::default();
                for q in v {
                    acc = acc.union(&self.run(q)?);
                }
                acc
            }
            Plan::Inter(v) => {
                let mut it = v.iter();
                let mut acc = match it.next() {
                    Some(q) => self.run(q)?,
                    None => Set::all(db.node_count()),
                };
                for q in it {
                    if acc.is_empty() {
                        break;
                    }
                    acc = acc.inter(&self.run(q)?);
                }
                acc
            }
            Plan::Diff(a, b) => {
                let a = self.run(a)?;
                if a.is_empty() {
                    a
                } else {
                    a.diff(&self.run(b)?)
                }
            }
            Plan::Not(a) => self.run(a)?.complement(db.node_count()),
            // a filter of a closure is tested inside the traversal
            Plan::Filter(a, preds) if matches!(**a, Plan::Closure(..)) => {
                let Plan::Closure(input, dir, f) = &**a else {
                    unreachable!("matched above")
                };
                let roots = self.roots(input)?;
                let tests: Vec<Test> = preds.iter().map(|p| Test::new(db, p)).collect();
                let out = query::closure_set_where(db, &roots, *dir, f, &mut |n| {
                    tests.iter().all(|t| t.pass(db, n))
                });
                Set(out.into_iter().map(|(n, s)| (n.0, truth(s))).collect())
            }
            Plan::Filter(a, preds) => {
                let input = self.run(a)?;
                let tests: Vec<Test> = preds.iter().map(|p| Test::new(db, p)).collect();
                Set(input
                    .0
                    .into_iter()
                    .filter(|(n, _)| tests.iter().all(|t| t.pass(db, NodeId(*n))))
                    .collect())
            }
            Plan::Closure(a, dir, f) => {
                let roots = self.roots(a)?;
                let out = query::closure_set(db, &roots, *dir, f);
                Set(out.into_iter().map(|(n, s)| (n.0, truth(s))).collect())
            }
            Plan::Hop(a, up) => {
                let csr = db.lineage_csr(*up);
                let mut out = Vec::new();
                for (n, t) in self.run(a)?.0 {
                    out.extend(csr.pairs(n as usize).map(|(u, _)| (u, t)));
                }
                Set::from_unsorted(out)
            }
            Plan::At(a, d) => {
                let mut out = Vec::new();
                for (n, t) in self.run(a)?.0 {
                    let r = query::name_at(db, NodeId(n), d);
                    let t = if r.certain { t } else { Truth::Maybe };
                    out.extend(r.candidates.iter().map(|c| (c.0, t)));
                }
                Set::from_unsorted(out)
            }
            Plan::Chain(a) => {
                let same = KindSet::empty()
                    .with(EdgeKind::Renaming)
                    .with(EdgeKind::Reorganisation);
                let mut out = Vec::new();
                let input = self.run(a)?;
                for &(n, t) in &input.0 {
                    out.extend(
                        query::chain(db, NodeId(n), same)
                            .into_iter()
                            .map(|m| (m.0, t)),
                    );
                }
                Set::from_unsorted(out)
            }
            Plan::Step(a, kinds, when, into) => {
                let mut out = Vec::new();
                for (n, t) in self.run(a)?.0 {
                    let mut take = |e| {
                        if !kinds.contains(db.edge_kind(e)) {
                            return;
                        }
                        if let Some(w) = when
                            && !within(db.edge_when(e), w, true)
                        {
                            return;
                        }
                        let (x, y) = db.endpoints(e);
                        out.push((if *into { x } else { y }.0, t));
                    };
                    if *into {
                        db.in_edges(NodeId(n)).for_each(&mut take);
                    } else {
                        db.out_edges(NodeId(n)).for_each(&mut take);
                    }
                }
                Set::from_unsorted(out)
            }
            Plan::Heads(a) | Plan::Roots(a) => {
                let s = self.run(a)?;
                let csr = db.lineage_csr(matches!(p, Plan::Roots(_)));
                Set(s
                    .0
                    .iter()
                    .copied()
                    .filter(|(n, _)| {
                        csr.pairs(*n as usize)
                            .all(|(u, _)| u == *n || s.get(u).is_none())
                    })
                    .collect())
            }
            Plan::Common(a) => self.common(&self.run(a)?)?,
            Plan::Path(a, b, sa, sb) => {
                let (a, b) = (self.one(a, sa)?, self.one(b, sb)?);
                let t = a.1.min(b.1);
                match query::path(db, a.0, b.0, KindSet::LINEAGE, true) {
                    None => Set::default(),
                    Some(hops) => {
                        let mut v = vec![(a.0.0, t)];
                        for h in hops {
                            let (x, y) = db.endpoints(h.edge);
                            v.push((x.0, t));
                            v.push((y.0, t));
                        }
                        Set::from_unsorted(v)
                    }
                }
            }
            Plan::Rel(rel, a, role, during) => self.rel(*rel, &self.run(a)?, role, during),
        })
    }

    /// The members of a set as closure roots, each with whether it is sure.
    fn roots(&self, p: &Plan) -> Result<Vec<(NodeId, bool)>> {
        Ok(self
            .run(p)?
            .0
            .iter()
            .map(|(n, t)| (NodeId(*n), *t == Truth::Yes))
            .collect())
    }

    /// The one node of a `path` end.
    fn one(&self, p: &Plan, span: &std::ops::Range<usize>) -> Result<(NodeId, Truth)> {
        let s = self.run(p)?;
        match s.0.as_slice() {
            [(n, t)] => Ok((NodeId(*n), *t)),
            v => Err(Error::Query(
                QueryError::new(
                    self.text,
                    span.clone(),
                    format!("path() needs one node at each end; this holds {}", v.len()),
                )
                .with_help("name one node, or use x::y for every node on the paths"),
            )),
        }
    }

    fn common(&self, s: &Set) -> Result<Set> {
        let db = self.db;
        if s.len() > MAX_COMMON {
            return Err(Error::Query(QueryError::new(
                self.text,
                0..self.text.len(),
                format!(
                    "common() of {} nodes; it takes at most {MAX_COMMON}",
                    s.len()
                ),
            )));
        }
        let Some(t) = s.0.iter().map(|x| x.1).min() else {
            return Ok(Set::default());
        };
        let mut acc: Option<Vec<u32>> = None;
        for &(n, _) in &s.0 {
            let c = query::closure_set(
                db,
                &[(NodeId(n), true)],
                Direction::Ancestors,
                &query::Filter::default(),
            );
            let c: Vec<u32> = c.into_iter().map(|x| x.0.0).collect();
            acc = Some(match acc {
                None => c,
                Some(a) => a
                    .into_iter()
                    .filter(|x| c.binary_search(x).is_ok())
                    .collect(),
            });
            if acc.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        let all = Set(acc
            .unwrap_or_default()
            .into_iter()
            .map(|n| (n, t))
            .collect());
        // the nearest: those with no descendant among the common ancestors
        let down = db.lineage_csr(false);
        Ok(Set(all
            .0
            .iter()
            .copied()
            .filter(|(n, _)| {
                down.pairs(*n as usize)
                    .all(|(u, _)| u == *n || all.get(u).is_none())
            })
            .collect()))
    }

    fn rel(&self, rel: Rel, s: &Set, role: &Option<String>, during: &Option<When>) -> Set {
        let db = self.db;
        let (kind, into) = match rel {
            Rel::Leaders => (EdgeKind::Leadership, true),
            Rel::LedBy => (EdgeKind::Leadership, false),
            Rel::Founders => (EdgeKind::Founder, true),
            Rel::FoundedBy => (EdgeKind::Founder, false),
            Rel::Members => (EdgeKind::Membership, true),
            Rel::Blocs => (EdgeKind::Membership, false),
        };
        let mut out = Vec::new();
        for &(n, t) in &s.0 {
            let n = NodeId(n);
            let edges: Vec<_> = if into {
                db.in_edges(n).collect()
            } else {
                db.out_edges(n).collect()
            };
            for e in edges {
                if db.edge_kind(e) != kind {
                    continue;
                }
                if role.is_some() || during.is_some() {
                    let edge = db.edge(e);
                    if let Some(r) = role
                        && !crate::names::normalize(&edge.role).contains(r.as_str())
                    {
                        continue;
                    }
                    if let Some(w) = during {
                        let term = edge.term.unwrap_or_default();
                        if !term_meets(term.from.as_ref(), term.until.as_ref(), w) {
                            continue;
                        }
                    }
                }
                let (x, y) = db.endpoints(e);
                out.push((if into { x } else { y }.0, t));
            }
        }
        Set::from_unsorted(out)
    }
}

fn truth(sure: bool) -> Truth {
    if sure { Truth::Yes } else { Truth::Maybe }
}
