//! Text to [`Expr`]: the pest grammar (`grammar.pest`) and its Pratt parser for precedence.
//!
//! Before pest sees the text, its size and nesting are bounded, so that no input can exhaust
//! the stack or take long: at most [`MAX_QUERY_BYTES`] bytes, parentheses nested at most
//! [`MAX_NESTING`] deep, and at most [`MAX_OPERATORS`] operators and operands in all (every
//! later pass recurses over the tree, whose depth this bounds).

use std::sync::LazyLock;

use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::{Arg, Expr, SetOp, Span, UnOp};
use crate::error::QueryError;

/// The longest query text accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 16 * 1024;
/// The deepest nesting of parentheses accepted.
pub const MAX_NESTING: usize = 64;
/// The most operators and operands (words, strings, calls) in one query.
pub const MAX_OPERATORS: usize = 1000;
/// The most prefix operators in a row (`~~::x`): the Pratt parser recurses once for each.
pub const MAX_RUN: usize = 64;

#[derive(pest_derive::Parser)]
#[grammar = "lang/grammar.pest"]
struct Grammar;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::union, Assoc::Left))
        .op(Op::infix(Rule::intersection, Assoc::Left) | Op::infix(Rule::difference, Assoc::Left))
        .op(Op::prefix(Rule::negate))
        .op(Op::infix(Rule::dag_range, Assoc::Left)
            | Op::infix(Rule::range, Assoc::Left)
            | Op::prefix(Rule::ancestors_op)
            | Op::postfix(Rule::descendants_op))
        .op(Op::postfix(Rule::parents_op)
            | Op::postfix(Rule::children_op)
            | Op::postfix(Rule::at_op))
});

/// Parses a query.
///
/// # Errors
/// A [`QueryError`] at the offending span: a syntax error says what was expected there.
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    precheck(text)?;
    let mut pairs = Grammar::parse(Rule::query, text).map_err(|e| syntax_error(text, e))?;
    let query = pairs.next().expect("the query rule matched");
    // one pass over every token: how many there are, and the longest run of prefix operators
    // (preorder lists a run of leaf tokens together)
    let (mut count, mut run) = (0usize, 0usize);
    for p in query.clone().into_inner().flatten() {
        count += 1;
        if matches!(p.as_rule(), Rule::negate | Rule::ancestors_op) {
            run += 1;
            if run > MAX_RUN {
                return Err(QueryError::new(
                    text,
                    span_of(&p),
                    format!("more than {MAX_RUN} prefix operators in a row"),
                ));
            }
        } else if p.as_rule() != Rule::expression {
            run = 0;
        }
    }
    if count > MAX_OPERATORS * 2 {
        return Err(
            QueryError::new(text, 0..text.len(), "the query is too complex")
                .with_help(format!("at most {MAX_OPERATORS} operators and operands")),
        );
    }
    let expr = query.into_inner().next().expect("an expression");
    build(text, expr.into_inner())
}

/// The bounds checked before parsing: the length, and the nesting of parentheses outside
/// strings.
fn precheck(text: &str) -> Result<(), QueryError> {
    if text.len() > MAX_QUERY_BYTES {
        return Err(QueryError::new(
            text,
            MAX_QUERY_BYTES..text.len(),
            format!(
                "the query is {} bytes long, more than {MAX_QUERY_BYTES}",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(QueryError::new(text, 0..text.len(), "the query is empty")
            .with_help("try a name (Otan), ::Otan for its ancestors, or all()"));
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(QueryError::new(
                        text,
                        i..i + 1,
                        format!("parentheses nested more than {MAX_NESTING} deep"),
                    ));
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The words a syntax error uses for each token.
fn rule_name(r: &Rule) -> String {
    match r {
        Rule::EOI => "the end of the query",
        Rule::expression | Rule::argument | Rule::query => "an expression",
        Rule::union => "`|`",
        Rule::intersection => "`&`",
        Rule::difference | Rule::negate => "`~`",
        Rule::dag_range | Rule::ancestors_op | Rule::descendants_op => "`::`",
        Rule::range => "`..`",
        Rule::parents_op => "`-`",
        Rule::children_op => "`+`",
        Rule::at_op => "`@ DATE`",
        Rule::date_operand => "a date",
        Rule::call | Rule::func_name => "a function call",
        Rule::keyword => "an argument name",
        Rule::pattern | Rule::pattern_kind => "a prefixed value",
        Rule::string | Rule::string_inner => "a quoted string",
        Rule::word => "a name",
        Rule::param => "a parameter",
        _ => "something else",
    }
    .to_string()
}

fn syntax_error(text: &str, e: pest::error::Error<Rule>) -> QueryError {
    use pest::error::{ErrorVariant, InputLocation};
    let span = match e.location {
        InputLocation::Pos(p) => p..(p + text[p..].chars().next().map_or(0, char::len_utf8)),
        InputLocation::Span((a, b)) => a..b,
    };
    let found = text[span.start..]
        .chars()
        .next()
        .map_or("the end of the query".to_string(), |c| format!("{c:?}"));
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(rule_name).collect();
            names.sort();
            names.dedup();
            names
        }
        ErrorVariant::CustomError { message } => vec![message.clone()],
    };
    let before = text[..span.start].trim_end();
    let adjacent = before.len() < span.start
        && before.ends_with(|c: char| c.is_alphanumeric() || c == '"' || c == ')')
        && text[span.start..].starts_with(|c: char| c.is_alphanumeric() || c == '"' || c == '(');
    let help = unclosed(text).map(str::to_string).or_else(|| {
        adjacent.then(|| "two operands in a row: join them with | & or ~, or quote a name or date that holds spaces (\"early 1998\", \"Civic Party\")".to_string())
    }).or_else(|| {
        (found == "'-'" || found == "'+'" || before.ends_with(['-', '+']))
            .then(|| "`-` and `+` follow an operand (x- is the parents of x); set difference is `~`".to_string())
    });
    let mut err = QueryError::new(
        text,
        span,
        if expected.is_empty() {
            format!("unexpected {found}")
        } else {
            format!("expected {}, found {found}", or_list(&expected))
        },
    );
    if let Some(h) = help {
        err = err.with_help(h);
    }
    err
}

/// A hint for an unbalanced parenthesis or an unterminated string.
fn unclosed(text: &str) -> Option<&'static str> {
    let quotes = text.bytes().filter(|b| *b == b'"').count() - text.matches("\\\"").count();
    if quotes % 2 == 1 {
        return Some("a string is not closed: add a `\"`");
    }
    let open = text.bytes().filter(|b| *b == b'(').count();
    let close = text.bytes().filter(|b| *b == b')').count();
    match open.cmp(&close) {
        std::cmp::Ordering::Greater => Some("a `(` is not closed"),
        std::cmp::Ordering::Less => Some("a `)` has no `(`"),
        std::cmp::Ordering::Equal => None,
    }
}

fn or_list(v: &[String]) -> String {
    match v {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

fn span_of(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    s.start()..s.end()
}

type Parsed = Result<Expr, QueryError>;

fn build(text: &str, pairs: Pairs<Rule>) -> Parsed {
    PRATT
        .map_primary(|p| primary(text, p))
        .map_prefix(|op, rhs| {
            let rhs = rhs?;
            let span = op.as_span().start()..rhs.span().end;
            let u = match op.as_rule() {
                Rule::negate => UnOp::Not,
                _ => UnOp::Ancestors,
            };
            Ok(Expr::Unary(u, Box::new(rhs), span))
        })
        .map_postfix(|lhs, op| {
            let lhs = lhs?;
            let span = lhs.span().start..op.as_span().end();
            Ok(match op.as_rule() {
                Rule::at_op => {
                    let d = op.into_inner().next().expect("a date operand");
                    let dspan = span_of(&d);
                    let raw = d.as_str();
                    let date = match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                        Some(inner) => unescape(inner),
                        None => raw.to_string(),
                    };
                    Expr::At(Box::new(lhs), date, dspan, span)
                }
                Rule::parents_op => Expr::Unary(UnOp::Parents, Box::new(lhs), span),
                Rule::children_op => Expr::Unary(UnOp::Children, Box::new(lhs), span),
                _ => Expr::Unary(UnOp::Descendants, Box::new(lhs), span),
            })
        })
        .map_infix(|lhs, op, rhs| {
            let (lhs, rhs) = (lhs?, rhs?);
            let span = lhs.span().start..rhs.span().end;
            let o = match op.as_rule() {
                Rule::union => SetOp::Union,
                Rule::intersection => SetOp::Intersection,
                Rule::difference => SetOp::Difference,
                Rule::dag_range => SetOp::DagRange,
                _ => SetOp::Range,
            };
            Ok(Expr::Binary(o, Box::new(lhs), Box::new(rhs), span))
        })
        .parse(pairs)
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            if let Some(n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn primary(text: &str, p: Pair<Rule>) -> Parsed {
    let span = span_of(&p);
    match p.as_rule() {
        Rule::expression => build(text, p.into_inner()),
        Rule::word => Ok(Expr::Word(p.as_str().to_string(), span)),
        Rule::param => Ok(Expr::Param(p.as_str()[1..].to_string(), span)),
        Rule::string => {
            let inner = p.into_inner().next().map_or("", |i| i.as_str());
            Ok(Expr::Str(unescape(inner), span))
        }
        Rule::pattern => {
            let mut it = p.into_inner();
            let kind = it.next().expect("a pattern kind").as_str().to_string();
            let value = primary(text, it.next().expect("a pattern value"))?;
            Ok(Expr::Pattern(kind, Box::new(value), span))
        }
        Rule::call => {
            let mut it = p.into_inner();
            let name = it.next().expect("a function name").as_str().to_string();
            let mut args = Vec::new();
            for a in it {
                let mut parts = a.into_inner().peekable();
                let key = match parts.peek().map(|x| x.as_rule()) {
                    Some(Rule::keyword) => {
                        let k = parts.next().expect("peeked");
                        Some((k.as_str().to_string(), span_of(&k)))
                    }
                    _ => None,
                };
                let value = build(text, parts.next().expect("a value").into_inner())?;
                args.push(Arg { key, value });
            }
            Ok(Expr::Call(name, args, span))
        }
        r => unreachable!("not a primary: {r:?}"),
    }
}
