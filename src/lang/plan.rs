//! The plan: an expression with its names resolved, its arguments typed, and its filters pushed
//! into the sets they filter. `lineage select --explain` prints it.

use std::fmt::{self, Write};

use super::ast::Span;
use crate::date::DateSpec;
use crate::db::{Db, NodeId};
use crate::model::{KindSet, NodeKind};
use crate::query::{Direction, Filter};

/// How a date condition is read: definitely (`sure:`, the default) or possibly (`maybe:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Definitely: every date the interval allows satisfies the condition.
    Sure,
    /// Possibly: some date the interval allows satisfies it.
    Maybe,
}

/// A date condition: the date as written and how it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    /// The date.
    pub date: DateSpec,
    /// Sure or maybe.
    pub mode: Mode,
}

/// A test on one node, which needs no traversal: pushed into the set it filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pred {
    /// `kind(...)`
    Kind(Vec<NodeKind>),
    /// `name(pattern)`: fuzzy, or exact with `exact:`.
    Name {
        /// The pattern as folded for lookup.
        folded: String,
        /// Whether only an exact (folded) match counts.
        exact: bool,
    },
    /// `alive(D)`: in existence at some moment of D.
    Alive(When),
    /// `founded(D)`: founded within D.
    Founded(When),
    /// `ended(D)`: ended within D.
    Ended(When),
    /// `sourced(src)`: the node's record cites the source.
    Sourced(String),
    /// `disputed()`: sources disagree on one of its dates.
    Disputed,
    /// `ext(scheme, id)`: it has this external id (any id of the scheme without `id`).
    Ext(String, Option<String>),
}

/// The people and blocs relations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rel {
    /// `leaders(x)`: people who led x.
    Leaders,
    /// `led_by(p)`: organisations p led.
    LedBy,
    /// `founders(x)`: people who founded x.
    Founders,
    /// `founded_by(p)`: organisations p founded.
    FoundedBy,
    /// `members(b)`: the members of bloc b.
    Members,
    /// `blocs(x)`: the blocs x belonged to.
    Blocs,
}

impl Rel {
    /// The function's name in the language.
    pub fn name(self) -> &'static str {
        match self {
            Rel::Leaders => "leaders",
            Rel::LedBy => "led_by",
            Rel::Founders => "founders",
            Rel::FoundedBy => "founded_by",
            Rel::Members => "members",
            Rel::Blocs => "blocs",
        }
    }
}

/// A query plan: what the evaluator runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// Every node.
    All,
    /// No node.
    Nothing,
    /// One resolved name.
    Node(NodeId),
    /// A parameter, bound when the plan runs (with its span, for an unbound one).
    Param(String, Span),
    /// `a | b | ...`
    Union(Vec<Plan>),
    /// `a & b & ...`
    Inter(Vec<Plan>),
    /// `a ~ b`
    Diff(Box<Plan>, Box<Plan>),
    /// `~a`
    Not(Box<Plan>),
    /// The members of a set that pass every test.
    Filter(Box<Plan>, Vec<Pred>),
    /// A closure, the input included.
    Closure(Box<Plan>, Direction, Filter),
    /// One lineage hop: parents (`up`) or children.
    Hop(Box<Plan>, bool),
    /// `x @ D`
    At(Box<Plan>, DateSpec),
    /// `chain(x)`
    Chain(Box<Plan>),
    /// `into(x, kinds, when=)` (`up`: the nodes that went into x) or `from(...)`.
    Step(Box<Plan>, KindSet, Option<When>, bool),
    /// `heads(x)`
    Heads(Box<Plan>),
    /// `roots(x)`
    Roots(Box<Plan>),
    /// `common(x)`
    Common(Box<Plan>),
    /// `path(a, b)`, with the spans of its arguments for errors.
    Path(Box<Plan>, Box<Plan>, Span, Span),
    /// A people or blocs relation, with a role pattern (folded) and a term date.
    Rel(Rel, Box<Plan>, Option<String>, Option<When>),
}

impl Plan {
    /// The plan with unions and intersections flattened, `a & ~b` turned into `a ~ b`, and
    /// tests on single nodes pushed into the sets they filter (`kind(party) & ::x` filters the
    /// members of `::x` instead of listing every party).
    pub fn optimise(self) -> Plan {
        match self {
            Plan::Union(v) => {
                let mut out = Vec::new();
                for p in v {
                    match p.optimise() {
                        Plan::Union(w) => out.extend(w),
                        Plan::Nothing => {}
                        q => out.push(q),
                    }
                }
                match out.len() {
                    0 => Plan::Nothing,
                    1 => out.pop().expect("one"),
                    _ => Plan::Union(out),
                }
            }
            Plan::Inter(v) => {
                let mut sets = Vec::new();
                let mut preds = Vec::new();
                let mut nots = Vec::new();
                let mut flat = Vec::new();
                for p in v {
                    match p.optimise() {
                        Plan::Inter(w) => flat.extend(w),
                        q => flat.push(q),
                    }
                }
                for p in flat {
                    match p {
                        Plan::All => {}
                        Plan::Filter(inner, ps) if *inner == Plan::All => preds.extend(ps),
                        Plan::Not(x) => nots.push(*x),
                        q => sets.push(q),
                    }
                }
                let base = match sets.len() {
                    0 => Plan::All,
                    1 => sets.pop().expect("one"),
                    _ => Plan::Inter(sets),
                };
                let base = match (base, nots.len()) {
                    (b, 0) => b,
                    (b, 1) => Plan::Diff(Box::new(b), Box::new(nots.pop().expect("one"))),
                    (b, _) => Plan::Diff(Box::new(b), Box::new(Plan::Union(nots))),
                };
                if preds.is_empty() {
                    base
                } else {
                    Plan::Filter(Box::new(base), preds)
                }
            }
            Plan::Filter(inner, mut preds) => match inner.optimise() {
                Plan::Filter(i, ps) => {
                    preds.extend(ps);
                    Plan::Filter(i, preds)
                }
                i => Plan::Filter(Box::new(i), preds),
            },
            Plan::Diff(a, b) => Plan::Diff(Box::new(a.optimise()), Box::new(b.optimise())),
            Plan::Not(a) => match a.optimise() {
                Plan::Not(x) => *x,
                x => Plan::Not(Box::new(x)),
            },
            Plan::Closure(a, d, f) => Plan::Closure(Box::new(a.optimise()), d, f),
            Plan::Hop(a, up) => Plan::Hop(Box::new(a.optimise()), up),
            Plan::At(a, d) => Plan::At(Box::new(a.optimise()), d),
            Plan::Chain(a) => Plan::Chain(Box::new(a.optimise())),
            Plan::Step(a, k, w, up) => Plan::Step(Box::new(a.optimise()), k, w, up),
            Plan::Heads(a) => Plan::Heads(Box::new(a.optimise())),
            Plan::Roots(a) => Plan::Roots(Box::new(a.optimise())),
            Plan::Common(a) => Plan::Common(Box::new(a.optimise())),
            Plan::Path(a, b, sa, sb) => {
                Plan::Path(Box::new(a.optimise()), Box::new(b.optimise()), sa, sb)
            }
            Plan::Rel(r, a, role, w) => Plan::Rel(r, Box::new(a.optimise()), role, w),
            p => p,
        }
    }

    /// The plan as an indented tree, one operation a line, names shown by id.
    pub fn explain(&self, db: &Db) -> String {
        let mut out = String::new();
        self.write(db, 0, &mut out);
        out
    }

    fn write(&self, db: &Db, depth: usize, o: &mut String) {
        let pad = "  ".repeat(depth);
        let kids: Vec<&Plan> = match self {
            Plan::All => return line(o, &pad, "all"),
            Plan::Nothing => return line(o, &pad, "none"),
            Plan::Node(n) => return line(o, &pad, &format!("node {}", db.id(*n))),
            Plan::Param(p, _) => return line(o, &pad, &format!("parameter ${p}")),
            Plan::Union(v) => {
                line(o, &pad, "union");
                v.iter().collect()
            }
            Plan::Inter(v) => {
                line(o, &pad, "intersection");
                v.iter().collect()
            }
            Plan::Diff(a, b) => {
                line(o, &pad, "difference");
                vec![a, b]
            }
            Plan::Not(a) => {
                line(o, &pad, "complement");
                vec![a]
            }
            Plan::Filter(a, ps) => {
                let tests: Vec<String> = ps.iter().map(|p| p.to_string()).collect();
                line(o, &pad, &format!("filter {}", tests.join(" and ")));
                vec![a]
            }
            Plan::Closure(a, d, f) => {
                let mut s = String::from(match d {
                    Direction::Ancestors => "ancestors",
                    Direction::Descendants => "descendants",
                });
                if f.kinds != KindSet::LINEAGE {
                    let _ = write!(s, " kinds={}", kinds_text(f.kinds));
                }
                if let Some(m) = f.max_depth {
                    let _ = write!(s, " depth={m}");
                }
                if let Some(d) = f.at {
                    let _ = write!(s, " at={}", crate::date::format_day(d));
                }
                line(o, &pad, &s);
                vec![a]
            }
            Plan::Hop(a, up) => {
                line(o, &pad, if *up { "parents" } else { "children" });
                vec![a]
            }
            Plan::At(a, d) => {
                line(o, &pad, &format!("at {d}"));
                vec![a]
            }
            Plan::Chain(a) => {
                line(o, &pad, "chain");
                vec![a]
            }
            Plan::Step(a, k, w, up) => {
                let mut s = format!("{} {}", if *up { "into" } else { "from" }, kinds_text(*k));
                if let Some(w) = w {
                    let _ = write!(s, " when={w}");
                }
                line(o, &pad, &s);
                vec![a]
            }
            Plan::Heads(a) => {
                line(o, &pad, "heads");
                vec![a]
            }
            Plan::Roots(a) => {
                line(o, &pad, "roots");
                vec![a]
            }
            Plan::Common(a) => {
                line(o, &pad, "nearest common ancestors");
                vec![a]
            }
            Plan::Path(a, b, _, _) => {
                line(o, &pad, "time-respecting path");
                vec![a, b]
            }
            Plan::Rel(r, a, role, w) => {
                let mut s = r.name().to_string();
                if let Some(role) = role {
                    let _ = write!(s, " role~{role:?}");
                }
                if let Some(w) = w {
                    let _ = write!(s, " during={w}");
                }
                line(o, &pad, &s);
                vec![a]
            }
        };
        for k in kids {
            k.write(db, depth + 1, o);
        }
    }
}

fn line(o: &mut String, pad: &str, s: &str) {
    let _ = writeln!(o, "{pad}{s}");
}

fn kinds_text(k: KindSet) -> String {
    let v: Vec<&str> = crate::model::EdgeKind::ALL
        .iter()
        .filter(|e| k.contains(**e))
        .map(|e| e.as_str())
        .collect();
    v.join("|")
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = match self.mode {
            Mode::Sure => "sure",
            Mode::Maybe => "maybe",
        };
        write!(f, "{m}:{:?}", self.date.as_str())
    }
}

impl fmt::Display for Pred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pred::Kind(k) => {
                let v: Vec<&str> = k.iter().map(|k| k.as_str()).collect();
                write!(f, "kind({})", v.join(", "))
            }
            Pred::Name { folded, exact } => {
                write!(f, "name({}{folded:?})", if *exact { "exact:" } else { "" })
            }
            Pred::Alive(w) => write!(f, "alive({w})"),
            Pred::Founded(w) => write!(f, "founded({w})"),
            Pred::Ended(w) => write!(f, "ended({w})"),
            Pred::Sourced(s) => write!(f, "sourced({s:?})"),
            Pred::Disputed => f.write_str("disputed()"),
            Pred::Ext(s, None) => write!(f, "ext({s:?})"),
            Pred::Ext(s, Some(i)) => write!(f, "ext({s:?}, {i:?})"),
        }
    }
}
