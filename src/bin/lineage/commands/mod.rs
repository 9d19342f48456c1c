//! One function per command. Each opens the graph it needs, asks the library, and returns what
//! to print; `main` prints it. The queries are here; `data` checks, compiles, counts and exports,
//! `pictures` draws.

mod data;
mod filters;
mod import;
mod pictures;
mod select;

pub use data::{compile, completions, export, man, stats, validate};
pub use import::import;
pub use pictures::{dot, render};
pub use select::{alive, list, select};

use filters::{filter, kinds, lineage_of, range, selection};

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use lineage::query::{self, Direction};
use lineage::render::{self, Selection, dot::Dot, json, text};
use lineage::{Db, Error};

use crate::cli::{
    Cli, CommonArgs, Format, FormatArg, LeadersArgs, OutputArg, PathArgs, QueryArgs, SearchArgs,
    ShowArgs, TextFormat, TimelineArgs,
};

/// A failure with its exit status.
pub struct Fail {
    pub code: u8,
    pub msg: String,
    /// Print the message as it is, without the "lineage: " prefix (validation reports).
    pub raw: bool,
    /// What to print on stdout before failing: a report that is the answer (`validate --format
    /// json` of invalid data).
    pub stdout: Option<String>,
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail {
            code: if e.is_user_error() { 2 } else { 1 },
            msg: e.to_string(),
            raw: false,
            stdout: None,
        }
    }
}

fn user(msg: impl Into<String>) -> Fail {
    Fail {
        code: 2,
        msg: msg.into(),
        raw: false,
        stdout: None,
    }
}

fn failure(msg: impl Into<String>) -> Fail {
    Fail {
        code: 1,
        msg: msg.into(),
        raw: false,
        stdout: None,
    }
}

/// What a command produced: text for stdout, bytes for stdout (a picture), or nothing (a file
/// was written).
pub enum Out {
    Stdout(String),
    /// Text for people, wrapped to the terminal's width.
    Text(String),
    Bytes(Vec<u8>),
    Nothing,
}

/// What every command may use: the graph to open and the text style.
pub struct Ctx {
    pub data: Option<PathBuf>,
    pub style: text::Style,
}

impl Ctx {
    fn db(&self) -> Result<Db, Fail> {
        Ok(match &self.data {
            Some(p) => lineage::open(p).map_err(|e| in_file(p, e))?,
            None => Db::embedded()?,
        })
    }
}

/// An error about a file's content names the file (`kz.snap: corrupt snapshot: ...`); I/O and
/// validation errors name it already.
fn in_file(p: &Path, e: Error) -> Fail {
    let named = matches!(e, Error::Snapshot(_));
    let mut f = Fail::from(e);
    if named {
        f.msg = format!("{}: {}", lineage::names::path_text(p), f.msg);
    }
    f
}

type Res = Result<Out, Fail>;

fn json_out(v: &impl serde::Serialize) -> Out {
    Out::Stdout(json::to_string(v))
}

fn json_text(v: &impl serde::Serialize) -> String {
    json::to_string(v)
}

/// Whether a command that answers in text or JSON answers in JSON.
fn text_or_json(f: &FormatArg) -> bool {
    f.format == TextFormat::Json
}

fn write_file(path: &Path, bytes: &[u8]) -> Res {
    lineage::lock::write_atomic(path, bytes)?;
    Ok(Out::Nothing)
}

/// Whether an output path means standard output: `-o -`, as in most Unix tools.
fn is_stdout(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// Refuses an output file whose extension names another format than the one written: `-o
/// x.pdf` for a DOT file or an SVG would otherwise hold something its name does not say. A name
/// without an extension, and `-` (stdout), are taken as they are.
fn check_extension(p: &Path, writes: &str, allowed: &[&str]) -> Result<(), Fail> {
    if is_stdout(p) {
        return Ok(());
    }
    let Some(ext) = p.extension() else {
        return Ok(());
    };
    let ext = ext.to_string_lossy().to_ascii_lowercase();
    if allowed.contains(&ext.as_str()) {
        return Ok(());
    }
    Err(user(format!(
        "{}: this command writes {writes}, not .{ext}; name the file {} (or write to stdout with -o -)",
        lineage::names::path_text(p),
        allowed
            .iter()
            .map(|a| format!("*.{a}"))
            .collect::<Vec<_>>()
            .join(" or ")
    )))
}

fn emit(output: &OutputArg, body: String) -> Res {
    match &output.output {
        Some(p) if !is_stdout(p) => write_file(p, body.as_bytes()),
        _ => Ok(Out::Stdout(body)),
    }
}

/// `lineage NAME ...` and `lineage query NAME ...`.
pub fn query(ctx: &Ctx, q: &QueryArgs, top_level: bool) -> Res {
    let Some(name) = q.name.as_deref() else {
        return Err(user(if top_level {
            format!("no name given\n\n{}", Cli::command().render_usage())
        } else {
            "no name given".into()
        }));
    };
    let db = ctx.db()?;
    let n = match db.resolve(name) {
        Ok(n) => n,
        Err(e @ Error::UnknownName { .. }) if top_level => {
            // `lineage shw`: a typo of a command, not a name
            return Err(match crate::cli::near_subcommand(name) {
                Some(cmd) => user(format!(
                    "no node is called {name:?}, and it is not a command; did you mean `lineage {cmd}`?"
                )),
                None => e.into(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    if !q.ancestors && !q.descendants {
        let Some(at) = &q.at else {
            return Err(user(format!(
                "say what to ask about {name:?}: --ancestors, --descendants, or --at DATE (or use `lineage show {name}`)"
            )));
        };
        if q.format == Format::Dot {
            return Err(user("--at alone answers a name; it has no DOT form"));
        }
        let r = query::name_at(&db, n, at);
        return Ok(match q.format {
            Format::Json => json_out(&json::name_at(&db, &r, at)),
            _ => Out::Text(text::name_at(&db, &r, at.as_str(), &ctx.style)),
        });
    }
    let f = filter(&q.kinds, q.depth, q.at.as_ref(), &q.range)?;
    let dir = if q.ancestors {
        Direction::Ancestors
    } else {
        Direction::Descendants
    };
    let c = query::closure(&db, n, dir, &f);
    Ok(match q.format {
        Format::Json => json_out(&json::closure(&db, &c)),
        Format::Dot => {
            let sel = Selection::of_closures(&db, std::slice::from_ref(&c), &f);
            Out::Stdout(Dot::new(&db, &sel).to_string())
        }
        Format::Text => Out::Text(text::closure_tree(
            &db,
            &c,
            &ctx.style,
            q.at.as_ref().map(|d| d.as_str()),
        )),
    })
}

/// `lineage show`.
pub fn show(ctx: &Ctx, a: &ShowArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let db = ctx.db()?;
    let n = db.resolve(&a.name)?;
    Ok(if as_json {
        json_out(&json::show(&db, n))
    } else {
        Out::Text(text::show(&db, n, &ctx.style))
    })
}

/// `lineage search`.
pub fn search(ctx: &Ctx, a: &SearchArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let db = ctx.db()?;
    let hits = query::search(&db, &a.text, a.limit);
    Ok(if as_json {
        json_out(&json::search(&db, &a.text, &hits))
    } else {
        Out::Text(text::search(&db, &hits, &ctx.style))
    })
}

/// `lineage path`.
pub fn path(ctx: &Ctx, a: &PathArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let db = ctx.db()?;
    let (x, y) = (db.resolve(&a.a)?, db.resolve(&a.b)?);
    let hops = query::path(&db, x, y, kinds(&a.kinds), a.time_respecting);
    Ok(if as_json {
        json_out(&json::path(&db, x, y, hops.as_deref()))
    } else {
        Out::Text(text::path(
            &db,
            x,
            y,
            hops.as_deref(),
            a.time_respecting,
            &ctx.style,
        ))
    })
}

/// `lineage common`.
pub fn common(ctx: &Ctx, a: &CommonArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let db = ctx.db()?;
    let (x, y) = (db.resolve(&a.a)?, db.resolve(&a.b)?);
    let c = query::common_ancestors(&db, x, y, kinds(&a.kinds));
    Ok(if as_json {
        json_out(&json::common(&db, x, y, &c))
    } else {
        Out::Text(text::common(&db, x, y, &c, &ctx.style))
    })
}

/// `lineage leaders`.
pub fn leaders(ctx: &Ctx, a: &LeadersArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let db = ctx.db()?;
    let n = db.resolve(&a.name)?;
    let ls = query::leaders(&db, n, a.at.as_ref());
    Ok(if as_json {
        json_out(&json::leaders(&db, n, &ls))
    } else {
        Out::Text(text::leaders(&db, n, &ls, &ctx.style))
    })
}

/// `lineage timeline`.
pub fn timeline(ctx: &Ctx, a: &TimelineArgs) -> Res {
    let as_json = text_or_json(&a.format);
    let db = ctx.db()?;
    let nodes = lineage_of(&db, &a.names)?;
    let (since, until) = range(&a.range)?;
    if let Some(p) = &a.output.output
        && a.svg
    {
        check_extension(p, "SVG", &["svg"])?;
    }
    let body = if a.svg {
        let shown = a
            .names
            .iter()
            .map(|n| db.resolve(n).map(|id| db.name(id).to_string()))
            .collect::<Result<Vec<_>, _>>()?;
        let title = match shown.as_slice() {
            [] => "Lineage timeline: every organisation".to_string(),
            [one] => format!("Lineage of {one}"),
            [rest @ .., last] => format!("Lineage of {} and {last}", rest.join(", ")),
        };
        render::svg::Timeline {
            db: &db,
            nodes: nodes.as_ref(),
            cfg: render::svg::TimelineConfig {
                since,
                until,
                legend: true,
                title,
            },
        }
        .to_string()
    } else {
        let t = query::timeline(&db, nodes.as_ref(), since, until);
        if as_json {
            json_text(&json::timeline(&db, &t))
        } else {
            text::timeline(&db, &t, &ctx.style)
        }
    };
    emit(&a.output, body)
}
