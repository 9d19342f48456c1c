//! Round trips on random graphs with arbitrary text (any Unicode, quotes, backslashes, control
//! characters, RON syntax) and dates in every documented form:
//! graph → RON → graph and graph → snapshot → graph are the identity, and encoding is
//! deterministic. 1,000 cases each per run (`PROPTEST_CASES` overrides).

use std::path::Path;

use lineage::{Claim, DateSpec, Db, Edge, EdgeKind, Graph, Node, NodeKind, Source};
use lineage::{Event, EventKind, Term};
use proptest::prelude::*;

/// Text that stresses the RON writer: arbitrary Unicode mixed with RON and escape syntax, less
/// the control characters and bidirectional overrides that validation refuses in every string
/// (tests/hostile_text.rs checks that refusal and how output shows them).
fn text() -> BoxedStrategy<String> {
    let allowed = |s: String| -> String {
        s.chars()
            .filter(|c| !lineage::names::is_hidden_control(*c))
            .collect()
    };
    prop_oneof![
        3 => any::<String>(),
        2 => proptest::collection::vec(
            prop_oneof![
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("r#\"".to_string()),
                Just("\"#".to_string()),
                Just("\n".to_string()),
                Just("\r\n".to_string()),
                Just("\t".to_string()),
                Just("/*".to_string()),
                Just("//".to_string()),
                Just("),".to_string()),
                Just("\u{7f}\u{1b}\u{200b}\u{feff}".to_string()),
                Just("Қазақстан".to_string()),
                Just("👍🏽".to_string()),
                "[a-zA-Z0-9 ]{0,6}",
            ],
            0..8,
        )
        .prop_map(|v| v.concat()),
    ]
    .prop_map(allowed)
    .boxed()
}

/// A date string in one of the documented forms (some of which the parser refuses).
fn date_text() -> BoxedStrategy<String> {
    let year = 1000u32..2100;
    let plain = prop_oneof![
        year.clone().prop_map(|y| format!("{y}")),
        (year.clone(), 1u32..13).prop_map(|(y, m)| format!("{y}-{m:02}")),
        (year.clone(), 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        (100u32..210).prop_map(|d| format!("{}s", d * 10)),
    ]
    .boxed();
    let qualifier = prop_oneof![
        Just("early"),
        Just("mid"),
        Just("late"),
        Just("spring"),
        Just("summer"),
        Just("autumn"),
        Just("fall"),
        Just("mid-year"),
    ];
    let approx = prop_oneof![
        Just("about"),
        Just("c."),
        Just("circa"),
        Just("ca."),
        Just("approximately")
    ];
    prop_oneof![
        3 => plain.clone(),
        1 => (qualifier, year.clone()).prop_map(|(q, y)| format!("{q} {y}")),
        1 => (prop_oneof![Just("early"), Just("mid"), Just("late")], year.clone(), 1u32..13)
            .prop_map(|(q, y, m)| format!("{q} {y}-{m:02}")),
        1 => (approx, plain.clone()).prop_map(|(a, p)| format!("{a} {p}")),
        1 => (prop_oneof![Just("before"), Just("after")], plain.clone()).prop_map(|(w, p)| format!("{w} {p}")),
        1 => (plain.clone(), plain.clone(), any::<bool>()).prop_map(|(a, b, dots)| {
            if dots { format!("{a}..{b}") } else { format!("{a} to {b}") }
        }),
        1 => (plain.clone(), "[ \t]{1,3}", any::<bool>()).prop_map(|(p, ws, up)| {
            let s = format!("{ws}{p}{ws}");
            if up { s.to_uppercase() } else { s }
        }),
    ]
    .boxed()
}

fn date() -> BoxedStrategy<DateSpec> {
    date_text()
        .prop_filter_map("the parser refuses it", |s| DateSpec::parse(&s).ok())
        .boxed()
}

fn claim(sources: usize) -> BoxedStrategy<Claim> {
    (date(), proptest::collection::vec(0..sources, 1..3), text())
        .prop_map(|(date, s, note)| Claim {
            date,
            sources: s.into_iter().map(|i| format!("src-{i}")).collect(),
            note,
        })
        .boxed()
}

/// A node: (kind, name, aliases, founded, ended, events, note).
type NodeSpec = (
    u8,
    String,
    Vec<String>,
    Vec<Claim>,
    Vec<Claim>,
    Vec<(u8, Claim)>,
    String,
);
/// An edge: (kind, from, to, dates, role, term, note).
type EdgeSpec = (
    u8,
    u8,
    u8,
    Vec<Claim>,
    String,
    Option<(Option<DateSpec>, Option<DateSpec>)>,
    String,
);

#[derive(Debug, Clone)]
struct Spec {
    sources: Vec<(String, [String; 6])>,
    nodes: Vec<NodeSpec>,
    edges: Vec<EdgeSpec>,
}

fn spec() -> BoxedStrategy<Spec> {
    let sources = proptest::collection::vec(
        (text(), [text(), text(), text(), text(), text(), text()]),
        1..4,
    );
    sources
        .prop_flat_map(|sources| {
            let n = sources.len();
            let nodes = proptest::collection::vec(
                (
                    any::<u8>(),
                    text(),
                    proptest::collection::vec(text(), 0..3),
                    proptest::collection::vec(claim(n), 0..2),
                    proptest::collection::vec(claim(n), 0..2),
                    proptest::collection::vec((any::<u8>(), claim(n)), 0..2),
                    text(),
                )
                    .boxed(),
                1..7,
            );
            let edges = proptest::collection::vec(
                (
                    any::<u8>(),
                    any::<u8>(),
                    any::<u8>(),
                    proptest::collection::vec(claim(n), 0..2),
                    text(),
                    proptest::option::of((
                        proptest::option::of(date()),
                        proptest::option::of(date()),
                    )),
                    text(),
                )
                    .boxed(),
                0..10,
            );
            (Just(sources), nodes, edges)
                .prop_map(|(sources, nodes, edges)| Spec {
                    sources,
                    nodes,
                    edges,
                })
                .boxed()
        })
        .boxed()
}

const EVENTS: [EventKind; 11] = [
    EventKind::FoundingCongress,
    EventKind::Congress,
    EventKind::Registration,
    EventKind::RegistrationRefused,
    EventKind::Reregistration,
    EventKind::Ban,
    EventKind::Liquidation,
    EventKind::Suspension,
    EventKind::Election,
    EventKind::Announcement,
    EventKind::Other,
];

/// Builds the graph through the checked API; what the checks refuse is left out.
fn build(s: &Spec) -> Graph {
    let mut g = Graph::new();
    for (i, (title, f)) in s.sources.iter().enumerate() {
        let t = if title.trim().is_empty() {
            format!("Title {i}")
        } else {
            title.clone()
        };
        g.add_source(Source {
            id: format!("src-{i}"),
            title: t,
            publisher: f[0].clone(),
            author: f[1].clone(),
            date: f[2].clone(),
            url: f[3].clone(),
            seed: f[4].clone(),
            note: f[5].clone(),
        })
        .unwrap();
    }
    for (i, (kind, name, aliases, founded, ended, events, note)) in s.nodes.iter().enumerate() {
        // a suffix keeps every name and alias non-empty and distinct after folding
        let mut n = Node::new(
            &format!("n{i}"),
            NodeKind::ALL[*kind as usize % 5],
            &format!("{name} q{i}x"),
            "src-0",
        );
        n.aliases = aliases
            .iter()
            .enumerate()
            .map(|(j, a)| format!("{a} w{i}v{j}k"))
            .collect();
        n.founded = founded.clone();
        n.ended = ended.clone();
        n.events = events
            .iter()
            .map(|(k, c)| Event {
                date: c.date.clone(),
                kind: EVENTS[*k as usize % EVENTS.len()],
                note: c.note.clone(),
                sources: c.sources.clone(),
            })
            .collect();
        n.note = note.clone();
        if g.add_node(n.clone()).is_err() {
            // dates that end before they start: keep the node without them
            n.founded.clear();
            n.ended.clear();
            g.add_node(n).unwrap();
        }
    }
    let count = s.nodes.len();
    for (k, a, b, date, role, term, note) in &s.edges {
        let mut e = Edge::new(
            EdgeKind::ALL[*k as usize % EdgeKind::ALL.len()],
            &format!("n{}", *a as usize % count),
            &format!("n{}", *b as usize % count),
            "src-0",
        );
        e.date = date.clone();
        e.role = role.clone();
        e.term = term.clone().map(|(from, until)| Term { from, until });
        e.note = note.clone();
        let _ = g.add_edge(e);
    }
    assert!(g.validate().is_empty());
    g
}

fn same(a: &Graph, b: &Graph) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        a.sources().collect::<Vec<_>>(),
        b.sources().collect::<Vec<_>>()
    );
    prop_assert_eq!(a.nodes(), b.nodes());
    let ea: Vec<&Edge> = a.edges().into_iter().map(|(_, e)| e).collect();
    let eb: Vec<&Edge> = b.edges().into_iter().map(|(_, e)| e).collect();
    prop_assert_eq!(ea, eb);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn graph_to_ron_to_graph_is_identity(s in spec()) {
        let g = build(&s);
        let ron = g.to_ron();
        let back = lineage::load::load_str("roundtrip.ron", &ron)
            .map_err(|e| TestCaseError::fail(format!("saved RON does not load: {e}\n{ron}")))?;
        same(&g, &back)?;
        prop_assert_eq!(back.to_ron(), ron);
    }

    #[test]
    fn graph_to_snapshot_to_graph_is_identity(s in spec()) {
        let g = build(&s);
        let bytes = g.to_snapshot().unwrap();
        let db = Db::open_bytes(&bytes).unwrap();
        let back = db.to_graph();
        same(&g, &back)?;
        prop_assert_eq!(&back.to_snapshot().unwrap(), &bytes, "encoding is deterministic");
        prop_assert_eq!(db.as_bytes(), &bytes[..]);
    }
}

#[test]
fn dates_in_every_form_reparse_to_themselves() {
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&date_text(), |s| {
            if let Ok(d) = DateSpec::parse(&s) {
                prop_assert!(d.earliest() <= d.latest());
                prop_assert_eq!(DateSpec::parse(d.as_str()).unwrap(), d);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn files_round_trip_too() {
    let g = Graph::load(Path::new("tests/fixtures/sample.ron")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (ron, snap) = (dir.path().join("g.ron"), dir.path().join("g.snap"));
    g.save_ron(&ron).unwrap();
    g.save_snapshot(&snap).unwrap();
    let a = Graph::load(&ron).unwrap();
    let b = lineage::open(&snap).unwrap().to_graph();
    assert_eq!(a.to_ron(), g.to_ron());
    assert_eq!(b.to_ron(), g.to_ron());
    if let Ok(db) = Db::embedded() {
        // the embedded graph itself survives both trips
        let e = db.to_graph();
        let again = lineage::load::load_str("embedded.ron", &e.to_ron()).unwrap();
        assert_eq!(again.to_ron(), e.to_ron());
        assert_eq!(again.to_snapshot().unwrap(), db.as_bytes());
    }
}
