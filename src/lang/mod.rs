//! The query language: sets of nodes, composed like jj's revsets, aware of dates and of
//! identity across renamings. `docs/query-language.md` is the guide; `grammar.pest` the grammar.
//!
//! A query goes text → [`Expr`] ([`parse`]) → [`Plan`] (names resolved, arguments typed,
//! filters pushed down: [`plan`]) → a set of nodes ([`Db::select`]), each surely or only
//! possibly a member. The typed builder on [`Expr`] makes the same trees without a string, for
//! [`Db::select_expr`].
//!
//! - `ast`: the tree and the builder; `parse`: the pest grammar and its Pratt parser;
//! - `check`: the function table, names and argument types; `plan`: the plan and its
//!   optimisation; `set`: three-valued sets; `eval`: running a plan; `pred`: the tests on
//!   single nodes and their date conditions.
//!
//! # Example
//! ```
//! use lineage::Db;
//! let db = Db::embedded().unwrap();
//! // parties among the ancestors of Amanat
//! let s = db.select("::Amanat & kind(party)").unwrap();
//! assert!(s.nodes.contains(&db.resolve("Otan").unwrap()));
//! assert!(s.nodes.iter().all(|n| db.kind(*n) == lineage::NodeKind::Party));
//! ```

mod ast;
mod check;
mod eval;
mod parse;
mod plan;
mod pred;
mod set;

use std::collections::BTreeSet;

pub use ast::{Arg, Expr, SetOp, Span, UnOp};
pub use check::FUNCTIONS;
pub use eval::MAX_COMMON;
pub use parse::{MAX_NESTING, MAX_OPERATORS, MAX_QUERY_BYTES, MAX_RUN, parse};
pub use plan::{Mode, Plan, Pred, Rel, When};
pub use set::{Set, Truth};

use crate::db::{Db, NodeId};
use crate::error::{Error, QueryError, Result};
use crate::query::{Filter, Selection};

/// The deepest expression accepted: operators applied to operators, parentheses and function
/// calls nested in each other (a chain of `|`, or of `&` and `~`, counts as one level however
/// long). Every pass over a query recurses at most this deep.
pub const MAX_DEPTH: usize = 128;

/// The plan of a query text: parsed, checked against `db` and optimised (what
/// `lineage select --explain` prints).
///
/// # Errors
/// [`Error::Query`] for a syntax error, an unknown function or argument, a bad date or kind,
/// or a name that names no node or several; [`Error::Snapshot`] or [`Error::Io`] when a
/// lazily opened file is damaged where resolving a name reads it.
pub fn plan(db: &Db, text: &str) -> Result<Plan> {
    let e = parse(text).map_err(Error::Query)?;
    plan_expr(db, &e, text)
}

/// Plans `e`, preloading first what a lazily opened `db` reads (every part, so that every
/// plan, and the [`run`] after it, reads only checked parts).
fn plan_expr(db: &Db, e: &Expr, text: &str) -> Result<Plan> {
    db.preload(&[crate::db::Preload::Parts])?;
    if depth(e) > MAX_DEPTH {
        return Err(Error::Query(QueryError::new(
            text,
            0..0,
            format!("the expression is nested more than {MAX_DEPTH} deep"),
        )
        .with_help("operators on operators, parentheses and calls count; a chain of | (or of & and ~) counts once"
        )));
    }
    let c = check::Checker { db, text };
    Ok(c.set(e)?.optimise())
}

/// The depth of an expression tree, measured without recursion.
fn depth(e: &Expr) -> usize {
    let mut stack = vec![(e, 1usize)];
    let mut max = 0;
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        if d > MAX_DEPTH {
            break;
        }
        match e {
            Expr::Word(..) | Expr::Str(..) | Expr::Param(..) => {}
            Expr::Pattern(_, v, _) | Expr::Unary(_, v, _) | Expr::At(v, ..) => {
                stack.push((v, d + 1))
            }
            Expr::Binary(op, a, b, _) => {
                // the left spine of a chain of the same class is read without recursion
                let class = |o: &SetOp| match o {
                    SetOp::Union => 0,
                    SetOp::Intersection | SetOp::Difference => 1,
                    _ => 2,
                };
                let same =
                    matches!(&**a, Expr::Binary(o2, ..) if class(o2) == class(op) && class(op) < 2);
                stack.push((a, if same { d } else { d + 1 }));
                stack.push((b, d + 1));
            }
            Expr::Call(_, args, _) => stack.extend(args.iter().map(|a| (&a.value, d + 1))),
        }
    }
    max
}

/// Runs a plan made by [`plan`] for the same `db`; `text` is the query it came from (for errors
/// found while running, such as a `path` end that is not one node).
///
/// # Errors
/// [`Error::Query`] as above.
pub fn run(db: &Db, p: &Plan, text: &str) -> Result<Selection> {
    db.preload(&[crate::db::Preload::Parts])?;
    let set = eval::Eval {
        db,
        text,
        params: &[],
    }
    .run(p)?;
    Ok(selection(db, &set))
}

fn selection(db: &Db, set: &Set) -> Selection {
    let nodes: BTreeSet<NodeId> = set.0.iter().map(|x| NodeId(x.0)).collect();
    let uncertain: BTreeSet<NodeId> = set
        .0
        .iter()
        .filter(|x| x.1 == Truth::Maybe)
        .map(|x| NodeId(x.0))
        .collect();
    let mut s = Selection::induced(db, nodes, &Filter::default());
    s.uncertain = uncertain;
    s
}

/// A query parsed, checked and planned once, to be run many times with its `$name`
/// parameters bound to nodes (as a prepared SQL statement with `?1`). Valid only for the
/// [`Db`] it was prepared on, as a [`NodeId`] is.
#[derive(Debug, Clone)]
pub struct Prepared {
    plan: Plan,
    text: String,
}

impl Prepared {
    /// The plan (what `--explain` prints).
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The answer with the parameters bound: as [`Db::select`].
    ///
    /// # Errors
    /// [`Error::Query`] for a parameter left unbound, or one bound to a node `db` lacks.
    pub fn select(&self, db: &Db, params: &[(&str, NodeId)]) -> Result<Selection> {
        Ok(selection(db, &self.select_nodes(db, params)?))
    }

    /// The nodes alone of [`Prepared::select`], as [`Db::select_nodes`].
    ///
    /// # Errors
    /// As [`Prepared::select`].
    pub fn select_nodes(&self, db: &Db, params: &[(&str, NodeId)]) -> Result<Set> {
        db.preload(&[crate::db::Preload::Parts])?;
        eval::Eval {
            db,
            text: &self.text,
            params,
        }
        .run(&self.plan)
    }
}

impl Db {
    /// Parses, checks and plans a query once, for [`Prepared::select`] to run with its
    /// parameters (`$x`) bound: the cost of the text is paid once.
    ///
    /// # Errors
    /// As [`Db::select`].
    ///
    /// # Example
    /// ```
    /// use lineage::Db;
    /// let db = Db::embedded().unwrap();
    /// let q = db.prepare("::$x & kind(party)").unwrap();
    /// for name in ["Amanat", "Ak Zhol"] {
    ///     let x = db.resolve(name).unwrap();
    ///     let by_param = q.select(&db, &[("x", x)]).unwrap();
    ///     assert_eq!(by_param, db.select(&format!("::\"{name}\" & kind(party)")).unwrap());
    /// }
    /// assert!(db.select("::$x").is_err()); // unbound
    /// ```
    pub fn prepare(&self, query: &str) -> Result<Prepared> {
        Ok(Prepared {
            plan: plan(self, query)?,
            text: query.to_string(),
        })
    }

    /// The nodes a query expression denotes, with the edges among them; members that are only
    /// possibly in the answer (reached through undated or straddling hops, or a name at a date
    /// that is not certain) are also in [`Selection::uncertain`].
    ///
    /// # Arguments
    /// - `query`: an expression of the query language (`docs/query-language.md`).
    ///
    /// # Returns
    /// A [`Selection`]: the nodes, the edges among them that pass the default filter, and the
    /// uncertain nodes.
    ///
    /// # Complexity
    /// Parsing is linear in the text; each operation costs what it reads: a closure the part of
    /// the graph it reaches, a filter the set it filters, `all()`, `~x` and a filter of the
    /// whole graph every node.
    ///
    /// # Errors
    /// [`Error::Query`], with a caret under the offending text, for a syntax error, an unknown
    /// function or argument, a bad date or kind, or a name that names no node or several;
    /// [`Error::Snapshot`] or [`Error::Io`] when a lazily opened file is damaged.
    ///
    /// # Example
    /// ```
    /// use lineage::Db;
    /// let db = Db::embedded().unwrap();
    /// let s = db.select("Otan::Amanat").unwrap();
    /// assert!(s.nodes.contains(&db.resolve("Nur Otan").unwrap()));
    /// let err = db.select("ancestor(Otan)").unwrap_err();
    /// assert!(err.to_string().contains("did you mean ancestors()?"));
    /// ```
    pub fn select(&self, query: &str) -> Result<Selection> {
        let p = plan(self, query)?;
        run(self, &p, query)
    }

    /// The nodes alone of [`Db::select`], each with how surely it is in the answer: no edges
    /// are collected, so this is the fastest way to count or test members.
    ///
    /// # Errors
    /// As [`Db::select`].
    ///
    /// # Example
    /// ```
    /// use lineage::{Db, lang::Truth};
    /// let db = Db::embedded().unwrap();
    /// let s = db.select_nodes("ancestors(Birlik, at=2014)").unwrap();
    /// let revival = db.resolve("party-of-revival").unwrap();
    /// assert!(s.members().any(|m| m == (revival, Truth::Maybe)));
    /// ```
    pub fn select_nodes(&self, query: &str) -> Result<Set> {
        let p = plan(self, query)?;
        eval::Eval {
            db: self,
            text: query,
            params: &[],
        }
        .run(&p)
    }

    /// [`Db::select`] for an expression made with the builder on [`Expr`].
    ///
    /// # Errors
    /// As [`Db::select`] (the error spans are empty: there is no text).
    ///
    /// # Example
    /// ```
    /// use lineage::{Db, NodeKind, lang::Expr};
    /// let db = Db::embedded().unwrap();
    /// let q = Expr::node("Amanat").ancestors() & Expr::kind(&[NodeKind::Party]);
    /// assert_eq!(db.select_expr(&q).unwrap(), db.select("::Amanat & kind(party)").unwrap());
    /// ```
    pub fn select_expr(&self, e: &Expr) -> Result<Selection> {
        let p = plan_expr(self, e, "")?;
        run(self, &p, "")
    }
}
