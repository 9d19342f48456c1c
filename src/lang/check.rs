//! Checking an expression against the function table and lowering it to a [`Plan`]: names are
//! resolved (an ambiguous name is an error listing the candidates), arguments are read as the
//! types their function takes, and every mistake is a [`QueryError`] at its span.
//!
//! Longer than most files because it is the function table and its checks: one arm a function,
//! kept beside the table so that the two cannot disagree.

use super::ast::{Arg, Expr, SetOp, Span, UnOp};
use super::plan::{Mode, Plan, Pred, Rel, When};
use crate::date::DateSpec;
use crate::db::Db;
use crate::error::{Error, QueryError, Result};
use crate::model::{EdgeKind, KindSet, NodeKind};
use crate::names::normalize;
use crate::query::{Direction, Filter};

/// Every function: its name and its argument names (positional first, then `key=` only).
pub const FUNCTIONS: &[(&str, &[&str], &[&str])] = &[
    ("all", &[], &[]),
    ("none", &[], &[]),
    ("ancestors", &["x"], &["depth", "kinds", "at"]),
    ("descendants", &["x"], &["depth", "kinds", "at"]),
    ("chain", &["x"], &[]),
    ("alive", &["date"], &[]),
    ("founded", &["date"], &[]),
    ("ended", &["date"], &[]),
    ("into", &["x", "kind"], &["when"]),
    ("from", &["x", "kind"], &["when"]),
    ("heads", &["x"], &[]),
    ("roots", &["x"], &[]),
    ("common", &["x"], &[]),
    ("path", &["a", "b"], &[]),
    ("leaders", &["x"], &["role", "during"]),
    ("led_by", &["p"], &["role", "during"]),
    ("founders", &["x"], &[]),
    ("founded_by", &["p"], &[]),
    ("members", &["b"], &["during"]),
    ("blocs", &["x"], &["during"]),
    ("sourced", &["source"], &[]),
    ("disputed", &[], &[]),
    ("ext", &["scheme"], &["id"]),
    ("kind", &["kind"], &[]),
    ("name", &["pattern"], &[]),
];

/// The checker: the database names are resolved in, and the query text spans refer to.
pub struct Checker<'a> {
    /// The database.
    pub db: &'a Db,
    /// The query text (empty for a built expression).
    pub text: &'a str,
}

/// The option most like `word`, if one is close enough to suggest.
fn nearest<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    crate::names::closest_id(word, options.into_iter())
}

impl Checker<'_> {
    fn err(&self, span: &Span, msg: impl Into<String>) -> Error {
        Error::Query(QueryError::new(self.text, span.clone(), msg))
    }

    fn err_help(&self, span: &Span, msg: impl Into<String>, help: impl Into<String>) -> Error {
        Error::Query(QueryError::new(self.text, span.clone(), msg).with_help(help))
    }

    /// An expression as a set of nodes.
    pub fn set(&self, e: &Expr) -> Result<Plan> {
        match e {
            Expr::Word(w, s) | Expr::Str(w, s) => self.name(w, s, matches!(e, Expr::Word(..))),
            Expr::Param(p, s) => Ok(Plan::Param(p.clone(), s.clone())),
            Expr::Pattern(k, _, s) => Err(self.err_help(
                s,
                format!("`{k}:` is not a set of nodes"),
                "prefixed values such as sure:1998 are arguments of alive(), founded() and the like; quote a name that holds a colon",
            )),
            // long chains of `|`, or of `&` and `~`, are read as one n-ary operation, without
            // recursing down their left spine
            Expr::Binary(SetOp::Union, ..) => {
                let mut terms = Vec::new();
                let mut cur = e;
                while let Expr::Binary(SetOp::Union, a, b, _) = cur {
                    terms.push(&**b);
                    cur = a;
                }
                terms.push(cur);
                terms.reverse();
                Ok(Plan::Union(terms.into_iter().map(|t| self.set(t)).collect::<Result<_>>()?))
            }
            Expr::Binary(SetOp::Intersection | SetOp::Difference, ..) => {
                let (mut pos, mut neg) = (Vec::new(), Vec::new());
                let mut cur = e;
                loop {
                    match cur {
                        Expr::Binary(SetOp::Intersection, _, b, _) => pos.push(&**b),
                        Expr::Binary(SetOp::Difference, _, b, _) => neg.push(&**b),
                        _ => {
                            pos.push(cur);
                            break;
                        }
                    }
                    let Expr::Binary(_, a, _, _) = cur else {
                        unreachable!("matched as a binary operator above")
                    };
                    cur = a;
                }
                pos.reverse();
                neg.reverse();
                let pos: Vec<Plan> = pos.into_iter().map(|t| self.set(t)).collect::<Result<_>>()?;
                let base = if pos.len() == 1 {
                    pos.into_iter().next().expect("one")
                } else {
                    Plan::Inter(pos)
                };
                Ok(match neg.len() {
                    0 => base,
                    _ => {
                        let neg: Vec<Plan> =
                            neg.into_iter().map(|t| self.set(t)).collect::<Result<_>>()?;
                        let u = if neg.len() == 1 {
                            neg.into_iter().next().expect("one")
                        } else {
                            Plan::Union(neg)
                        };
                        Plan::Diff(Box::new(base), Box::new(u))
                    }
                })
            }
            Expr::Binary(op, a, b, _) => {
                let (a, b) = (self.set(a)?, self.set(b)?);
                Ok(match op {
                    SetOp::DagRange => Plan::Inter(vec![
                        closure(a, Direction::Descendants, Filter::default()),
                        closure(b, Direction::Ancestors, Filter::default()),
                    ]),
                    _ => Plan::Diff(
                        Box::new(closure(b, Direction::Ancestors, Filter::default())),
                        Box::new(closure(a, Direction::Ancestors, Filter::default())),
                    ),
                })
            }
            Expr::Unary(op, a, _) => {
                let a = self.set(a)?;
                Ok(match op {
                    UnOp::Not => Plan::Not(Box::new(a)),
                    UnOp::Ancestors => closure(a, Direction::Ancestors, Filter::default()),
                    UnOp::Descendants => closure(a, Direction::Descendants, Filter::default()),
                    UnOp::Parents => Plan::Hop(Box::new(a), true),
                    UnOp::Children => Plan::Hop(Box::new(a), false),
                })
            }
            Expr::At(a, date, ds, _) => {
                let d = self.date_text(&normal_date(date), ds)?;
                Ok(Plan::At(Box::new(self.set(a)?), d))
            }
            Expr::Call(name, args, s) => self.call(name, args, s),
        }
    }

    fn name(&self, w: &str, s: &Span, bare: bool) -> Result<Plan> {
        match self.db.resolve(w) {
            Ok(n) => Ok(Plan::Node(n)),
            Err(Error::UnknownName { suggestions, .. }) => {
                let mut help: Vec<String> = suggestions
                    .iter()
                    .map(|c| format!("{} ({})", c.id, c.name))
                    .collect();
                if bare && FUNCTIONS.iter().any(|f| f.0 == w) {
                    help.insert(0, format!("{w}()"));
                }
                let msg = format!("no node is called {w:?}");
                Err(if help.is_empty() {
                    self.err(s, msg)
                } else {
                    self.err_help(s, msg, format!("did you mean {}?", help.join(", or ")))
                })
            }
            Err(Error::Ambiguous { candidates, .. }) => {
                let list: Vec<String> = candidates
                    .iter()
                    .map(|c| {
                        if c.years.is_empty() {
                            format!("{} ({}, {})", c.id, c.name, c.kind)
                        } else {
                            format!("{} ({}, {}, {})", c.id, c.name, c.kind, c.years)
                        }
                    })
                    .collect();
                Err(self.err_help(
                    s,
                    format!("{w:?} is ambiguous: it names {} nodes", candidates.len()),
                    format!("write one of the ids: {}", list.join("; ")),
                ))
            }
            Err(e) => Err(e),
        }
    }

    fn call(&self, name: &str, args: &[Arg], span: &Span) -> Result<Plan> {
        let Some(&(_, pos, kw)) = FUNCTIONS.iter().find(|f| f.0 == name) else {
            let msg = format!("no function is called {name}()");
            return Err(match nearest(name, FUNCTIONS.iter().map(|f| f.0)) {
                Some(n) => self.err_help(span, msg, format!("did you mean {n}()?")),
                None => self.err_help(span, msg, "docs/query-language.md lists the functions"),
            });
        };
        let a = Args::sort(self, name, pos, kw, args, span)?;
        let set = |i: usize| self.set(a.pos[i]);
        let opt_when = |k: &str| a.key(k).map(|e| self.when(e)).transpose();
        let role = || {
            a.key("role")
                .map(|e| self.text_arg(e).map(|t| normalize(&t)))
                .transpose()
        };
        Ok(match name {
            "all" => Plan::All,
            "none" => Plan::Nothing,
            "ancestors" | "descendants" => {
                let mut f = Filter::default();
                if let Some(d) = a.key("depth") {
                    f.max_depth = Some(self.number(d)?);
                }
                if let Some(k) = a.key("kinds") {
                    f.kinds = self.edge_kinds(k)?;
                }
                if let Some(d) = a.key("at") {
                    f.at = Some(self.date(d)?.0.latest());
                }
                let dir = if name == "ancestors" {
                    Direction::Ancestors
                } else {
                    Direction::Descendants
                };
                closure(set(0)?, dir, f)
            }
            "chain" => Plan::Chain(Box::new(set(0)?)),
            "alive" => pred(Pred::Alive(self.when(a.pos[0])?)),
            "founded" => pred(Pred::Founded(self.when(a.pos[0])?)),
            "ended" => pred(Pred::Ended(self.when(a.pos[0])?)),
            "into" | "from" => Plan::Step(
                Box::new(set(0)?),
                self.edge_kinds(a.pos[1])?,
                opt_when("when")?,
                name == "into",
            ),
            "heads" => Plan::Heads(Box::new(set(0)?)),
            "roots" => Plan::Roots(Box::new(set(0)?)),
            "common" => Plan::Common(Box::new(set(0)?)),
            "path" => Plan::Path(
                Box::new(set(0)?),
                Box::new(set(1)?),
                a.pos[0].span(),
                a.pos[1].span(),
            ),
            "leaders" => Plan::Rel(
                Rel::Leaders,
                Box::new(set(0)?),
                role()?,
                opt_when("during")?,
            ),
            "led_by" => Plan::Rel(Rel::LedBy, Box::new(set(0)?), role()?, opt_when("during")?),
            "founders" => Plan::Rel(Rel::Founders, Box::new(set(0)?), None, None),
            "founded_by" => Plan::Rel(Rel::FoundedBy, Box::new(set(0)?), None, None),
            "members" => Plan::Rel(Rel::Members, Box::new(set(0)?), None, opt_when("during")?),
            "blocs" => Plan::Rel(Rel::Blocs, Box::new(set(0)?), None, opt_when("during")?),
            "sourced" => {
                let src = self.text_arg(a.pos[0])?;
                if self.db.source(&src).is_none() {
                    let ids = self.db.sources().iter().map(|s| s.id.as_str());
                    let msg = format!("no source is called {src:?}");
                    return Err(match nearest(&src, ids) {
                        Some(n) => {
                            self.err_help(&a.pos[0].span(), msg, format!("did you mean {n}?"))
                        }
                        None => self.err(&a.pos[0].span(), msg),
                    });
                }
                pred(Pred::Sourced(src))
            }
            "disputed" => pred(Pred::Disputed),
            "ext" => pred(Pred::Ext(
                self.text_arg(a.pos[0])?,
                a.key("id").map(|e| self.text_arg(e)).transpose()?,
            )),
            "kind" => {
                let mut kinds = Vec::new();
                for e in &a.rest {
                    kinds.push(self.node_kind(e)?);
                }
                pred(Pred::Kind(kinds))
            }
            "name" => {
                let (exact, e) = match a.pos[0] {
                    Expr::Pattern(k, v, _) if k == "exact" => (true, &**v),
                    e => (false, e),
                };
                let folded = normalize(&self.text_arg(e)?);
                if folded.is_empty() {
                    return Err(self.err(&e.span(), "the name pattern has no letters or digits"));
                }
                pred(Pred::Name { folded, exact })
            }
            _ => unreachable!("every function of FUNCTIONS is handled"),
        })
    }

    /// The text of a value: a word, a string, or (for a built expression) what it holds.
    fn text_arg(&self, e: &Expr) -> Result<String> {
        match e {
            Expr::Word(w, _) | Expr::Str(w, _) => Ok(w.clone()),
            other => Err(self.err_help(
                &other.span(),
                "expected a word or a quoted string here",
                "quote text that holds spaces or operators: \"Civic Party\"",
            )),
        }
    }

    fn number(&self, e: &Expr) -> Result<u32> {
        let t = self.text_arg(e)?;
        t.parse::<u32>()
            .map_err(|_| self.err(&e.span(), format!("{t:?} is not a whole number from 0")))
    }

    /// A date argument with its mode: `1998`, `"early 1998"`, `1990..1995`, `before:1999`,
    /// `sure:...` or `maybe:...`.
    fn date(&self, e: &Expr) -> Result<(DateSpec, Mode)> {
        let (mode, inner) = match e {
            Expr::Pattern(k, v, _) if k == "sure" => (Mode::Sure, &**v),
            Expr::Pattern(k, v, _) if k == "maybe" => (Mode::Maybe, &**v),
            _ => (Mode::Sure, e),
        };
        let text = self.raw(inner);
        Ok((self.date_text(&text, &inner.span())?, mode))
    }

    fn when(&self, e: &Expr) -> Result<When> {
        let (date, mode) = self.date(e)?;
        Ok(When { date, mode })
    }

    fn date_text(&self, text: &str, span: &Span) -> Result<DateSpec> {
        DateSpec::parse(&normal_date(text)).map_err(|d| {
            self.err_help(
                span,
                format!("{text:?} is not a date: {}", d.reason),
                "dates are written 1998, 1998-11, 1998-11-17, 1990s, early_1998 or \"early 1998\", 1990..1995, before:1999, after:2005",
            )
        })
    }

    /// The text an argument was written as (a date may parse as a range or a pattern).
    fn raw(&self, e: &Expr) -> String {
        match e {
            Expr::Word(w, _) | Expr::Str(w, _) => w.clone(),
            Expr::Pattern(k, v, _) => format!("{k}:{}", self.raw(v)),
            other => {
                let s = other.span();
                self.text.get(s).unwrap_or_default().to_string()
            }
        }
    }

    fn edge_kinds(&self, e: &Expr) -> Result<KindSet> {
        match e {
            Expr::Binary(SetOp::Union, a, b, _) => {
                let (a, b) = (self.edge_kinds(a)?, self.edge_kinds(b)?);
                Ok(EdgeKind::ALL
                    .iter()
                    .filter(|k| a.contains(**k) || b.contains(**k))
                    .fold(KindSet::empty(), |s, k| s.with(*k)))
            }
            Expr::Word(w, s) | Expr::Str(w, s) => {
                if w == "lineage" {
                    return Ok(KindSet::LINEAGE);
                }
                match EdgeKind::parse(w) {
                    Some(k) => Ok(KindSet::empty().with(k)),
                    None => {
                        let names: Vec<&str> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
                        let guess = nearest(w, names.iter().copied())
                            .map_or(String::new(), |n| format!("did you mean {n}? "));
                        Err(self.err_help(
                            s,
                            format!("no edge kind is called {w:?}"),
                            format!("{guess}use one of: {}, or lineage (the first six); join several with |", names.join(", ")),
                        ))
                    }
                }
            }
            other => Err(self.err(
                &other.span(),
                "expected an edge kind (split, merger|renaming, ...)",
            )),
        }
    }

    fn node_kind(&self, e: &Expr) -> Result<NodeKind> {
        let t = self.text_arg(e)?;
        let l = t.to_lowercase();
        let k = match l.trim_end_matches('s') {
            "party" | "partie" => Some(NodeKind::Party),
            "movement" => Some(NodeKind::Movement),
            "bloc" => Some(NodeKind::Bloc),
            "organisation" | "organization" => Some(NodeKind::Organisation),
            "person" | "people" => Some(NodeKind::Person),
            _ => None,
        };
        k.ok_or_else(|| {
            let names: Vec<&str> = NodeKind::ALL.iter().map(|k| k.as_str()).collect();
            let guess = nearest(&l, names.iter().copied())
                .map_or(String::new(), |n| format!("did you mean {n}? "));
            self.err_help(
                &e.span(),
                format!("no node kind is called {t:?}"),
                format!("{guess}use one of: {}", names.join(", ")),
            )
        })
    }
}

/// `before:1999`, `early_1998`: the forms a word can hold, as the date parser reads them.
fn normal_date(t: &str) -> String {
    let t = t.replace('_', " ");
    for q in ["before:", "after:", "about:", "circa:"] {
        if let Some(r) = t.strip_prefix(q) {
            return format!("{} {r}", &q[..q.len() - 1]);
        }
    }
    t
}

fn pred(p: Pred) -> Plan {
    Plan::Filter(Box::new(Plan::All), vec![p])
}

fn closure(input: Plan, dir: Direction, f: Filter) -> Plan {
    Plan::Closure(Box::new(input), dir, f)
}

/// A call's arguments, sorted into positional and keyword ones.
struct Args<'e> {
    pos: Vec<&'e Expr>,
    /// Positional arguments beyond the named ones (`kind(party, movement)`), the first included.
    rest: Vec<&'e Expr>,
    keys: Vec<(&'e str, &'e Expr)>,
}

impl<'e> Args<'e> {
    fn sort(
        c: &Checker,
        name: &str,
        pos: &[&str],
        kw: &[&str],
        args: &'e [Arg],
        span: &Span,
    ) -> Result<Args<'e>> {
        let variadic = name == "kind";
        let mut out = Args {
            pos: Vec::new(),
            rest: Vec::new(),
            keys: Vec::new(),
        };
        for a in args {
            match &a.key {
                None => {
                    if !out.keys.is_empty() {
                        return Err(c.err(
                            &a.value.span(),
                            "a positional argument after a key=value one",
                        ));
                    }
                    if out.pos.len() < pos.len() {
                        out.pos.push(&a.value);
                    } else if !variadic {
                        return Err(c.err_help(
                            &a.value.span(),
                            format!(
                                "{name}() takes {} positional argument{}",
                                pos.len(),
                                if pos.len() == 1 { "" } else { "s" }
                            ),
                            signature(name, pos, kw),
                        ));
                    }
                    if variadic {
                        out.rest.push(&a.value);
                    }
                }
                Some((k, ks)) => {
                    let allowed = kw.contains(&k.as_str()) || pos.contains(&k.as_str());
                    if !allowed {
                        let msg = format!("{name}() has no argument {k}=");
                        let all = kw.iter().chain(pos).copied();
                        return Err(match nearest(k, all) {
                            Some(n) => c.err_help(
                                ks,
                                msg,
                                format!("did you mean {n}=? {}", signature(name, pos, kw)),
                            ),
                            None => c.err_help(ks, msg, signature(name, pos, kw)),
                        });
                    }
                    if out.keys.iter().any(|(x, _)| x == k) {
                        return Err(c.err(ks, format!("{k}= is given twice")));
                    }
                    out.keys.push((k.as_str(), &a.value));
                }
            }
        }
        // positional parameters given by name (`path(a=x, b=y)`)
        for (i, p) in pos.iter().enumerate() {
            if i >= out.pos.len() {
                if let Some(at) = out.keys.iter().position(|(k, _)| k == p) {
                    let (_, v) = out.keys.remove(at);
                    if i == out.pos.len() {
                        out.pos.push(v);
                        if variadic {
                            out.rest.push(v);
                        }
                        continue;
                    }
                }
                return Err(c.err_help(
                    span,
                    format!("{name}() needs its argument {p}"),
                    signature(name, pos, kw),
                ));
            } else if out.keys.iter().any(|(k, _)| k == p) {
                return Err(c.err(span, format!("{p} is given twice")));
            }
        }
        Ok(out)
    }

    fn key(&self, k: &str) -> Option<&'e Expr> {
        self.keys.iter().find(|(x, _)| *x == k).map(|x| x.1)
    }
}

fn signature(name: &str, pos: &[&str], kw: &[&str]) -> String {
    let mut parts: Vec<String> = pos.iter().map(|p| p.to_string()).collect();
    if name == "kind" {
        parts.push("...".into());
    }
    parts.extend(kw.iter().map(|k| format!("{k}=")));
    format!("usage: {name}({})", parts.join(", "))
}
