//! The command-line interface definition. The doc comments are the help text; the man page and
//! shell completions are generated from the same definitions.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
EXIT STATUS:
  0  success
  1  failure (I/O error, a file that cannot be written, Graphviz failed)
  2  user error: unknown or ambiguous name, bad date, bad argument, invalid data

EXAMPLES:
  lineage Otan --ancestors
  lineage Amanat --at 2005
  lineage show \"Civic Party\"
  lineage path QAP Amanat
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

    /// Use this graph instead of the embedded one: a graph-data directory, a .ron file, or a
    /// snapshot written by `lineage compile`.
    #[arg(long, global = true, value_name = "PATH")]
    pub data: Option<PathBuf>,

    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The top-level query form alone, `lineage NAME [OPTIONS]`: [`Cli`] without its subcommands.
/// Building the whole command tree (every subcommand, every help text) is about half of what
/// parsing costs a start-up (`perf`, docs/performance.md), and the query form needs none of it.
#[derive(Debug, Parser)]
#[command(name = "lineage", version)]
struct QueryCli {
    #[command(flatten)]
    query: QueryArgs,
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// The names (and the `help` command) that make the first argument a subcommand; the test
/// `subcommand_names_are_complete` checks this list against [`Cli`].
const SUBCOMMANDS: &[&str] = &[
    "query",
    "show",
    "search",
    "path",
    "common",
    "leaders",
    "timeline",
    "validate",
    "compile",
    "stats",
    "export",
    "dot",
    "render",
    "completions",
    "man",
    "help",
];

impl Cli {
    /// Parses the process's arguments, exiting with clap's message on an error or for `--help`
    /// and `--version`, exactly as [`Parser::parse`] does.
    pub fn parse_args() -> Cli {
        Cli::parse_from_args(std::env::args_os().collect())
    }

    /// [`Cli::parse_args`] over given arguments (the first is the program name). When the
    /// first argument is neither an option nor a subcommand, the query form is parsed on its
    /// own; whatever it does not accept (help, errors, anything else) goes to the full parser,
    /// so messages and results are the full parser's.
    pub fn parse_from_args(args: Vec<OsString>) -> Cli {
        let args = hoist_globals(args);
        if let Some(first) = args.get(1).and_then(|a| a.to_str())
            && !first.starts_with('-')
            && !SUBCOMMANDS.contains(&first)
            && let Ok(q) = QueryCli::try_parse_from(&args)
        {
            return Cli {
                cmd: None,
                query: q.query,
                data: q.data,
                color: q.color,
            };
        }
        Cli::parse_from(args)
    }
}

/// Moves global options written before the subcommand or name (`lineage --data F stats`) to the
/// end (`lineage stats --data F`), where both parsers take them: clap would otherwise read the
/// subcommand's name as the top-level NAME. `help` takes no options, so for it they are dropped
/// wherever they stand. Anything else is left as it is.
fn hoist_globals(args: Vec<OsString>) -> Vec<OsString> {
    let args = hoist(args);
    if args.get(1).is_some_and(|a| a == "help") {
        let mut out = Vec::with_capacity(args.len());
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.to_str() {
                Some("--data" | "--color") => {
                    it.next();
                }
                Some(s) if s.starts_with("--data=") || s.starts_with("--color=") => {}
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
        if a == "--data" || a == "--color" {
            if i + 1 >= args.len() {
                break;
            }
            i += 2;
        } else if a.starts_with("--data=") || a.starts_with("--color=") {
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

/// A lineage query on one node.
#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    /// The node: an id, a name or an alias (case, punctuation, diacritics and script are ignored).
    pub name: Option<String>,

    /// List the ancestors: everything the node came from.
    #[arg(long, conflicts_with = "descendants")]
    pub ancestors: bool,

    /// List the descendants: everything that came from the node.
    #[arg(long)]
    pub descendants: bool,

    /// Edge kinds to follow, comma-separated: split, merger, renaming, reorganisation, founding
    /// (default: all five), or leadership, membership, founder, affiliation.
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<String>,

    /// The deepest generation to list (renamings do not count as a generation).
    #[arg(long, value_name = "N")]
    pub depth: Option<u32>,

    /// With --ancestors/--descendants: follow only hops that had happened by this date.
    /// Alone: the name the organisation had at this date.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    /// Follow only hops dated on or after this date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Follow only hops dated on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// `{"nodes": [...], "edges": [...]}`.
    Json,
    /// GraphML XML.
    Graphml,
    /// CSV: the edge table (or the node table with --nodes).
    Csv,
}

/// Picture formats of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Picture {
    /// SVG.
    Svg,
    /// PNG.
    Png,
}

/// Which part of the graph to draw or export.
#[derive(Debug, Clone, Args)]
pub struct SelectArgs {
    /// Nodes to start from (default: the whole graph).
    pub names: Vec<String>,

    /// Only the ancestors of the named nodes.
    #[arg(long, conflicts_with = "descendants")]
    pub ancestors: bool,

    /// Only the descendants of the named nodes.
    #[arg(long)]
    pub descendants: bool,

    /// Edge kinds to follow, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<String>,

    /// Only hops dated on or after this date.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only hops dated on or before this date.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Include people (leaders, founders) and their edges.
    #[arg(long)]
    pub people: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Ancestors, descendants or the name at a date (the same as the top-level form).
    Query(QueryArgs),

    /// Everything about one node: names, dates, events, disagreeing claims, edges and sources.
    Show {
        /// The node.
        name: String,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// Ranked fuzzy matches over names and aliases.
    Search {
        /// What to look for.
        text: String,
        /// The most results to list.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// The shortest lineage path between two nodes, as dated, sourced hops.
    Path {
        /// From.
        a: String,
        /// To.
        b: String,
        /// Edge kinds usable, comma-separated.
        #[arg(long, value_delimiter = ',', value_name = "KINDS")]
        kinds: Vec<String>,
        /// Only forward paths whose hops are dated in order.
        #[arg(long)]
        time_respecting: bool,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// Common ancestors of two nodes, and the nearest ones.
    Common {
        /// One node.
        a: String,
        /// The other.
        b: String,
        /// Edge kinds followed, comma-separated.
        #[arg(long, value_delimiter = ',', value_name = "KINDS")]
        kinds: Vec<String>,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// Leaders of an organisation with roles and terms.
    Leaders {
        /// The organisation.
        name: String,
        /// Only leaders whose term may cover this date.
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// Events in date order, optionally limited to the lineage of some nodes.
    Timeline {
        /// Limit to these nodes and their ancestors and descendants.
        names: Vec<String>,
        /// Only entries on or after this date.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only entries on or before this date.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Draw an SVG timeline chart instead of listing.
        #[arg(long)]
        svg: bool,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Output format for the list (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// Check a graph-data directory or RON file; print every problem as file:line:col.
    Validate {
        /// The directory or file (default: --data, else ./graph-data, else the embedded graph).
        path: Option<PathBuf>,
    },

    /// Compile a graph-data directory or RON file into a snapshot.
    Compile {
        /// The directory or file.
        path: PathBuf,
        /// The snapshot to write (atomically).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },

    /// Counts by node kind and edge kind, and the share of sourced facts.
    Stats {
        /// Output format (text or json).
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },

    /// Export the whole graph or a query's subgraph.
    Export {
        #[command(flatten)]
        select: SelectArgs,
        /// Export format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// With --format csv: the node table instead of the edge table.
        #[arg(long)]
        nodes: bool,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },

    /// A Graphviz DOT digraph of the whole lineage graph or of some nodes' lineage.
    ///
    /// Time reads left to right along a year axis; each edge kind and node kind has its own
    /// style, explained by a legend; renaming chains are drawn as one shaded band.
    Dot {
        #[command(flatten)]
        select: SelectArgs,
        /// Leave out the legend.
        #[arg(long)]
        no_legend: bool,
        /// Leave out the year axis (and do not rank nodes by year).
        #[arg(long)]
        no_axis: bool,
        /// Do not draw renaming chains as one shaded band.
        #[arg(long)]
        no_bands: bool,
        /// Write to this file instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },

    /// Render a lineage picture with Graphviz `dot` (SVG or PNG).
    ///
    /// Needs Graphviz's `dot` on PATH. Without --svg or --png, the format follows the file's
    /// extension (SVG unless it ends in .png).
    Render {
        #[command(flatten)]
        select: SelectArgs,
        /// Write SVG.
        #[arg(long, conflicts_with = "png")]
        svg: bool,
        /// Write PNG.
        #[arg(long)]
        png: bool,
        /// Leave out the legend.
        #[arg(long)]
        no_legend: bool,
        /// Leave out the year axis (and do not rank nodes by year).
        #[arg(long)]
        no_axis: bool,
        /// Do not draw renaming chains as one shaded band.
        #[arg(long)]
        no_bands: bool,
        /// The picture file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },

    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff).
    Man,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn subcommand_names_are_complete() {
        let cmd = Cli::command();
        let mut names: Vec<String> = cmd
            .get_subcommands()
            .flat_map(|c| {
                std::iter::once(c.get_name().to_string())
                    .chain(c.get_all_aliases().map(String::from))
            })
            .collect();
        names.push("help".into());
        names.sort();
        let mut ours: Vec<String> = SUBCOMMANDS.iter().map(|s| s.to_string()).collect();
        ours.sort();
        assert_eq!(ours, names);
    }

    /// The fast path gives exactly what the full parser gives.
    #[test]
    fn the_query_form_parses_as_the_full_parser_does() {
        let cases: &[&[&str]] = &[
            &["Otan", "--ancestors"],
            &["Otan", "--descendants", "--format", "json"],
            &["Amanat", "--at", "2005"],
            &[
                "Amanat",
                "--ancestors",
                "--kinds",
                "split,merger",
                "--depth",
                "2",
            ],
            &["Otan", "--ancestors", "--since", "1999", "--until", "2006"],
            &[
                "Otan",
                "--ancestors",
                "--data",
                "graph-data",
                "--color",
                "never",
            ],
            &["Nur Otan"],
            &["Otan", "--", "--ancestors"],
        ];
        for case in cases {
            let args: Vec<OsString> = std::iter::once("lineage")
                .chain(case.iter().copied())
                .map(OsString::from)
                .collect();
            let full = Cli::try_parse_from(&args).map(|c| format!("{c:?}"));
            let fast = QueryCli::try_parse_from(&args).map(|q| {
                format!(
                    "{:?}",
                    Cli {
                        cmd: None,
                        query: q.query,
                        data: q.data,
                        color: q.color
                    }
                )
            });
            match (full, fast) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{case:?}");
                    assert_eq!(format!("{:?}", Cli::parse_from_args(args)), a, "{case:?}");
                }
                // an error on the fast path goes to the full parser, which reports it
                (Err(_), _) => {}
                (Ok(a), Err(e)) => panic!("{case:?}: full {a}, fast {e}"),
            }
        }
    }
}
