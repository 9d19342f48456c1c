//! Pictures: DOT text, and SVG or PNG through Graphviz.

use std::io::Write;
use std::path::Path;

use lineage::Db;
use lineage::render::{self, Selection, dot::Dot};

use super::*;
use crate::cli::{DotArgs, DrawArgs, RenderArgs};

fn dot_text(db: &Db, sel: &Selection, d: &DrawArgs) -> String {
    let cfg = render::dot::DotConfig {
        legend: !d.no_legend,
        year_axis: !d.no_axis,
        clusters: !d.no_bands,
        ..render::dot::DotConfig::default()
    };
    Dot::new(db, sel).with_config(cfg).to_string()
}

/// `lineage dot`.
pub fn dot(ctx: &Ctx, a: &DotArgs) -> Res {
    let db = ctx.db()?;
    if let Some(p) = &a.output.output {
        check_extension(p, "Graphviz DOT", &["dot", "gv"])?;
    }
    let sel = selection(&db, &a.select)?;
    emit(&a.output, dot_text(&db, &sel, &a.draw))
}

/// `lineage render`.
pub fn render(ctx: &Ctx, a: &RenderArgs) -> Res {
    let by_extension = a
        .output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    let fmt = if a.png || (!a.svg && by_extension) {
        "png"
    } else {
        "svg"
    };
    check_extension(&a.output, &fmt.to_ascii_uppercase(), &[fmt])?;
    let db = ctx.db()?;
    let sel = selection(&db, &a.select)?;
    let body = dot_text(&db, &sel, &a.draw);
    render_graphviz(&body, fmt, &a.output)
}

/// `lineage completions`.
fn render_graphviz(dot: &str, fmt: &str, output: &Path) -> Res {
    use std::process::{Command, Stdio};
    let child = Command::new("dot")
        .arg(format!("-T{fmt}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(failure(
                "cannot render: Graphviz `dot` is not on PATH.\n\
                 Install Graphviz (Debian/Ubuntu: `apt-get install graphviz`, Fedora: \
                 `dnf install graphviz`, macOS: `brew install graphviz`, others: \
                 https://graphviz.org/download/),\n\
                 or write the DOT with `lineage dot ... -o FILE.dot` and render it elsewhere.",
            ));
        }
        Err(e) => return Err(failure(format!("cannot run Graphviz `dot`: {e}"))),
    };
    // Feed stdin from another thread, so that a large picture cannot fill a pipe and stall.
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| failure(format!("Graphviz `dot`: {e}")))?;
    let fed = feeder.join().unwrap_or(Ok(()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(failure(format!("Graphviz `dot` failed: {}", stderr.trim())));
    }
    fed.map_err(|e| failure(format!("feeding Graphviz `dot`: {e}")))?;
    for line in stderr.lines().filter(|l| !l.trim().is_empty()) {
        eprintln!("lineage: Graphviz: {line}");
    }
    if is_stdout(output) {
        return Ok(Out::Bytes(out.stdout));
    }
    write_file(output, &out.stdout)
}
