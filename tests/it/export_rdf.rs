//! RDF (`lineage export --format turtle|ntriples`) and QuickStatements:
//!
//! - the N-Triples and the Turtle parse back with oxttl into the same set of triples;
//! - the triple counts match the graph: one `lin:` triple, one statement and (where Wikidata has
//!   the property) one `wdt:` triple per edge, a claim resource per dated claim with its own
//!   sources, a label per node, an alias per alias, a `prov:wasDerivedFrom` per citation;
//! - names that hold terminal escapes parse back exactly, with no raw control character in the
//!   output;
//! - docs/export.md's SPARQL examples answer, in Oxigraph (pyoxigraph), exactly as shown, and
//!   its table of terms is the vocabulary's;
//! - QuickStatements lines have QuickStatements' shape, dates keep their precision, and what is
//!   left out is listed.
//!
//! Longer than most files because RDF and QuickStatements share their fixtures and checks.
//!
//! pyoxigraph is an external program: without it the SPARQL test prints a notice and passes,
//! unless `LINEAGE_REQUIRE_PYOXIGRAPH=1` (set by `.ci/run`).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use assert_cmd::prelude::*;
use lineage::date::DateSpec;
use lineage::query::{Filter, Selection};
use lineage::render::quickstatements::{self, date_qualifiers};
use lineage::render::rdf::{self, vocab};
use lineage::{Db, EdgeKind, Graph, Node, NodeKind, Source};
use oxrdf::{Term, Triple};

use crate::export_tables::{doc_blocks, python, tool};

fn everything(db: &Db) -> Selection {
    Selection::all(db, true, &Filter::default())
}

fn parse_nt(text: &str) -> Vec<Triple> {
    oxttl::NTriplesParser::new()
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("the N-Triples parse")
}

fn parse_ttl(text: &str) -> Vec<Triple> {
    oxttl::TurtleParser::new()
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("the Turtle parses")
}

fn count(triples: &[Triple], predicate: &str) -> usize {
    triples
        .iter()
        .filter(|t| t.predicate.as_str() == predicate)
        .count()
}

fn lit(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_string(),
        other => panic!("not a literal: {other}"),
    }
}

#[test]
fn both_syntaxes_parse_back_into_the_same_triples() {
    let db = Db::embedded().unwrap();
    let sel = everything(&db);
    let nt = rdf::ntriples(&db, &sel).unwrap();
    let ttl = rdf::turtle(&db, &sel).unwrap();
    let a = parse_nt(&nt);
    let b = parse_ttl(&ttl);
    assert_eq!(a.len(), nt.lines().count(), "one triple a line");
    let (sa, sb): (BTreeSet<String>, BTreeSet<String>) = (
        a.iter().map(|t| t.to_string()).collect(),
        b.iter().map(|t| t.to_string()).collect(),
    );
    // a triple is written twice only for two edges of one kind between the same two nodes
    // (two terms of one leader): each edge keeps its own statement resource
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for t in &a {
        *seen.entry(t.to_string()).or_default() += 1;
    }
    let mut parallel: BTreeMap<(String, EdgeKind, String), usize> = BTreeMap::new();
    for &e in &sel.edges {
        let edge = db.edge(e);
        *parallel.entry((edge.from, edge.kind, edge.to)).or_default() += 1;
    }
    for (t, n) in seen.iter().filter(|(_, n)| **n > 1) {
        let is_parallel = parallel.iter().any(|((from, kind, to), m)| {
            *m == *n
                && t.contains(&format!("<urn:lineage:node:{from}>"))
                && t.contains(&format!("<urn:lineage:node:{to}>"))
                && (t.contains(vocab::edge_property(*kind))
                    || vocab::wikidata_property(*kind)
                        .is_some_and(|(p, _)| t.contains(&format!("/{p}>"))))
        });
        assert!(is_parallel, "written {n} times: {t}");
    }
    assert_eq!(sa, sb, "Turtle and N-Triples say the same");
    for (prefix, iri) in vocab::PREFIXES {
        assert!(
            ttl.contains(&format!("@prefix {prefix}: <{iri}>")),
            "{prefix}"
        );
    }
}

#[test]
fn the_triple_counts_match_the_graph() {
    let db = Db::embedded().unwrap();
    let sel = everything(&db);
    let t = parse_nt(&rdf::ntriples(&db, &sel).unwrap());
    let lin = |s: &str| format!("{}{s}", vocab::LIN);
    let wdt = |s: &str| format!("{}{s}", vocab::WDT);
    let nodes: Vec<_> = sel.nodes.iter().map(|&n| db.node(n)).collect();
    let edges: Vec<_> = sel.edges.iter().map(|&e| db.edge(e)).collect();
    assert_eq!(
        count(&t, "http://www.w3.org/2000/01/rdf-schema#label"),
        nodes.len()
    );
    assert_eq!(
        count(&t, "http://www.w3.org/2004/02/skos/core#altLabel"),
        nodes.iter().map(|n| n.aliases.len()).sum::<usize>()
    );
    for kind in EdgeKind::ALL {
        let n = edges.iter().filter(|e| e.kind == kind).count();
        assert_eq!(count(&t, &lin(vocab::edge_property(kind))), n, "{kind}");
    }
    for (pid, kinds) in [
        ("P807", &[EdgeKind::Split][..]),
        ("P7888", &[EdgeKind::Merger]),
        ("P1366", &[EdgeKind::Reorganisation]),
        ("P112", &[EdgeKind::Founding, EdgeKind::Founder]),
        ("P488", &[EdgeKind::Leadership]),
        ("P463", &[EdgeKind::Membership]),
    ] {
        let n = edges.iter().filter(|e| kinds.contains(&e.kind)).count();
        assert_eq!(count(&t, &wdt(pid)), n, "{pid}");
        assert!(n > 0 || pid == "P463" || pid == "P112", "{pid} is used");
    }
    let typed = |class: &str| {
        t.iter()
            .filter(|x| {
                x.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                    && x.object.to_string() == format!("<{}>", lin(class))
            })
            .count()
    };
    assert_eq!(typed("Edge"), edges.len());
    let node_claims: usize = nodes
        .iter()
        .map(|n| n.founded.len() + n.registered.len() + n.ended.len())
        .sum();
    let edge_claims: usize = edges.iter().map(|e| e.date.len()).sum();
    assert_eq!(count(&t, &lin("claim")), edge_claims);
    assert_eq!(typed("Claim"), node_claims + edge_claims);
    assert_eq!(
        typed("Event"),
        nodes.iter().map(|n| n.events.len()).sum::<usize>()
    );
    assert_eq!(
        typed("Result"),
        nodes.iter().map(|n| n.results.len()).sum::<usize>()
    );
    assert_eq!(
        typed("ExternalId"),
        nodes.iter().map(|n| n.external_ids.len()).sum::<usize>()
    );
    let mut citations = 0;
    let mut cited = BTreeSet::new();
    let mut cite = |ids: &[String]| {
        citations += ids.len();
        cited.extend(ids.iter().cloned());
    };
    for n in &nodes {
        cite(&n.sources);
        for c in n.founded.iter().chain(&n.registered).chain(&n.ended) {
            cite(&c.sources);
        }
        n.events.iter().for_each(|e| cite(&e.sources));
        n.results.iter().for_each(|r| cite(&r.sources));
        n.external_ids.iter().for_each(|x| cite(&x.sources));
    }
    for e in &edges {
        cite(&e.sources);
        e.date.iter().for_each(|c| cite(&c.sources));
    }
    assert_eq!(
        count(&t, "http://www.w3.org/ns/prov#wasDerivedFrom"),
        citations
    );
    assert_eq!(typed("Source"), cited.len());
}

#[test]
fn each_claim_keeps_its_own_date_and_sources() {
    let db = Db::embedded().unwrap();
    let sel = everything(&db);
    let t = parse_nt(&rdf::ntriples(&db, &sel).unwrap());
    let mut about: BTreeMap<String, Vec<(String, Term)>> = BTreeMap::new();
    for x in &t {
        about
            .entry(x.subject.to_string())
            .or_default()
            .push((x.predicate.as_str().to_string(), x.object.clone()));
    }
    let get = |s: &str, p: &str| -> Vec<Term> {
        about
            .get(s)
            .map(|v| {
                v.iter()
                    .filter(|(q, _)| q == &format!("{}{p}", vocab::LIN) || q == p)
                    .map(|(_, o)| o.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut disputed = 0;
    for &e in &sel.edges {
        let edge = db.edge(e);
        let s = format!("<{}{}>", vocab::EDGE, e.index());
        let claims = get(&s, "claim");
        assert_eq!(claims.len(), edge.date.len(), "{s}");
        let mut got: Vec<(String, BTreeSet<String>)> = claims
            .iter()
            .map(|c| {
                let c = c.to_string();
                let date = lit(&get(&c, "date")[0]);
                let sources = get(&c, "http://www.w3.org/ns/prov#wasDerivedFrom")
                    .iter()
                    .map(|o| o.to_string())
                    .collect();
                (date, sources)
            })
            .collect();
        let mut want: Vec<(String, BTreeSet<String>)> = edge
            .date
            .iter()
            .map(|c| {
                let src = c
                    .sources
                    .iter()
                    .map(|id| format!("<{}>", rdf::iri(vocab::SOURCE, id).as_str()))
                    .collect();
                (c.date.as_str().to_string(), src)
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{s}");
        if edge.date.len() > 1 {
            disputed += 1;
        }
        assert_eq!(lit(&get(&s, "kind")[0]), edge.kind.as_str());
    }
    assert!(disputed > 5, "{disputed} edges with several claims");
}

#[test]
fn hostile_names_parse_back_exactly_and_print_no_control_character() {
    let hostile = [
        "Otan \u{1b}[2J\u{1b}]0;pwned\u{7}",
        "C1 \u{9b}31m and NEL \u{85}",
        "\u{202e}cilbupeR \u{2066}x\u{2069}",
        "quote \" backslash \\ tab \t line\nbreak",
    ];
    let mut g = Graph::new();
    g.insert_source_unvalidated(Source::new("s", "A source"));
    for (i, name) in hostile.iter().enumerate() {
        let mut n = Node::new(&format!("n{i}"), NodeKind::Party, name, "s");
        n.note = name.to_string();
        g.insert_node_unvalidated(n);
    }
    let db = Db::from_graph_unvalidated(&g).unwrap();
    let sel = everything(&db);
    for (syntax, text) in [
        ("N-Triples", rdf::ntriples(&db, &sel).unwrap()),
        ("Turtle", rdf::turtle(&db, &sel).unwrap()),
    ] {
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| lineage::names::is_hidden_control(c) && c != '\n' && c != '\t')
            .collect();
        assert!(bad.is_empty(), "{syntax}: raw {bad:?}");
        let triples = if syntax == "Turtle" {
            parse_ttl(&text)
        } else {
            parse_nt(&text)
        };
        let labels: BTreeSet<String> = triples
            .iter()
            .filter(|t| t.predicate.as_str().ends_with("#label"))
            .map(|t| lit(&t.object))
            .collect();
        let want: BTreeSet<String> = hostile.iter().map(|s| s.to_string()).collect();
        assert_eq!(labels, want, "{syntax}");
    }
    // (the binary cannot be given such names: every open of a file validates them away, as
    // tests/it/hostile_text.rs shows; the library's writers are what stand between them and a
    // terminal)
}

#[test]
fn the_sparql_examples_of_docs_export_md_answer_as_shown_in_oxigraph() {
    if !tool(
        "python3",
        &["-c", "import pyoxigraph"],
        "LINEAGE_REQUIRE_PYOXIGRAPH",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ttl = dir.path().join("lineage.ttl");
    Command::cargo_bin("lineage")
        .unwrap()
        .args(["export", "--format", "turtle", "--people", "-o"])
        .arg(&ttl)
        .assert()
        .success();
    let n = doc_blocks("sparql", &|query| {
        let script = "import sys, pyoxigraph as ox\n\
            s = ox.Store()\n\
            s.load(path='lineage.ttl', format=ox.RdfFormat.TURTLE)\n\
            r = s.query(sys.argv[1])\n\
            names = [v.value for v in r.variables]\n\
            print('\\t'.join(n.lstrip('?') for n in names))\n\
            for row in r:\n    print('\\t'.join(row[n].value if row[n] is not None else '' for n in names))\n";
        python(&[script, query], dir.path())
    });
    assert!(n >= 2, "{n} SPARQL examples");
}

#[test]
fn docs_export_md_lists_every_term_of_the_vocabulary() {
    let doc = std::fs::read_to_string("docs/export.md").unwrap();
    let (a, b) = ("<!-- rdf-terms:begin -->\n", "<!-- rdf-terms:end -->");
    let start = doc.find(a).expect("the begin marker") + a.len();
    let end = doc.find(b).expect("the end marker");
    let want = vocab::markdown();
    if std::env::var("LINEAGE_BLESS").as_deref() == Ok("1") {
        let new = format!("{}{want}{}", &doc[..start], &doc[end..]);
        std::fs::write("docs/export.md", new).unwrap();
        return;
    }
    assert_eq!(&doc[start..end], want, "LINEAGE_BLESS=1 rewrites it");
}

#[test]
fn date_qualifiers_keep_the_precision_the_date_has_and_no_more() {
    let q = |s: &str| date_qualifiers(&DateSpec::parse(s).unwrap());
    let one = |p: &str, v: &str| vec![(p.to_string(), v.to_string())];
    let own = |v: Vec<(&str, String)>| -> Vec<(String, String)> {
        v.into_iter().map(|(p, v)| (p.to_string(), v)).collect()
    };
    assert_eq!(
        own(q("2006-11-10")),
        one("P585", "+2006-11-10T00:00:00Z/11")
    );
    assert_eq!(own(q("2006-02")), one("P585", "+2006-02-00T00:00:00Z/10"));
    assert_eq!(own(q("1998")), one("P585", "+1998-00-00T00:00:00Z/9"));
    assert_eq!(own(q("1990s")), one("P585", "+1990-00-00T00:00:00Z/8"));
    assert_eq!(
        own(q("early 1998")),
        vec![
            ("P1319".into(), "+1998-01-01T00:00:00Z/11".into()),
            ("P1326".into(), "+1998-04-30T00:00:00Z/11".into())
        ]
    );
    assert_eq!(
        own(q("before 1998")),
        one("P1326", "+1997-12-31T00:00:00Z/11")
    );
    assert_eq!(
        own(q("1998 to 1999")),
        vec![
            ("P1319".into(), "+1998-01-01T00:00:00Z/11".into()),
            ("P1326".into(), "+1999-12-31T00:00:00Z/11".into())
        ]
    );
}

#[test]
fn quickstatements_lines_have_its_shape_and_what_is_left_out_is_listed() {
    let db = Db::embedded().unwrap();
    // what the binary exports by default: the organisations
    let sel = Selection::all(&db, false, &Filter::default());
    let qs = quickstatements::commands(&db, &sel);
    let lines: Vec<&str> = qs.commands.lines().collect();
    assert!(lines.len() > 20, "{} commands", lines.len());
    let time = |v: &str| {
        v.len() > 22
            && v.starts_with('+')
            && v[1..11].bytes().filter(|b| b.is_ascii_digit()).count() == 8
            && &v[11..22] == "T00:00:00Z/"
            && ["8", "9", "10", "11"].contains(&&v[22..])
    };
    let qid = |v: &str| rdf::is_qid(v);
    for l in &lines {
        let f: Vec<&str> = l.split('\t').collect();
        assert!(f.len() >= 5 && f.len() % 2 == 1, "{l}");
        assert!(qid(f[0]), "{l}");
        assert!(
            [
                "P807", "P7888", "P1366", "P112", "P488", "P463", "P571", "P576"
            ]
            .contains(&f[1]),
            "{l}"
        );
        assert!(qid(f[2]) || time(f[2]) || f[2] == "somevalue", "{l}");
        assert_eq!(f[f.len() - 2], "S854", "{l}");
        let url = f[f.len() - 1];
        assert!(url.starts_with("\"http") && url.ends_with('"'), "{l}");
        for pair in f[3..f.len() - 2].chunks(2) {
            assert!(
                ["P585", "P580", "P582", "P1319", "P1326"].contains(&pair[0]),
                "{l}"
            );
            assert!(time(pair[1]), "{l}");
        }
    }
    // every mapped edge between two items is there, once per claim and source with an address
    let adal = lines
        .iter()
        .filter(|l| l.starts_with("Q27972277\tP7888\t"))
        .count();
    assert!(adal >= 1, "Adal merged into Amanat");
    assert!(
        qs.skipped
            .iter()
            .any(|s| s.contains("has no address to cite")),
        "sources without an address are listed"
    );
    assert!(
        qs.skipped
            .iter()
            .any(|s| s.contains("an end has no Wikidata id")),
        "edges without items are listed"
    );
    // the binary lists them on stderr, and writes the tabs as they are
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args(["export", "--format", "quickstatements"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), qs.commands);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!(
            "lineage: QuickStatements: {} facts or references left out:\n",
            qs.skipped.len()
        )),
        "{err}"
    );
}

#[test]
fn rdf_and_quickstatements_refuse_an_output_name_of_another_format() {
    for (format, file) in [
        ("turtle", "x.nt"),
        ("ntriples", "x.ttl"),
        ("quickstatements", "x.csv"),
        ("parquet", "x.parquet"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::cargo_bin("lineage")
            .unwrap()
            .args(["export", "--format", format, "-o"])
            .arg(dir.path().join(file))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format} {file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(file), "{err}");
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}

#[test]
fn the_streamed_n_triples_are_oxttl_s_bytes() {
    let db = Db::embedded().unwrap();
    let sel = everything(&db);
    let mut w = oxttl::NTriplesSerializer::new().for_writer(Vec::new());
    rdf::each_triple(&db, &sel, &mut |t| w.serialize_triple(&t).unwrap());
    let by_oxttl = String::from_utf8(w.finish()).unwrap();
    assert_eq!(rdf::ntriples(&db, &sel).unwrap(), by_oxttl);
    let mut streamed = Vec::new();
    rdf::write_ntriples(&db, &sel, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), by_oxttl);
}
