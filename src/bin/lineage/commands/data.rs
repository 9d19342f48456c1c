//! Commands over whole graphs: validate, compile, stats, export; and the generated help.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use lineage::render::{self, json, text};
use lineage::{Db, Error};

use super::*;
use crate::cli::{
    Cli, CompileArgs, CompletionsArgs, ExportArgs, ExportFormat, FormatArg, ManArgs, TableArg,
    ValidateArgs,
};
use lineage::render::Selection;

pub fn validate(ctx: &Ctx, a: &ValidateArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let path = match a.path.clone().or_else(|| ctx.data.clone()) {
        Some(p) => p,
        None if Path::new("graph-data").is_dir() => PathBuf::from("graph-data"),
        None => {
            let db = Db::embedded()?;
            let (n, e, s) = (db.node_count(), db.edge_count(), db.sources().len());
            return Ok(if as_json {
                json_out(&json::ValidateOut::valid("embedded", n, e, Some(s)))
            } else {
                Out::Stdout(format!(
                    "ok: the embedded graph ({n} nodes, {e} edges, {s} sources)\n"
                ))
            });
        }
    };
    let shown = lineage::names::path_text(&path);
    if !lineage::is_ron_path(&path) {
        let db = Db::open_file(&path).map_err(|e| in_file(&path, e))?;
        let (n, e) = (db.node_count(), db.edge_count());
        return Ok(if as_json {
            json_out(&json::ValidateOut::valid(&shown, n, e, None))
        } else {
            Out::Stdout(format!("ok: {shown} ({n} nodes, {e} edges)\n"))
        });
    }
    match lineage::Graph::load(&path) {
        Ok(g) => {
            let (n, e, s) = (g.node_count(), g.edge_count(), g.sources().count());
            Ok(if as_json {
                json_out(&json::ValidateOut::valid(&shown, n, e, Some(s)))
            } else {
                Out::Stdout(format!("ok: {shown} ({n} nodes, {e} edges, {s} sources)\n"))
            })
        }
        Err(Error::Invalid(ps)) if as_json => {
            // the report is the answer: printed on stdout, with the exit status of invalid data
            Err(Fail {
                code: 2,
                msg: String::new(),
                raw: true,
                stdout: Some(json_text(&json::ValidateOut::invalid(&shown, &ps))),
            })
        }
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
    let bytes = std::fs::metadata(&a.output).map_or(0, |m| m.len());
    let (input, output) = (
        lineage::names::path_text(&a.path),
        lineage::names::path_text(&a.output),
    );
    Ok(if text_or_json(&a.format) {
        json_out(&json::CompileOut {
            input,
            output,
            bytes,
            nodes: g.node_count(),
            edges: g.edge_count(),
        })
    } else {
        Out::Stdout(format!(
            "wrote {output} ({} nodes, {} edges, {bytes} bytes)\n",
            g.node_count(),
            g.edge_count()
        ))
    })
}

/// `lineage stats`.
pub fn stats(ctx: &Ctx, a: &FormatArg) -> Res {
    let as_json = text_or_json(a);
    let db = ctx.db()?;
    Ok(if as_json {
        json_out(&query::stats(&db))
    } else {
        Out::Text(text::stats(&query::stats(&db)))
    })
}

/// `lineage export`.
pub fn export(ctx: &Ctx, a: &ExportArgs) -> Res {
    use render::tables::{self, Table};
    let tabular = matches!(a.format, ExportFormat::Csv | ExportFormat::Parlgov);
    if a.table.is_some() && !tabular {
        return Err(user("--table goes with --format csv or --format parlgov"));
    }
    if a.nodes && a.format != ExportFormat::Csv {
        return Err(user("--nodes goes with --format csv"));
    }
    let table = match (a.nodes, a.table) {
        (true, _) => Some(Table::Nodes),
        (false, Some(TableArg::All)) => None,
        (false, Some(t)) => Some(table_of(t)),
        (false, None) if a.format == ExportFormat::Parlgov => Some(Table::PartyChange),
        (false, None) => Some(Table::Edges),
    };
    if let Some(t) = table
        && tabular
        && t.is_shape() != (a.format == ExportFormat::Parlgov)
    {
        let (name, other) = if t.is_shape() {
            (t.def().name, "--format parlgov")
        } else {
            (t.def().name, "--format csv")
        };
        return Err(user(format!(
            "--table {} is a table of {other}",
            name.replace('_', "-")
        )));
    }
    if let Some(p) = &a.output.output {
        match a.format {
            ExportFormat::Turtle => check_extension(p, "Turtle", &["ttl"])?,
            ExportFormat::Ntriples => check_extension(p, "N-Triples", &["nt"])?,
            ExportFormat::Quickstatements => {
                check_extension(p, "QuickStatements", &["qs", "txt", "tsv"])?
            }
            _ => {}
        }
    }
    let db = ctx.db()?;
    let sel = selection(&db, &a.select)?;
    let body = match (a.format, table) {
        (ExportFormat::Json, _) => json_text(&json::selection(&db, &sel)),
        (ExportFormat::Graphml, _) => render::export::graphml(&db, &sel),
        (ExportFormat::Csv | ExportFormat::Parlgov, Some(t)) => tables::csv(&db, &sel, t),
        (ExportFormat::Csv, None) => {
            return export_all_csv(&db, &sel, tables::TABLES, a.output.output.as_deref());
        }
        (ExportFormat::Parlgov, None) => {
            return export_all_csv(&db, &sel, tables::SHAPES, a.output.output.as_deref());
        }
        (ExportFormat::Sqlite, _) => {
            return export_sqlite(&db, &sel, a.output.output.as_deref());
        }
        (ExportFormat::Turtle, _) => render::rdf::turtle(&db, &sel)?,
        (ExportFormat::Ntriples, _) => render::rdf::ntriples(&db, &sel)?,
        (ExportFormat::Parquet, _) => {
            return export_parquet(&db, &sel, a.output.output.as_deref());
        }
        (ExportFormat::Quickstatements, _) => {
            let qs = render::quickstatements::commands(&db, &sel);
            if !qs.skipped.is_empty() {
                eprintln!(
                    "lineage: QuickStatements: {} facts or references left out:",
                    qs.skipped.len()
                );
                for line in &qs.skipped {
                    eprintln!("  {}", lineage::names::visible(line, false));
                }
            }
            qs.commands
        }
    };
    if matches!(
        a.format,
        ExportFormat::Turtle | ExportFormat::Ntriples | ExportFormat::Quickstatements
    ) {
        // tabs are part of these formats, and the writers escape every character that must
        // not reach a terminal, so the text goes out as it is
        return match &a.output.output {
            Some(p) if p.as_os_str() != "-" => write_file(p, body.as_bytes()),
            _ => Ok(Out::Bytes(body.into_bytes())),
        };
    }
    emit(&a.output, body)
}

fn table_of(t: TableArg) -> render::tables::Table {
    use render::tables::Table;
    match t {
        TableArg::Nodes => Table::Nodes,
        TableArg::Names => Table::Names,
        TableArg::Edges => Table::Edges,
        TableArg::Claims => Table::Claims,
        TableArg::Events => Table::Events,
        TableArg::Leaders => Table::Leaders,
        TableArg::Elections => Table::Elections,
        TableArg::ExternalIds => Table::ExternalIds,
        TableArg::Sources => Table::Sources,
        TableArg::Citations => Table::Citations,
        TableArg::Party => Table::Party,
        TableArg::PartyChange => Table::PartyChange,
        TableArg::PartyYear => Table::PartyYear,
        TableArg::All => unreachable!("--table all is every table"),
    }
}

/// `export --format csv|parlgov --table all -o DIR`: every table of the format into
/// DIR/TABLE.csv, each written atomically.
fn export_all_csv(
    db: &Db,
    sel: &Selection,
    defs: &[render::tables::TableDef],
    dir: Option<&Path>,
) -> Res {
    let Some(dir) = dir.filter(|d| d.as_os_str() != "-") else {
        return Err(user(
            "--table all writes one file per table: give the directory with -o DIR",
        ));
    };
    if dir
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        return Err(user(format!(
            "{}: --table all writes a directory of CSV files, not one file; give a directory",
            lineage::names::path_text(dir)
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| lineage::Error::io(dir, e))?;
    let bodies = if defs.first().is_some_and(|d| d.table.is_shape()) {
        defs.iter()
            .map(|d| (d.name, render::tables::csv(db, sel, d.table)))
            .collect()
    } else {
        render::tables::csv_all(db, sel)
    };
    for (name, body) in bodies {
        // no write lock: an export is not a database, and needs no .lock sidecar
        lineage::save::write_atomic_with(
            &mut lineage::save::RealFs,
            &dir.join(format!("{name}.csv")),
            body.as_bytes(),
        )?;
    }
    Ok(Out::Nothing)
}

/// `export --format sqlite -o FILE`.
fn export_sqlite(db: &Db, sel: &Selection, file: Option<&Path>) -> Res {
    let Some(file) = file.filter(|f| f.as_os_str() != "-") else {
        return Err(user(
            "--format sqlite writes a database file: give it with -o FILE.sqlite",
        ));
    };
    check_extension(file, "a SQLite database", &["sqlite", "sqlite3", "db"])?;
    #[cfg(feature = "sqlite")]
    {
        let bytes = render::tables::sqlite::database(db, sel)?;
        lineage::lock::write_atomic(file, &bytes)?;
        Ok(Out::Nothing)
    }
    #[cfg(not(feature = "sqlite"))]
    {
        let _ = (db, sel);
        Err(failure(
            "this build of lineage has no SQLite: build it with the `sqlite` feature (on by default)",
        ))
    }
}

/// `export --format parquet -o DIR`: DIR/nodes.parquet and DIR/edges.parquet.
fn export_parquet(db: &Db, sel: &Selection, dir: Option<&Path>) -> Res {
    let Some(dir) = dir.filter(|d| d.as_os_str() != "-") else {
        return Err(user(
            "--format parquet writes nodes.parquet and edges.parquet: give the directory with -o DIR",
        ));
    };
    if dir
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
    {
        return Err(user(format!(
            "{}: --format parquet writes a directory of two files, not one file; give a directory",
            lineage::names::path_text(dir)
        )));
    }
    #[cfg(feature = "parquet")]
    {
        let files = render::tables::parquet::files(db, sel)?;
        std::fs::create_dir_all(dir).map_err(|e| lineage::Error::io(dir, e))?;
        for (name, bytes) in files {
            // no write lock: an export is not a database, and needs no .lock sidecar
            lineage::save::write_atomic_with(&mut lineage::save::RealFs, &dir.join(name), &bytes)?;
        }
        Ok(Out::Nothing)
    }
    #[cfg(not(feature = "parquet"))]
    {
        let _ = (db, sel);
        Err(failure(
            "this build of lineage has no Parquet: build it with `--features parquet`",
        ))
    }
}

/// `lineage completions SHELL`: the script that registers lineage's completions with the
/// shell. The script asks `lineage` itself (`COMPLETE=SHELL lineage -- WORDS`) at each TAB, so
/// that it completes node ids as well as commands and options, and never goes stale.
pub fn completions(a: &CompletionsArgs) -> Res {
    let name = a.shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let Some(shell) = shells.completer(&name) else {
        return Err(failure(format!("no completion support for {name}")));
    };
    let mut buf = Vec::new();
    shell
        .write_registration("COMPLETE", "lineage", "lineage", "lineage", &mut buf)
        .map_err(|e| failure(format!("cannot write the {name} completions: {e}")))?;
    Ok(Out::Stdout(String::from_utf8_lossy(&buf).into_owned()))
}

/// `lineage man`: the top page on stdout, or with `--all` every page into a directory.
pub fn man(a: &ManArgs) -> Res {
    let cmd = Cli::command();
    let Some(dir) = a.output.as_deref().filter(|_| a.all) else {
        let mut buf = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut buf)
            .map_err(|e| failure(e.to_string()))?;
        return Ok(Out::Stdout(String::from_utf8_lossy(&buf).into_owned()));
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    // built, so that the `help` subcommand the top page lists has a page too
    let mut cmd = cmd;
    cmd.build();
    let mut pages = vec![("lineage".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("lineage-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    let mut written = Vec::new();
    for (name, page) in pages {
        let mut buf = Vec::new();
        clap_mangen::Man::new(page)
            .render(&mut buf)
            .map_err(|e| failure(e.to_string()))?;
        let file = dir.join(format!("{name}.1"));
        // no write lock: a man page is not a database, and needs no .lock sidecar
        lineage::save::write_atomic_with(&mut lineage::save::RealFs, &file, &buf)?;
        written.push(format!("{name}.1"));
    }
    Ok(Out::Stdout(format!(
        "wrote {} pages into {}: {}\n",
        written.len(),
        lineage::names::path_text(dir),
        written.join(" ")
    )))
}
