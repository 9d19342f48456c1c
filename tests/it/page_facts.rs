//! The lines of the graph after 2004 (and the fixes to earlier ones), asserted from the stored
//! public pages they come from.
//!
//! Each `tests/page-facts/*.ron` file lists checks, each with the source id it rests on and the
//! sentence quoted from that page. Every check must hold on the embedded graph, and the fact it
//! names must cite that source: an assertion that a merger happened is not satisfied by a merger
//! edge that cites some other document.

use std::path::PathBuf;

use lineage::query::{self, Direction, Filter};
use lineage::{DateSpec, Db, EdgeKind, NodeId};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Check {
    /// An edge of `kind` from `from` to `to`, citing `source`.
    Edge,
    /// `to` is among the ancestors of `from`.
    Ancestor,
    /// The name-era of `from`'s chain in force at `date` is `to`.
    NameAt,
    /// `to` (a person) led `from` in `role`, the leadership edge citing `source`.
    Leader,
    /// `from` has a result at the election `date` with `share`, citing `source`.
    Result,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fact {
    check: Check,
    #[serde(default)]
    kind: String,
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    share: String,
    source: String,
    quote: String,
}

fn node(db: &Db, id: &str, what: &str) -> NodeId {
    db.by_id(id)
        .unwrap_or_else(|| panic!("{what}: no node with id {id:?}"))
}

/// Checks one fact; `Err` says what does not hold.
fn holds(db: &Db, f: &Fact) -> Result<(), String> {
    if db.source(&f.source).is_none() {
        return Err(format!("source {:?} is not in sources.ron", f.source));
    }
    if f.quote.trim().chars().count() < 5 {
        return Err("the quote is missing".into());
    }
    let cites = |s: &[String]| s.contains(&f.source);
    let from = node(db, &f.from, "from");
    match f.check {
        Check::Edge => {
            let kind = EdgeKind::parse(&f.kind).ok_or(format!("unknown kind {:?}", f.kind))?;
            let edges: Vec<lineage::Edge> = db
                .out_edges(from)
                .map(|e| db.edge(e))
                .filter(|e| e.kind == kind && e.to == f.to)
                .collect();
            if edges.is_empty() {
                return Err(format!("no {kind} edge {} -> {}", f.from, f.to));
            }
            let cited =
                |e: &lineage::Edge| cites(&e.sources) || e.date.iter().any(|c| cites(&c.sources));
            if !edges.iter().any(cited) {
                return Err(format!("the edge does not cite {}", f.source));
            }
            Ok(())
        }
        Check::Ancestor => {
            node(db, &f.to, "to");
            let c = query::closure(db, from, Direction::Ancestors, &Filter::default());
            if c.hits.iter().any(|h| db.id(h.node) == f.to) {
                Ok(())
            } else {
                Err(format!("{} is not an ancestor of {}", f.to, f.from))
            }
        }
        Check::NameAt => {
            let at = DateSpec::parse(&f.date).map_err(|e| e.to_string())?;
            let r = query::name_at(db, from, &at);
            match (r.certain, r.candidates.as_slice()) {
                (true, [n]) if db.id(*n) == f.to => Ok(()),
                _ => Err(format!(
                    "at {} the chain of {} gives {:?} (certain: {}), not {}",
                    f.date,
                    f.from,
                    r.candidates.iter().map(|n| db.id(*n)).collect::<Vec<_>>(),
                    r.certain,
                    f.to
                )),
            }
        }
        Check::Leader => {
            let person = node(db, &f.to, "to");
            let terms: Vec<lineage::Edge> = db
                .out_edges(person)
                .map(|e| db.edge(e))
                .filter(|e| {
                    e.kind == EdgeKind::Leadership
                        && e.to == f.from
                        && e.role.eq_ignore_ascii_case(&f.role)
                })
                .collect();
            if terms.is_empty() {
                return Err(format!("{} is not {} of {}", f.to, f.role, f.from));
            }
            if !terms.iter().any(|e| cites(&e.sources)) {
                return Err(format!("the leadership edge does not cite {}", f.source));
            }
            Ok(())
        }
        Check::Result => {
            let n = db.node(from);
            let at = DateSpec::parse(&f.date).map_err(|e| e.to_string())?;
            let hit = n.results.iter().find(|r| {
                r.election.earliest() <= at.latest()
                    && at.earliest() <= r.election.latest()
                    && r.share.as_deref() == Some(f.share.as_str())
                    && cites(&r.sources)
            });
            hit.map(|_| ()).ok_or(format!(
                "no result of {} at {} with {}% citing {}",
                f.from, f.date, f.share, f.source
            ))
        }
    }
}

#[test]
fn every_page_fact_holds_on_the_embedded_graph() {
    let db = Db::embedded().expect("the embedded graph validates");
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/page-facts")
        .expect("tests/page-facts")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    let mut n = 0;
    let mut failures = Vec::new();
    for p in &files {
        let text = std::fs::read_to_string(p).expect("read");
        let facts: Vec<Fact> = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        for (i, f) in facts.iter().enumerate() {
            n += 1;
            if let Err(why) = holds(&db, f) {
                failures.push(format!(
                    "{} #{i} ({:?} {}): {why}",
                    p.display(),
                    f.check,
                    f.from
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {n} facts fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // the files are the test: an empty directory must not pass
    assert!(
        files.len() >= 4 && n >= 60,
        "only {n} facts in {} files",
        files.len()
    );
}

#[test]
fn a_fact_that_is_false_is_caught() {
    let db = Db::embedded().expect("embedded");
    let wrong = Fact {
        check: Check::Edge,
        kind: "merger".into(),
        from: "amanat".into(),
        to: "otan".into(),
        date: String::new(),
        role: String::new(),
        share: String::new(),
        source: "globalsecurity-parties".into(),
        quote: "a made-up sentence that no page holds".into(),
    };
    assert!(holds(&db, &wrong).is_err());
    let uncited = Fact {
        check: Check::Edge,
        kind: "renaming".into(),
        from: "nur-otan".into(),
        to: "amanat".into(),
        source: "babak".into(),
        ..wrong
    };
    assert!(
        holds(&db, &uncited).unwrap_err().contains("does not cite"),
        "an edge citing other sources does not satisfy the check"
    );
}

// ---- the symptoms the data issue was filed with, each of which must stay fixed ------------

fn db() -> Db {
    Db::embedded().expect("the embedded graph validates")
}

fn ids(db: &Db, v: impl IntoIterator<Item = NodeId>) -> Vec<String> {
    v.into_iter().map(|n| db.id(n).to_string()).collect()
}

fn ancestors_of(db: &Db, id: &str) -> Vec<String> {
    let c = query::closure(
        db,
        node(db, id, id),
        Direction::Ancestors,
        &Filter::default(),
    );
    ids(db, c.hits.iter().map(|h| h.node))
}

#[test]
fn ak_zhol_and_alga_have_a_common_ancestor() {
    let db = db();
    let c = query::common_ancestors(
        &db,
        node(&db, "ak-zhol", "ak-zhol"),
        node(&db, "alga", "alga"),
        lineage::KindSet::LINEAGE,
    );
    assert!(!c.nearest.is_empty(), "Ak Zhol and Alga share no ancestor");
}

#[test]
fn the_peoples_party_has_a_past_and_the_cppk_an_end() {
    let db = db();
    let anc = ancestors_of(&db, "peoples-party-of-kazakhstan");
    for a in ["communist-peoples-party", "communist-party-of-kazakhstan"] {
        assert!(anc.contains(&a.to_string()), "{a} missing from {anc:?}");
    }
    let cppk = db.node(node(&db, "communist-peoples-party", "cppk"));
    assert!(!cppk.ended.is_empty(), "the CPPK never ends");
}

#[test]
fn the_parties_named_in_the_issue_are_connected_and_present() {
    let db = db();
    for id in ["nsdp-azat", "adilet-party", "peoples-party-of-kazakhstan"] {
        let n = node(&db, id, id);
        assert!(
            db.in_edges(n).any(|e| db.edge_kind(e).is_lineage())
                || db.out_edges(n).any(|e| db.edge_kind(e).is_lineage()),
            "{id} has no lineage edge"
        );
    }
    for name in [
        "Birlik",
        "Adal",
        "Nagyz Ak Zhol",
        "For a Just Kazakhstan",
        "Coordinating Council of Democratic Forces",
    ] {
        db.resolve(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // Adilet → Birlik → Adal → Amanat
    let anc = ancestors_of(&db, "amanat");
    for a in ["adal", "birlik", "adilet-party", "rukhaniyat"] {
        assert!(
            anc.contains(&a.to_string()),
            "{a} is not an ancestor of Amanat"
        );
    }
}

#[test]
fn otan_has_one_chairman_at_a_time() {
    let db = db();
    let otan = node(&db, "otan", "otan");
    for y in ["1999-07-01", "2001-07-01", "2003-07-01", "2005-07-01"] {
        let at = DateSpec::parse(y).unwrap();
        let chairmen: Vec<String> = query::leaders(&db, otan, Some(&at))
            .iter()
            .filter(|l| db.edge(l.edge).role.eq_ignore_ascii_case("chairman"))
            .map(|l| db.id(l.person).to_string())
            .collect();
        assert!(chairmen.len() <= 1, "{y}: {chairmen:?}");
    }
}

#[test]
fn formed_on_the_basis_of_is_a_founding_and_auyl_was_in_force_in_2010() {
    let db = db();
    let at = |id: &str, d: &str| {
        let r = query::name_at(&db, node(&db, id, id), &DateSpec::parse(d).unwrap());
        match (r.certain, r.candidates.as_slice()) {
            (true, [n]) => Some(db.id(*n).to_string()),
            _ => None,
        }
    };
    // Babak: the Ak zhol party was formed on the basis of the 1998 movement, so the party's
    // chain does not run back into the movement
    assert_eq!(at("ak-zhol", "2003").as_deref(), Some("ak-zhol"));
    // the 2015 renaming of Auyl keeps one organisation under two names
    assert_eq!(
        at("ndpp-auyl", "2010").as_deref(),
        Some("auyl-peasant-party")
    );
    assert_eq!(
        at("auyl-peasant-party", "2020").as_deref(),
        Some("ndpp-auyl")
    );
}

#[test]
fn the_graph_is_large_sourced_and_every_unconnected_node_says_why() {
    let db = db();
    assert!(db.node_count() >= 300, "{} nodes", db.node_count());
    assert!(db.edge_count() >= 400, "{} edges", db.edge_count());
    let s = serde_json::to_value(lineage::query::stats(&db)).unwrap();
    assert_eq!(s["nodes"]["sourced_percent"], 100.0);
    assert_eq!(s["edges"]["sourced_percent"], 100.0);
    for n in db.node_ids() {
        let connected = db.in_edges(n).next().is_some() || db.out_edges(n).next().is_some();
        assert!(
            connected || db.node(n).note.to_lowercase().contains("unconnected:"),
            "{} is unconnected and its note does not say why (\"unconnected: …\")",
            db.id(n)
        );
    }
    assert_eq!(
        s["nodes"]["unconnected"], s["nodes"]["unconnected_with_note"],
        "stats counts every unconnected node as explained"
    );
    let results: usize = db.node_ids().map(|n| db.node(n).results.len()).sum();
    assert!(results >= 60, "{results} election results");
}

/// The README's three examples of the history after 2004, run as a user would.
#[test]
fn the_readme_examples_after_2004_answer_as_it_says() {
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("lineage")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let common = run(&["common", "Ak Zhol", "Alga"]);
    assert!(
        common.contains("Democratic Choice of Kazakhstan movement"),
        "{common}"
    );
    let anc = run(&["People's Party of Kazakhstan", "--ancestors"]);
    for want in [
        "Communist People's Party",
        "Communist Party of Kazakhstan",
        "divided",
    ] {
        assert!(anc.contains(want), "{want} missing:\n{anc}");
    }
    let adal = run(&["show", "Adal"]);
    for want in ["Birlik", "Amanat", "election results:"] {
        assert!(adal.contains(want), "{want} missing:\n{adal}");
    }
}
