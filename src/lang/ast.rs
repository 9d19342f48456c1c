//! The syntax tree of an expression, and the typed builder that makes one without a string.
//!
//! The parser ([`super::parse`]) and the builder make the same [`Expr`]; both are checked and
//! evaluated by the same code ([`super::plan`], [`super::eval`]).

use std::ops::{BitAnd, BitOr, Not, Range, Sub};

use crate::date::DateSpec;
use crate::model::{EdgeKind, NodeKind};

/// A byte range of the query text (empty for expressions made by the builder).
pub type Span = Range<usize>;

/// A binary set operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// `x | y`
    Union,
    /// `x & y`
    Intersection,
    /// `x ~ y`
    Difference,
    /// `x::y`
    DagRange,
    /// `x..y`
    Range,
}

/// A unary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    /// `~x`
    Not,
    /// `::x`
    Ancestors,
    /// `x::`
    Descendants,
    /// `x-`
    Parents,
    /// `x+`
    Children,
}

/// An expression: a set of nodes, or (as a function argument) a value such as a date or kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// A bare word: a node id or name, or (as an argument) a kind, date or number.
    Word(String, Span),
    /// A quoted string.
    Str(String, Span),
    /// `$name`: a parameter, bound to a node when a prepared query runs.
    Param(String, Span),
    /// `kind:value`, as in `sure:1998` or `exact:"Otan"`.
    Pattern(String, Box<Expr>, Span),
    /// A binary operator.
    Binary(SetOp, Box<Expr>, Box<Expr>, Span),
    /// A unary operator.
    Unary(UnOp, Box<Expr>, Span),
    /// `x @ DATE` (the date as written, and its span).
    At(Box<Expr>, String, Span, Span),
    /// `name(args)`.
    Call(String, Vec<Arg>, Span),
}

/// A function argument, positional or `key=value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The keyword and its span, for `key=value`.
    pub key: Option<(String, Span)>,
    /// The value.
    pub value: Expr,
}

impl Expr {
    /// The span of the whole expression.
    pub fn span(&self) -> Span {
        match self {
            Expr::Word(_, s)
            | Expr::Str(_, s)
            | Expr::Param(_, s)
            | Expr::Pattern(_, _, s)
            | Expr::Binary(_, _, _, s)
            | Expr::Unary(_, _, s)
            | Expr::At(_, _, _, s)
            | Expr::Call(_, _, s) => s.clone(),
        }
    }

    // ---- the builder -------------------------------------------------------------------

    /// A node by id or name, resolved as [`crate::Db::resolve`] does.
    pub fn node(name: &str) -> Expr {
        Expr::Str(name.to_string(), 0..0)
    }

    /// A parameter `$name`, bound when the prepared query runs ([`crate::Db::prepare`]).
    pub fn param(name: &str) -> Expr {
        Expr::Param(name.to_string(), 0..0)
    }

    /// A function call with positional arguments.
    pub fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(
            name.to_string(),
            args.into_iter()
                .map(|value| Arg { key: None, value })
                .collect(),
            0..0,
        )
    }

    /// Adds a `key=value` argument to a call (no effect on anything else).
    pub fn with(mut self, key: &str, value: Expr) -> Expr {
        if let Expr::Call(_, args, _) = &mut self {
            args.push(Arg {
                key: Some((key.to_string(), 0..0)),
                value,
            });
        }
        self
    }

    /// A text value (a role, a name pattern, a source id).
    pub fn text(s: &str) -> Expr {
        Expr::Str(s.to_string(), 0..0)
    }

    /// A date value, `sure:` (definitely) unless `maybe` is set.
    pub fn date(d: &DateSpec, maybe: bool) -> Expr {
        let inner = Box::new(Expr::Str(d.as_str().to_string(), 0..0));
        Expr::Pattern(if maybe { "maybe" } else { "sure" }.into(), inner, 0..0)
    }

    /// Every node.
    pub fn all() -> Expr {
        Expr::call("all", vec![])
    }

    /// The nodes of these kinds.
    pub fn kind(kinds: &[NodeKind]) -> Expr {
        Expr::call(
            "kind",
            kinds
                .iter()
                .map(|k| Expr::Word(k.as_str().into(), 0..0))
                .collect(),
        )
    }

    /// An edge-kind value, for `kinds=` and the kind argument of `into` and `from`.
    pub fn edge_kinds(kinds: &[EdgeKind]) -> Expr {
        let mut it = kinds.iter().map(|k| Expr::Word(k.as_str().into(), 0..0));
        let first = it.next().unwrap_or_else(|| Expr::call("none", vec![]));
        it.fold(first, |a, b| {
            Expr::Binary(SetOp::Union, Box::new(a), Box::new(b), 0..0)
        })
    }

    /// `::self`: the ancestors, self included.
    pub fn ancestors(self) -> Expr {
        Expr::Unary(UnOp::Ancestors, Box::new(self), 0..0)
    }

    /// `self::`: the descendants, self included.
    pub fn descendants(self) -> Expr {
        Expr::Unary(UnOp::Descendants, Box::new(self), 0..0)
    }

    /// `self-`: the parents.
    pub fn parents(self) -> Expr {
        Expr::Unary(UnOp::Parents, Box::new(self), 0..0)
    }

    /// `self+`: the children.
    pub fn children(self) -> Expr {
        Expr::Unary(UnOp::Children, Box::new(self), 0..0)
    }

    /// `self @ date`: the name-era in force at the date.
    pub fn at(self, d: &DateSpec) -> Expr {
        Expr::At(Box::new(self), d.as_str().to_string(), 0..0, 0..0)
    }

    /// `self::other`.
    pub fn to(self, other: Expr) -> Expr {
        Expr::Binary(SetOp::DagRange, Box::new(self), Box::new(other), 0..0)
    }

    fn bin(self, op: SetOp, o: Expr) -> Expr {
        Expr::Binary(op, Box::new(self), Box::new(o), 0..0)
    }
}

impl BitOr for Expr {
    type Output = Expr;
    /// `self | o`
    fn bitor(self, o: Expr) -> Expr {
        self.bin(SetOp::Union, o)
    }
}

impl BitAnd for Expr {
    type Output = Expr;
    /// `self & o`
    fn bitand(self, o: Expr) -> Expr {
        self.bin(SetOp::Intersection, o)
    }
}

impl Sub for Expr {
    type Output = Expr;
    /// `self ~ o`
    fn sub(self, o: Expr) -> Expr {
        self.bin(SetOp::Difference, o)
    }
}

impl Not for Expr {
    type Output = Expr;
    /// `~self`
    fn not(self) -> Expr {
        Expr::Unary(UnOp::Not, Box::new(self), 0..0)
    }
}
