//! `lineage select`: a query-language expression, answered as text, JSON, CSV or DOT, or its
//! plan with `--explain`.

use lineage::render::{self, dot::Dot, json, text};
use lineage::{Error, lang};

use super::{Ctx, Fail, Res, check_extension, emit, json_text};
use crate::cli::{SelectExprArgs, SelectFormat};

/// A query error is printed as its report (the caret drawing), without the "lineage: " prefix.
fn query_fail(e: Error) -> Fail {
    match e {
        Error::Query(q) => Fail {
            code: 2,
            msg: q.report(),
            raw: true,
        },
        e => e.into(),
    }
}

/// `lineage select EXPR`.
pub fn select(ctx: &Ctx, a: &SelectExprArgs) -> Res {
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
