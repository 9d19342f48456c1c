//! The SVG timeline: valid, self-contained XML with no scripts; one bar per organisation with
//! one labelled segment per name; connectors; faded and hatched ends; lanes that never overlap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use assert_cmd::Command;
use lineage::query::{Direction, Filter, closure};
use lineage::render::svg::{Timeline, TimelineConfig, timeline_svg};
use lineage::{Db, Edge, EdgeKind, Graph, Node, NodeId, NodeKind, Source};
use proptest::prelude::*;
use roxmltree::{Document, Node as XNode};

const SAMPLE: &str = "tests/fixtures/sample.ron";

fn sample() -> Db {
    lineage::open(Path::new(SAMPLE)).expect("the sample loads")
}

fn parse(svg: &str) -> Document<'_> {
    Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"))
}

fn by_id<'a, 'i>(doc: &'a Document<'i>, id: &str) -> XNode<'a, 'i> {
    doc.descendants()
        .find(|n| n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no element #{id}"))
}

/// The era labels, as (text, x, y).
fn labels(doc: &Document<'_>) -> Vec<(String, f64, f64)> {
    by_id(doc, "labels")
        .children()
        .filter(|n| n.has_tag_name("text"))
        .map(|t| (t.text().unwrap_or("").to_string(), num(t, "x"), num(t, "y")))
        .collect()
}

fn num(n: XNode<'_, '_>, attr: &str) -> f64 {
    n.attribute(attr)
        .unwrap_or_else(|| panic!("no {attr}"))
        .parse()
        .expect("a number")
}

/// Each bar's rectangles as (y, left, right).
fn bars(doc: &Document<'_>) -> Vec<(f64, f64, f64)> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|b| {
            let rects: Vec<XNode<'_, '_>> =
                b.descendants().filter(|r| r.has_tag_name("rect")).collect();
            assert!(!rects.is_empty(), "an empty bar");
            let y = num(rects[0], "y");
            assert!(
                rects.iter().all(|r| num(*r, "y") == y),
                "a bar on two lanes"
            );
            let left = rects
                .iter()
                .map(|r| num(*r, "x"))
                .fold(f64::INFINITY, f64::min);
            let right = rects
                .iter()
                .map(|r| num(*r, "x") + num(*r, "width"))
                .fold(f64::NEG_INFINITY, f64::max);
            (y, left, right)
        })
        .collect()
}

/// The checks every timeline must pass: XML, nothing active or external, every `url(#…)`
/// defined, and bars that do not overlap.
fn check(svg: &str) -> Document<'_> {
    let doc = parse(svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let ids: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    for n in doc.descendants().filter(|n| n.is_element()) {
        let tag = n.tag_name().name();
        assert!(
            !matches!(
                tag,
                "script" | "foreignObject" | "iframe" | "image" | "a" | "use"
            ),
            "<{tag}> in a timeline"
        );
        for a in n.attributes() {
            assert!(
                !a.name().to_ascii_lowercase().starts_with("on"),
                "event handler {}",
                a.name()
            );
            assert!(a.name() != "href", "external reference {}", a.value());
            let mut v = a.value();
            while let Some(i) = v.find("url(") {
                let rest = &v[i + 4..];
                let end = rest.find(')').expect("closed url()");
                let target = rest[..end].strip_prefix('#').expect("a local reference");
                assert!(ids.contains(target), "url(#{target}) is not defined");
                v = &rest[end..];
            }
        }
    }
    assert!(!svg.contains("javascript:"));
    let bs = bars(&doc);
    for (i, a) in bs.iter().enumerate() {
        for b in &bs[i + 1..] {
            if a.0 == b.0 {
                assert!(
                    a.2 <= b.1 || b.2 <= a.1,
                    "bars overlap in a lane: {a:?} {b:?}"
                );
            }
        }
    }
    doc
}

fn source() -> Source {
    Source::new("s", "A source")
}

fn claim(date: &str) -> lineage::Claim {
    lineage::Claim {
        date: lineage::DateSpec::parse(date).unwrap(),
        sources: vec!["s".into()],
        note: String::new(),
    }
}

fn org(id: &str, name: &str, founded: Option<&str>, ended: Option<&str>) -> Node {
    let mut n = Node::new(id, NodeKind::Party, name, "s");
    n.founded.extend(founded.map(claim));
    n.ended.extend(ended.map(claim));
    n
}

fn svg_of(db: &Db) -> String {
    Timeline {
        db,
        nodes: None,
        cfg: TimelineConfig::default(),
    }
    .to_string()
}

#[test]
fn the_sample_is_one_bar_per_organisation_with_one_segment_per_name() {
    let db = sample();
    let svg = svg_of(&db);
    let doc = check(&svg);
    assert_eq!(
        bars(&doc).len(),
        2,
        "Civic Party, and Otan under its three names"
    );
    let ls = labels(&doc);
    let names: Vec<&str> = ls.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(
        names,
        ["Civic Party of Kazakhstan", "Otan", "Nur Otan", "Amanat"]
    );
    // the three names of Otan on one lane, in time order; Civic Party on another
    assert!(ls[1].2 == ls[2].2 && ls[2].2 == ls[3].2);
    assert!(ls[1].1 < ls[2].1 && ls[2].1 < ls[3].1);
    assert_ne!(ls[0].2, ls[1].2);
    // the merger is one connector, with its date in its tooltip
    let conn = by_id(&doc, "connectors");
    let titles: Vec<&str> = conn
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        titles,
        ["merger: Civic Party of Kazakhstan → Otan, 2006-11-10"]
    );
    // a year axis over the whole span, and a legend
    let axis: Vec<&str> = by_id(&doc, "axis")
        .children()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(axis.first(), Some(&"1998"));
    assert!(axis.contains(&"2022"));
    let legend: Vec<&str> = by_id(&doc, "legend")
        .descendants()
        .filter_map(|n| n.text())
        .collect();
    for k in [
        "party",
        "split",
        "merger",
        "reorganisation",
        "founding",
        "no end recorded",
    ] {
        assert!(legend.contains(&k), "legend lacks {k}");
    }
}

#[test]
fn snapshot_sample_timeline() {
    insta::assert_snapshot!("timeline_sample", svg_of(&sample()));
}

#[test]
fn deterministic() {
    assert_eq!(svg_of(&sample()), svg_of(&sample()));
}

#[test]
fn ends_show_how_well_they_are_known() {
    let mut g = Graph::new();
    g.add_source(source()).unwrap();
    // exact start, a year-long end: crisp start, faded end
    g.add_node(org("exact", "Exact", Some("1995-03-04"), Some("2001")))
        .unwrap();
    // no date at all, only a dated split into it: placed by the split, so crisp (month)
    g.add_node(org("split-off", "Split Off", None, None))
        .unwrap();
    // no date, only a merger out of it: hatched start, crisp end at the merger
    g.add_node(org("vague", "Vague", None, None)).unwrap();
    // nothing dated anywhere: not drawn, and said so
    g.add_node(org("ghost", "Ghost", None, None)).unwrap();
    g.add_edge(
        Edge::new(EdgeKind::Split, "exact", "split-off", "s")
            .dated("1998-06")
            .unwrap(),
    )
    .unwrap();
    g.add_edge(
        Edge::new(EdgeKind::Merger, "vague", "exact", "s")
            .dated("1999-05-05")
            .unwrap(),
    )
    .unwrap();
    let db = g.freeze().unwrap();
    let svg = svg_of(&db);
    let doc = check(&svg);
    let fills = |name: &str| -> Vec<String> {
        let g = doc
            .descendants()
            .find(|n| {
                n.has_tag_name("g")
                    && n.children().any(|c| {
                        c.has_tag_name("title")
                            && c.text()
                                .is_some_and(|t| t.starts_with(&format!("{name} (")))
                    })
            })
            .unwrap_or_else(|| panic!("no bar for {name}"));
        g.children()
            .filter(|c| c.has_tag_name("rect"))
            .map(|r| r.attribute("fill").unwrap().to_string())
            .collect()
    };
    assert_eq!(fills("Exact"), ["#4a86c5", "url(#fade-out-party)"]);
    assert_eq!(
        fills("Split Off"),
        ["url(#fade-out-party)"],
        "no end, nothing after its start: fades out from it"
    );
    // known only from its merger: a hatched lead-in that ends there
    assert_eq!(fills("Vague"), ["url(#hatch-party)"]);
    let note: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .filter(|t| t.starts_with("Not drawn"))
        .collect();
    assert_eq!(note, "Not drawn, no date recorded: Ghost.");
    // connectors: the split and the merger
    assert_eq!(
        by_id(&doc, "connectors")
            .children()
            .filter(|n| n.has_tag_name("g"))
            .count(),
        2
    );
}

#[test]
fn connected_organisations_sit_in_neighbouring_lanes() {
    let mut g = Graph::new();
    g.add_source(source()).unwrap();
    g.add_node(org("parent", "Parent", Some("1990"), None))
        .unwrap();
    for i in 0..4 {
        g.add_node(org(
            &format!("child-{i}"),
            &format!("Child {i}"),
            Some("1995"),
            Some("1997"),
        ))
        .unwrap();
        g.add_edge(
            Edge::new(EdgeKind::Split, "parent", &format!("child-{i}"), "s")
                .dated("1995")
                .unwrap(),
        )
        .unwrap();
    }
    // unrelated organisations of the same years, which must not push the children away
    for i in 0..4 {
        g.add_node(org(
            &format!("other-{i}"),
            &format!("Other {i}"),
            Some("1989"),
            Some("1999"),
        ))
        .unwrap();
    }
    let db = g.freeze().unwrap();
    let svg = svg_of(&db);
    let doc = check(&svg);
    let y: BTreeMap<String, f64> = labels(&doc).into_iter().map(|(t, _, y)| (t, y)).collect();
    let lane = 32.0;
    for i in 0..4 {
        let d = (y[&format!("Child {i}")] - y["Parent"]).abs();
        assert!(
            d >= lane && d <= 2.0 * lane,
            "Child {i} is {d}px from its parent"
        );
    }
    let children: BTreeSet<i64> = (0..4).map(|i| y[&format!("Child {i}")] as i64).collect();
    assert_eq!(children.len(), 4, "children overlap");
}

#[test]
fn every_lineage_of_the_embedded_graph_draws_cleanly() {
    let db = Db::embedded().expect("the embedded graph is valid");
    let whole = svg_of(&db);
    let doc = check(&whole);
    let drawn: BTreeSet<String> = labels(&doc).into_iter().map(|l| l.0).collect();
    // the note under the chart, its lines joined again
    let note: Vec<&str> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name("text") && n.attribute("font-size") == Some("10"))
        .filter_map(|n| n.text())
        .collect();
    let note = note.join(" ");
    assert!(note.is_empty() || note.starts_with("Not drawn, no date recorded: "));
    let orgs: Vec<NodeId> = db
        .node_ids()
        .filter(|n| db.kind(*n) != NodeKind::Person)
        .collect();
    for &n in &orgs {
        let name = db.name(n);
        assert!(
            drawn.contains(name) != note.contains(&format!(" {name}")),
            "{name} must be either drawn or listed as not drawn"
        );
    }
    for &n in &orgs {
        let mut set = BTreeSet::from([n]);
        for d in [Direction::Ancestors, Direction::Descendants] {
            set.extend(
                closure(&db, n, d, &Filter::default())
                    .hits
                    .iter()
                    .map(|h| h.node),
            );
        }
        let svg = timeline_svg(&db, Some(&set), None, None);
        check(&svg);
    }
}

#[test]
fn the_cli_writes_a_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.svg");
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args([
            "timeline", "--svg", "Amanat", "--since", "2000", "--until", "2010",
        ])
        .args(["-o", path.to_str().unwrap(), "--data", SAMPLE])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty() && out.stderr.is_empty());
    let svg = std::fs::read_to_string(&path).unwrap();
    let doc = check(&svg);
    assert_eq!(
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text()),
        Some("Lineage of Amanat")
    );
    let years: Vec<&str> = by_id(&doc, "axis")
        .children()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(years.first(), Some(&"2000"));
    assert_eq!(years.last(), Some(&"2010"));
}

fn named(name: &str) -> Db {
    let mut g = Graph::new();
    g.add_source(source()).unwrap();
    // names with control characters are refused by validation, but a snapshot made elsewhere
    // may hold them: built here without it
    assert!(g.insert_node_unvalidated(org("x", name, Some("1999"), Some("2003"))));
    g.add_node(org("y", "Plain", Some("2001"), None)).unwrap();
    g.insert_edge_unvalidated(
        Edge::new(EdgeKind::Merger, "x", "y", "s")
            .dated("2003")
            .unwrap(),
    )
    .unwrap();
    Db::from_graph_unvalidated(&g).unwrap()
}

/// What an SVG text shows for a name: line breaks and tabs as spaces, characters XML cannot
/// hold as U+FFFD.
fn shown(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_name_is_escaped(
        name in proptest::collection::vec(
            prop_oneof![
                Just("<".to_string()), Just(">".to_string()), Just("&".to_string()),
                Just("&amp;".to_string()), Just("\"".to_string()), Just("'".to_string()),
                Just("]]>".to_string()), Just("<script>alert(1)</script>".to_string()),
                Just("\u{1}".to_string()), Just("\u{FFFF}".to_string()), Just("\n".to_string()),
                Just("Отан".to_string()), "\\PC{1,5}",
            ],
            1..6,
        ).prop_map(|v| format!("Party {}", v.concat()))
    ) {
        let db = named(&name);
        let stored = db.name(db.resolve("x").unwrap()).to_string();
        let svg = svg_of(&db);
        let doc = check(&svg);
        prop_assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
        let ls: Vec<String> = labels(&doc).into_iter().map(|l| l.0).collect();
        prop_assert!(ls.contains(&shown(&stored)), "{:?} not in {:?}", shown(&stored), ls);
    }
}
