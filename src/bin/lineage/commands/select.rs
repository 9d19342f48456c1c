//! `lineage select`: a query-language expression, answered as text, JSON, CSV or DOT, or its
//! plan with `--explain`.

use lineage::render::{self, dot::Dot, json, text};
use lineage::{Error, lang};

use super::{Ctx, Fail, Res, check_extension, emit, json_text};
use crate::cli::{
    AliveArgs, KindArg, ListArgs, ListOutput, OutputArg, SelectExprArgs, SelectFormat,
};

/// A query error is printed as its report (the caret drawing), without the "lineage: " prefix.
fn query_fail(e: Error) -> Fail {
    match e {
        Error::Query(q) => Fail {
            code: 2,
            msg: q.report(),
            raw: true,
            stdout: None,
        },
        e => e.into(),
    }
}

/// `lineage select EXPR`.
pub fn select(ctx: &Ctx, a: &SelectExprArgs) -> Res {
    answer(ctx, &a.expr, a.format, a.explain, &a.output)
}

fn kinds(k: &[KindArg]) -> String {
    let v: Vec<&str> = k.iter().map(|k| k.as_str()).collect();
    format!("kind({})", v.join(", "))
}

/// `lineage alive DATE`: `alive(DATE) & ~kind(person)`, or `& kind(KINDS)`.
pub fn alive(ctx: &Ctx, a: &AliveArgs) -> Res {
    let date = a.date.as_str().replace('\\', "\\\\").replace('"', "\\\"");
    let mode = if a.maybe { "maybe:" } else { "" };
    let expr = if a.kind.is_empty() {
        format!("alive({mode}\"{date}\") & ~kind(person)")
    } else {
        format!("alive({mode}\"{date}\") & {}", kinds(&a.kind))
    };
    listing(ctx, &expr, &a.out)
}

/// `lineage list`: `kind(KINDS)`, or `all()`.
pub fn list(ctx: &Ctx, a: &ListArgs) -> Res {
    let expr = if a.kind.is_empty() {
        "all()".to_string()
    } else {
        kinds(&a.kind)
    };
    listing(ctx, &expr, &a.out)
}

fn listing(ctx: &Ctx, expr: &str, o: &ListOutput) -> Res {
    answer(ctx, expr, o.format, false, &o.output)
}

fn answer(ctx: &Ctx, expr: &str, format: SelectFormat, explain: bool, output: &OutputArg) -> Res {
    let a = SelectExprArgs {
        expr: expr.to_string(),
        format,
        explain,
        output: output.clone(),
    };
    if let Some(p) = &a.output.output {
        let (what, ext): (&str, &[&str]) = match (a.explain, a.format) {
            (true, _) | (false, SelectFormat::Text) => ("text", &["txt"]),
            (false, SelectFormat::Json) => ("JSON", &["json"]),
            (false, SelectFormat::Csv) => ("CSV", &["csv"]),
            (false, SelectFormat::Dot) => ("Graphviz DOT", &["dot", "gv"]),
        };
        check_extension(p, what, ext)?;
    }
    let db = ctx.db()?;
    let plan = lang::plan(&db, &a.expr).map_err(query_fail)?;
    if a.explain {
        return emit(&a.output, plan.explain(&db));
    }
    let sel = lang::run(&db, &plan, &a.expr).map_err(query_fail)?;
    let body = match a.format {
        SelectFormat::Text => text::selection(&db, &sel, &ctx.style),
        SelectFormat::Json => json_text(&json::select(&db, &a.expr, &sel)),
        SelectFormat::Csv => render::export::select_csv(&db, &sel),
        SelectFormat::Dot => Dot::new(&db, &sel).to_string(),
    };
    emit(&a.output, body)
}
