//! Commands over whole graphs: validate, compile, stats, export; and the generated help.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use lineage::render::{self, json, text};
use lineage::{Db, Error};

use super::*;
use crate::cli::{
    Cli, CompileArgs, CompletionsArgs, ExportArgs, ExportFormat, FormatArg, ValidateArgs,
};

pub fn validate(ctx: &Ctx, a: &ValidateArgs) -> Res {
    let path = match a.path.clone().or_else(|| ctx.data.clone()) {
        Some(p) => p,
        None if Path::new("graph-data").is_dir() => PathBuf::from("graph-data"),
        None => {
            let db = Db::embedded()?;
            return Ok(Out::Stdout(format!(
                "ok: the embedded graph ({} nodes, {} edges, {} sources)\n",
                db.node_count(),
                db.edge_count(),
                db.sources().len()
            )));
        }
    };
    let is_ron = path.is_dir()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    if !is_ron {
        let db = Db::open_file(&path)?;
        return Ok(Out::Stdout(format!(
            "ok: {} ({} nodes, {} edges)\n",
            path.display(),
            db.node_count(),
            db.edge_count()
        )));
    }
    match lineage::Graph::load(&path) {
        Ok(g) => Ok(Out::Stdout(format!(
            "ok: {} ({} nodes, {} edges, {} sources)\n",
            path.display(),
            g.node_count(),
            g.edge_count(),
            g.sources().count()
        ))),
        Err(Error::Invalid(ps)) => {
            let n = ps.0.len();
            let s = if n == 1 { "" } else { "s" };
            Err(Fail {
                raw: true,
                ..user(format!("{ps}\n{n} problem{s} found"))
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// `lineage compile`.
pub fn compile(a: &CompileArgs) -> Res {
    let g = lineage::Graph::load(&a.path)?;
    g.save_snapshot(&a.output)?;
    Ok(Out::Stdout(format!(
        "wrote {} ({} nodes, {} edges)\n",
        a.output.display(),
        g.node_count(),
        g.edge_count()
    )))
}

/// `lineage stats`.
pub fn stats(ctx: &Ctx, a: &FormatArg) -> Res {
    let as_json = text_or_json(a, "stats")?;
    let db = ctx.db()?;
    Ok(if as_json {
        json_out(&query::stats(&db))
    } else {
        Out::Stdout(text::stats(&query::stats(&db)))
    })
}

/// `lineage export`.
pub fn export(ctx: &Ctx, a: &ExportArgs) -> Res {
    let db = ctx.db()?;
    let sel = selection(&db, &a.select)?;
    let body = match a.format {
        ExportFormat::Json => json_text(&json::selection(&db, &sel)),
        ExportFormat::Graphml => render::export::graphml(&db, &sel),
        ExportFormat::Csv if a.nodes => render::export::nodes_csv(&db, &sel),
        ExportFormat::Csv => render::export::edges_csv(&db, &sel),
    };
    emit(&a.output, body)
}

pub fn completions(a: &CompletionsArgs) -> Res {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "lineage", &mut buf);
    Ok(Out::Stdout(String::from_utf8_lossy(&buf).into_owned()))
}

/// `lineage man`.
pub fn man() -> Res {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| failure(e.to_string()))?;
    Ok(Out::Stdout(String::from_utf8_lossy(&buf).into_owned()))
}
