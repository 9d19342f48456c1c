//! The layering of `docs/architecture.md`, checked: no module of `src/` names a module of a
//! layer above its own, so there are no import circles between top-level modules.

use std::collections::BTreeMap;
use std::path::Path;

/// Each top-level module and the modules it may name (`crate::X`).
fn allowed() -> BTreeMap<&'static str, Vec<&'static str>> {
    let below = |v: &[&'static str]| v.to_vec();
    let l0: Vec<&str> = vec![];
    let l1 = below(&["date"]);
    let l2 = below(&["names", "date", "model"]);
    let l3s = below(&["error"]);
    let l3l = below(&["error", "save"]);
    let l4 = below(&["names", "date", "model", "error"]);
    let l5 = below(&["names", "date", "model", "error", "graph"]);
    let l5s = below(&["names", "date", "model", "error"]);
    let l6 = below(&[
        "names", "date", "model", "error", "graph", "load", "snapshot",
    ]);
    let mut l7 = l6.clone();
    l7.push("db");
    let mut l8 = l7.clone();
    l8.push("query");
    let mut l9 = l8.clone();
    l9.push("lang");
    BTreeMap::from([
        ("limits", Vec::new()),
        ("names", l0.clone()),
        ("date", below(&["names"])),
        ("model", l1),
        ("error", l2),
        ("save", l3s),
        ("lock", l3l),
        ("graph", l4),
        ("load", l5),
        ("snapshot", l5s),
        ("db", l6),
        ("query", l7),
        ("lang", l8),
        ("render", l9),
    ])
}

/// The top-level modules named by `crate::X` paths in a source text (comments skipped).
fn named(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + 7..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                out.push(name);
            }
            rest = after;
        }
        // `use crate::{a, b}` groups
        if let Some(at) = code.find("crate::{") {
            let inner = &code[at + 8..];
            for part in inner.split([',', '}', '{']) {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                    out.push(name);
                }
            }
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_names_a_layer_above_its_own() {
    let allowed = allowed();
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    let mut checked = 0;
    let mut wrong = Vec::new();
    for f in &all {
        let rel = f.strip_prefix("src").unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "lib" || top == "bin" {
            continue;
        }
        let may = allowed
            .get(top.as_str())
            .unwrap_or_else(|| panic!("{}: module {top} is not in the layer table", f.display()));
        checked += 1;
        for n in named(&std::fs::read_to_string(f).unwrap()) {
            // `limits` is the bottom layer, below everything
            if n != top && n != "limits" && !may.contains(&n.as_str()) {
                wrong.push(format!("{}: names crate::{n}", f.display()));
            }
        }
    }
    assert!(checked > 40, "only {checked} files checked");
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
}

/// The checker sees what it is meant to see (a check that finds nothing proves nothing).
#[test]
fn the_layer_check_reads_paths_and_groups() {
    assert_eq!(
        named("use crate::db::{Db, NodeId};\nlet x = crate::query::closure(); // crate::render"),
        ["db", "query"]
    );
    assert_eq!(
        named("use crate::{date::Day, model::Node};"),
        ["date", "model"]
    );
}

/// No file of `src/` is longer than about 400 lines unless its first lines say why.
#[test]
fn long_files_say_why() {
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    let mut long = Vec::new();
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap();
        let lines = text.lines().count();
        let head: String = text.lines().take(12).collect::<Vec<_>>().join("\n");
        if lines > 420 && !head.contains("Longer than") {
            long.push(format!("{}: {lines} lines", f.display()));
        }
    }
    assert!(
        long.is_empty(),
        "long files without a reason:\n{}",
        long.join("\n")
    );
}
