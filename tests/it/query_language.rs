//! The query language on the embedded data: precedence, the documented examples, errors (as
//! insta snapshots), the builder, and hostile inputs that must be refused quickly, never crash.

use assert_cmd::Command;
use lineage::lang::{self, Expr};
use lineage::{Db, Error, NodeKind};

fn lineage() -> Command {
    let mut c = Command::cargo_bin("lineage").expect("the lineage binary is built");
    c.env_remove("NO_COLOR").arg("--color").arg("never");
    c
}

fn db() -> Db {
    Db::embedded().unwrap()
}

fn doc() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/query-language.md"
    ))
    .unwrap()
}

/// The examples of docs/query-language.md: (query, explain, the output shown).
fn examples() -> Vec<(String, bool, String)> {
    let text = doc();
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if l != "```text" {
            continue;
        }
        let cmd = lines.next().unwrap();
        let rest = cmd
            .strip_prefix("$ lineage select '")
            .expect("an example is a select command");
        let (q, tail) = rest.rsplit_once('\'').unwrap();
        let explain = match tail {
            "" => false,
            " --explain" => true,
            t => panic!("unexpected flags {t:?}"),
        };
        let mut body = String::new();
        for b in lines.by_ref() {
            if b == "```" {
                break;
            }
            body.push_str(b);
            body.push('\n');
        }
        out.push((q.to_string(), explain, body));
    }
    out
}

/// Every example in the guide is what `lineage select` prints (on stdout, or on stderr with
/// exit status 2 for the errors), and there are as many as the guide has.
#[test]
fn the_guide_s_examples_are_what_lineage_prints() {
    let ex = examples();
    assert!(ex.len() >= 30, "only {} examples found", ex.len());
    for (q, explain, want) in &ex {
        let mut c = lineage();
        c.arg("select").arg(q);
        if *explain {
            c.arg("--explain");
        }
        let out = c.output().unwrap();
        let (code, got) = if out.status.success() {
            (0, String::from_utf8(out.stdout).unwrap())
        } else {
            (
                out.status.code().unwrap(),
                String::from_utf8(out.stderr).unwrap(),
            )
        };
        assert!(
            code == 0 || (code == 2 && want.starts_with("Error:")),
            "{q}: exit {code}: {got}"
        );
        assert_eq!(&got, want, "the guide's example {q:?}");
    }
}

/// Every function of the language is in the guide's table and in at least one example.
#[test]
fn every_function_is_documented_with_an_example() {
    let text = doc();
    let ex = examples();
    for (f, _, _) in lang::FUNCTIONS {
        assert!(
            text.contains(&format!("| `{f}(")) || text.contains(&format!(", `{f}(")),
            "{f} is not in the table"
        );
        assert!(
            ex.iter().any(|(q, _, _)| q.contains(&format!("{f}("))),
            "{f} has no example"
        );
    }
}

/// The guide quotes the grammar file, whole and unchanged.
#[test]
fn the_guide_holds_the_grammar() {
    let g = include_str!("../../src/lang/grammar.pest");
    assert!(doc().contains(&format!("```pest\n{g}```")));
}

fn plan(q: &str) -> lang::Plan {
    lang::plan(&db(), q).unwrap_or_else(|e| panic!("{q}: {e}"))
}

/// The precedence table: each expression plans exactly as its parenthesised reading does, and
/// not as the other reading.
#[test]
fn precedence_is_the_documented_one() {
    let same = [
        (
            "Otan | Asar & Amanat",
            "Otan | (Asar & Amanat)",
            "(Otan | Asar) & Amanat",
        ),
        (
            "Otan & Asar ~ Amanat",
            "(Otan & Asar) ~ Amanat",
            "Otan & (Asar ~ Amanat)",
        ),
        (
            "Otan ~ Asar & Amanat",
            "(Otan ~ Asar) & Amanat",
            "Otan ~ (Asar & Amanat)",
        ),
        ("~Otan & Asar", "(~Otan) & Asar", "~(Otan & Asar)"),
        ("~::Otan", "~(::Otan)", "::(~Otan)"),
        ("::Amanat-", "::(Amanat-)", "(::Amanat)-"),
        (
            "Otan::Amanat | Asar",
            "(Otan::Amanat) | Asar",
            "Otan::(Amanat | Asar)",
        ),
        ("Otan:: & Asar", "(Otan::) & Asar", "Otan::(Asar)"),
        ("Otan:: ~ Asar", "(Otan::) ~ Asar", "Otan::(~Asar)"),
        ("Amanat-+", "(Amanat-)+", "Amanat+-"),
        (
            "Amanat @ 2005 | Asar",
            "(Amanat @ 2005) | Asar",
            "(Amanat | Asar) @ 2005",
        ),
        (
            "Asar..Amanat & Otan",
            "(Asar..Amanat) & Otan",
            "Asar..(Amanat & Otan)",
        ),
    ];
    for (q, yes, no) in same {
        assert_eq!(plan(q), plan(yes), "{q} reads as {yes}");
        assert_ne!(plan(q), plan(no), "{q} does not read as {no}");
    }
}

/// Answers on the embedded data that the sources give (each asserted where a wrong engine
/// would differ).
#[test]
fn answers_on_the_embedded_data() {
    let db = db();
    let ids = |q: &str| -> Vec<String> {
        let s = db.select(q).unwrap();
        s.nodes.iter().map(|n| db.id(*n).to_string()).collect()
    };
    assert_eq!(ids("Amanat @ 2005"), ["otan"]);
    assert_eq!(ids("Amanat @ 2010"), ["nur-otan"]);
    assert_eq!(
        ids("into(Otan, merger, when=2006)"),
        ["agrarian-party", "asar", "civic-party"]
    );
    assert!(ids("chain(Amanat)").contains(&"nur-otan".to_string()));
    assert!(ids("Otan & alive(maybe:2023)").is_empty());
    assert_eq!(ids("Otan & alive(2000)"), ["otan"]);
    // an undated hop: in the answer, marked uncertain
    let s = db.select("ancestors(Birlik, at=2014)").unwrap();
    let revival = db.resolve("party-of-revival").unwrap();
    assert!(s.nodes.contains(&revival) && s.uncertain.contains(&revival));
    assert!(!s.uncertain.contains(&db.resolve("birlik").unwrap()));
    // the filter is pushed into the closure it filters
    let p = plan("kind(party) & ::Amanat");
    assert!(
        matches!(p, lang::Plan::Filter(ref inner, _) if matches!(**inner, lang::Plan::Closure(..))),
        "{p:?}"
    );
}

/// The builder makes the same trees as the text and gets the same answers.
#[test]
fn the_builder_and_the_text_agree() {
    let db = db();
    let pairs = [
        (
            Expr::node("Amanat").ancestors() & Expr::kind(&[NodeKind::Party]),
            "::Amanat & kind(party)",
        ),
        (Expr::node("Otan").to(Expr::node("Amanat")), "Otan::Amanat"),
        (
            !Expr::kind(&[NodeKind::Person]) - Expr::node("Otan").descendants(),
            "~kind(person) ~ Otan::",
        ),
        (
            Expr::node("Amanat").at(&lineage::DateSpec::parse("2005").unwrap()),
            "Amanat @ 2005",
        ),
        (
            Expr::call(
                "into",
                vec![
                    Expr::node("Otan"),
                    Expr::edge_kinds(&[lineage::EdgeKind::Merger]),
                ],
            )
            .with(
                "when",
                Expr::date(&lineage::DateSpec::parse("2006").unwrap(), false),
            ),
            "into(Otan, merger, when=2006)",
        ),
    ];
    for (e, q) in pairs {
        assert_eq!(db.select_expr(&e).unwrap(), db.select(q).unwrap(), "{q}");
    }
    let deep = (0..100_000).fold(Expr::node("Otan"), |e, _| e.parents());
    let err = db.select_expr(&deep).unwrap_err();
    assert!(matches!(err, Error::Query(_)), "{err}");
    std::mem::forget(deep); // dropping a 100,000-deep Box chain would recurse
}

fn report(q: &str) -> String {
    match lineage::lang::plan(&db(), q) {
        Err(Error::Query(e)) => e.report(),
        Err(e) => panic!("{q}: not a query error: {e}"),
        Ok(p) => panic!("{q}: accepted as {p:?}"),
    }
}

/// The errors, each with its caret and hint (insta snapshot).
#[test]
fn errors_point_at_the_offending_text() {
    let bad = [
        "",
        "Otan |",
        "(Otan",
        "Otan)",
        "\"Otan",
        "Otan - Asar",
        "Otan Asar",
        "kind(pary)",
        "kind(parrty)",
        "ancestors(Otan, deepth=2)",
        "ancestors(Otan, depth=two)",
        "ancestors(Otan, kinds=mergr)",
        "ancestors()",
        "path(Otan)",
        "founded(1998-13)",
        "Otan @ someday",
        "sourced(babk)",
        "noname",
        "all",
        "\"Communist Party\"",
        "name(\"--\")",
        "sure:1998",
        "into(Otan, merger, when=2006, when=2007)",
    ];
    let all: Vec<String> = bad
        .iter()
        .map(|q| format!("query: {q:?}\n{}\n", report(q)))
        .collect();
    insta::assert_snapshot!("query_errors", all.join("\n"));
}

/// A `path` end that is not one node is an error at that argument, found while running.
#[test]
fn a_path_end_must_be_one_node() {
    let err = db().select("path(kind(party), Amanat)").unwrap_err();
    let Error::Query(e) = err else {
        panic!("{err}")
    };
    assert_eq!(&e.query[e.span.clone()], "kind(party)");
}

/// Runs `f` on a thread with a small stack: a recursion the limits did not bound would
/// overflow it and abort the test binary.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

/// Hostile inputs are refused with a query error (or answered) on a 1 MiB stack, without a
/// crash (the fuzz target bounds time and memory):
/// 10,000 nested parentheses, long runs of prefix and postfix operators, a 100,000-term union,
/// megabytes of text, control characters and NULs.
#[test]
fn hostile_queries_are_refused_without_crashing() {
    let cases: Vec<(String, bool)> = vec![
        (
            format!("{}Otan{}", "(".repeat(10_000), ")".repeat(10_000)),
            false,
        ),
        (format!("{}Otan{}", "(".repeat(64), ")".repeat(64)), true),
        (format!("{}Otan{}", "(".repeat(65), ")".repeat(65)), false),
        (format!("{}Otan", "~".repeat(8_000)), false),
        (format!("{}Otan", "~".repeat(64)), true),
        (format!("{}Otan", "~".repeat(65)), false),
        (format!("{}Otan{}", "~(".repeat(64), ")".repeat(64)), true),
        (format!("{}Otan", "::".repeat(4_000)), false),
        (format!("Otan{}", "-".repeat(10_000)), false),
        (format!("Otan{}", " @ 2005".repeat(2_000)), false),
        (vec!["Otan"; 100_000].join("|"), false),
        (vec!["Otan"; 400].join("|"), true),
        ("x".repeat(3 << 20), false),
        ("Otan\u{1b}[31m | \0".to_string(), false),
        (format!("kind({})", "party,".repeat(3_000)), false),
        (format!("name(\"{}\")", "a".repeat(15_000)), true),
        ("\"\\".to_string(), false),
    ];
    for (q, ok) in cases {
        let head: String = q.chars().take(40).collect();
        let res = small_stack(move || {
            let db = Db::embedded().unwrap();
            db.select(&q).map(|_| ()).map_err(|e| e.to_string())
        });
        match (&res, ok) {
            (Ok(()), true) => {}
            (Err(e), false) => {
                assert!(
                    !e.contains('\u{1b}') && !e.contains('\0'),
                    "{head}: raw control character in {e:?}"
                );
            }
            _ => panic!("{head}...: {res:?}"),
        }
    }
}

/// The CLI: a query error exits 2 with the report on stderr and nothing on stdout; JSON, CSV
/// and DOT answers; global options before and after `select`.
#[test]
fn the_select_command() {
    let out = lineage()
        .args(["select", "ancestor(Otan)"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean ancestors()?"));

    let out = lineage()
        .args(["select", "Amanat @ 2005", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["query"], "Amanat @ 2005");
    assert_eq!(v["nodes"][0]["id"], "otan");
    assert_eq!(v["nodes"][0]["uncertain"], false);

    let out = lineage()
        .args(["select", "ancestors(Birlik, at=2014)", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("id,name,kind,years,uncertain,sources\n"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("party-of-revival,") && l.contains(",true,"))
    );

    let out = lineage()
        .args(["select", "Otan::Amanat", "--format", "dot"])
        .output()
        .unwrap();
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(dot.starts_with("digraph") && dot.contains("nur-otan"));

    let dir = tempfile::tempdir().unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("graph-data");
    for args in [
        vec![
            "--data".into(),
            data.display().to_string(),
            "select".into(),
            "Otan".into(),
        ],
        vec![
            "select".into(),
            "Otan".into(),
            "--data".into(),
            data.display().to_string(),
        ],
    ] {
        let out = Command::cargo_bin("lineage")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("Otan (party"));
    }
    let bad = dir.path().join("x.pdf");
    let out = lineage()
        .args(["select", "Otan", "-o"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!bad.exists());
}

/// A prepared query answers as the text with the names written in, for every binding; an
/// unbound parameter is an error at its place; a parameter is not a text or a date.
#[test]
fn prepared_queries_bind_parameters() {
    let db = db();
    let q = db
        .prepare("(::$x ~ $x) & kind(party) | into($x, merger) | $y::")
        .unwrap();
    let otan = db.resolve("Otan").unwrap();
    for name in ["Amanat", "Otan", "Ak-Zhol", "Birlik"] {
        let x = db.resolve(name).unwrap();
        let id = db.id(x);
        let want = db
            .select(&format!(
                "(::{id} ~ {id}) & kind(party) | into({id}, merger) | otan::"
            ))
            .unwrap();
        assert_eq!(
            q.select(&db, &[("x", x), ("y", otan)]).unwrap(),
            want,
            "{name}"
        );
        let nodes: Vec<_> = q
            .select_nodes(&db, &[("x", x), ("y", otan)])
            .unwrap()
            .members()
            .map(|m| m.0)
            .collect();
        assert!(nodes.iter().copied().eq(want.nodes.iter().copied()));
    }
    let err = q.select(&db, &[("x", otan)]).unwrap_err();
    let Error::Query(e) = err else {
        panic!("{err}")
    };
    assert_eq!(&e.query[e.span.clone()], "$y");
    assert!(e.message.contains("$y is not bound"), "{}", e.message);
    let err = db.select("kind($x)").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected a word or a quoted string"),
        "{err}"
    );
    let err = db.select("alive($x)").unwrap_err();
    assert!(matches!(err, Error::Query(_)), "{err}");
}

/// The guide's table of the subcommands as expressions holds: each expression answers what
/// the library call behind the subcommand answers, on several nodes and dates.
#[test]
fn the_subcommands_are_the_expressions_the_guide_says() {
    use lineage::query::{self, Direction, Filter};
    use lineage::{DateSpec, KindSet};
    let db = db();
    let ids =
        |q: &str| -> std::collections::BTreeSet<lineage::NodeId> { db.select(q).unwrap().nodes };
    for name in [
        "amanat",
        "ak-zhol",
        "birlik",
        "nsdp-azat",
        "alga",
        "peoples-party-of-kazakhstan",
    ] {
        let x = db.resolve(name).unwrap();
        for (dir, q) in [
            (Direction::Ancestors, format!("::{name} ~ {name}")),
            (Direction::Descendants, format!("{name}:: ~ {name}")),
        ] {
            let c = query::closure(&db, x, dir, &Filter::default());
            assert_eq!(
                c.hits
                    .iter()
                    .map(|h| h.node)
                    .collect::<std::collections::BTreeSet<_>>(),
                ids(&q),
                "{q}"
            );
        }
        let f = Filter {
            max_depth: Some(1),
            ..Filter::default()
        };
        let c = query::closure(&db, x, Direction::Descendants, &f);
        assert_eq!(
            c.hits
                .iter()
                .map(|h| h.node)
                .collect::<std::collections::BTreeSet<_>>(),
            ids(&format!("descendants({name}, depth=1) ~ {name}"))
        );
        let kinds = KindSet::empty()
            .with(lineage::EdgeKind::Merger)
            .with(lineage::EdgeKind::Renaming);
        let f = Filter {
            kinds,
            ..Filter::default()
        };
        let c = query::closure(&db, x, Direction::Ancestors, &f);
        assert_eq!(
            c.hits
                .iter()
                .map(|h| h.node)
                .collect::<std::collections::BTreeSet<_>>(),
            ids(&format!(
                "ancestors({name}, kinds=merger|renaming) ~ {name}"
            ))
        );
        for d in ["1999", "2006", "2014", "early 2022"] {
            let spec = DateSpec::parse(d).unwrap();
            let f = Filter {
                at: Some(spec.latest()),
                ..Filter::default()
            };
            let c = query::closure(&db, x, Direction::Ancestors, &f);
            let s = db
                .select(&format!("ancestors({name}, at=\"{d}\") ~ {name}"))
                .unwrap();
            assert_eq!(
                c.hits
                    .iter()
                    .map(|h| h.node)
                    .collect::<std::collections::BTreeSet<_>>(),
                s.nodes,
                "{name} at {d}"
            );
            let unsure: std::collections::BTreeSet<_> = c
                .hits
                .iter()
                .filter(|h| h.uncertain)
                .map(|h| h.node)
                .collect();
            assert_eq!(unsure, s.uncertain, "{name} at {d}: uncertain");
            let na = query::name_at(&db, x, &spec);
            let s = db.select(&format!("{name} @ \"{d}\"")).unwrap();
            assert_eq!(
                na.candidates
                    .iter()
                    .copied()
                    .collect::<std::collections::BTreeSet<_>>(),
                s.nodes,
                "{name} @ {d}"
            );
            let ls = query::leaders(&db, x, Some(&spec));
            assert_eq!(
                ls.iter()
                    .map(|l| l.person)
                    .collect::<std::collections::BTreeSet<_>>(),
                ids(&format!("leaders({name}, during=maybe:\"{d}\")")),
                "leaders {name} {d}"
            );
        }
    }
    for (a, b) in [
        ("alga", "nagyz-ak-zhol"),
        ("otan", "nur-otan"),
        ("azat-party", "alga"),
    ] {
        let c = query::common_ancestors(
            &db,
            db.resolve(a).unwrap(),
            db.resolve(b).unwrap(),
            KindSet::LINEAGE,
        );
        assert_eq!(
            c.nearest
                .iter()
                .copied()
                .collect::<std::collections::BTreeSet<_>>(),
            ids(&format!("common({a} | {b})")),
            "common {a} {b}"
        );
    }
}

/// `alive` and `list` are the expressions they say they are, in every format.
#[test]
fn alive_and_list_are_thin_forms_of_select() {
    let run = |args: &[&str]| {
        let out = lineage().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for fmt in ["text", "csv"] {
        assert_eq!(
            run(&["alive", "2004-09-19", "--format", fmt]),
            run(&[
                "select",
                "alive(\"2004-09-19\") & ~kind(person)",
                "--format",
                fmt
            ])
        );
        assert_eq!(
            run(&[
                "alive",
                "2004",
                "--kind",
                "party,bloc",
                "--maybe",
                "--format",
                fmt
            ]),
            run(&[
                "select",
                "alive(maybe:2004) & kind(party, bloc)",
                "--format",
                fmt
            ])
        );
        assert_eq!(
            run(&["list", "--kind", "movement", "--format", fmt]),
            run(&["select", "kind(movement)", "--format", fmt])
        );
    }
    let parties = run(&["alive", "2004-09-19", "--kind", "party", "--format", "csv"]);
    assert!(parties.lines().any(|l| l.starts_with("otan,")), "{parties}");
    assert!(
        !parties.lines().any(|l| l.starts_with("nur-otan,")),
        "{parties}"
    );
    let all = run(&["list", "--format", "csv"]);
    assert_eq!(all.lines().count() - 1, db().node_count());
    let out = lineage().args(["alive", "someday"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `--explain` names each relation as the function the query wrote.
#[test]
fn explain_names_relations_as_written() {
    let db = db();
    for f in [
        "leaders",
        "led_by",
        "founders",
        "founded_by",
        "members",
        "blocs",
    ] {
        let p = lang::plan(&db, &format!("{f}(Otan)")).unwrap();
        assert_eq!(p.explain(&db).lines().next(), Some(f), "{f}");
    }
}
