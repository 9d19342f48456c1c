//! Every command the README and `--help` show a newcomer is run, as it is written, on the
//! embedded graph, and must succeed (issue 16: "every command they show is run by a test").
//! A command's output file goes to a temporary directory (the README's `-o docs/...` must not
//! rewrite the docs); what follows a pipe (`| dot -Tsvg > amanat.svg`) or a redirection is the
//! reader's own shell and is not run. `lineage render` needs Graphviz: it runs when `dot` is installed, and must
//! when `LINEAGE_REQUIRE_GRAPHVIZ` is set (CI sets it).

use std::path::Path;
use std::process::Command;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("lineage")
}

/// The `lineage …` lines of the README's shell blocks, comments cut.
fn readme_commands() -> Vec<String> {
    let text = std::fs::read_to_string("README.md").unwrap();
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line.trim() == "```sh";
            continue;
        }
        let l = line.trim();
        if in_sh && l.starts_with("lineage ") {
            out.push(without_comment(l));
        }
    }
    out
}

/// The lines under an `EXAMPLES:` heading of `lineage --help` and of each subcommand's help.
fn help_commands() -> Vec<String> {
    let help = |args: &[&str]| {
        let o = Command::new(bin()).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        String::from_utf8(o.stdout).unwrap()
    };
    let top = help(&["--help"]);
    let subcommands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(subcommands.len() > 15, "{subcommands:?}");
    let mut texts = vec![top];
    for c in &subcommands {
        texts.push(help(&[c, "--help"]));
    }
    let mut out = Vec::new();
    for t in texts {
        let mut in_examples = false;
        for line in t.lines() {
            if line.trim_end() == "EXAMPLES:" {
                in_examples = true;
                continue;
            }
            if in_examples && line.trim().is_empty() {
                in_examples = false;
            }
            if in_examples && line.trim_start().starts_with("lineage ") {
                out.push(without_comment(line.trim()));
            }
        }
    }
    out
}

fn without_comment(l: &str) -> String {
    // a comment is `  # ...` after the command (a `#` inside quotes is not one)
    match l.find("  #") {
        Some(at) => l[..at].trim_end().to_string(),
        None => l.to_string(),
    }
}

fn has_graphviz() -> bool {
    Command::new("dot").arg("-V").output().is_ok()
}

/// Runs one documented command line; returns what went wrong, if anything.
fn run(line: &str, tmp: &Path) -> Option<String> {
    // a pipe or a redirection is the reader's shell: the command before it is what is run
    let before_pipe = line
        .split(" | ")
        .next()
        .unwrap()
        .split(" > ")
        .next()
        .unwrap();
    let mut words = shlex::split(before_pipe).unwrap_or_else(|| panic!("cannot split {line:?}"));
    assert_eq!(words.remove(0), "lineage");
    if words.first().map(String::as_str) == Some("render") && !has_graphviz() {
        assert!(
            std::env::var_os("LINEAGE_REQUIRE_GRAPHVIZ").is_none(),
            "LINEAGE_REQUIRE_GRAPHVIZ is set but Graphviz is not installed"
        );
        eprintln!("skipped without Graphviz: {line}");
        return None;
    }
    // output files into the temporary directory
    for i in 1..words.len() {
        if matches!(words[i - 1].as_str(), "-o" | "--output") && words[i] != "-" {
            let name = Path::new(&words[i]).file_name().unwrap().to_owned();
            words[i] = tmp.join(name).to_string_lossy().into_owned();
        }
    }
    let out = Command::new(bin())
        .args(&words)
        .env_remove("LINEAGE_DATA")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) {
        return Some(format!(
            "{line}: exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let wrote_file = words.iter().any(|w| w.starts_with(tmp.to_str().unwrap()));
    if stdout.trim().is_empty() && !wrote_file {
        return Some(format!("{line}: printed nothing"));
    }
    None
}

#[test]
fn every_command_in_the_readme_runs() {
    let cmds = readme_commands();
    assert!(
        cmds.len() >= 25,
        "only {} README commands found",
        cmds.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let failed: Vec<String> = cmds.iter().filter_map(|c| run(c, tmp.path())).collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_example_in_the_help_runs() {
    let cmds = help_commands();
    assert!(
        cmds.len() >= 7,
        "only {} help examples found: {cmds:?}",
        cmds.len()
    );
    let tmp = tempfile::tempdir().unwrap();
    let failed: Vec<String> = cmds.iter().filter_map(|c| run(c, tmp.path())).collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
