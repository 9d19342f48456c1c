//! Differential tests of the query language: random expressions over random graphs, evaluated
//! by the engine (`Db::select` on the expression's text) and by a naive reference evaluator
//! written here from the documented semantics (plain maps and breadth-first searches over the
//! graph's edge list, nothing of the engine's CSR, sets or plan). They must agree on every node
//! and on which nodes are uncertain.
//!
//! Cases: 10,000 a run (`PROPTEST_CASES` overrides), each a new graph and a new expression.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use lineage::{Claim, DateSpec, Db, Edge, EdgeKind, Graph, Node, NodeKind, Source};
use proptest::prelude::*;

const N: usize = 7;
const YEARS: [&str; 5] = ["1990", "1995", "2000", "2005", "2010"];
const NODE_DATES: [&str; 6] = ["1990", "1995", "early 2000", "2000", "1990s", "before 1995"];
const EDGE_DATES: [&str; 6] = ["1992", "1995", "2000-06", "2000", "about 2005", "2010"];
const KINDS: [EdgeKind; 6] = [
    EdgeKind::Split,
    EdgeKind::Merger,
    EdgeKind::Renaming,
    EdgeKind::Reorganisation,
    EdgeKind::Founding,
    EdgeKind::Membership,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum T {
    Maybe,
    Yes,
}

type S = BTreeMap<usize, T>;

/// The random graph: node kinds and dates, and edges (kind, from, to, date).
#[derive(Debug, Clone)]
struct G {
    kinds: Vec<NodeKind>,
    founded: Vec<Option<usize>>,
    ended: Vec<Option<usize>>,
    edges: Vec<(EdgeKind, usize, usize, Option<usize>)>,
}

fn graph() -> impl Strategy<Value = G> {
    let kind = prop_oneof![
        Just(NodeKind::Party),
        Just(NodeKind::Movement),
        Just(NodeKind::Bloc)
    ];
    (
        proptest::collection::vec(kind, N),
        proptest::collection::vec(proptest::option::weighted(0.6, 0..NODE_DATES.len()), N),
        proptest::collection::vec(proptest::option::weighted(0.25, 0..YEARS.len()), N),
        proptest::collection::vec(
            (
                0..KINDS.len(),
                0..N,
                0..N,
                proptest::option::weighted(0.6, 0..EDGE_DATES.len()),
            ),
            0..12,
        ),
    )
        .prop_map(|(kinds, founded, ended, es)| G {
            kinds,
            founded,
            ended,
            edges: es
                .into_iter()
                .map(|(k, a, b, d)| (KINDS[k], a, b, d))
                .collect(),
        })
}

fn claim(d: &str) -> Claim {
    Claim {
        date: DateSpec::parse(d).unwrap(),
        sources: vec!["s".into()],
        note: String::new(),
    }
}

/// The graph as a `Graph`; what validation refuses is left out, and the reference model is
/// told exactly what was kept.
fn build(g: &G) -> (Graph, G) {
    let mut graph = Graph::new();
    graph.add_source(Source::new("s", "A source")).unwrap();
    let mut kept = g.clone();
    kept.edges.clear();
    for i in 0..N {
        let mut n = Node::new(&format!("n{i}"), g.kinds[i], &format!("Org {i}"), "s");
        n.founded.extend(g.founded[i].map(|d| claim(NODE_DATES[d])));
        n.ended
            .extend(g.ended[i].map(|d| claim(&format!("after {}", YEARS[d]))));
        if graph.add_node(n).is_err() {
            // an end before its founding: keep the node without its end
            kept.ended[i] = None;
            let mut n = Node::new(&format!("n{i}"), g.kinds[i], &format!("Org {i}"), "s");
            n.founded.extend(g.founded[i].map(|d| claim(NODE_DATES[d])));
            graph.add_node(n).unwrap();
        }
    }
    for &(k, a, b, d) in &g.edges {
        let mut e = Edge::new(k, &format!("n{a}"), &format!("n{b}"), "s");
        e.date.extend(d.map(|d| claim(EDGE_DATES[d])));
        if graph.add_edge(e).is_ok() {
            kept.edges.push((k, a, b, d));
        }
    }
    (graph, kept)
}

/// A random expression.
#[derive(Debug, Clone)]
enum E {
    Node(usize),
    All,
    NoneF,
    Kind(NodeKind),
    Founded(usize, bool),
    Alive(usize, bool),
    Ended(usize, bool),
    Un(&'static str, Box<E>),
    Depth(Box<E>, u32, bool),
    At(Box<E>, usize, bool),
    Step(Box<E>, bool),
    Bin(&'static str, Box<E>, Box<E>),
}

fn expr() -> impl Strategy<Value = E> {
    let leaf = prop_oneof![
        4 => (0..N).prop_map(E::Node),
        1 => Just(E::All),
        1 => Just(E::NoneF),
        1 => prop_oneof![Just(NodeKind::Party), Just(NodeKind::Movement)].prop_map(E::Kind),
        1 => (0..YEARS.len(), any::<bool>()).prop_map(|(y, m)| E::Founded(y, m)),
        1 => (0..YEARS.len(), any::<bool>()).prop_map(|(y, m)| E::Alive(y, m)),
        1 => (0..YEARS.len(), any::<bool>()).prop_map(|(y, m)| E::Ended(y, m)),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        let un = prop_oneof![
            Just("~"), Just("::x"), Just("x::"), Just("-"), Just("+"), Just("heads"),
            Just("roots"), Just("chain")
        ];
        let bin = prop_oneof![Just("|"), Just("&"), Just("~"), Just("::"), Just("..")];
        prop_oneof![
            3 => (un, inner.clone()).prop_map(|(o, e)| E::Un(o, Box::new(e))),
            1 => (inner.clone(), 0u32..3, any::<bool>()).prop_map(|(e, d, up)| E::Depth(Box::new(e), d, up)),
            1 => (inner.clone(), 0..YEARS.len(), any::<bool>()).prop_map(|(e, y, up)| E::At(Box::new(e), y, up)),
            1 => (inner.clone(), any::<bool>()).prop_map(|(e, i)| E::Step(Box::new(e), i)),
            4 => (bin, inner.clone(), inner).prop_map(|(o, a, b)| E::Bin(o, Box::new(a), Box::new(b))),
        ]
    })
}

fn mode(m: bool) -> &'static str {
    if m { "maybe:" } else { "" }
}

fn text(e: &E) -> String {
    match e {
        E::Node(i) => format!("n{i}"),
        E::All => "all()".into(),
        E::NoneF => "none()".into(),
        E::Kind(k) => format!("kind({k})"),
        E::Founded(y, m) => format!("founded({}{})", mode(*m), YEARS[*y]),
        E::Alive(y, m) => format!("alive({}{})", mode(*m), YEARS[*y]),
        E::Ended(y, m) => format!("ended({}{})", mode(*m), YEARS[*y]),
        E::Un(o, a) => match *o {
            "~" => format!("~({})", text(a)),
            "::x" => format!("::({})", text(a)),
            "x::" => format!("({})::", text(a)),
            "-" | "+" => format!("({}){o}", text(a)),
            f => format!("{f}({})", text(a)),
        },
        E::Depth(a, d, up) => format!(
            "{}({}, depth={d})",
            if *up { "ancestors" } else { "descendants" },
            text(a)
        ),
        E::At(a, y, up) => format!(
            "{}({}, at={})",
            if *up { "ancestors" } else { "descendants" },
            text(a),
            YEARS[*y]
        ),
        E::Step(a, into) => {
            if *into {
                format!("into({}, merger)", text(a))
            } else {
                format!("from({}, split|founding)", text(a))
            }
        }
        E::Bin(o, a, b) => format!("({}) {o} ({})", text(a), text(b)),
    }
}

// ---- the reference evaluator ---------------------------------------------------------------

fn iv(d: &str) -> (i32, i32) {
    let d = DateSpec::parse(d).unwrap();
    (d.earliest(), d.latest())
}

fn year(y: usize) -> (i32, i32) {
    iv(YEARS[y])
}

struct Model {
    g: G,
}

impl Model {
    fn lineage(&self) -> impl Iterator<Item = &(EdgeKind, usize, usize, Option<usize>)> {
        self.g.edges.iter().filter(|e| e.0.is_lineage())
    }

    fn begin(&self, i: usize) -> Option<(i32, i32)> {
        self.g.founded[i].map(|d| iv(NODE_DATES[d]))
    }

    fn end(&self, i: usize) -> Option<(i32, i32)> {
        self.g.ended[i].map(|d| iv(&format!("after {}", YEARS[d])))
    }

    /// Closure from `roots` (inclusive): a node is Yes when a path of sure hops leads to it from
    /// a Yes root, Maybe when only other paths do. `at`: hops dated by then are sure, undated or
    /// straddling ones maybe, later ones not followed. `depth`: generations, renamings free.
    fn closure(&self, roots: &S, up: bool, depth: Option<u32>, at: Option<i32>) -> S {
        let hop = |e: &(EdgeKind, usize, usize, Option<usize>)| -> Option<bool> {
            let Some(at) = at else { return Some(true) };
            match e.3.map(|d| iv(EDGE_DATES[d])) {
                None => Some(false),
                Some((_, hi)) if hi <= at => Some(true),
                Some((lo, _)) if lo <= at => Some(false),
                _ => None,
            }
        };
        let reach = |starts: Vec<usize>, sure_only: bool| -> BTreeSet<usize> {
            // generation distance by Dijkstra over 0/1 weights
            let mut dist: BTreeMap<usize, u32> = starts.iter().map(|s| (*s, 0)).collect();
            let mut q: VecDeque<usize> = starts.into_iter().collect();
            while let Some(v) = q.pop_front() {
                let dv = dist[&v];
                for e in self.lineage() {
                    let (a, b) = if up { (e.2, e.1) } else { (e.1, e.2) };
                    if a != v {
                        continue;
                    }
                    match hop(e) {
                        None => continue,
                        Some(false) if sure_only => continue,
                        _ => {}
                    }
                    let du = dv + u32::from(e.0 != EdgeKind::Renaming);
                    if depth.is_some_and(|m| du > m) {
                        continue;
                    }
                    if dist.get(&b).is_none_or(|old| du < *old) {
                        dist.insert(b, du);
                        q.push_back(b);
                    }
                }
            }
            dist.into_keys().collect()
        };
        let all = reach(roots.keys().copied().collect(), false);
        let sure = reach(
            roots
                .iter()
                .filter(|r| *r.1 == T::Yes)
                .map(|r| *r.0)
                .collect(),
            true,
        );
        all.into_iter()
            .map(|n| (n, if sure.contains(&n) { T::Yes } else { T::Maybe }))
            .collect()
    }

    fn pred(&self, f: impl Fn(usize) -> bool) -> S {
        (0..N).filter(|i| f(*i)).map(|i| (i, T::Yes)).collect()
    }

    fn eval(&self, e: &E) -> S {
        match e {
            E::Node(i) => S::from([(*i, T::Yes)]),
            E::All => self.pred(|_| true),
            E::NoneF => S::new(),
            E::Kind(k) => self.pred(|i| self.g.kinds[i] == *k),
            E::Founded(y, m) => {
                let (qlo, qhi) = year(*y);
                self.pred(|i| match self.begin(i) {
                    None => *m,
                    Some((lo, hi)) if !*m => lo >= qlo && hi <= qhi,
                    Some((lo, hi)) => lo <= qhi && hi >= qlo,
                })
            }
            E::Ended(y, m) => {
                let (qlo, qhi) = year(*y);
                self.pred(|i| match self.end(i) {
                    None => false,
                    Some((lo, hi)) if !*m => lo >= qlo && hi <= qhi,
                    Some((lo, hi)) => lo <= qhi && hi >= qlo,
                })
            }
            E::Alive(y, m) => {
                let (qlo, qhi) = year(*y);
                // some day t of the year with begin <= t < end, surely or possibly
                self.pred(|i| {
                    let (b, e) = (self.begin(i), self.end(i));
                    let (from, to) = if !*m {
                        let Some(b) = b else { return false };
                        (b.1, e.map_or(i32::MAX, |e| e.0.saturating_sub(1)))
                    } else {
                        (
                            b.map_or(i32::MIN, |b| b.0),
                            e.map_or(i32::MAX, |e| e.1.saturating_sub(1)),
                        )
                    };
                    from.max(qlo) <= to.min(qhi)
                })
            }
            E::Un(o, a) => {
                let x = self.eval(a);
                match *o {
                    "~" => (0..N)
                        .filter_map(|i| match x.get(&i) {
                            None => Some((i, T::Yes)),
                            Some(T::Maybe) => Some((i, T::Maybe)),
                            Some(T::Yes) => None,
                        })
                        .collect(),
                    "::x" => self.closure(&x, true, None, None),
                    "x::" => self.closure(&x, false, None, None),
                    "-" | "+" => {
                        let mut out = S::new();
                        for e in self.lineage() {
                            let (from, to) = if *o == "-" { (e.2, e.1) } else { (e.1, e.2) };
                            if let Some(t) = x.get(&from) {
                                let old = out.entry(to).or_insert(*t);
                                *old = (*old).max(*t);
                            }
                        }
                        out
                    }
                    "heads" | "roots" => x
                        .iter()
                        .filter(|(n, _)| {
                            !self.lineage().any(|e| {
                                let (me, other) = if *o == "heads" {
                                    (e.1, e.2)
                                } else {
                                    (e.2, e.1)
                                };
                                me == **n && other != **n && x.contains_key(&other)
                            })
                        })
                        .map(|(n, t)| (*n, *t))
                        .collect(),
                    _ => {
                        // chain: components over renamings and reorganisations
                        let same = |k: EdgeKind| {
                            matches!(k, EdgeKind::Renaming | EdgeKind::Reorganisation)
                        };
                        let mut out = S::new();
                        for (&n, &t) in &x {
                            let mut seen = BTreeSet::from([n]);
                            let mut stack = vec![n];
                            while let Some(v) = stack.pop() {
                                for e in self.g.edges.iter().filter(|e| same(e.0)) {
                                    for (p, q) in [(e.1, e.2), (e.2, e.1)] {
                                        if p == v && seen.insert(q) {
                                            stack.push(q);
                                        }
                                    }
                                }
                            }
                            for m in seen {
                                let old = out.entry(m).or_insert(t);
                                *old = (*old).max(t);
                            }
                        }
                        out
                    }
                }
            }
            E::Depth(a, d, up) => self.closure(&self.eval(a), *up, Some(*d), None),
            E::At(a, y, up) => self.closure(&self.eval(a), *up, None, Some(year(*y).1)),
            E::Step(a, into) => {
                let x = self.eval(a);
                let mut out = S::new();
                for e in &self.g.edges {
                    let ok = if *into {
                        e.0 == EdgeKind::Merger
                    } else {
                        matches!(e.0, EdgeKind::Split | EdgeKind::Founding)
                    };
                    let (from, to) = if *into { (e.2, e.1) } else { (e.1, e.2) };
                    if let (true, Some(t)) = (ok, x.get(&from)) {
                        let old = out.entry(to).or_insert(*t);
                        *old = (*old).max(*t);
                    }
                }
                out
            }
            E::Bin(o, a, b) => {
                let (x, y) = (self.eval(a), self.eval(b));
                match *o {
                    "|" => {
                        let mut out = x;
                        for (n, t) in y {
                            let old = out.entry(n).or_insert(t);
                            *old = (*old).max(t);
                        }
                        out
                    }
                    "&" => x
                        .iter()
                        .filter_map(|(n, t)| y.get(n).map(|u| (*n, (*t).min(*u))))
                        .collect(),
                    "~" => x
                        .iter()
                        .filter_map(|(n, t)| match y.get(n) {
                            None => Some((*n, *t)),
                            Some(T::Maybe) => Some((*n, T::Maybe)),
                            Some(T::Yes) => None,
                        })
                        .collect(),
                    "::" => {
                        let d = self.closure(&x, false, None, None);
                        let u = self.closure(&y, true, None, None);
                        d.iter()
                            .filter_map(|(n, t)| u.get(n).map(|v| (*n, (*t).min(*v))))
                            .collect()
                    }
                    _ => {
                        let ub = self.closure(&y, true, None, None);
                        let ua = self.closure(&x, true, None, None);
                        ub.iter()
                            .filter_map(|(n, t)| match ua.get(n) {
                                None => Some((*n, *t)),
                                Some(T::Maybe) => Some((*n, T::Maybe)),
                                Some(T::Yes) => None,
                            })
                            .collect()
                    }
                }
            }
        }
    }
}

fn engine(db: &Db, q: &str) -> S {
    let s = db.select(q).unwrap_or_else(|e| panic!("{q}: {e}"));
    s.nodes
        .iter()
        .map(|n| {
            let i: usize = db.id(*n)[1..].parse().unwrap();
            (
                i,
                if s.uncertain.contains(n) {
                    T::Maybe
                } else {
                    T::Yes
                },
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn engine_agrees_with_the_reference_evaluator(g in graph(), e in expr()) {
        let (graph, kept) = build(&g);
        let db = graph.freeze().unwrap();
        let q = text(&e);
        let want = Model { g: kept }.eval(&e);
        prop_assert_eq!(engine(&db, &q), want, "query {}", q);
    }
}

/// The generator reaches every construct, and the comparison can fail: a wrong answer for a
/// simple query on a fixed graph is told apart.
#[test]
fn the_reference_evaluator_is_not_trivial() {
    let g = G {
        kinds: vec![NodeKind::Party; N],
        founded: vec![None; N],
        ended: vec![None; N],
        edges: vec![
            (EdgeKind::Split, 0, 1, Some(1)),
            (EdgeKind::Merger, 1, 2, None),
            (EdgeKind::Renaming, 2, 3, Some(1)),
        ],
    };
    let (graph, kept) = build(&g);
    assert_eq!(kept.edges.len(), 3);
    let db = graph.freeze().unwrap();
    let m = Model { g: kept };
    let at = E::At(Box::new(E::Node(3)), 2, true);
    let want = m.eval(&at);
    assert_eq!(
        want,
        S::from([(0, T::Maybe), (1, T::Maybe), (2, T::Yes), (3, T::Yes)]),
        "the undated merger: 1, and what lies behind it, only possibly by 2000"
    );
    assert_eq!(engine(&db, &text(&at)), want);
    assert_ne!(engine(&db, "::n3"), want);
}
