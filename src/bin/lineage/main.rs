//! The `lineage` command: glue over the library. See `lineage --help` for exit codes.
//!
//! - `cli.rs`: the argument definitions (clap derive), which are also the help text;
//! - `commands.rs`: one function per command;
//! - this file: parse, dispatch, print.

mod cli;
mod commands;
mod wrap;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use cli::{Cli, Cmd, ColorChoice};
use commands::{Ctx, Fail, Out};
use lineage::render::text;

fn main() -> ExitCode {
    // a completion request from the shell (COMPLETE=fish lineage -- WORDS): answered and exited
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command).complete();
    let cli = Cli::parse_args();
    let style = style(cli.global.color);
    // Without colour no output has any reason to hold a control character but the line break:
    // whatever the data holds is shown as an escape. With colour, the text renderers escape
    // every string from the data themselves, and ESC comes only from their styling.
    let plain = !style.color;
    let ctx = Ctx {
        data: cli.global.data.clone(),
        style,
    };
    match run(&ctx, &cli) {
        Ok(Out::Stdout(s)) => print(&s, plain),
        Ok(Out::Text(s)) => match wrap::width() {
            Some(w) => print(&wrap::wrap(&s, w), plain),
            None => print(&s, plain),
        },
        Ok(Out::Bytes(b)) => write_bytes(&b),
        Ok(Out::Nothing) => ExitCode::SUCCESS,
        Err(f) => {
            if let Some(s) = &f.stdout {
                print(s, plain);
            }
            // a message may quote names and notes from the data: never raw control characters
            let msg = lineage::names::visible(&f.msg, true);
            if f.msg.is_empty() {
            } else if f.raw {
                eprintln!("{msg}");
            } else {
                eprintln!("lineage: {msg}");
            }
            ExitCode::from(f.code)
        }
    }
}

fn run(ctx: &Ctx, cli: &Cli) -> Result<Out, Fail> {
    match &cli.cmd {
        None => commands::query(ctx, &cli.query, true),
        Some(Cmd::Query(a)) => commands::query(ctx, a, false),
        Some(Cmd::Select(a)) => commands::select(ctx, a),
        Some(Cmd::Alive(a)) => commands::alive(ctx, a),
        Some(Cmd::List(a)) => commands::list(ctx, a),
        Some(Cmd::Show(a)) => commands::show(ctx, a),
        Some(Cmd::Search(a)) => commands::search(ctx, a),
        Some(Cmd::Path(a)) => commands::path(ctx, a),
        Some(Cmd::Common(a)) => commands::common(ctx, a),
        Some(Cmd::Leaders(a)) => commands::leaders(ctx, a),
        Some(Cmd::Timeline(a)) => commands::timeline(ctx, a),
        Some(Cmd::Validate(a)) => commands::validate(ctx, a),
        Some(Cmd::Compile(a)) => commands::compile(a),
        Some(Cmd::Stats(a)) => commands::stats(ctx, a),
        Some(Cmd::Export(a)) => commands::export(ctx, a),
        Some(Cmd::Import(a)) => commands::import(a),
        Some(Cmd::Dot(a)) => commands::dot(ctx, a),
        Some(Cmd::Render(a)) => commands::render(ctx, a),
        Some(Cmd::Completions(a)) => commands::completions(a),
        Some(Cmd::Man(a)) => commands::man(a),
    }
}

/// Writes a picture (`render -o -`) to stdout as it is: its bytes are Graphviz's, not text
/// from the data.
fn write_bytes(b: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(b).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lineage: writing output: {e}");
            ExitCode::from(1)
        }
    }
}

fn print(s: &str, plain: bool) -> ExitCode {
    let s = if plain {
        lineage::names::visible(s, true)
    } else {
        std::borrow::Cow::Borrowed(s)
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

fn style(choice: ColorChoice) -> text::Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    text::Style { color }
}
