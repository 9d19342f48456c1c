//! The tidy tables (`lineage export --format csv --table …`, `--format sqlite`) and
//! `docs/export.md`:
//!
//! - every fact of the embedded graph is a row: counts per table equal the graph's own counts,
//!   and every source cited anywhere is in `sources`;
//! - every CSV table reads back with Python's `csv` module, field for field;
//! - the SQLite file opens in Debian's `sqlite3`, holds the same rows, joins cleanly, and
//!   answers the SQL examples of docs/export.md exactly as the document shows;
//! - docs/export.md lists every table and column;
//! - `--kinds` selects exactly the edges of those kinds.
//!
//! Python and `sqlite3` are external programs: without them these tests print a notice and
//! pass, unless `LINEAGE_REQUIRE_PYTHON=1` / `LINEAGE_REQUIRE_SQLITE3=1` (set by `.ci/run`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use lineage::query::{Filter, Selection};
use lineage::render::tables::{self, Cell, TABLES, Table};
use lineage::{Db, EdgeKind};

pub(crate) fn tool(name: &str, probe: &[&str], var: &str) -> bool {
    let ok = Command::new(name)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var(var).as_deref() != Ok("1"),
            "{var}=1 but `{name}` is not on PATH"
        );
        eprintln!(
            "*** {name} is not installed: this test checks nothing (set {var}=1 to fail) ***"
        );
    }
    ok
}

fn everything(db: &Db) -> Selection {
    Selection::all(db, true, &Filter::default())
}

fn rows(db: &Db, sel: &Selection, t: Table) -> Vec<Vec<Cell>> {
    let mut out = Vec::new();
    if t.is_shape() {
        tables::each_shape_row(db, sel, t, &mut |r| out.push(r.to_vec()));
    } else {
        tables::each_row(db, sel, t, &mut |r| out.push(r.to_vec()));
    }
    out
}

/// What a CSV reader gets back for a cell: the text as written, with the spreadsheet guard.
fn as_read(c: &Cell) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Int(v) => v.to_string(),
        Cell::Real(v) => v.to_string(),
        Cell::Text(s) => {
            if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{s}")
            } else {
                s.clone()
            }
        }
    }
}

#[test]
fn every_fact_of_the_graph_is_a_row() {
    let db = Db::embedded().unwrap();
    let sel = everything(&db);
    let count = |t| rows(&db, &sel, t).len();
    let nodes: Vec<_> = db.node_ids().map(|n| db.node(n)).collect();
    let edges: Vec<_> = db.edge_ids().map(|e| db.edge(e)).collect();
    assert_eq!(count(Table::Nodes), nodes.len());
    assert_eq!(count(Table::Edges), edges.len());
    let names: usize = nodes
        .iter()
        .map(|n| 1 + n.aliases.len() + n.shared_names.len())
        .sum();
    assert_eq!(count(Table::Names), names);
    let claims: usize = nodes
        .iter()
        .map(|n| n.founded.len() + n.registered.len() + n.ended.len())
        .sum::<usize>()
        + edges.iter().map(|e| e.date.len()).sum::<usize>();
    assert_eq!(count(Table::Claims), claims);
    assert!(claims > 300, "{claims} claims");
    let events: usize = nodes.iter().map(|n| n.events.len()).sum();
    assert_eq!(count(Table::Events), events);
    let results: usize = nodes.iter().map(|n| n.results.len()).sum();
    assert_eq!(count(Table::Elections), results);
    assert!(results > 20, "{results} results");
    let ext: usize = nodes.iter().map(|n| n.external_ids.len()).sum();
    assert_eq!(count(Table::ExternalIds), ext);
    let leaders = edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Leadership)
        .count();
    assert_eq!(count(Table::Leaders), leaders);
    // every source cited anywhere is described, and every citation names one
    let cited: BTreeSet<String> = rows(&db, &sel, Table::Citations)
        .into_iter()
        .map(|r| as_read(&r[2]))
        .collect();
    let described: BTreeSet<String> = rows(&db, &sel, Table::Sources)
        .into_iter()
        .map(|r| as_read(&r[0]))
        .collect();
    assert_eq!(cited, described);
    let mut all_cited = BTreeSet::new();
    for n in db.node_ids() {
        all_cited.extend(lineage::render::cited_sources(&db, n));
    }
    assert_eq!(described, all_cited);
    // disagreeing claims stay apart, each with its own sources
    let ak_zhol: Vec<_> = rows(&db, &sel, Table::Claims)
        .into_iter()
        .filter(|r| as_read(&r[1]) == "ak-zhol" && as_read(&r[3]) == "founded")
        .map(|r| (as_read(&r[4]), as_read(&r[8])))
        .collect();
    assert!(ak_zhol.len() >= 2, "{ak_zhol:?}");
    assert!(ak_zhol.iter().all(|(_, s)| !s.is_empty()), "{ak_zhol:?}");
}

#[test]
fn every_csv_table_reads_back_with_pythons_csv_module() {
    if !tool(
        "python3",
        &["-c", "import csv, json"],
        "LINEAGE_REQUIRE_PYTHON",
    ) {
        return;
    }
    let db = Db::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    export_dirs(dir.path());
    let script = r#"
import csv, json, sys
out = {}
for name in sys.argv[2:]:
    with open(f"{sys.argv[1]}/{name}.csv", newline="", encoding="utf-8") as f:
        out[name] = list(csv.reader(f, strict=True))
print(json.dumps(out))
"#;
    let names: Vec<String> = TABLES
        .iter()
        .map(|t| format!("tables/{}", t.name))
        .chain(tables::SHAPES.iter().map(|t| format!("parlgov/{}", t.name)))
        .collect();
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir.path())
        .args(&names)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: std::collections::BTreeMap<String, Vec<Vec<String>>> =
        serde_json::from_slice(&out.stdout).unwrap();
    let mut fields = 0;
    let with_people = everything(&db);
    let orgs = Selection::all(&db, false, &Filter::default());
    for (t, key, sel) in TABLES
        .iter()
        .map(|t| (t, format!("tables/{}", t.name), &with_people))
        .chain(
            tables::SHAPES
                .iter()
                .map(|t| (t, format!("parlgov/{}", t.name), &orgs)),
        )
    {
        let read = &got[&key];
        let header: Vec<&str> = t.columns.iter().map(|c| c.name).collect();
        assert_eq!(read[0], header, "{}: header", t.name);
        let want: Vec<Vec<String>> = rows(&db, sel, t.table)
            .iter()
            .map(|r| r.iter().map(as_read).collect())
            .collect();
        assert_eq!(&read[1..], &want[..], "{}", t.name);
        fields += want.iter().map(Vec::len).sum::<usize>();
    }
    assert!(fields > 10_000, "{fields} fields");
}

fn sqlite3(file: &Path, sql: &str) -> String {
    let out = Command::new("sqlite3").arg(file).arg(sql).output().unwrap();
    assert!(
        out.status.success(),
        "sqlite3: {}\n{sql}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn export_sqlite(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("kz.sqlite");
    Command::cargo_bin("lineage")
        .unwrap()
        .args(["export", "--format", "sqlite", "--people", "-o"])
        .arg(&file)
        .assert()
        .success();
    file
}

#[test]
fn the_sqlite_file_holds_every_row_and_joins_cleanly() {
    if !tool("sqlite3", &["-version"], "LINEAGE_REQUIRE_SQLITE3") {
        return;
    }
    let db = Db::embedded().unwrap();
    let sel = everything(&db);
    let dir = tempfile::tempdir().unwrap();
    let file = export_sqlite(dir.path());
    assert_eq!(sqlite3(&file, "PRAGMA integrity_check;"), "ok\n");
    for t in TABLES {
        let n = sqlite3(&file, &format!("SELECT count(*) FROM {};", t.name));
        assert_eq!(
            n.trim(),
            rows(&db, &sel, t.table).len().to_string(),
            "{}",
            t.name
        );
    }
    // nothing points at a node, an edge or a source that is not there
    for (what, sql) in [
        (
            "edge ends",
            "SELECT count(*) FROM edges WHERE from_node NOT IN (SELECT id FROM nodes) OR to_node NOT IN (SELECT id FROM nodes);",
        ),
        (
            "names",
            "SELECT count(*) FROM names WHERE node NOT IN (SELECT id FROM nodes);",
        ),
        (
            "claims",
            "SELECT count(*) FROM claims WHERE (node IS NULL) = (edge IS NULL) OR node NOT IN (SELECT id FROM nodes) OR edge NOT IN (SELECT edge FROM edges);",
        ),
        (
            "citations",
            "SELECT count(*) FROM citations WHERE source NOT IN (SELECT id FROM sources);",
        ),
        (
            "dates",
            "SELECT count(*) FROM claims WHERE earliest > latest OR date(earliest) IS NOT earliest;",
        ),
    ] {
        assert_eq!(sqlite3(&file, sql).trim(), "0", "{what}");
    }
    // the closure view is the library's ancestors, for every node
    let view = sqlite3(
        &file,
        "SELECT node || ' ' || ancestor || ' ' || depth FROM lineage_closure ORDER BY 1;",
    );
    let mut want = Vec::new();
    for n in db.node_ids() {
        let c = lineage::query::closure(&db, n, lineage::query::Direction::Ancestors, &{
            Filter::default()
        });
        for h in c.hits {
            want.push(format!("{} {} {}", db.id(n), db.id(h.node), h.depth));
        }
    }
    want.sort();
    let got: Vec<String> = view.lines().map(str::to_string).collect();
    assert_eq!(got.len(), want.len());
    let pairs = |v: &[String]| -> BTreeSet<String> {
        v.iter()
            .map(|l| l.rsplit_once(' ').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(pairs(&got), pairs(&want), "the same (node, ancestor) pairs");
    assert!(got.len() > 100, "{} closure rows", got.len());
}

/// Runs each ```LANG block of docs/export.md and compares what it prints with the ```text
/// block after it; `LINEAGE_BLESS=1` rewrites the outputs.
/// What `python3 -c ARGS…` prints, run in `dir`; a failure fails the test with its stderr.
pub(crate) fn python(args: &[&str], dir: &Path) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn doc_blocks(lang: &str, run: &dyn Fn(&str) -> String) -> usize {
    let path = Path::new("docs/export.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let open = format!("```{lang}\n");
    let bless = std::env::var("LINEAGE_BLESS").as_deref() == Ok("1");
    let mut out = String::new();
    let mut rest = doc.as_str();
    let mut examples = 0;
    while let Some(i) = rest.find(&open) {
        let (before, after) = rest.split_at(i + open.len());
        out.push_str(before);
        let end = after.find("```\n").unwrap();
        let code = &after[..end];
        out.push_str(&after[..end + 4]);
        let after = &after[end + 4..];
        let start = after
            .find("```text\n")
            .expect("a text block after each example");
        out.push_str(&after[..start + "```text\n".len()]);
        let after = &after[start + "```text\n".len()..];
        let stop = after.find("```\n").unwrap();
        let shown = &after[..stop];
        let got = run(code);
        assert!(
            !got.trim().is_empty(),
            "an example that prints nothing: {code}"
        );
        if bless {
            out.push_str(&got);
        } else {
            assert_eq!(shown, got, "docs/export.md: {code}");
            out.push_str(shown);
        }
        examples += 1;
        rest = &after[stop..];
    }
    out.push_str(rest);
    if bless {
        std::fs::write(path, out).unwrap();
    }
    examples
}

#[test]
fn the_sql_examples_of_docs_export_md_answer_as_shown() {
    if !tool("sqlite3", &["-version"], "LINEAGE_REQUIRE_SQLITE3") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = export_sqlite(dir.path());
    let n = doc_blocks("sql", &|sql| sqlite3(&file, sql));
    assert!(n >= 3, "{n} examples");
}

/// Writes what docs/export.md's "Loading the CSV files" writes: `tables/` and `parlgov/`.
fn export_dirs(dir: &Path) {
    for (format, sub, people) in [("csv", "tables", true), ("parlgov", "parlgov", false)] {
        let mut cmd = Command::cargo_bin("lineage").unwrap();
        cmd.args(["export", "--format", format, "--table", "all", "-o"])
            .arg(dir.join(sub));
        if people {
            cmd.arg("--people");
        }
        cmd.assert().success();
    }
}

#[test]
fn the_python_example_of_docs_export_md_prints_what_it_shows() {
    if !tool(
        "python3",
        &["-c", "import pandas"],
        "LINEAGE_REQUIRE_PANDAS",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    export_dirs(dir.path());
    let n = doc_blocks("python", &|code| python(&[code], dir.path()));
    assert_eq!(n, 1);
}

#[test]
fn docs_export_md_lists_every_table_and_column() {
    let path = Path::new("docs/export.md");
    for (marker, defs) in [("tables", TABLES), ("shapes", tables::SHAPES)] {
        let doc = std::fs::read_to_string(path).unwrap();
        let begin = doc.find(&format!("<!-- {marker}:begin")).unwrap();
        let begin = begin + doc[begin..].find("-->\n").unwrap() + 4;
        let end = doc.find(&format!("<!-- {marker}:end -->")).unwrap();
        let want = tables::markdown(defs);
        if std::env::var("LINEAGE_BLESS").as_deref() == Ok("1") {
            let new = format!("{}\n{want}{}", &doc[..begin], &doc[end..]);
            std::fs::write(path, new).unwrap();
            continue;
        }
        assert_eq!(doc[begin..end].trim(), want.trim(), "{marker}");
        for t in defs {
            assert!(doc.contains(&format!("### `{}`", t.name)), "{}", t.name);
        }
    }
}

#[test]
fn kinds_selects_exactly_the_edges_of_those_kinds() {
    let csv = |args: &[&str]| {
        let out = Command::cargo_bin("lineage")
            .unwrap()
            .args(["export", "--format", "csv"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let kinds = |text: &str| -> BTreeSet<String> {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_string())
            .collect()
    };
    assert_eq!(
        kinds(&csv(&["--kinds", "split"])),
        ["split".to_string()].into()
    );
    assert_eq!(
        kinds(&csv(&["--kinds", "split", "--people"])),
        ["split".to_string()].into()
    );
    assert_eq!(
        kinds(&csv(&["--kinds", "leadership", "--people"])),
        ["leadership".to_string()].into()
    );
    // without --kinds: the lineage kinds, membership, and people's edges with --people
    let all = kinds(&csv(&["--people"]));
    assert!(all.contains("membership") && all.contains("leadership") && all.contains("split"));
    // the people shown are those at an end of an edge shown
    let people = csv(&["--kinds", "split", "--people", "--table", "nodes"]);
    assert!(
        !people
            .lines()
            .any(|l| l.split(',').nth(1) == Some("person"))
    );
    let leaders = csv(&["--kinds", "leadership", "--people", "--table", "nodes"]);
    assert!(
        leaders
            .lines()
            .any(|l| l.split(',').nth(1) == Some("person"))
    );
}

#[test]
fn bad_export_arguments_are_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    for (args, says) in [
        (vec!["--format", "sqlite"], "give it with -o FILE.sqlite"),
        (
            vec!["--format", "sqlite", "-o", "-"],
            "give it with -o FILE.sqlite",
        ),
        (
            vec!["--format", "csv", "--table", "all"],
            "give the directory with -o DIR",
        ),
        (
            vec!["--format", "json", "--table", "claims"],
            "--table goes with --format csv",
        ),
    ] {
        let out = Command::cargo_bin("lineage")
            .unwrap()
            .arg("export")
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args(["export", "--format", "sqlite", "-o"])
        .arg(dir.path().join("kz.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("*.sqlite"));
    assert!(!dir.path().join("kz.csv").exists());
}

#[test]
fn the_analyst_shapes_hold_every_organisation_change_and_year() {
    let db = Db::embedded().unwrap();
    let sel = Selection::all(&db, false, &Filter::default());
    let text = |c: &Cell| as_read(c);
    let party = rows(&db, &sel, Table::Party);
    let orgs = db
        .node_ids()
        .filter(|&n| db.kind(n) != lineage::NodeKind::Person)
        .count();
    assert_eq!(party.len(), orgs);
    // every era of a renaming chain names the same first era, which names itself
    let chain: std::collections::BTreeMap<String, String> =
        party.iter().map(|r| (text(&r[0]), text(&r[1]))).collect();
    for (era, first) in &chain {
        assert_eq!(chain[first], *first, "{era}");
    }
    assert_eq!(chain["amanat"], "otan");
    assert_eq!(chain["nur-otan"], "otan");
    // QIDs and Party Facts ids land in their columns
    assert!(party.iter().any(|r| text(&r[10]).starts_with('Q')));
    assert!(party.iter().any(|r| !text(&r[11]).is_empty()));
    // one change per lineage edge between organisations; a day only when the claims agree
    let changes = rows(&db, &sel, Table::PartyChange);
    let lineage_edges = db
        .edge_ids()
        .filter(|&e| db.edge_kind(e).is_lineage())
        .count();
    assert_eq!(changes.len(), lineage_edges);
    for r in &changes {
        if !text(&r[2]).is_empty() {
            assert_eq!((text(&r[2]), text(&r[2])), (text(&r[3]), text(&r[4])));
        }
    }
    let ak = changes
        .iter()
        .find(|r| text(&r[0]) == "dck-movement" && text(&r[1]) == "ak-zhol")
        .unwrap();
    assert_eq!(text(&ak[2]), "", "disagreeing claims give no day");
    assert!(text(&ak[6]).contains(" / "));
    // the panel: Otan in 2005, both names in 2006, Amanat in 2023; surely implies possibly
    let panel = rows(&db, &sel, Table::PartyYear);
    let era = |chain: &str, year: i64| -> Vec<(String, String)> {
        panel
            .iter()
            .filter(|r| text(&r[0]) == chain && r[1] == Cell::Int(year))
            .map(|r| (text(&r[2]), text(&r[4])))
            .collect()
    };
    assert_eq!(era("otan", 2005), [("otan".to_string(), "1".to_string())]);
    assert_eq!(
        era("otan", 2006)
            .into_iter()
            .map(|e| e.0)
            .collect::<Vec<_>>(),
        ["nur-otan", "otan"]
    );
    assert_eq!(era("otan", 2023), [("amanat".to_string(), "1".to_string())]);
    let mut sorted = panel.clone();
    sorted.sort_by_key(|r| {
        (
            text(&r[0]),
            text(&r[1]).parse::<i64>().unwrap(),
            text(&r[2]),
        )
    });
    assert_eq!(sorted.len(), panel.len());
    // an era is never placed before the first year its beginning allows
    for r in &panel {
        let begin = party
            .iter()
            .find(|p| text(&p[0]) == text(&r[2]))
            .map(|p| text(&p[5]))
            .unwrap();
        let y: i64 = text(&r[1]).parse().unwrap();
        assert!(begin[..4].parse::<i64>().unwrap() <= y, "{r:?}");
    }
}
