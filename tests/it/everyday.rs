//! Everyday use at the edges (issue 16), each item through the command line on the embedded
//! graph: kinds that are not lineage, dates bounded by what is known, timeline order and
//! filters, one rule for empty answers, Kazakh Latin spellings, honest help and man pages,
//! readable output, errors that stay short, and one problem per typo.

use assert_cmd::Command;
use serde_json::Value;

fn lineage() -> Command {
    let mut c = Command::cargo_bin("lineage").expect("the lineage binary is built");
    c.env_remove("NO_COLOR").env_remove("COLUMNS");
    c
}

/// (exit code, stdout, stderr) of a run on the embedded graph.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = lineage().args(args).output().expect("runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(&a)).expect("one JSON document")
}

fn user_error(args: &[&str]) -> String {
    let (code, out, err) = run(args);
    assert_eq!(code, 2, "{args:?} should be a user error; stdout {out}");
    assert!(out.is_empty(), "{args:?} printed {out}");
    err
}

#[test]
fn kinds_that_are_not_lineage_are_refused_with_the_command_that_answers_them() {
    for (kind, answer) in [
        ("leadership", "lineage leaders ORG"),
        ("founder", "founders(ORG)"),
        ("affiliation", "lineage show PERSON"),
        ("membership", "members(BLOC)"),
    ] {
        let err = user_error(&["Amanat", "--ancestors", "--kinds", kind]);
        assert!(err.contains(answer), "{kind}: {err}");
        assert!(err.contains("not lineage"), "{kind}: {err}");
    }
    insta::assert_snapshot!(
        "kinds_membership_refused",
        user_error(&["Otan", "--descendants", "--kinds", "split,membership"])
    );
    // and --help lists only the kinds it follows, with where the others are answered
    let help = ok(&["--help"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(help.contains("split, merger, renaming, reorganisation, founding, division"));
    assert!(!help.contains(
        "[possible values: split, merger, renaming, reorganisation, founding, division, leadership"
    ));
}

#[test]
fn an_unknown_founding_does_not_make_a_party_exist_forever() {
    let text = ok(&["Amanat", "--at", "1900"]);
    assert!(text.starts_with("not yet in existence at 1900"), "{text}");
    let v = json(&["Amanat", "--at", "1900"]);
    assert!(v["node"].is_null());
    assert_eq!(v["candidates"].as_array().unwrap().len(), 0);
    // the chain's first member is bounded by its earliest record, not by the beginning of time
    assert!(text.contains("first recorded 1999-01-10"), "{text}");
}

#[test]
fn after_a_merger_the_answer_names_what_it_merged_into() {
    let text = ok(&["Civic Party", "--at", "2010"]);
    assert!(text.starts_with("no longer in existence at 2010"), "{text}");
    assert!(text.contains("merged in 2006-11-10"), "{text}");
    assert!(text.contains("Otan"), "{text}");
    assert!(text.contains("called Nur Otan at 2010"), "{text}");
    insta::assert_snapshot!("civic_party_at_2010", text);
}

/// The placed interval of a timeline entry's date: open bounds at the known bound.
fn placed(e: &Value) -> (String, String) {
    let (lo, hi) = (
        e["earliest"].as_str().unwrap(),
        e["latest"].as_str().unwrap(),
    );
    match (lo, hi) {
        ("open", "open") => (lo.into(), hi.into()),
        ("open", h) => (h.into(), h.into()),
        (l, "open") => (l.into(), l.into()),
        (l, h) => (l.into(), h.into()),
    }
}

#[test]
fn timeline_order_and_filters_are_the_documented_ones() {
    let all = json(&["timeline"]);
    let entries = all["entries"].as_array().unwrap();
    assert!(entries.len() > 300);
    // by the first day an entry may fall on, then the last; "before X" placed at X
    let keys: Vec<(String, String)> = entries.iter().map(placed).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "out of order");
    let first_before = entries
        .iter()
        .position(|e| e["date"].as_str().unwrap().starts_with("before"))
        .unwrap();
    let year = |e: &Value| placed(e).0[..4].parse::<i32>().unwrap();
    assert!(
        year(&entries[first_before]) > 1990,
        "a 'before' entry sorts among its years"
    );
    // --since 2020 keeps what may fall in 2020 or later: nothing placed before it
    let since = json(&["timeline", "--since", "2020"]);
    let since = since["entries"].as_array().unwrap();
    assert!(!since.is_empty());
    for e in since {
        assert!(placed(e).1.as_str() >= "2020-01-01", "{e}");
    }
    let window = json(&["timeline", "--since", "2004", "--until", "2004"]);
    for e in window["entries"].as_array().unwrap() {
        let (lo, hi) = placed(e);
        assert!(
            lo.as_str() <= "2004-12-31" && hi.as_str() >= "2004-01-01",
            "{e}"
        );
    }
    // a reversed range is refused
    let err = user_error(&["timeline", "--since", "2020", "--until", "1990"]);
    assert!(err.contains("--since 2020 is after --until 1990"), "{err}");
    let err = user_error(&[
        "Otan",
        "--descendants",
        "--since",
        "2020",
        "--until",
        "1990",
    ]);
    assert!(err.contains("holds no date"), "{err}");
}

#[test]
fn no_event_gets_two_timeline_rows() {
    let all = json(&["timeline"]);
    let entries = all["entries"].as_array().unwrap();
    // a founding (or end) claim dated exactly as an edge into (out of) that node is folded in
    let edge_rows: Vec<&Value> = entries.iter().filter(|e| e["what"] == "merger").collect();
    assert!(!edge_rows.is_empty());
    let folded = entries.iter().filter(|e| e.get("also").is_some()).count();
    assert!(folded > 20, "only {folded} folded entries");
    for e in entries.iter().filter(|e| e["what"] == "founded") {
        let twin = entries.iter().any(|x| {
            x["node"] == e["node"]
                && x["date"] == e["date"]
                && [
                    "split",
                    "merger",
                    "renaming",
                    "reorganisation",
                    "founding",
                    "division",
                ]
                .contains(&x["what"].as_str().unwrap())
        });
        assert!(!twin, "founded and an edge on one row each: {e}");
    }
    let text = ok(&["timeline", "Birlik"]);
    let day: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("2013-04-26"))
        .collect();
    assert!(
        day.iter()
            .all(|l| !l.contains(" founded ") && !l.contains(" ended ")),
        "{day:#?}"
    );
}

#[test]
fn trees_say_which_way_they_read_and_what_renamings_are() {
    let up = ok(&["Amanat", "--ancestors"]);
    assert!(up.lines().next().unwrap().ends_with("came from:"), "{up}");
    assert!(up.contains("renaming is the same organisation"), "{up}");
    assert!(up.contains("--depth does not count it"));
    let down = ok(&["Otan", "--descendants"]);
    assert!(down.lines().next().unwrap().ends_with("led to:"), "{down}");
    // the uncertainty mark comes before the sources
    let at = ok(&["Amanat", "--ancestors", "--at", "2000"]);
    for l in at.lines().filter(|l| l.contains("(uncertain at")) {
        let mark = l.find("(uncertain at").unwrap();
        let srcs = l.find(" [").unwrap_or(usize::MAX);
        assert!(mark < srcs, "{l}");
    }
}

#[test]
fn an_empty_answer_is_a_success_with_a_line_saying_so() {
    let (code, out, err) = run(&["path", "QAP", "Azat Peruashev"]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(out.starts_with("no lineage path between"), "{out}");
    let v = json(&["path", "QAP", "Azat Peruashev"]);
    assert_eq!(v["found"], false);
    assert_eq!(v["hops"].as_array().unwrap().len(), 0);
    assert_eq!(json(&["path", "QAP", "Amanat"])["found"], true);
    let out = ok(&["search", "zzzzqqqxxx"]);
    assert!(out.contains("no matches"), "{out}");
    assert_eq!(
        json(&["search", "zzzzqqqxxx"])["results"],
        serde_json::json!([])
    );
    let out = ok(&["timeline", "--since", "2100"]);
    assert!(out.contains("no dated entries"), "{out}");
    let v = json(&["common", "QAP", "Azat Peruashev"]);
    assert_eq!(v["all"], serde_json::json!([]));
}

#[test]
fn kazakh_latin_spellings_find_their_party() {
    for (spelling, id) in [
        ("Aq jol", "ak-zhol"),
        ("Nur Otan partııasy", "nur-otan"),
        ("Qazaqstan azamattyq partiyasy", "civic-party"),
    ] {
        let v = json(&["show", spelling]);
        assert_eq!(v["node"]["id"], id, "{spelling}");
    }
}

#[test]
fn help_offers_only_the_formats_each_command_has() {
    for args in [
        &["show", "Otan"][..],
        &["path", "Otan", "Amanat"],
        &["common", "Otan", "Amanat"],
        &["leaders", "Otan"],
        &["timeline"],
        &["search", "otan"],
        &["stats"],
        &["validate", "graph-data"],
    ] {
        let cmd = args[0];
        let help = ok(&[cmd, "--help"]);
        // the --format option's possible values: the `- NAME: ...` lines after it
        let values: Vec<&str> = help
            .lines()
            .skip_while(|l| !l.trim_start().starts_with("--format <FORMAT>"))
            .skip_while(|l| l.trim() != "Possible values:")
            .skip(1)
            .take_while(|l| l.trim_start().starts_with("- "))
            .map(|l| l.trim_start()[2..].split(':').next().unwrap())
            .collect();
        assert_eq!(values, ["text", "json"], "{cmd}: {help}");
        let (code, _, err) = run(&[args, &["--format", "dot"][..]].concat());
        assert_eq!(code, 2, "{cmd}");
        assert!(err.contains("invalid value 'dot'"), "{cmd}: {err}");
    }
    // and the queries that have a DOT form keep it
    assert!(ok(&["Amanat", "--ancestors", "--format", "dot"]).starts_with("digraph"));
}

#[test]
fn validate_and_compile_answer_in_json() {
    let v = json(&["validate", "graph-data"]);
    assert_eq!(v["ok"], true);
    assert!(v["nodes"].as_u64().unwrap() > 300);
    let out = lineage()
        .args([
            "validate",
            "tests/fixtures/invalid/bad-date.ron",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["line"], 4);
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("s.snap");
    let out = lineage()
        .args([
            "compile",
            "tests/fixtures/sample.ron",
            "--format",
            "json",
            "-o",
        ])
        .arg(&snap)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["nodes"], 5);
    assert_eq!(v["bytes"], std::fs::metadata(&snap).unwrap().len());
}

#[test]
fn help_and_man_pages_give_the_date_forms_and_every_page_exists() {
    let help = ok(&["--help"]);
    for form in [
        "2004-09-19",
        "early 2004",
        "about 2004",
        "before 2004",
        "1990..1995",
    ] {
        assert!(help.contains(form), "--help lacks {form}");
    }
    let man = ok(&["man"]);
    assert!(
        man.contains("early 2004") && man.contains("before 2004"),
        "man lacks the date forms"
    );
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(&["man", "--all", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    // roff writes the hyphen of lineage-show(1) as `\-`
    let top = std::fs::read_to_string(dir.path().join("lineage.1"))
        .unwrap()
        .replace("\\-", "-");
    // every lineage-CMD(1) the top page refers to was written, and no lock file beside them
    let mut referred = 0;
    for word in top.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
        if let Some(cmd) = word.strip_prefix("lineage-") {
            if cmd.is_empty() {
                continue;
            }
            referred += 1;
            assert!(
                dir.path().join(format!("lineage-{cmd}.1")).is_file(),
                "lineage-{cmd}.1"
            );
        }
    }
    assert!(referred >= 15, "{referred} sub-pages referred to");
    let stray: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".1"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn text_is_wrapped_to_columns_under_its_branch() {
    let out = lineage()
        .args(["Amanat", "--ancestors"])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 60, "a line of {widest} columns:\n{text}");
    assert!(text.lines().count() > ok(&["Amanat", "--ancestors"]).lines().count());
    // piped without COLUMNS: one line per branch, never wrapped
    let plain = ok(&["Amanat", "--ancestors"]);
    assert!(plain.lines().any(|l| l.chars().count() > 100));
}

#[test]
fn long_names_in_errors_are_cut_with_an_ellipsis() {
    let long = "Нұр Отан ".repeat(200);
    let err = user_error(&["show", &long]);
    assert!(err.len() < 1000, "{} bytes of error", err.len());
    assert!(err.contains("…\" (1800 characters)"), "{err}");
    let err = user_error(&["Otan", "--at", &"1".repeat(500)]);
    assert!(err.len() < 600, "{err}");
    assert!(err.contains("(500 characters)"), "{err}");
    insta::assert_snapshot!("long_name_error", user_error(&["show", &"A".repeat(300)]));
}

#[test]
fn one_typo_in_an_id_is_one_problem() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("tests/fixtures/sample.ron").unwrap();
    // the node's id mistyped where it is defined; every edge still names the right id
    let typo = text.replacen("id: \"otan\",", "id: \"otn\",", 1);
    assert_ne!(typo, text);
    let path = dir.path().join("typo.ron");
    std::fs::write(&path, typo).unwrap();
    let (code, _, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    let errors = err.lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, 1, "{err}");
    assert!(
        err.contains("references to an undefined node id \"otan\""),
        "{err}"
    );
    assert!(err.contains("did you mean \"otn\""), "{err}");
    assert!(err.contains("also at"), "{err}");
    let out = lineage()
        .args(["validate", path.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ps = v["problems"].as_array().unwrap();
    assert_eq!(ps.len(), 1);
    // no place is dropped: the first reference and the others in also_at
    let refs = text.matches("\"otan\"").count() - 1;
    assert_eq!(ps[0]["also_at"].as_array().unwrap().len() + 1, refs, "{v}");
}

#[test]
fn a_ron_file_is_read_as_ron_whatever_the_case_of_its_extension() {
    let dir = tempfile::tempdir().unwrap();
    let upper = dir.path().join("sample.RON");
    std::fs::copy("tests/fixtures/sample.ron", &upper).unwrap();
    let v = json(&["stats", "--data", upper.to_str().unwrap()]);
    assert_eq!(v["nodes"]["total"], 5);
}

#[test]
fn an_error_about_a_snapshot_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.snap");
    let bytes = std::fs::read("tests/fixtures/format-v3.snap").unwrap();
    std::fs::write(&bad, &bytes[..bytes.len() / 2]).unwrap();
    let err = user_error(&["stats", "--data", bad.to_str().unwrap()]);
    assert!(
        err.starts_with(&format!("lineage: {}: truncated snapshot", bad.display())),
        "{err}"
    );
    let err = user_error(&["validate", bad.to_str().unwrap()]);
    assert!(err.contains(&format!("{}:", bad.display())), "{err}");
}
