//! One function per command. Each opens the graph it needs, asks the library, and returns what
//! to print; `main` prints it. The queries are here; `data` checks, compiles, counts and exports,
//! `pictures` draws.

mod data;
mod pictures;
mod select;

pub use data::{compile, completions, export, man, stats, validate};
pub use pictures::{dot, render};
pub use select::{alive, list, select};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use lineage::query::{self, Direction, Filter};
use lineage::render::{self, Selection, dot::Dot, json, text};
use lineage::{DateSpec, Db, Error, KindSet, NodeId};

use crate::cli::{
    Cli, CommonArgs, Format, FormatArg, KindsArg, LeadersArgs, OutputArg, PathArgs, QueryArgs,
    RangeArgs, SearchArgs, SelectArgs, ShowArgs, TimelineArgs,
};

/// A failure with its exit status.
pub struct Fail {
    pub code: u8,
    pub msg: String,
    /// Print the message as it is, without the "lineage: " prefix (validation reports).
    pub raw: bool,
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail {
            code: if e.is_user_error() { 2 } else { 1 },
            msg: e.to_string(),
            raw: false,
        }
    }
}

fn user(msg: impl Into<String>) -> Fail {
    Fail {
        code: 2,
        msg: msg.into(),
        raw: false,
    }
}

fn failure(msg: impl Into<String>) -> Fail {
    Fail {
        code: 1,
        msg: msg.into(),
        raw: false,
    }
}

/// What a command produced: text for stdout, bytes for stdout (a picture), or nothing (a file
/// was written).
pub enum Out {
    Stdout(String),
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
            Some(p) => lineage::open(p)?,
            None => Db::embedded()?,
        })
    }
}

type Res = Result<Out, Fail>;

fn kinds(k: &KindsArg) -> KindSet {
    if k.kinds.is_empty() {
        KindSet::LINEAGE
    } else {
        k.kinds.iter().copied().collect()
    }
}

fn filter(k: &KindsArg, depth: Option<u32>, at: Option<&DateSpec>, r: &RangeArgs) -> Filter {
    Filter {
        kinds: kinds(k),
        max_depth: depth,
        at: at.map(|d| d.latest()),
        since: r.since.as_ref().map(|d| d.earliest()),
        until: r.until.as_ref().map(|d| d.latest()),
    }
}

fn json_out(v: &impl serde::Serialize) -> Out {
    Out::Stdout(json::to_string(v))
}

fn json_text(v: &impl serde::Serialize) -> String {
    json::to_string(v)
}

/// Text or JSON; a command without a DOT form refuses `--format dot`.
fn text_or_json(f: &FormatArg, what: &str) -> Result<bool, Fail> {
    match f.format {
        Format::Dot => Err(user(format!(
            "{what} has no DOT form; use --format text or json (DOT: `lineage dot`)"
        ))),
        Format::Json => Ok(true),
        Format::Text => Ok(false),
    }
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
            _ => Out::Stdout(text::name_at(&db, &r, at.as_str(), &ctx.style)),
        });
    }
    let f = filter(&q.kinds, q.depth, q.at.as_ref(), &q.range);
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
        Format::Text => Out::Stdout(text::closure_tree(
            &db,
            &c,
            &ctx.style,
            q.at.as_ref().map(|d| d.as_str()),
        )),
    })
}

/// `lineage show`.
pub fn show(ctx: &Ctx, a: &ShowArgs) -> Res {
    let as_json = text_or_json(&a.format, "show")?;
    let db = ctx.db()?;
    let n = db.resolve(&a.name)?;
    Ok(if as_json {
        json_out(&json::show(&db, n))
    } else {
        Out::Stdout(text::show(&db, n, &ctx.style))
    })
}

/// `lineage search`.
pub fn search(ctx: &Ctx, a: &SearchArgs) -> Res {
    let as_json = text_or_json(&a.format, "search")?;
    let db = ctx.db()?;
    let hits = query::search(&db, &a.text, a.limit);
    Ok(if as_json {
        json_out(&json::search(&db, &a.text, &hits))
    } else {
        Out::Stdout(text::search(&db, &hits, &ctx.style))
    })
}

/// `lineage path`.
pub fn path(ctx: &Ctx, a: &PathArgs) -> Res {
    let as_json = text_or_json(&a.format, "path")?;
    let db = ctx.db()?;
    let (x, y) = (db.resolve(&a.a)?, db.resolve(&a.b)?);
    let Some(hops) = query::path(&db, x, y, kinds(&a.kinds), a.time_respecting) else {
        let how = if a.time_respecting {
            "time-respecting "
        } else {
            ""
        };
        return Err(user(format!(
            "no {how}lineage path between {} and {}",
            db.id(x),
            db.id(y)
        )));
    };
    Ok(if as_json {
        json_out(&json::path(&db, x, y, &hops))
    } else {
        Out::Stdout(text::path(&db, x, &hops, &ctx.style))
    })
}

/// `lineage common`.
pub fn common(ctx: &Ctx, a: &CommonArgs) -> Res {
    let as_json = text_or_json(&a.format, "common")?;
    let db = ctx.db()?;
    let (x, y) = (db.resolve(&a.a)?, db.resolve(&a.b)?);
    let c = query::common_ancestors(&db, x, y, kinds(&a.kinds));
    Ok(if as_json {
        json_out(&json::common(&db, x, y, &c))
    } else {
        Out::Stdout(text::common(&db, x, y, &c, &ctx.style))
    })
}

/// `lineage leaders`.
pub fn leaders(ctx: &Ctx, a: &LeadersArgs) -> Res {
    let as_json = text_or_json(&a.format, "leaders")?;
    let db = ctx.db()?;
    let n = db.resolve(&a.name)?;
    let ls = query::leaders(&db, n, a.at.as_ref());
    Ok(if as_json {
        json_out(&json::leaders(&db, n, &ls))
    } else {
        Out::Stdout(text::leaders(&db, n, &ls, &ctx.style))
    })
}

/// `lineage timeline`.
pub fn timeline(ctx: &Ctx, a: &TimelineArgs) -> Res {
    let as_json = text_or_json(&a.format, "timeline")?;
    let db = ctx.db()?;
    let nodes = lineage_of(&db, &a.names)?;
    let since = a.range.since.as_ref().map(|d| d.earliest());
    let until = a.range.until.as_ref().map(|d| d.latest());
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

/// `lineage validate`.
/// The nodes named and their ancestors and descendants; `None` when no name is given.
fn lineage_of(db: &Db, names: &[String]) -> Result<Option<BTreeSet<NodeId>>, Fail> {
    if names.is_empty() {
        return Ok(None);
    }
    let mut set = BTreeSet::new();
    for name in names {
        let n = db.resolve(name)?;
        set.insert(n);
        for d in [Direction::Ancestors, Direction::Descendants] {
            let c = query::closure(db, n, d, &Filter::default());
            set.extend(c.hits.into_iter().map(|h| h.node));
        }
    }
    Ok(Some(set))
}

fn selection(db: &Db, s: &SelectArgs) -> Result<Selection, Fail> {
    let f = filter(&s.kinds, None, None, &s.range);
    if s.names.is_empty() {
        if s.ancestors || s.descendants {
            return Err(user("--ancestors/--descendants need a name"));
        }
        return Ok(Selection::all(db, s.people, &f));
    }
    let roots = s
        .names
        .iter()
        .map(|n| db.resolve(n))
        .collect::<Result<Vec<_>, _>>()?;
    let dir = if s.ancestors {
        Some(Direction::Ancestors)
    } else if s.descendants {
        Some(Direction::Descendants)
    } else {
        None
    };
    Ok(Selection::around(db, &roots, dir, &f, s.people))
}
