//! The `lineage` command: glue over the library. See `lineage --help` for exit codes.

mod cli;

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory;
use lineage::query::{self, Direction, Filter};
use lineage::render::{self, Selection, dot::Dot, json, text};
use lineage::{DateSpec, Db, EdgeKind, Error, KindSet, NodeId};

use cli::{Cli, Cmd, ExportFormat, Format, QueryArgs, SelectArgs};

/// A failure with its exit status.
struct Fail {
    code: u8,
    msg: String,
    /// Print the message as it is, without the "lineage: " prefix (validation reports).
    raw: bool,
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

/// What a command produced: bytes for stdout, or a file written.
enum Out {
    Stdout(String),
    Nothing,
}

fn main() -> ExitCode {
    let cli = Cli::parse_args();
    // Without colour no output has any reason to hold a control character but the line break:
    // whatever the data holds is shown as an escape. With colour, the text renderers escape
    // every string from the data themselves, and ESC comes only from their styling.
    let plain = !style(&cli).color;
    match run(cli) {
        Ok(Out::Stdout(s)) => {
            let s = if plain {
                lineage::names::visible(&s, true)
            } else {
                std::borrow::Cow::Borrowed(s.as_str())
            };
            let mut out = std::io::stdout().lock();
            match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("lineage: writing output: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Ok(Out::Nothing) => ExitCode::SUCCESS,
        Err(f) => {
            // a message may quote names and notes from the data: never raw control characters
            let msg = lineage::names::visible(&f.msg, true);
            if f.raw {
                eprintln!("{msg}");
            } else {
                eprintln!("lineage: {msg}");
            }
            ExitCode::from(f.code)
        }
    }
}

fn style(cli: &Cli) -> text::Style {
    let color = match cli.color {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    text::Style { color }
}

fn open_db(data: &Option<PathBuf>) -> Result<Db, Fail> {
    Ok(match data {
        Some(p) => lineage::open(p)?,
        None => Db::embedded()?,
    })
}

fn parse_date(s: &str, flag: &str) -> Result<DateSpec, Fail> {
    DateSpec::parse(s).map_err(|e| user(format!("--{flag}: {e}")))
}

fn parse_kinds(list: &[String]) -> Result<KindSet, Fail> {
    if list.is_empty() {
        return Ok(KindSet::LINEAGE);
    }
    let mut set = KindSet::empty();
    for k in list {
        let k = k.trim();
        if k.is_empty() {
            continue;
        }
        match EdgeKind::parse(k) {
            Some(kind) => set = set.with(kind),
            None => {
                let names: Vec<&str> = EdgeKind::ALL.iter().map(|k| k.as_str()).collect();
                return Err(user(format!(
                    "unknown edge kind {k:?}; use one of: {}",
                    names.join(", ")
                )));
            }
        }
    }
    if set.is_empty() {
        return Err(user("--kinds names no edge kind"));
    }
    Ok(set)
}

fn filter(
    kinds: &[String],
    depth: Option<u32>,
    at: Option<&DateSpec>,
    since: &Option<String>,
    until: &Option<String>,
) -> Result<Filter, Fail> {
    Ok(Filter {
        kinds: parse_kinds(kinds)?,
        max_depth: depth,
        at: at.map(|d| d.latest()),
        since: since
            .as_deref()
            .map(|s| parse_date(s, "since"))
            .transpose()?
            .map(|d| d.earliest()),
        until: until
            .as_deref()
            .map(|s| parse_date(s, "until"))
            .transpose()?
            .map(|d| d.latest()),
    })
}

fn json_out(v: serde_json::Value) -> Out {
    let mut s = serde_json::to_string_pretty(&v).expect("JSON values serialise");
    s.push('\n');
    Out::Stdout(s)
}

fn only_text_json(f: Format, what: &str) -> Result<(), Fail> {
    if f == Format::Dot {
        return Err(user(format!(
            "{what} has no DOT form; use --format text or json (DOT: `lineage dot`)"
        )));
    }
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<Out, Fail> {
    lineage::save::write_atomic(path, bytes)?;
    Ok(Out::Nothing)
}

fn run(cli: Cli) -> Result<Out, Fail> {
    let st = style(&cli);
    let data = cli.data.clone();
    match cli.cmd {
        None => {
            let q = cli.query.clone();
            if q.name.is_none() {
                let mut c = Cli::command();
                return Err(user(format!("no name given\n\n{}", c.render_usage())));
            }
            query_cmd(&data, &q, &st)
        }
        Some(Cmd::Query(q)) => {
            if q.name.is_none() {
                return Err(user("no name given"));
            }
            query_cmd(&data, &q, &st)
        }
        Some(Cmd::Show { name, format }) => {
            only_text_json(format, "show")?;
            let db = open_db(&data)?;
            let n = db.resolve(&name)?;
            Ok(match format {
                Format::Json => json_out(json::show_value(&db, n)),
                _ => Out::Stdout(text::show(&db, n, &st)),
            })
        }
        Some(Cmd::Search {
            text: q,
            limit,
            format,
        }) => {
            only_text_json(format, "search")?;
            let db = open_db(&data)?;
            let hits = query::search(&db, &q, limit);
            Ok(match format {
                Format::Json => json_out(json::search_value(&db, &q, &hits)),
                _ => Out::Stdout(text::search(&db, &hits, &st)),
            })
        }
        Some(Cmd::Path {
            a,
            b,
            kinds,
            time_respecting,
            format,
        }) => {
            only_text_json(format, "path")?;
            let db = open_db(&data)?;
            let (x, y) = (db.resolve(&a)?, db.resolve(&b)?);
            let kinds = parse_kinds(&kinds)?;
            match query::path(&db, x, y, kinds, time_respecting) {
                None => Err(Fail {
                    code: 2,
                    raw: false,
                    msg: format!(
                        "no {}lineage path between {} and {}",
                        if time_respecting {
                            "time-respecting "
                        } else {
                            ""
                        },
                        db.id(x),
                        db.id(y)
                    ),
                }),
                Some(hops) => Ok(match format {
                    Format::Json => json_out(json::path_value(&db, x, y, &hops)),
                    _ => Out::Stdout(text::path(&db, x, &hops, &st)),
                }),
            }
        }
        Some(Cmd::Common {
            a,
            b,
            kinds,
            format,
        }) => {
            only_text_json(format, "common")?;
            let db = open_db(&data)?;
            let (x, y) = (db.resolve(&a)?, db.resolve(&b)?);
            let c = query::common_ancestors(&db, x, y, parse_kinds(&kinds)?);
            Ok(match format {
                Format::Json => json_out(json::common_value(&db, x, y, &c)),
                _ => Out::Stdout(text::common(&db, x, y, &c, &st)),
            })
        }
        Some(Cmd::Leaders { name, at, format }) => {
            only_text_json(format, "leaders")?;
            let db = open_db(&data)?;
            let n = db.resolve(&name)?;
            let at = at.as_deref().map(|s| parse_date(s, "at")).transpose()?;
            let ls = query::leaders(&db, n, at.as_ref());
            Ok(match format {
                Format::Json => json_out(json::leaders_value(&db, n, &ls)),
                _ => Out::Stdout(text::leaders(&db, n, &ls, &st)),
            })
        }
        Some(Cmd::Timeline {
            names,
            since,
            until,
            svg,
            output,
            format,
        }) => {
            only_text_json(format, "timeline")?;
            let db = open_db(&data)?;
            let nodes = lineage_of(&db, &names)?;
            let since = since
                .as_deref()
                .map(|s| parse_date(s, "since"))
                .transpose()?
                .map(|d| d.earliest());
            let until = until
                .as_deref()
                .map(|s| parse_date(s, "until"))
                .transpose()?
                .map(|d| d.latest());
            let body = if svg {
                let shown = names
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
                match format {
                    Format::Json => {
                        let mut s = serde_json::to_string_pretty(&json::timeline_value(&db, &t))
                            .expect("JSON values serialise");
                        s.push('\n');
                        s
                    }
                    _ => text::timeline(&db, &t, &st),
                }
            };
            match output {
                Some(p) => write_file(&p, body.as_bytes()),
                None => Ok(Out::Stdout(body)),
            }
        }
        Some(Cmd::Validate { path }) => validate(path.or(data)),
        Some(Cmd::Compile { path, output }) => {
            let g = lineage::Graph::load(&path)?;
            g.save_snapshot(&output)?;
            Ok(Out::Stdout(format!(
                "wrote {} ({} nodes, {} edges)\n",
                output.display(),
                g.node_count(),
                g.edge_count()
            )))
        }
        Some(Cmd::Stats { format }) => {
            only_text_json(format, "stats")?;
            let db = open_db(&data)?;
            Ok(match format {
                Format::Json => json_out(json::stats_value(&db)),
                _ => Out::Stdout(text::stats(&db)),
            })
        }
        Some(Cmd::Export {
            select,
            format,
            nodes,
            output,
        }) => {
            let db = open_db(&data)?;
            let sel = selection(&db, &select)?;
            let body = match format {
                ExportFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&json::selection_value(&db, &sel))
                        .expect("JSON values serialise");
                    s.push('\n');
                    s
                }
                ExportFormat::Graphml => render::export::graphml(&db, &sel),
                ExportFormat::Csv if nodes => render::export::nodes_csv(&db, &sel),
                ExportFormat::Csv => render::export::edges_csv(&db, &sel),
            };
            match output {
                Some(p) => write_file(&p, body.as_bytes()),
                None => Ok(Out::Stdout(body)),
            }
        }
        Some(Cmd::Dot {
            select,
            no_legend,
            no_axis,
            no_bands,
            output,
        }) => {
            let db = open_db(&data)?;
            let sel = selection(&db, &select)?;
            let cfg = render::dot::DotConfig {
                legend: !no_legend,
                year_axis: !no_axis,
                clusters: !no_bands,
                ..render::dot::DotConfig::default()
            };
            let body = Dot::new(&db, &sel).with_config(cfg).to_string();
            match output {
                Some(p) => write_file(&p, body.as_bytes()),
                None => Ok(Out::Stdout(body)),
            }
        }
        Some(Cmd::Render {
            select,
            svg,
            png,
            no_legend,
            no_axis,
            no_bands,
            output,
        }) => {
            let db = open_db(&data)?;
            let sel = selection(&db, &select)?;
            let cfg = render::dot::DotConfig {
                legend: !no_legend,
                year_axis: !no_axis,
                clusters: !no_bands,
                ..render::dot::DotConfig::default()
            };
            let body = Dot::new(&db, &sel).with_config(cfg).to_string();
            let by_extension = output
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("png"));
            let fmt = if png || (!svg && by_extension) {
                "png"
            } else {
                "svg"
            };
            render_graphviz(&body, fmt, &output)
        }
        Some(Cmd::Completions { shell }) => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "lineage", &mut buf);
            Ok(Out::Stdout(String::from_utf8_lossy(&buf).into_owned()))
        }
        Some(Cmd::Man) => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| Fail {
                    code: 1,
                    msg: e.to_string(),
                    raw: false,
                })?;
            Ok(Out::Stdout(String::from_utf8_lossy(&buf).into_owned()))
        }
    }
}

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
            set.extend(
                query::closure(db, n, d, &Filter::default())
                    .hits
                    .into_iter()
                    .map(|h| h.node),
            );
        }
    }
    Ok(Some(set))
}

fn selection(db: &Db, s: &SelectArgs) -> Result<Selection, Fail> {
    let f = filter(&s.kinds, None, None, &s.since, &s.until)?;
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

fn query_cmd(data: &Option<PathBuf>, q: &QueryArgs, st: &text::Style) -> Result<Out, Fail> {
    let name = q.name.as_deref().unwrap_or_default();
    let at = q.at.as_deref().map(|s| parse_date(s, "at")).transpose()?;
    let db = open_db(data)?;
    let n = db.resolve(name)?;
    if !q.ancestors && !q.descendants {
        let Some(at) = at else {
            return Err(user(format!(
                "say what to ask about {name:?}: --ancestors, --descendants, or --at DATE (or use `lineage show {name}`)"
            )));
        };
        if q.format == Format::Dot {
            return Err(user("--at alone answers a name; it has no DOT form"));
        }
        let r = query::name_at(&db, n, &at);
        return Ok(match q.format {
            Format::Json => json_out(json::name_at_value(&db, &r, &at)),
            _ => Out::Stdout(text::name_at(&db, &r, at.as_str(), st)),
        });
    }
    let f = filter(&q.kinds, q.depth, at.as_ref(), &q.since, &q.until)?;
    let dir = if q.ancestors {
        Direction::Ancestors
    } else {
        Direction::Descendants
    };
    let c = query::closure(&db, n, dir, &f);
    Ok(match q.format {
        Format::Json => json_out(json::closure_value(&db, &c)),
        Format::Dot => {
            let sel = Selection::of_closures(&db, std::slice::from_ref(&c), &f);
            Out::Stdout(Dot::new(&db, &sel).to_string())
        }
        Format::Text => Out::Stdout(text::closure_tree(
            &db,
            &c,
            st,
            at.as_ref().map(|d| d.as_str()),
        )),
    })
}

fn validate(path: Option<PathBuf>) -> Result<Out, Fail> {
    let path = match path {
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
    let is_ron = path.is_dir() || path.extension().is_some_and(|e| e == "ron");
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
            Err(Fail {
                raw: true,
                ..user(format!(
                    "{ps}\n{n} problem{} found",
                    if n == 1 { "" } else { "s" }
                ))
            })
        }
        Err(e) => Err(e.into()),
    }
}

fn render_graphviz(dot: &str, fmt: &str, output: &Path) -> Result<Out, Fail> {
    use std::process::{Command, Stdio};
    let fail = |msg: String| Fail {
        code: 1,
        msg,
        raw: false,
    };
    let child = Command::new("dot")
        .arg(format!("-T{fmt}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(
                "cannot render: Graphviz `dot` is not on PATH.\n\
                 Install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, Fedora: \
                 `dnf install graphviz`, macOS: `brew install graphviz`, others: \
                 https://graphviz.org/download/),\n\
                 or write the DOT with `lineage dot ... -o FILE.dot` and render it elsewhere."
                    .into(),
            ));
        }
        Err(e) => return Err(fail(format!("cannot run Graphviz `dot`: {e}"))),
    };
    // Feed stdin from another thread, so that a large picture cannot fill a pipe and stall.
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| fail(format!("Graphviz `dot`: {e}")))?;
    let fed = feeder.join().unwrap_or(Ok(()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(fail(format!("Graphviz `dot` failed: {}", stderr.trim())));
    }
    fed.map_err(|e| fail(format!("feeding Graphviz `dot`: {e}")))?;
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        eprintln!("lineage: Graphviz: {line}");
    }
    write_file(output, &out.stdout)
}
