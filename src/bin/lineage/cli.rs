//! The command-line interface definition. The doc comments are the help text; the man page and
//! shell completions are generated from the same definitions.
//!
//! Subcommands are tuple variants over argument structs; what several commands share (the output
//! format, an output file, the selection of what to draw or export, the drawing switches) is one
//! struct each, flattened into the commands that take it. Dates and edge kinds are parsed by
//! clap through their `FromStr`, so a bad value is refused with clap's message naming the flag.
//!
//! Longer than most files because it is the help text: every flag's doc comment is what
//! `lineage --help` prints, and one place for all of it keeps the wording consistent.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use lineage::{DateSpec, EdgeKind};

const AFTER_HELP: &str = "\
EXIT STATUS:
  0  success
  1  failure (I/O error, a file that cannot be written, Graphviz failed)
  2  user error: unknown or ambiguous name, bad date, bad argument, invalid data

DATES (for --at, --since, --until and alive):
  a day 2004-09-19, a month 2004-09, a year 2004; early 2004 (Jan-Apr), mid 2004
  (May-Aug), late 2004 (Sep-Dec); spring, summer, autumn 2004; a decade 1990s; about 2004
  (a year either side); before 2004, after 2004; a range 1990..1995 or 1990 to 1995.

EMPTY ANSWERS:
  An answer with nothing in it (no ancestors, no path, no common ancestor, no match) is a
  success: exit 0, a line saying so, and in JSON an empty list.

EXAMPLES:
  lineage Otan --ancestors
  lineage Amanat --at 2005
  lineage show \"Civic Party\"
  lineage path QAP Amanat
  lineage select '::Amanat & kind(movement)'
  lineage select 'into(Otan, merger, when=2006)'
  lineage dot Amanat --ancestors | dot -Tsvg > amanat.svg";

/// Lineage of organisations: splits, mergers, renamings and foundings, with dated, sourced hops.
///
/// The default data is the history of Kazakhstan's political parties, compiled into this binary.
/// Use --data to query another graph (a graph-data directory, a .ron file or a snapshot).
#[derive(Debug, Parser)]
#[command(name = "lineage", version, args_conflicts_with_subcommands = true, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub cmd: Option<Cmd>,

    #[command(flatten)]
    pub query: QueryArgs,

    #[command(flatten)]
    pub global: GlobalArgs,
}

// The options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Use this graph instead of the embedded one: a graph-data directory, a .ron file, or a
    /// snapshot written by `lineage compile`.
    #[arg(long, global = true, value_name = "PATH")]
    pub data: Option<PathBuf>,

    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The long names of [`GlobalArgs`], which may also stand before the subcommand.
const GLOBALS: [&str; 2] = ["--data", "--color"];

impl Cli {
    /// Parses the process's arguments, exiting with clap's message on an error or for `--help`
    /// and `--version`, exactly as [`Parser::parse`] does.
    pub fn parse_args() -> Cli {
        Cli::parse_from_args(std::env::args_os().collect())
    }

    /// [`Cli::parse_args`] over given arguments (the first is the program name), with global
    /// options written before the subcommand moved after it. A first word that is close to a
    /// subcommand's name (`lineage shw Otan`) and does not parse as a query is refused with
    /// that name suggested.
    pub fn parse_from_args(args: Vec<OsString>) -> Cli {
        let args = hoist_globals(args);
        match Cli::try_parse_from(&args) {
            Ok(cli) => cli,
            Err(e) => {
                if let Some((word, cmd)) = args
                    .get(1)
                    .and_then(|a| a.to_str())
                    .and_then(|w| near_subcommand(w).map(|c| (w.to_string(), c)))
                    && !matches!(
                        e.kind(),
                        clap::error::ErrorKind::DisplayHelp
                            | clap::error::ErrorKind::DisplayVersion
                    )
                {
                    eprintln!(
                        "lineage: {word:?} is not a command; did you mean `lineage {cmd}`?\n\n{}",
                        Cli::command().render_usage()
                    );
                    std::process::exit(2);
                }
                clip_invalid_value(e).exit()
            }
        }
    }
}

/// A clap error with the value it echoes cut after [`lineage::names::ECHO_CHARS`] characters,
/// so that a pasted paragraph does not bury the message.
fn clip_invalid_value(mut e: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue};
    if let Some(ContextValue::String(v)) = e.get(ContextKind::InvalidValue) {
        let n = v.chars().count();
        if n > lineage::names::ECHO_CHARS {
            let head: String = v.chars().take(lineage::names::ECHO_CHARS).collect();
            let cut = format!("{head}… ({n} characters)");
            e.insert(ContextKind::InvalidValue, ContextValue::String(cut));
        }
    }
    e
}

/// The subcommand whose name is close to `word` (a typo such as `shw` or `serch`), if any.
pub fn near_subcommand(word: &str) -> Option<String> {
    if word.starts_with('-') || word.len() < 3 {
        return None;
    }
    let w = word.to_lowercase();
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|c| *c != w)
        .map(|c| (strsim::damerau_levenshtein(&w, &c), c))
        .filter(|(d, c)| *d <= 1 || (*d == 2 && c.len() >= 6))
        .min()
        .map(|x| x.1)
}

/// Whether `a` is a global option with its value attached (`--data=F`).
fn global_with_value(a: &str) -> bool {
    GLOBALS
        .iter()
        .any(|g| a.strip_prefix(g).is_some_and(|r| r.starts_with('=')))
}

/// Moves global options written before the subcommand or name (`lineage --data F stats`) to the
/// end (`lineage stats --data F`), where clap takes them: it would otherwise read the
/// subcommand's name as the top-level NAME. `help` takes no options, so for it they are dropped
/// wherever they stand. Anything else is left as it is.
fn hoist_globals(args: Vec<OsString>) -> Vec<OsString> {
    let args = hoist(args);
    if args.get(1).is_some_and(|a| a == "help") {
        let mut out = Vec::with_capacity(args.len());
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.to_str() {
                Some(s) if GLOBALS.contains(&s) => {
                    it.next();
                }
                Some(s) if global_with_value(s) => {}
                _ => out.push(a),
            }
        }
        return out;
    }
    args
}

fn hoist(args: Vec<OsString>) -> Vec<OsString> {
    let mut i = 1;
    while let Some(a) = args.get(i).and_then(|a| a.to_str()) {
        if GLOBALS.contains(&a) {
            if i + 1 >= args.len() {
                break;
            }
            i += 2;
        } else if global_with_value(a) {
            i += 1;
        } else {
            break;
        }
    }
    if i == 1 || i >= args.len() {
        return args;
    }
    let mut out = Vec::with_capacity(args.len());
    out.push(args[0].clone());
    out.extend(args[i..].iter().cloned());
    out.extend(args[1..i].iter().cloned());
    out
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Text,
    /// One JSON document (see the README for the contract).
    Json,
    /// A Graphviz DOT digraph.
    Dot,
}

/// The output formats of a command that answers in text or JSON (no DOT form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// Text for people.
    Text,
    /// One JSON document (see the README for the contract).
    Json,
}

// The output format of a command that answers in text or JSON.
#[derive(Debug, Clone, Args)]
pub struct FormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

// Where a command writes.
#[derive(Debug, Clone, Args)]
pub struct OutputArg {
    /// Write to this file (atomically) instead of stdout; `-` is stdout. An extension that names
    /// another format than the one written (`-o x.pdf` for DOT) is refused.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

// The edge kinds a command follows.
#[derive(Debug, Clone, Args)]
pub struct KindsArg {
    /// Lineage edge kinds to follow, comma-separated: split, merger, renaming, reorganisation,
    /// founding, division (default: all six). People and blocs are not lineage: `lineage
    /// leaders ORG`, `lineage show BLOC` and `lineage select 'members(BLOC)'` answer those.
    #[arg(long, value_delimiter = ',', value_name = "KINDS", value_parser = lineage_kind)]
    pub kinds: Vec<EdgeKind>,
}

// The edge kinds a picture or an export shows.
#[derive(Debug, Clone, Args)]
pub struct DrawKindsArg {
    /// Edge kinds to draw or export, comma-separated: any of split, merger, renaming,
    /// reorganisation, founding, division, leadership, membership, founder, affiliation
    /// (default: the six lineage kinds). From named nodes, the lineage kinds among them are
    /// followed.
    #[arg(long, value_delimiter = ',', value_name = "KINDS", value_parser = any_kind)]
    pub kinds: Vec<EdgeKind>,
}

/// Any edge kind, for what a picture or an export shows.
pub fn any_kind(s: &str) -> Result<EdgeKind, String> {
    s.parse().map_err(|_: lineage::UnknownEdgeKind| {
        format!(
            "unknown edge kind {}; the kinds: split, merger, renaming, reorganisation, founding, division, leadership, membership, founder, affiliation",
            lineage::names::clipped(s)
        )
    })
}

/// An edge kind that lineage queries follow; the kinds that join people or blocs are refused
/// with the command that answers them.
pub fn lineage_kind(s: &str) -> Result<EdgeKind, String> {
    const LINEAGE: &str = "split, merger, renaming, reorganisation, founding, division";
    let k: EdgeKind = s.parse().map_err(|_: lineage::UnknownEdgeKind| {
        format!(
            "unknown edge kind {}; lineage kinds: {LINEAGE}",
            lineage::names::clipped(s)
        )
    })?;
    let answer = match k {
        EdgeKind::Leadership => {
            "a leadership edge joins a person to an organisation; `lineage leaders ORG` lists them"
        }
        EdgeKind::Founder => {
            "a founder edge joins a person to an organisation; `lineage select 'founders(ORG)'` lists them"
        }
        EdgeKind::Affiliation => {
            "an affiliation edge joins a person to an organisation; `lineage show PERSON` lists them"
        }
        EdgeKind::Membership => {
            "a membership edge joins an organisation to a bloc; `lineage select 'members(BLOC)'` and `lineage select 'blocs(ORG)'` list them"
        }
        _ => return Ok(k),
    };
    Err(format!(
        "{answer}. It is not lineage, so lineage queries do not follow it (lineage kinds: {LINEAGE})"
    ))
}

// A date range of hops.
#[derive(Debug, Clone, Args)]
pub struct RangeArgs {
    /// Only hops (or entries) dated on or after this date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<DateSpec>,

    /// Only hops (or entries) dated on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<DateSpec>,
}

// A lineage query on one node.
#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    /// The node: an id, a name or an alias (case, punctuation, diacritics and script are ignored).
    #[arg(add = node_names())]
    pub name: Option<String>,

    /// List the ancestors: everything the node came from.
    #[arg(long, conflicts_with = "descendants")]
    pub ancestors: bool,

    /// List the descendants: everything that came from the node.
    #[arg(long)]
    pub descendants: bool,

    #[command(flatten)]
    pub kinds: KindsArg,

    /// The deepest generation to list (renamings do not count as a generation).
    #[arg(long, value_name = "N")]
    pub depth: Option<u32>,

    /// With --ancestors/--descendants: follow only hops that had happened by this date.
    /// Alone: the name the organisation had at this date.
    #[arg(long, value_name = "DATE")]
    pub at: Option<DateSpec>,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

// Which part of the graph to draw or export.
#[derive(Debug, Clone, Args)]
pub struct SelectArgs {
    /// Nodes to start from (default: the whole graph).
    #[arg(add = node_names())]
    pub names: Vec<String>,

    /// Only the ancestors of the named nodes.
    #[arg(long, conflicts_with = "descendants")]
    pub ancestors: bool,

    /// Only the descendants of the named nodes.
    #[arg(long)]
    pub descendants: bool,

    #[command(flatten)]
    pub kinds: DrawKindsArg,

    #[command(flatten)]
    pub range: RangeArgs,

    /// Include people (leaders, founders) and their edges.
    #[arg(long)]
    pub people: bool,
}

// How to draw a DOT picture.
#[derive(Debug, Clone, Args)]
pub struct DrawArgs {
    /// Leave out the legend.
    #[arg(long)]
    pub no_legend: bool,

    /// Leave out the year axis (and do not rank nodes by year).
    #[arg(long)]
    pub no_axis: bool,

    /// Do not draw renaming chains as one shaded band.
    #[arg(long)]
    pub no_bands: bool,
}

// `show`.
#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The node.
    #[arg(add = node_names())]
    pub name: String,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Output formats of `select`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SelectFormat {
    /// One node a line, with kind, years, id and sources; uncertain members marked.
    Text,
    /// One JSON document: the query, its nodes (each with `uncertain` and `sources`), the
    /// edges among them.
    Json,
    /// The node table: id, name, kind, years, uncertain, sources.
    Csv,
    /// A Graphviz DOT digraph of the nodes and the edges among them.
    Dot,
}

// `select`.
#[derive(Debug, Clone, Args)]
pub struct SelectExprArgs {
    /// The expression, e.g. '::Amanat & kind(party)' (quote it for the shell). The
    /// operators, the functions and the dates they take are in docs/query-language.md.
    #[arg(allow_hyphen_values = true)]
    pub expr: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SelectFormat::Text)]
    pub format: SelectFormat,
    /// Print the parsed, optimised plan (one operation a line) instead of the answer.
    #[arg(long)]
    pub explain: bool,
    #[command(flatten)]
    pub output: OutputArg,
}

/// Node kinds, for `alive` and `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Political parties.
    Party,
    /// Movements, clubs, societies, fronts, committees.
    Movement,
    /// Blocs, alliances, coalitions, councils, factions.
    Bloc,
    /// Trade unions, associations, campaign staffs, other public organisations.
    Organisation,
    /// People.
    Person,
}

impl KindArg {
    /// The kind's name in the query language.
    pub fn as_str(self) -> &'static str {
        match self {
            KindArg::Party => "party",
            KindArg::Movement => "movement",
            KindArg::Bloc => "bloc",
            KindArg::Organisation => "organisation",
            KindArg::Person => "person",
        }
    }
}

// How `alive` and `list` answer: the output of `select`.
#[derive(Debug, Clone, Args)]
pub struct ListOutput {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SelectFormat::Text)]
    pub format: SelectFormat,
    #[command(flatten)]
    pub output: OutputArg,
}

// `alive`.
#[derive(Debug, Clone, Args)]
pub struct AliveArgs {
    /// The date: 2004-09-19, 2004, "early 2004", 1990..1995, ...
    #[arg(value_name = "DATE")]
    pub date: DateSpec,
    /// Only these kinds, comma-separated (default: every kind but people).
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kind: Vec<KindArg>,
    /// Also those that possibly existed then (their dates straddle the date, or are unknown).
    #[arg(long)]
    pub maybe: bool,
    #[command(flatten)]
    pub out: ListOutput,
}

// `list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only these kinds, comma-separated (default: every node).
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kind: Vec<KindArg>,
    #[command(flatten)]
    pub out: ListOutput,
}

// `search`.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// What to look for.
    pub text: String,
    /// The most results to list.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub format: FormatArg,
}

// `path`.
#[derive(Debug, Clone, Args)]
pub struct PathArgs {
    /// From.
    #[arg(add = node_names())]
    pub a: String,
    /// To.
    #[arg(add = node_names())]
    pub b: String,
    #[command(flatten)]
    pub kinds: KindsArg,
    /// Only forward paths whose hops are dated in order.
    #[arg(long)]
    pub time_respecting: bool,
    #[command(flatten)]
    pub format: FormatArg,
}

// `common`.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// One node.
    #[arg(add = node_names())]
    pub a: String,
    /// The other.
    #[arg(add = node_names())]
    pub b: String,
    #[command(flatten)]
    pub kinds: KindsArg,
    #[command(flatten)]
    pub format: FormatArg,
}

// `leaders`.
#[derive(Debug, Clone, Args)]
pub struct LeadersArgs {
    /// The organisation.
    #[arg(add = node_names())]
    pub name: String,
    /// Only leaders whose term may cover this date.
    #[arg(long, value_name = "DATE")]
    pub at: Option<DateSpec>,
    #[command(flatten)]
    pub format: FormatArg,
}

// `timeline`.
#[derive(Debug, Clone, Args)]
pub struct TimelineArgs {
    /// Limit to these nodes and their ancestors and descendants.
    #[arg(add = node_names())]
    pub names: Vec<String>,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Draw an SVG timeline chart instead of listing.
    #[arg(long)]
    pub svg: bool,
    #[command(flatten)]
    pub output: OutputArg,
    #[command(flatten)]
    pub format: FormatArg,
}

// `validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// The directory or file (default: --data, else ./graph-data, else the embedded graph).
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub format: FormatArg,
}

// `compile`.
#[derive(Debug, Clone, Args)]
pub struct CompileArgs {
    /// The directory or file.
    pub path: PathBuf,
    /// The snapshot to write (atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    #[command(flatten)]
    pub format: FormatArg,
}

// `man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write every page (lineage.1 and one lineage-COMMAND.1 per subcommand) into the
    /// directory given with -o, instead of printing lineage.1.
    #[arg(long, requires = "output")]
    pub all: bool,
    /// With --all: the directory to write the pages into (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// `{"nodes": [...], "edges": [...]}`.
    Json,
    /// GraphML XML.
    Graphml,
    /// CSV: one tidy table (--table, default edges), or every table into a directory
    /// (--table all -o DIR).
    Csv,
    /// A SQLite database of every table, with the view lineage_closure (-o FILE.sqlite).
    Sqlite,
    /// CSV in the shapes of political-science datasets: --table party, party-change (ParlGov's
    /// party_id, party_id_new, date, type) or party-year (a panel); or all -o DIR.
    Parlgov,
    /// RDF as Turtle: Wikidata's properties where they map, lineage's own terms, and each edge
    /// as a statement with its dates and sources.
    Turtle,
    /// RDF as N-Triples (the same triples as --format turtle, one a line).
    Ntriples,
    /// Parquet: nodes.parquet and edges.parquet (id, src, dst) into -o DIR (needs the
    /// `parquet` feature).
    Parquet,
    /// QuickStatements commands for the facts between nodes with Wikidata ids, to review
    /// before any upload; what is left out is listed on stderr.
    Quickstatements,
}

/// The tables of `export --format csv` (docs/export.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableArg {
    /// One row per node.
    Nodes,
    /// One row per name, alias and shared name, with its script.
    Names,
    /// One row per edge.
    Edges,
    /// One row per dated claim, with its sources.
    Claims,
    /// One row per event.
    Events,
    /// One row per leadership term.
    Leaders,
    /// One row per election result.
    Elections,
    /// One row per external id.
    ExternalIds,
    /// One row per source cited.
    Sources,
    /// One row per citation (fact, key, source).
    Citations,
    /// With --format parlgov: one row per organisation and name-era.
    Party,
    /// With --format parlgov: one row per lineage change (party_id, party_id_new, date, type).
    PartyChange,
    /// With --format parlgov: one row per organisation, year and era in force.
    PartyYear,
    /// Every table of the format, each into DIR/TABLE.csv (needs -o DIR).
    All,
}

// `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Export format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// With --format csv: the table to write (default: edges); with --format parlgov: party,
    /// party-change (the default) or party-year.
    #[arg(long, value_enum, value_name = "TABLE")]
    pub table: Option<TableArg>,
    /// With --format csv: the node table (--table nodes).
    #[arg(long, conflicts_with = "table")]
    pub nodes: bool,
    #[command(flatten)]
    pub output: OutputArg,
}

// `import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub from: ImportFrom,
}

/// What `import` reads.
#[derive(Debug, Clone, Subcommand)]
pub enum ImportFrom {
    /// Wikidata entity JSON, one entity a line as in Wikidata's dumps, into graph-data RON.
    ///
    /// Items become nodes (every label and alias in every language), P807, P7888, P1365,
    /// P1366, P155 and P156 become edges, P571 and P576 foundings and ends, with their
    /// P585/P580/P582 dates at the precision given and each statement's references as sources.
    /// Every statement it cannot map is listed, on stderr and as comments at the top of the
    /// RON. Review the result before it joins graph-data/.
    Wikidata(ImportWikidataArgs),
}

// `import wikidata`.
#[derive(Debug, Clone, Args)]
pub struct ImportWikidataArgs {
    /// The entity JSON file (`-` reads stdin).
    pub file: PathBuf,
    /// The kind of node an item becomes, unless Wikidata says it is a human (P31 Q5).
    #[arg(long, value_enum, default_value = "party")]
    pub kind: KindArg,
    #[command(flatten)]
    pub output: OutputArg,
}

// `dot`.
#[derive(Debug, Clone, Args)]
pub struct DotArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub draw: DrawArgs,
    #[command(flatten)]
    pub output: OutputArg,
}

// `render`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub select: SelectArgs,
    /// Write SVG.
    #[arg(long, conflicts_with = "png")]
    pub svg: bool,
    /// Write PNG.
    #[arg(long)]
    pub png: bool,
    #[command(flatten)]
    pub draw: DrawArgs,
    /// The picture file to write (`-` for stdout). Its extension chooses PNG (`.png`) or SVG;
    /// any other extension (`.pdf`) is refused, as is one that contradicts --svg or --png.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Completion candidates for an argument that names a node: every id of the embedded graph,
/// described by its name, kind and years (ids need no quoting in any shell).
fn node_names() -> clap_complete::ArgValueCandidates {
    clap_complete::ArgValueCandidates::new(|| {
        let Ok(db) = lineage::Db::embedded() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for n in db.node_ids() {
            let c = db.candidate(n);
            let years = if c.years.is_empty() {
                String::new()
            } else {
                format!(", {}", c.years)
            };
            let help = format!(
                "{} ({}{years})",
                lineage::names::visible(&c.name, false),
                c.kind
            );
            out.push(
                clap_complete::CompletionCandidate::new(db.id(n).to_string())
                    .help(Some(help.into())),
            );
        }
        out
    })
}

// `completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// Subcommands. Each is built only when the arguments name it (`defer`): the query form, the
/// common case, never pays for building the others.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Cmd {
    /// Ancestors, descendants or the name at a date (the same as the top-level form).
    Query(QueryArgs),

    /// The nodes a query-language expression denotes (docs/query-language.md).
    ///
    /// Sets of nodes combine with | & ~ and parentheses; ::x is the ancestors of x and x:: its
    /// descendants (x included); x @ DATE the name in force then; functions such as
    /// kind(party), founded(before:1999), alive(2023), into(x, merger), leaders(x) filter and
    /// follow. Members reached only through undated or straddling hops are marked uncertain.
    Select(SelectExprArgs),

    /// The organisations that existed at a date: `select 'alive(DATE) & ~kind(person)'`.
    ///
    /// "Existed" means surely in existence on some day of DATE; --maybe adds those that
    /// possibly did.
    Alive(AliveArgs),

    /// Every node, or those of some kinds: `select 'kind(KINDS)'`.
    List(ListArgs),

    /// Everything about one node: names, dates, events, disagreeing claims, edges and sources.
    Show(ShowArgs),

    /// Ranked fuzzy matches over names and aliases.
    Search(SearchArgs),

    /// The shortest lineage path between two nodes, as dated, sourced hops.
    Path(PathArgs),

    /// Common ancestors of two nodes, and the nearest ones.
    Common(CommonArgs),

    /// Leaders of an organisation with roles and terms.
    Leaders(LeadersArgs),

    /// Events in date order, optionally limited to the lineage of some nodes.
    ///
    /// Entries are ordered by the first day their date may fall on, then the last. An entry
    /// known only as "before X" or "after X" is placed at X. `--since`/`--until` keep the
    /// entries whose dates may fall in the range (they overlap it). An event told both as an
    /// edge and as a founding or end of the same date is one row.
    Timeline(TimelineArgs),

    /// Check a graph-data directory or RON file; print every problem as file:line:col.
    Validate(ValidateArgs),

    /// Compile a graph-data directory or RON file into a snapshot.
    Compile(CompileArgs),

    /// Counts by node kind and edge kind, and the share of sourced facts.
    Stats(FormatArg),

    /// Export the whole graph or a query's subgraph.
    Export(ExportArgs),

    /// Build graph-data RON from another dataset's files (Wikidata entity JSON).
    Import(ImportArgs),

    /// A Graphviz DOT digraph of the whole lineage graph or of some nodes' lineage.
    ///
    /// Time reads left to right along a year axis; each edge kind and node kind has its own
    /// style, explained by a legend; renaming chains are drawn as one shaded band.
    Dot(DotArgs),

    /// Render a lineage picture with Graphviz `dot` (SVG or PNG).
    ///
    /// Needs Graphviz's `dot` on PATH. Without --svg or --png, the format follows the file's
    /// extension (SVG unless it ends in .png).
    Render(RenderArgs),

    /// Print a shell completion script.
    Completions(CompletionsArgs),

    /// Print the man page (roff), or with --all -o DIR write one page per command.
    Man(ManArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Each subcommand's help opens with its own summary (the variant's doc comment), not with
    /// the comment of the argument struct it wraps (which once printed "`path`").
    #[test]
    fn every_subcommand_has_its_own_summary() {
        let cmd = Cli::command();
        let mut seen = std::collections::BTreeSet::new();
        for sub in cmd.get_subcommands() {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            assert!(
                about.len() >= 20 && !about.starts_with('`'),
                "{}: {about:?}",
                sub.get_name()
            );
            assert!(seen.insert(about.clone()), "two commands share {about:?}");
        }
        assert!(seen.len() >= 18, "{seen:?}");
    }

    /// Global options parse the same before the subcommand or name as after it.
    #[test]
    fn global_options_may_come_first() {
        let parse = |v: &[&str]| {
            let args = std::iter::once("lineage").chain(v.iter().copied());
            format!(
                "{:?}",
                Cli::parse_from_args(args.map(OsString::from).collect())
            )
        };
        assert_eq!(
            parse(&["--data", "x", "stats"]),
            parse(&["stats", "--data", "x"])
        );
        assert_eq!(
            parse(&["--color=never", "Otan", "--ancestors"]),
            parse(&["Otan", "--ancestors", "--color", "never"])
        );
        assert!(parse(&["--data", "x", "stats"]).contains("Stats"));
    }
}
