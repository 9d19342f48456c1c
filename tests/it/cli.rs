//! The command line: every command and format, every error path with its exit status and
//! message, and the JSON contract's keys. Text output is snapshot-tested (insta) on the small
//! sample graph, so that the snapshots do not move when the Kazakhstan data grows.

use assert_cmd::Command;
use serde_json::Value;

const SAMPLE: &str = "tests/fixtures/sample.ron";
const AMBIGUOUS: &str = "tests/fixtures/ambiguous.ron";

fn lineage() -> Command {
    let mut c = Command::cargo_bin("lineage").expect("the lineage binary is built");
    c.env_remove("NO_COLOR");
    c
}

/// Runs with the sample data; returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = lineage()
        .args(args)
        .args(["--data", SAMPLE])
        .output()
        .expect("runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{args:?} failed: {err}");
    assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
    out
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let out = ok(&a);
    serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{args:?}: not one JSON document: {e}\n{out}"))
}

fn fails(args: &[&str], code: i32) -> String {
    let (c, out, err) = run(args);
    assert_eq!(c, code, "{args:?}: exit status (stderr: {err})");
    assert!(
        out.is_empty(),
        "{args:?}: an error prints nothing on stdout, got {out}"
    );
    err
}

fn assert_node_object(v: &Value) {
    for k in [
        "id",
        "name",
        "kind",
        "founded",
        "registered",
        "ended",
        "years",
    ] {
        assert!(v.get(k).is_some(), "node object lacks {k:?}: {v}");
    }
    assert!(v["aliases"].is_array(), "aliases must be an array: {v}");
}

#[test]
fn ancestors_and_descendants_text() {
    insta::assert_snapshot!("ancestors_amanat", ok(&["Amanat", "--ancestors"]));
    insta::assert_snapshot!("descendants_qap", ok(&["QAP", "--descendants"]));
    insta::assert_snapshot!(
        "ancestors_depth_0",
        ok(&["Amanat", "--ancestors", "--depth", "0"])
    );
    insta::assert_snapshot!(
        "ancestors_at_2005",
        ok(&["Nur Otan", "--ancestors", "--at", "2005"])
    );
    insta::assert_snapshot!(
        "ancestors_renaming_only",
        ok(&["amanat", "--ancestors", "--kinds", "rename"])
    );
    insta::assert_snapshot!(
        "descendants_since",
        ok(&["civic-party", "--descendants", "--since", "2007"])
    );
    // the explicit subcommand form is the same
    assert_eq!(
        ok(&["query", "Amanat", "--ancestors"]),
        ok(&["Amanat", "--ancestors"])
    );
}

#[test]
fn ancestors_json_contract() {
    let v = json(&["Amanat", "--ancestors"]);
    assert_node_object(&v["root"]);
    assert_eq!(v["root"]["id"], "amanat");
    let nodes = v["nodes"].as_array().unwrap();
    let ids: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["nur-otan", "otan", "civic-party"]);
    for n in nodes {
        assert_node_object(n);
        assert!(n["depth"].is_u64());
        let via = n["via"].as_array().unwrap();
        assert!(!via.is_empty());
        for e in via {
            assert!(e["kind"].is_string() && e["from"].is_string() && e["to"].is_string());
            assert!(e["sources"].as_array().is_some_and(|s| !s.is_empty()));
        }
    }
    assert_eq!(nodes[2]["depth"], 1, "renamings do not add a generation");
    assert!(v["edges"].as_array().is_some_and(|e| e.len() == 3));
}

#[test]
fn name_at_date() {
    insta::assert_snapshot!("amanat_at_2005", ok(&["Amanat", "--at", "2005"]));
    insta::assert_snapshot!("amanat_at_2006_uncertain", ok(&["Amanat", "--at", "2006"]));
    let v = json(&["Amanat", "--at", "2005"]);
    assert_node_object(&v["node"]);
    assert_eq!(v["node"]["id"], "otan");
    assert_eq!(v["certain"], true);
    let v = json(&["Amanat", "--at", "2006"]);
    assert!(v["node"].is_null());
    assert_eq!(v["certain"], false);
    assert_eq!(v["candidates"].as_array().unwrap().len(), 2);
    let v = json(&["Otan", "--at", "1990"]);
    assert!(v["node"].is_null());
    assert!(v["candidates"].as_array().unwrap().is_empty());
}

#[test]
fn show_text_and_json() {
    insta::assert_snapshot!("show_qap", ok(&["show", "QAP"]));
    insta::assert_snapshot!("show_person", ok(&["show", "Azat Peruashev"]));
    let v = json(&["show", "Қазақстан азаматтық партиясы"]);
    assert_node_object(&v["node"]);
    assert_eq!(v["node"]["id"], "civic-party");
    assert_eq!(v["node"]["founded"][0]["date"], "1998-11-17");
    assert_eq!(v["events"][0]["date"], "1998-11-17");
    let out = &v["edges_out"][0];
    assert_eq!(out["kind"], "merger");
    assert_node_object(&out["to_node"]);
    assert!(v["edges_in"][0]["from_node"]["id"] == "azat-peruashev");
    assert_eq!(v["sources"][0]["id"], "wp-civic-party");
}

#[test]
fn search_path_common_leaders_timeline_stats() {
    insta::assert_snapshot!("search_otn", ok(&["search", "otn"]));
    insta::assert_snapshot!("path_qap_amanat", ok(&["path", "QAP", "Amanat"]));
    insta::assert_snapshot!(
        "path_time_respecting",
        ok(&["path", "Amanat", "QAP", "--time-respecting"])
    );
    insta::assert_snapshot!("common", ok(&["common", "QAP", "Nur Otan"]));
    insta::assert_snapshot!("leaders_qap", ok(&["leaders", "QAP"]));
    insta::assert_snapshot!("timeline", ok(&["timeline"]));
    insta::assert_snapshot!(
        "timeline_since",
        ok(&["timeline", "Amanat", "--since", "2006", "--until", "2006"])
    );
    insta::assert_snapshot!("stats", ok(&["stats"]));
    assert_eq!(json(&["search", "otn"])["results"][0]["node"]["id"], "otan");
    let p = json(&["path", "QAP", "Amanat"]);
    assert_eq!(p["hops"].as_array().unwrap().len(), 3);
    assert_eq!(p["hops"][0]["edge"]["kind"], "merger");
    let c = json(&["common", "QAP", "Amanat"]);
    assert_eq!(c["nearest"][0]["id"], "civic-party");
    assert_eq!(
        json(&["leaders", "QAP", "--at", "2000"])["leaders"][0]["person"]["id"],
        "azat-peruashev"
    );
    assert!(
        json(&["leaders", "QAP", "--at", "2010"])["leaders"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // ten records, seven events: the founding and end claims dated as an edge are folded into it
    let t = json(&["timeline"]);
    assert_eq!(t["entries"].as_array().unwrap().len(), 7);
    assert_eq!(t["entries"][6]["what"], "renaming");
    assert_eq!(
        t["entries"][6]["also"],
        serde_json::json!(["founded", "ended"])
    );
    let s = json(&["stats"]);
    assert_eq!(s["nodes"]["total"], 5);
    assert_eq!(s["edges"]["by_kind"]["renaming"], 2);
    assert_eq!(s["nodes"]["sourced_percent"], 100.0);
}

#[test]
fn export_formats() {
    let v: Value = serde_json::from_str(&ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(
        v["nodes"].as_array().unwrap().len(),
        4,
        "people are left out unless asked"
    );
    let v: Value = serde_json::from_str(&ok(&["export", "--format", "json", "--people"])).unwrap();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 5);
    let v: Value = serde_json::from_str(&ok(&[
        "export",
        "--format",
        "json",
        "Amanat",
        "--ancestors",
    ]))
    .unwrap();
    assert_eq!(v["edges"].as_array().unwrap().len(), 3);
    let gm = ok(&["export", "--format", "graphml"]);
    let doc = roxmltree::Document::parse(&gm).expect("GraphML is XML");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("node")).count(),
        4
    );
    insta::assert_snapshot!("edges_csv", ok(&["export", "--format", "csv"]));
    insta::assert_snapshot!(
        "nodes_csv",
        ok(&["export", "--format", "csv", "--nodes", "--people"])
    );
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("out.json");
    let (code, out, _) = run(&["export", "--format", "json", "-o", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.is_empty());
    assert!(std::fs::read_to_string(&f).unwrap().contains("\"nodes\""));
}

#[test]
fn unknown_and_ambiguous_names() {
    let err = fails(&["Otn", "--ancestors"], 2);
    insta::assert_snapshot!("unknown_name", err);
    let err = fails(&["show", "zzzzzz"], 2);
    assert_eq!(err, "lineage: no node is called \"zzzzzz\"\n");
    // ambiguity, on a graph where two nodes share a name
    let out = lineage()
        .args(["show", "Respublika", "--data", AMBIGUOUS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("ambiguous_name", err);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].contains("ambiguous"));
    assert!(lines[1].trim_start().starts_with("respublika-bloc-1994"));
    assert!(lines[2].trim_start().starts_with("respublika-party"));
    // each candidate is still reachable by id
    let out = lineage()
        .args(["show", "respublika-party", "--data", AMBIGUOUS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn user_errors_exit_2_with_a_message() {
    assert!(
        fails(&["Amanat", "--ancestors", "--at", "2006-13-45"], 2)
            .contains("month 13 does not exist")
    );
    assert!(
        fails(&["Amanat", "--ancestors", "--kinds", "merger,bogus"], 2)
            .contains("unknown edge kind \"bogus\"")
    );
    assert!(fails(&["Amanat"], 2).contains("--ancestors, --descendants, or --at"));
    // a format a command has no form for is not offered, and is refused with those it has
    let dot = fails(&["show", "QAP", "--format", "dot"], 2);
    assert!(dot.contains("invalid value 'dot'") && dot.contains("[possible values: text, json]"));
    assert!(fails(&["Amanat", "--ancestors", "--descendants"], 2).contains("cannot be used with"));
    let out = lineage()
        .args(["stats", "--data", "tests/fixtures/invalid/bad-date.ron"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad-date.ron:4:60"));
    let out = lineage()
        .args(["stats", "--data", "Cargo.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a lineage snapshot"));
    let out = lineage()
        .args(["stats", "--data", "no/such/file.snap"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn compile_then_query_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("sample.snap");
    let out = lineage()
        .args(["compile", SAMPLE, "-o"])
        .arg(&snap)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let from_snap = lineage()
        .args(["Amanat", "--ancestors", "--data"])
        .arg(&snap)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(from_snap.stdout).unwrap(),
        ok(&["Amanat", "--ancestors"])
    );
    let v = lineage().args(["validate"]).arg(&snap).output().unwrap();
    assert_eq!(v.status.code(), Some(0));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = ok(&["Amanat", "--ancestors"]);
    assert!(
        !plain.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let coloured = ok(&["Amanat", "--ancestors", "--color", "always"]);
    assert!(coloured.contains("\x1b["));
    let out = lineage()
        .args(["Amanat", "--ancestors", "--data", SAMPLE])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn completions_and_man_page_come_from_the_same_definitions() {
    // the registration script asks the same definitions at each TAB (tests/it/completions.rs)
    let bash = ok(&["completions", "bash"]);
    assert!(bash.contains("COMPLETE=\"bash\"") && bash.contains("complete -o nospace"));
    let man = ok(&["man"]);
    assert!(man.starts_with(".ie") || man.contains(".TH"), "roff output");
    assert!(man.contains("ancestors"));
    let help = lineage().arg("--help").output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("EXIT STATUS"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("lineage"))
        .args(["export", "--format", "csv", "--data", SAMPLE])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
}

/// A mistyped command is refused with the command it is close to, whether or not arguments
/// follow it; a name that merely resembles nothing is still "no node is called".
#[test]
fn a_mistyped_command_suggests_the_command() {
    for (args, want) in [
        (vec!["shw", "Otan"], "did you mean `lineage show`?"),
        (vec!["serch", "nur otn"], "did you mean `lineage search`?"),
        (vec!["shw"], "did you mean `lineage show`?"),
        (vec!["timelin", "Otan"], "did you mean `lineage timeline`?"),
        (
            vec!["--color", "never", "selct", "Otan"],
            "did you mean `lineage select`?",
        ),
    ] {
        let out = lineage().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(want), "{args:?}: {err}");
    }
    let out = lineage().args(["Nonexistent party"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no node is called") && !err.contains("not a command"),
        "{err}"
    );
}
