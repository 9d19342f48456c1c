//! Global options (`--data`, `--color`) work before and after every subcommand and the query
//! form, with the same result either way.

use assert_cmd::Command;

/// One invocation per subcommand (and the query form), without the global options.
fn invocations(out: &std::path::Path) -> Vec<(&'static str, Vec<String>)> {
    let o = |name: &str| out.join(name).display().to_string();
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        ("query", v(&["query", "Otan", "--ancestors"])),
        ("select", v(&["select", "::Otan & kind(party)"])),
        ("alive", v(&["alive", "2004-09-19", "--kind", "party"])),
        ("list", v(&["list", "--kind", "bloc"])),
        ("show", v(&["show", "Otan"])),
        ("search", v(&["search", "nur otn"])),
        ("path", v(&["path", "QAP", "Otan"])),
        ("common", v(&["common", "QAP", "Otan"])),
        ("leaders", v(&["leaders", "Otan"])),
        ("timeline", v(&["timeline", "Otan"])),
        ("validate", v(&["validate", "tests/fixtures/sample.ron"])),
        ("compile", {
            let mut a = v(&["compile", "tests/fixtures/sample.ron", "-o"]);
            a.push(o("sample.snap"));
            a
        }),
        ("stats", v(&["stats"])),
        (
            "import",
            v(&["import", "wikidata", "tests/fixtures/wikidata-sample.json"]),
        ),
        ("export", v(&["export", "--format", "csv"])),
        ("dot", v(&["dot", "Otan", "--ancestors"])),
        ("render", {
            let mut a = v(&["render", "Otan", "--ancestors", "--svg", "-o"]);
            a.push(o("otan.svg"));
            a
        }),
        ("completions", v(&["completions", "bash"])),
        ("man", v(&["man"])),
        ("help", v(&["help", "show"])),
        ("NAME", v(&["Otan", "--at", "2005"])),
    ]
}

fn run(args: &[String]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (out.status.code(), out.stdout, out.stderr)
}

/// The subcommands `lineage --help` lists.
fn listed_subcommands() -> Vec<String> {
    let (_, help, _) = run(&["--help".to_string()]);
    let help = String::from_utf8(help).unwrap();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn every_subcommand_takes_global_options_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let calls = invocations(dir.path());
    let listed = listed_subcommands();
    assert!(listed.len() >= 15, "help lists {listed:?}");
    for s in &listed {
        assert!(
            calls.iter().any(|(name, _)| name == s),
            "subcommand {s} is not tested"
        );
    }
    let globals = ["--data", "graph-data", "--color", "never"].map(String::from);
    for (name, args) in &calls {
        // the embedded graph and graph-data are the same graph, so --data changes nothing
        // in the answer but must be accepted in both places
        let before: Vec<String> = globals.iter().chain(args.iter()).cloned().collect();
        let after: Vec<String> = args.iter().chain(globals.iter()).cloned().collect();
        let (cb, ob, eb) = run(&before);
        let (ca, oa, ea) = run(&after);
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        assert_eq!(
            cb,
            ca,
            "{name}: exit status\nbefore: {}\nafter: {}",
            text(&eb),
            text(&ea)
        );
        assert_eq!(text(&ob), text(&oa), "{name}: stdout");
        assert_eq!(text(&eb), text(&ea), "{name}: stderr");
        // render needs Graphviz; everything else must succeed
        if *name != "render" {
            assert_eq!(cb, Some(0), "{name}: {}", text(&eb));
        }
    }
    // the forms the issue named
    for args in [
        vec!["--data", "graph-data", "stats"],
        vec!["--data", "graph-data", "show", "Otan"],
        vec!["--color", "never", "stats"],
        vec!["--color=never", "--data=graph-data", "stats"],
    ] {
        let a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (c, o, e) = run(&a);
        assert_eq!(c, Some(0), "{args:?}: {}", String::from_utf8_lossy(&e));
        assert!(!o.is_empty());
    }
}
