//! `lineage::load::wikidata`: Wikidata entity JSON in the dump format (`[`, one entity per line
//! with a trailing comma, `]`) → a validated graph, with everything not mapped listed. The
//! fixtures are made up (QIDs from Q90001) and built with `json!`, so they are valid JSON.
//!
//! Longer than 400 lines: one test per mapping rule, each asserting its exact edges, dates and
//! reasons, and the fixture builders they share (rustfmt spreads the `json!` fixtures out).

use lineage::load::wikidata::{Import, ImportError, MAX_LINE_BYTES, Options, import};
use lineage::{EdgeKind, NodeKind};
use serde_json::{Value, json};

const GREGORIAN: &str = "http://www.wikidata.org/entity/Q1985727";
const JULIAN: &str = "http://www.wikidata.org/entity/Q1985786";

fn item_value(q: &str) -> Value {
    json!({"value": {"entity-type": "item", "numeric-id": q[1..].parse::<u64>().unwrap(), "id": q},
           "type": "wikibase-entityid"})
}

fn time_in(t: &str, precision: u8, calendar: &str) -> Value {
    json!({"value": {"time": t, "timezone": 0, "before": 0, "after": 0, "precision": precision,
                     "calendarmodel": calendar}, "type": "time"})
}

fn time(t: &str, precision: u8) -> Value {
    time_in(t, precision, GREGORIAN)
}

fn string(s: &str) -> Value {
    json!({"value": s, "type": "string"})
}

fn snak(p: &str, datavalue: Value) -> Value {
    json!({"snaktype": "value", "property": p, "datavalue": datavalue})
}

/// A statement of `owner`, id `Owner$P…`.
struct St(Value);

fn st(owner: &str, p: &str, datavalue: Value) -> St {
    St(
        json!({"mainsnak": snak(p, datavalue), "type": "statement", "rank": "normal",
              "id": format!("{owner}${p}")}),
    )
}

fn to(owner: &str, p: &str, target: &str) -> St {
    st(owner, p, item_value(target))
}

impl St {
    fn qualifier(mut self, p: &str, datavalue: Value) -> St {
        let q = self
            .0
            .as_object_mut()
            .unwrap()
            .entry("qualifiers")
            .or_insert(json!({}));
        let list = q.as_object_mut().unwrap().entry(p).or_insert(json!([]));
        list.as_array_mut().unwrap().push(snak(p, datavalue));
        self
    }
    fn reference(mut self, hash: Option<&str>, snaks: &[(&str, Value)]) -> St {
        let mut m = serde_json::Map::new();
        for (p, dv) in snaks {
            m.entry(p.to_string())
                .or_insert(json!([]))
                .as_array_mut()
                .unwrap()
                .push(snak(p, dv.clone()));
        }
        let mut r = json!({"snaks": m});
        if let Some(h) = hash {
            r["hash"] = json!(h);
        }
        let refs = self
            .0
            .as_object_mut()
            .unwrap()
            .entry("references")
            .or_insert(json!([]));
        refs.as_array_mut().unwrap().push(r);
        self
    }
    fn rank(mut self, r: &str) -> St {
        self.0["rank"] = json!(r);
        self
    }
    fn id(mut self, id: &str) -> St {
        self.0["id"] = json!(id);
        self
    }
}

fn entity(q: &str, labels: &[(&str, &str)], aliases: &[(&str, &[&str])], claims: Vec<St>) -> Value {
    let labels: serde_json::Map<String, Value> = labels
        .iter()
        .map(|(l, v)| (l.to_string(), json!({"language": l, "value": v})))
        .collect();
    let aliases: serde_json::Map<String, Value> = aliases
        .iter()
        .map(|(l, vs)| {
            let list: Vec<Value> = vs
                .iter()
                .map(|v| json!({"language": l, "value": v}))
                .collect();
            (l.to_string(), Value::Array(list))
        })
        .collect();
    let mut c = serde_json::Map::new();
    for s in claims {
        let p = s.0["mainsnak"]["property"].as_str().unwrap().to_string();
        c.entry(p)
            .or_insert(json!([]))
            .as_array_mut()
            .unwrap()
            .push(s.0);
    }
    json!({"type": "item", "id": q, "labels": labels, "aliases": aliases, "claims": c})
}

fn item(q: &str, en: &str, claims: Vec<St>) -> Value {
    entity(q, &[("en", en)], &[], claims)
}

/// The dump format: `[`, the entities one a line with a comma after each but the last, `]`.
/// Entity `i` (from 0) is on line `i + 2`.
fn dump(entities: &[Value]) -> String {
    let lines: Vec<String> = entities.iter().map(Value::to_string).collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

fn run(entities: &[Value]) -> Import {
    import(dump(entities).as_bytes(), &Options::default()).unwrap()
}

/// Every edge as (kind, from, to, note).
fn edges(imp: &Import) -> Vec<(EdgeKind, String, String, String)> {
    imp.graph
        .edges()
        .into_iter()
        .map(|(_, e)| (e.kind, e.from.clone(), e.to.clone(), e.note.clone()))
        .collect()
}

fn unmapped(imp: &Import) -> Vec<String> {
    imp.unmapped.iter().map(|u| u.to_string()).collect()
}

fn e(kind: EdgeKind, from: &str, to: &str, note: &str) -> (EdgeKind, String, String, String) {
    (kind, from.to_string(), to.to_string(), note.to_string())
}

#[test]
fn every_lineage_property_gives_its_edge_in_its_direction() {
    let imp = run(&[
        item("Q90001", "Parent", vec![]),
        item("Q90002", "Breakaway", vec![to("Q90002", "P807", "Q90001")]),
        item("Q90003", "Absorbed", vec![to("Q90003", "P7888", "Q90004")]),
        item("Q90004", "Absorber", vec![]),
        item("Q90005", "Old form", vec![to("Q90005", "P1366", "Q90006")]),
        item("Q90006", "New form", vec![]),
        item("Q90007", "Before", vec![to("Q90007", "P156", "Q90008")]),
        item("Q90008", "After", vec![]),
        item("Q90009", "Replaced", vec![]),
        item("Q90010", "Replacer", vec![to("Q90010", "P1365", "Q90009")]),
        item("Q90011", "Followed", vec![]),
        item("Q90012", "Follower", vec![to("Q90012", "P155", "Q90011")]),
    ]);
    assert_eq!(
        (imp.entities, imp.edges, imp.graph.node_count()),
        (12, 6, 12)
    );
    let unstated = "; the kind of succession is not stated";
    assert_eq!(
        edges(&imp),
        vec![
            e(
                EdgeKind::Split,
                "q90001",
                "q90002",
                "Wikidata P807 separated from"
            ),
            e(
                EdgeKind::Merger,
                "q90003",
                "q90004",
                "Wikidata P7888 merged into"
            ),
            e(
                EdgeKind::Reorganisation,
                "q90005",
                "q90006",
                &format!("Wikidata P1366 replaced by{unstated}")
            ),
            e(
                EdgeKind::Reorganisation,
                "q90007",
                "q90008",
                &format!("Wikidata P156 followed by{unstated}")
            ),
            e(
                EdgeKind::Reorganisation,
                "q90009",
                "q90010",
                &format!("Wikidata P1365 replaces{unstated}")
            ),
            e(
                EdgeKind::Reorganisation,
                "q90011",
                "q90012",
                &format!("Wikidata P155 follows{unstated}")
            ),
        ]
    );
    // undated, citing the item whose statement it is
    let (_, split) = imp.graph.edges()[0];
    assert!(split.date.is_empty());
    assert_eq!(split.sources, vec!["wikidata-q90002"]);
    assert!(imp.unmapped.is_empty(), "{:?}", unmapped(&imp));
    // every node: its source, its external id
    let n = imp.graph.node("q90001").unwrap();
    assert_eq!((n.kind, n.name.as_str()), (NodeKind::Party, "Parent"));
    assert_eq!(n.sources, vec!["wikidata-q90001"]);
    let x = &n.external_ids[0];
    assert_eq!(
        (x.scheme.as_str(), x.id.as_str(), x.covers),
        ("wikidata", "Q90001", lineage::Covers::Era)
    );
    assert_eq!(x.sources, vec!["wikidata-q90001"]);
    let s = imp.graph.source("wikidata-q90001").unwrap();
    assert_eq!(
        (s.title.as_str(), s.url.as_str(), s.publisher.as_str()),
        (
            "Wikidata item Q90001: Parent",
            "https://www.wikidata.org/wiki/Q90001",
            "Wikidata"
        )
    );
}

/// An edge's kind, `from -> to`, and its claims as (date, note).
type Dated = (EdgeKind, String, Vec<(String, String)>);

#[test]
fn dates_of_every_precision_and_the_ones_that_cannot_be_said() {
    let imp = run(&[
        item(
            "Q90001",
            "Alpha",
            vec![
                st("Q90001", "P571", time("+1991-05-12T00:00:00Z", 11)),
                st("Q90001", "P576", time("+2005-03-00T00:00:00Z", 10)).id("Q90001$end"),
                st("Q90001", "P576", time("+1800-00-00T00:00:00Z", 7)).id("Q90001$century"),
            ],
        ),
        item(
            "Q90002",
            "Beta",
            vec![
                st("Q90002", "P571", time("+1990-00-00T00:00:00Z", 8)),
                st(
                    "Q90002",
                    "P576",
                    time_in("+1917-10-25T00:00:00Z", 11, JULIAN),
                ),
                to("Q90002", "P807", "Q90001")
                    .qualifier("P580", time("+1999-00-00T00:00:00Z", 9))
                    .qualifier("P582", time("+2001-00-00T00:00:00Z", 9)),
            ],
        ),
        item(
            "Q90003",
            "Gamma",
            vec![
                to("Q90003", "P7888", "Q90004")
                    .qualifier("P582", time("+2004-06-00T00:00:00Z", 10)),
                to("Q90003", "P155", "Q90002").qualifier("P585", time("+1995-00-00T00:00:00Z", 8)),
            ],
        ),
        item("Q90004", "Delta", vec![]),
    ]);
    let a = imp.graph.node("q90001").unwrap();
    let texts = |cs: &[lineage::Claim]| -> Vec<(String, String)> {
        cs.iter()
            .map(|c| (c.date.as_str().to_string(), c.note.clone()))
            .collect()
    };
    assert_eq!(
        texts(&a.founded),
        vec![("1991-05-12".into(), "Wikidata P571 inception".into())]
    );
    assert_eq!(
        texts(&a.ended),
        vec![(
            "2005-03".into(),
            "Wikidata P576 dissolved, abolished or demolished date".into()
        )]
    );
    assert_eq!(a.founded[0].sources, vec!["wikidata-q90001"]);
    let b = imp.graph.node("q90002").unwrap();
    assert_eq!(
        texts(&b.founded),
        vec![("1990s".into(), "Wikidata P571 inception".into())]
    );
    assert!(b.ended.is_empty());
    let dated: Vec<Dated> = imp
        .graph
        .edges()
        .into_iter()
        .map(|(_, e)| (e.kind, format!("{} -> {}", e.from, e.to), texts(&e.date)))
        .collect();
    assert_eq!(
        dated,
        vec![
            (
                EdgeKind::Split,
                "q90001 -> q90002".into(),
                vec![("1999".into(), "Wikidata P580 start time".into())]
            ),
            (
                EdgeKind::Merger,
                "q90003 -> q90004".into(),
                vec![("2004-06".into(), "Wikidata P582 end time".into())]
            ),
            (
                EdgeKind::Reorganisation,
                "q90002 -> q90003".into(),
                vec![("1990s".into(), String::new())]
            ),
        ]
    );
    assert_eq!(
        unmapped(&imp),
        vec![
            "line 2: Q90001 P576 (Q90001$century): P576 dissolved, abolished or demolished +1800-00-00T00:00:00Z: precision 7 (century): only day, month, year and decade precision are imported",
            "line 3: Q90002 P576 (Q90002$P576): P576 dissolved, abolished or demolished +1917-10-25T00:00:00Z: calendar \"Q1985786\" is not the Gregorian calendar (Q1985727)",
            "line 3: Q90002 P807 (Q90002$P807): P582 end time not used: the statement is dated by its P580 start time",
        ]
    );
}

#[test]
fn references_become_sources() {
    let hash_a = "0123456789abcdef0123456789abcdef01234567";
    let hash_b = "fedcba9876543210fedcba9876543210fedcba98";
    let imp = run(&[
        item(
            "Q90001",
            "Alpha",
            vec![st("Q90001", "P571", time("+1991-00-00T00:00:00Z", 9)).reference(
                Some(hash_a),
                &[
                    ("P854", string("https://example.org/alpha")),
                    ("P1476", json!({"value": {"text": "Alpha founded", "language": "en"}, "type": "monolingualtext"})),
                    ("P813", time("+2024-01-15T00:00:00Z", 11)),
                ],
            )],
        ),
        item(
            "Q90002",
            "Beta",
            vec![
                to("Q90002", "P807", "Q90001")
                    .reference(Some(hash_b), &[("P248", item_value("Q90099"))])
                    .reference(None, &[("P854", string("https://example.org/beta"))])
                    .reference(Some(hash_a), &[]),
            ],
        ),
    ]);
    let a = imp.graph.source("wikidata-ref-0123456789ab").unwrap();
    assert_eq!(
        (a.title.as_str(), a.url.as_str(), a.date.as_str()),
        ("Alpha founded", "https://example.org/alpha", "2024-01-15")
    );
    assert_eq!(a.note, format!("Wikidata reference {hash_a}"));
    let b = imp.graph.source("wikidata-ref-fedcba987654").unwrap();
    assert_eq!((b.title.as_str(), b.url.as_str()), ("stated in Q90099", ""));
    let founded = &imp.graph.node("q90001").unwrap().founded[0];
    assert_eq!(
        founded.sources,
        vec!["wikidata-q90001", "wikidata-ref-0123456789ab"]
    );
    let (_, split) = imp.graph.edges()[0];
    // the reference with no hash: an id from the FNV-1a hash of its snaks, titled by its URL
    assert_eq!(split.sources.len(), 4);
    assert_eq!(
        &split.sources[..2],
        ["wikidata-q90002", "wikidata-ref-fedcba987654"]
    );
    assert_eq!(split.sources[3], "wikidata-ref-0123456789ab");
    let fnv = &split.sources[2];
    assert!(
        fnv.starts_with("wikidata-ref-") && fnv.len() == "wikidata-ref-".len() + 12,
        "{fnv}"
    );
    let c = imp.graph.source(fnv).unwrap();
    assert_eq!(
        (c.title.as_str(), c.url.as_str()),
        ("https://example.org/beta", "https://example.org/beta")
    );
    // the same input gives the same id
    let again = run(&[
        item("Q90001", "Alpha", vec![]),
        item(
            "Q90002",
            "Beta",
            vec![
                to("Q90002", "P807", "Q90001")
                    .reference(None, &[("P854", string("https://example.org/beta"))]),
            ],
        ),
    ]);
    assert!(again.graph.source(fnv).is_some());
}

#[test]
fn what_is_not_a_lineage_fact_is_listed_with_its_reason() {
    let imp = run(&[
        entity(
            "Q90001",
            &[("en", "Alpha")],
            &[],
            vec![
                to("Q90001", "P156", "Q90002").rank("deprecated"),
                to("Q90001", "P155", "Q99999"),
                to("Q90001", "P807", "Q90001"),
                to("Q90001", "P31", "Q7278"),
                to("Q90001", "P31", "Q2"),
                st("Q90001", "P1366", string("not an item")),
            ],
        ),
        json!({"type": "property", "id": "P9001", "datatype": "string", "labels": {}}),
        entity(
            "Q90002",
            &[("en", "Beta")],
            &[],
            vec![to("Q90002", "P31", "Q7278"), to("Q90002", "P17", "Q232")],
        ),
        {
            let mut s = to("Q90003", "P7888", "Q90001");
            s.0["mainsnak"] = json!({"snaktype": "somevalue", "property": "P7888"});
            entity(
                "Q90003",
                &[("en", "Gamma")],
                &[],
                vec![to("Q90003", "P31", "Q7278"), s],
            )
        },
    ]);
    assert_eq!(imp.entities, 3);
    assert_eq!(imp.edges, 0);
    assert_eq!(
        unmapped(&imp),
        vec![
            // a JSON object's keys are sorted by serde_json's json!, so P1366 comes first
            "line 2: Q90001 P1366 (Q90001$P1366): the value is not an item (a \"string\" value)",
            "line 2: Q90001 P155 (Q90001$P155): Q99999 is not among the entities read",
            "line 2: Q90001 P156 (Q90001$P156): deprecated rank: not imported",
            "line 2: Q90001 P807 (Q90001$P807): the value is the item itself (Q90001)",
            "line 3: P9001: a \"property\" entity, not an item: skipped",
            "line 5: Q90003 P7888 (Q90003$P7888): unknown value (somevalue): not imported",
            "P17: 1 statement on 1 item: not a lineage property",
            "P31: 4 statements on 3 items: not a lineage property",
        ]
    );
}

#[test]
fn a_followed_by_and_follows_pair_is_one_edge() {
    let imp = run(&[
        item(
            "Q90001",
            "Alpha",
            vec![
                to("Q90001", "P156", "Q90002")
                    .qualifier("P585", time("+2004-00-00T00:00:00Z", 9))
                    .reference(
                        Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                        &[("P248", item_value("Q90090"))],
                    ),
                // the same statement again: its claim is not repeated
                to("Q90001", "P156", "Q90002")
                    .id("Q90001$again")
                    .qualifier("P585", time("+2004-00-00T00:00:00Z", 9))
                    .reference(
                        Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                        &[("P248", item_value("Q90090"))],
                    ),
            ],
        ),
        item(
            "Q90002",
            "Beta",
            vec![
                to("Q90002", "P155", "Q90001").qualifier("P585", time("+2004-00-00T00:00:00Z", 9)),
            ],
        ),
    ]);
    assert_eq!(imp.edges, 1);
    let (_, e) = imp.graph.edges()[0];
    assert_eq!(
        (e.kind, e.from.as_str(), e.to.as_str()),
        (EdgeKind::Reorganisation, "q90001", "q90002")
    );
    assert_eq!(
        e.note,
        "Wikidata P156 followed by, P155 follows; the kind of succession is not stated"
    );
    assert_eq!(
        e.sources,
        vec![
            "wikidata-q90001",
            "wikidata-ref-aaaaaaaaaaaa",
            "wikidata-q90002"
        ]
    );
    let claims: Vec<(&str, Vec<String>)> = e
        .date
        .iter()
        .map(|c| (c.date.as_str(), c.sources.clone()))
        .collect();
    assert_eq!(
        claims,
        vec![
            (
                "2004",
                vec![
                    "wikidata-q90001".to_string(),
                    "wikidata-ref-aaaaaaaaaaaa".to_string()
                ]
            ),
            ("2004", vec!["wikidata-q90002".to_string()]),
        ]
    );
    assert!(imp.unmapped.is_empty(), "{:?}", unmapped(&imp));
}

#[test]
fn labels_and_aliases_in_several_scripts_are_names() {
    let imp = run(&[entity(
        "Q90001",
        &[
            ("ru", "Аманат"),
            ("kk", "Аманат партиясы"),
            ("en", "Amanat"),
            ("de", "Amanat-Partei"),
        ],
        &[
            ("ru", &["Нур Отан", "Партия Аманат"]),
            ("en", &["Nur Otan", "AMANAT"]),
            ("kk", &["Nur Otan partııasy"]),
        ],
        vec![],
    )]);
    let n = imp.graph.node("q90001").unwrap();
    assert_eq!(n.name, "Amanat");
    // other labels by language code, then aliases by language code; every script's spelling
    // is kept, and only "AMANAT" (the name in capitals) is dropped
    assert_eq!(
        n.aliases,
        vec![
            "Amanat-Partei",
            "Аманат партиясы",
            "Аманат",
            "Nur Otan",
            "Nur Otan partııasy",
            "Нур Отан",
            "Партия Аманат"
        ]
    );
    let db = imp.graph.freeze().unwrap();
    for name in [
        "Amanat",
        "Аманат",
        "Аманат партиясы",
        "Нур Отан",
        "Nur Otan",
        "Партия Аманат",
        "Amanat-Partei",
    ] {
        assert_eq!(db.id(db.resolve(name).unwrap()), "q90001", "{name}");
    }
}

#[test]
fn a_human_is_a_person_and_edges_validation_refuses_are_listed() {
    let imp = run(&[
        item("Q90001", "Party", vec![]),
        item(
            "Q90002",
            "A. Person",
            vec![to("Q90002", "P31", "Q5"), to("Q90002", "P807", "Q90001")],
        ),
        item("Q90003", "First", vec![to("Q90003", "P156", "Q90004")]),
        item("Q90004", "Second", vec![to("Q90004", "P156", "Q90003")]),
        item(
            "Q90005",
            "Short-lived",
            vec![
                st("Q90005", "P571", time("+1995-00-00T00:00:00Z", 9)),
                st("Q90005", "P576", time("+1990-00-00T00:00:00Z", 9)),
                to("Q90005", "P7888", "Q90001").qualifier("P585", time("+1980-00-00T00:00:00Z", 9)),
            ],
        ),
    ]);
    assert_eq!(imp.graph.node("q90002").unwrap().kind, NodeKind::Person);
    assert_eq!(imp.graph.node("q90001").unwrap().kind, NodeKind::Party);
    let n = imp.graph.node("q90005").unwrap();
    assert_eq!((n.founded.len(), n.ended.len()), (1, 0));
    assert_eq!(
        edges(&imp),
        vec![
            e(
                EdgeKind::Merger,
                "q90005",
                "q90001",
                "Wikidata P7888 merged into"
            ),
            e(
                EdgeKind::Reorganisation,
                "q90003",
                "q90004",
                "Wikidata P156 followed by; the kind of succession is not stated"
            ),
        ]
    );
    assert!(imp.graph.edges()[0].1.date.is_empty());
    assert_eq!(
        unmapped(&imp),
        vec![
            "line 3: Q90002 P807 (Q90002$P807): the split edge q90001 -> q90002 is refused by validation: a split edge cannot end at a person (q90002)",
            "line 5: Q90004 P156 (Q90004$P156): the reorganisation edge q90004 -> q90003 is refused by validation: lineage cycle: q90004 already descends from q90003",
            "line 6: Q90005 P576 (Q90005$P576): the date 1990 is refused by validation: q90005 ends (1990) before it starts (1995)",
            "line 6: Q90005 P7888 (Q90005$P7888): the date 1980 is refused by validation: dated 1980, before q90005 existed (1995–)",
            "P31: 1 statement on 1 item: not a lineage property",
        ]
    );
}

#[test]
fn the_ron_loads_back_and_answers_an_ancestors_query() {
    let imp = run(&[
        item(
            "Q90001",
            "Otan",
            vec![st("Q90001", "P571", time("+1999-02-00T00:00:00Z", 10))],
        ),
        item(
            "Q90002",
            "Civic Party",
            vec![to("Q90002", "P7888", "Q90001")],
        ),
        item(
            "Q90003",
            "Nur Otan",
            vec![
                to("Q90003", "P1365", "Q90001")
                    .qualifier("P585", time("+2006-12-22T00:00:00Z", 11)),
            ],
        ),
        item(
            "Q90004",
            "Amanat",
            vec![to("Q90004", "P155", "Q90003"), to("Q90004", "P17", "Q232")],
        ),
        item("Q90005", "Ak Zhol", vec![to("Q90005", "P155", "Q99999")]),
    ]);
    let ron = imp.to_ron();
    assert!(
        ron.starts_with("// Imported from Wikidata entity JSON"),
        "{ron}"
    );
    assert!(
        ron.contains(
            "// line 6: Q90005 P155 (Q90005$P155): Q99999 is not among the entities read\n"
        )
    );
    assert!(ron.contains("// P17: 1 statement on 1 item: not a lineage property\n"));
    let g = lineage::load::load_str("imported.ron", &ron).unwrap();
    assert_eq!(
        (g.node_count(), g.edge_count()),
        (imp.graph.node_count(), imp.graph.edge_count())
    );
    assert_eq!((g.node_count(), g.edge_count()), (5, 3));
    assert!(g.validate().is_empty());
    let db = g.freeze().unwrap();
    let amanat = db.resolve("Amanat").unwrap();
    let anc = lineage::query::closure(
        &db,
        amanat,
        lineage::query::Direction::Ancestors,
        &Default::default(),
    );
    let got: Vec<(&str, u32)> = anc.hits.iter().map(|h| (db.id(h.node), h.depth)).collect();
    assert_eq!(got, vec![("q90003", 1), ("q90001", 2), ("q90002", 3)]);
}

#[test]
fn plain_json_lines_and_blank_lines_are_read() {
    let text = format!(
        "\n{}\n\n{}\n",
        item("Q90001", "Alpha", vec![]),
        item("Q90002", "Beta", vec![to("Q90002", "P807", "Q90001")])
    );
    let imp = import(
        text.as_bytes(),
        &Options {
            kind: NodeKind::Movement,
        },
    )
    .unwrap();
    assert_eq!((imp.entities, imp.edges), (2, 1));
    assert_eq!(imp.graph.node("q90001").unwrap().kind, NodeKind::Movement);
}

#[test]
fn a_malformed_line_is_an_error_naming_it() {
    let good = item("Q90001", "Alpha", vec![]).to_string();
    let text = format!("[\n{good},\n{{\"type\": \"item\", \"id\": \"Q90002\",,}},\n]\n");
    let err = import(text.as_bytes(), &Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::Json { line: 3, .. }), "{err:?}");
    let msg = err.to_string();
    assert_eq!(
        msg,
        "line 3, column 33: malformed JSON: key must be a string"
    );
    // valid JSON that is not an entity
    for (bad, want) in [
        (
            "{\"labels\": {}}",
            "line 2: not a Wikidata entity: missing field `type`",
        ),
        (
            "42",
            "line 2: not a Wikidata entity: expected one entity (a JSON object) per line, as in Wikidata's dumps",
        ),
        (
            "{\"type\": \"item\", \"id\": \"X1\"}",
            "line 2: not a Wikidata entity: the item id \"X1\" is not a Wikidata item id (Q123)",
        ),
        (
            "{\"type\": \"item\", \"id\": \"Q1\", \"labels\": {\"en\": 3}}",
            "line 2: not a Wikidata entity: invalid type: integer `3`, expected struct Text",
        ),
    ] {
        let err = import(format!("[\n{bad}\n]").as_bytes(), &Options::default()).unwrap_err();
        assert_eq!(err.to_string(), want);
    }
    let err = import(&b"[\n{\"type\": \"item\xff\"}\n"[..], &Options::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::NotUtf8 {
                line: 2,
                column: 15
            }
        ),
        "{err:?}"
    );
}

#[test]
fn an_over_long_line_is_an_error_not_a_panic() {
    let mut text =
        String::from("[\n{\"type\": \"item\", \"id\": \"Q1\", \"labels\": {\"en\": {\"value\": \"");
    text.push_str(&"x".repeat(17 << 20));
    text.push_str("\"}}},\n]\n");
    let err = import(text.as_bytes(), &Options::default()).unwrap_err();
    assert!(
        matches!(
            err,
            ImportError::LineTooLong {
                line: 2,
                limit: MAX_LINE_BYTES
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("line 2: longer than {MAX_LINE_BYTES} bytes, the longest line read")
    );
}

#[test]
fn control_characters_do_not_reach_the_names_or_the_comments() {
    let imp = run(&[
        entity(
            "Q90001",
            &[("en", "Red \u{1b}[31mParty"), ("ru", "Красная партия")],
            &[],
            vec![],
        ),
        entity(
            "Q90002",
            &[("en", "\u{1b}]0;pwned\u{7}")],
            &[],
            vec![to("Q90002", "P807", "Q90001").id("Q90002$x\n(fake: \"record\")\u{1b}[2J")],
        ),
    ]);
    assert_eq!(imp.graph.node("q90001").unwrap().name, "Красная партия");
    assert_eq!(imp.graph.node("q90002").unwrap().name, "Q90002");
    assert_eq!(
        unmapped(&imp),
        vec![
            "line 2: Q90001: label (en) \"Red \\u{1b}[31mParty\": holds the control character U+001B; not imported as a name",
            "line 3: Q90002: label (en) \"\\u{1b}]0;pwned\\u{7}\": holds the control character U+001B; not imported as a name",
            "line 3: Q90002: no usable label: the node is named Q90002",
        ]
    );
    // a statement id with a line break and escapes, listed once the edge is refused: no raw
    // control character anywhere, and every line before the RON is a comment
    let imp = run(&[
        entity(
            "Q90001",
            &[("en", "Alpha")],
            &[],
            vec![to("Q90001", "P156", "Q90002")],
        ),
        entity(
            "Q90002",
            &[("en", "Beta")],
            &[],
            vec![to("Q90002", "P156", "Q90001").id("Q90002$x\n(fake)\u{1b}[2J")],
        ),
    ]);
    let ron = imp.to_ron();
    assert!(!ron.chars().any(|c| c.is_control() && c != '\n'), "{ron:?}");
    // the comments, then the RON (which opens with its extensions line)
    let comments: Vec<&str> = ron.lines().take_while(|l| l.starts_with("// ")).collect();
    assert_eq!(comments.len(), 3, "{comments:?}");
    assert_eq!(ron.lines().nth(3), Some("#![enable(implicit_some)]"));
    assert!(
        comments[2].contains("(Q90002$x\\u{a}(fake)\\u{1b}[2J): the reorganisation edge"),
        "{}",
        comments[2]
    );
    let g = lineage::load::load_str("imported.ron", &ron).unwrap();
    assert_eq!((g.node_count(), g.edge_count()), (2, 1));
}

#[test]
fn items_sharing_a_name_mark_it_shared_and_a_repeated_item_is_skipped() {
    let a = item("Q90001", "Respublika", vec![]);
    let b = entity(
        "Q90002",
        &[("en", "Respublika"), ("ru", "Республика (партия)")],
        &[],
        vec![],
    );
    let again = item("Q90001", "Respublika again", vec![]);
    let text = format!("\u{feff}[\n{a},\n{b},\n{again}\n]\n");
    let imp = import(text.as_bytes(), &Options::default()).unwrap();
    assert_eq!((imp.entities, imp.graph.node_count()), (2, 2));
    for id in ["q90001", "q90002"] {
        assert_eq!(imp.graph.node(id).unwrap().shared_names, vec!["Respublika"]);
    }
    assert_eq!(
        unmapped(&imp),
        vec!["line 4: Q90001: the item appears again (first at line 2): skipped"]
    );
    let g = lineage::load::load_str("imported.ron", &imp.to_ron()).unwrap();
    let db = g.freeze().unwrap();
    assert!(matches!(
        db.resolve("Respublika"),
        Err(lineage::Error::Ambiguous { .. })
    ));
}

/// A valid dump with every kind of statement, for the mutation test.
fn rich_dump() -> String {
    dump(&[
        entity(
            "Q90001",
            &[("en", "Otan"), ("ru", "Отан")],
            &[("kk", &["Отан партиясы"])],
            vec![
                st("Q90001", "P571", time("+1999-02-00T00:00:00Z", 10)).reference(
                    Some("0123456789abcdef0123456789abcdef01234567"),
                    &[("P854", string("https://example.org/otan"))],
                ),
                st("Q90001", "P576", time("+2006-12-22T00:00:00Z", 11)),
                to("Q90001", "P31", "Q7278"),
            ],
        ),
        item(
            "Q90002",
            "Civic Party",
            vec![
                to("Q90002", "P7888", "Q90001")
                    .qualifier("P585", time("+2006-11-10T00:00:00Z", 11)),
            ],
        ),
        item(
            "Q90003",
            "Nur Otan",
            vec![
                to("Q90003", "P1365", "Q90001"),
                to("Q90003", "P155", "Q90001"),
            ],
        ),
        item(
            "Q90004",
            "Leader",
            vec![to("Q90004", "P31", "Q5"), to("Q90004", "P807", "Q90003")],
        ),
    ])
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(300))]

    /// Bytes deleted, replaced or inserted anywhere in a valid dump: the import never panics,
    /// and whatever it imports loads back with the same counts.
    #[test]
    fn a_damaged_dump_never_panics_and_what_imports_loads_back(
        edits in proptest::collection::vec((0usize..4000, proptest::prelude::any::<u8>(), 0u8..3), 1..6)
    ) {
        let mut bytes = rich_dump().into_bytes();
        for (at, b, op) in edits {
            let at = at % (bytes.len() + 1);
            match op {
                0 if at < bytes.len() => { bytes.remove(at); }
                1 if at < bytes.len() => bytes[at] = b,
                _ => bytes.insert(at, b),
            }
        }
        if let Ok(imp) = import(&bytes[..], &Options::default()) {
            let g = lineage::load::load_str("imported.ron", &imp.to_ron())
                .unwrap_or_else(|e| panic!("{e}\n{}", imp.to_ron()));
            proptest::prop_assert_eq!((g.node_count(), g.edge_count()), (imp.graph.node_count(), imp.edges));
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(300))]

    /// Any text in labels, aliases, statement ids, reference hashes, titles and URLs: valid JSON
    /// entities always import, and what they import loads back.
    #[test]
    fn any_text_in_names_and_references_imports_and_loads_back(
        texts in proptest::collection::vec(proptest::prelude::any::<String>(), 8),
        langs in proptest::collection::vec("[a-z]{2}|.{0,4}", 2),
    ) {
        let title = json!({"value": {"text": texts[4], "language": "en"}, "type": "monolingualtext"});
        let a = entity(
            "Q90001",
            &[("en", &texts[0]), (&langs[0], &texts[1])],
            &[(&langs[1], &[&texts[2], &texts[3]])],
            vec![st("Q90001", "P571", time("+1999-00-00T00:00:00Z", 9))
                .id(&texts[5])
                .reference(Some(&texts[6]), &[("P1476", title), ("P854", string(&texts[7]))])],
        );
        let b = entity(
            "Q90002",
            &[("en", &texts[1]), ("ru", &texts[0])],
            &[("en", &[&texts[3]])],
            vec![to("Q90002", "P807", "Q90001").reference(None, &[("P854", string(&texts[7]))])],
        );
        let imp = run(&[a, b]);
        let ron = imp.to_ron();
        proptest::prop_assert!(!ron.chars().any(|c| lineage::names::is_hidden_control(c) && c != '\n'));
        let g = lineage::load::load_str("imported.ron", &ron)
            .unwrap_or_else(|e| panic!("{e}\n{ron}"));
        proptest::prop_assert_eq!((g.node_count(), g.edge_count()), (2, imp.edges));
    }
}
