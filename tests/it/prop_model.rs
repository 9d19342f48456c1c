//! Differential model tests: random edit sequences (add, update, remove nodes and edges) are
//! applied both to a `Graph` and to a naive reference model. The model predicts which edits the
//! graph must refuse, and after the sequence the frozen database must answer ancestors,
//! descendants (with depths, the edges that reached each node and the uncertainty at a date),
//! paths (plain and time-respecting) and the name at a date exactly as the model does.
//!
//! Then the invariants, on random graphs with people and non-lineage edges: x is an ancestor of y
//! exactly when y is a descendant of x; the closure is idempotent; the fast reach agrees with the
//! closure; and no query or renderer panics on any graph.
//!
//! Cases: 10,000 differential + 2,000 invariant cases per run (`PROPTEST_CASES` overrides both).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use lineage::KindSet;
use lineage::date::{Day, OPEN_END, OPEN_START};
use lineage::query::{self, Direction, Filter};
use lineage::{Claim, DateSpec, Db, Edge, EdgeHandle, EdgeKind, Graph, Node, NodeKind, Source};
use proptest::prelude::*;

const IDS: usize = 7;
const DATES: &[&str] = &[
    "1990",
    "1995",
    "2000",
    "2000-06",
    "early 2000",
    "late 2000",
    "about 2005",
    "2010",
    "before 1995",
    "after 2005",
];
const KINDS: [EdgeKind; 6] = [
    EdgeKind::Split,
    EdgeKind::Merger,
    EdgeKind::Renaming,
    EdgeKind::Reorganisation,
    EdgeKind::Founding,
    EdgeKind::Membership,
];

fn id(i: u8) -> String {
    format!("n{}", i as usize % IDS)
}

fn date(i: Option<u8>) -> Option<DateSpec> {
    i.map(|i| DateSpec::parse(DATES[i as usize % DATES.len()]).unwrap())
}

#[derive(Debug, Clone)]
enum Op {
    AddNode(u8, Option<u8>, Option<u8>),
    UpdateNode(u8, Option<u8>, Option<u8>),
    RemoveNode(u8),
    AddEdge(u8, u8, u8, Option<u8>),
    UpdateEdge(u8, u8, u8, u8, Option<u8>),
    RemoveEdge(u8),
}

fn op() -> impl Strategy<Value = Op> {
    let d = proptest::option::weighted(0.6, 0u8..10);
    prop_oneof![
        2 => (0u8..7, node_date(), end_date()).prop_map(|(a, b, c)| Op::AddNode(a, b, c)),
        1 => (0u8..7, node_date(), end_date()).prop_map(|(a, b, c)| Op::UpdateNode(a, b, c)),
        1 => (0u8..7).prop_map(Op::RemoveNode),
        10 => (0u8..6, 0u8..7, 0u8..7, d.clone()).prop_map(|(k, a, b, d)| Op::AddEdge(k, a, b, d)),
        2 => (any::<u8>(), 0u8..6, 0u8..7, 0u8..7, d).prop_map(|(h, k, a, b, d)| Op::UpdateEdge(h, k, a, b, d)),
        1 => any::<u8>().prop_map(Op::RemoveEdge),
    ]
}

/// Foundings mostly early, so that most dated edges fit.
fn node_date() -> impl Strategy<Value = Option<u8>> {
    proptest::option::weighted(0.5, prop_oneof![3 => 0u8..2, 1 => 0u8..10])
}

/// Ends mostly late, and rare.
fn end_date() -> impl Strategy<Value = Option<u8>> {
    proptest::option::weighted(0.2, prop_oneof![3 => 6u8..10, 1 => 0u8..10])
}

/// Every node added first, then random edits.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    (
        proptest::collection::vec((node_date(), end_date()), IDS),
        proptest::collection::vec(op(), 1..36),
    )
        .prop_map(|(nodes, rest)| {
            let mut v: Vec<Op> = nodes
                .into_iter()
                .enumerate()
                .map(|(i, (f, e))| Op::AddNode(i as u8, f, e))
                .collect();
            v.extend(rest);
            v
        })
}

// ---- the reference model ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
struct MNode {
    founded: Option<DateSpec>,
    ended: Option<DateSpec>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct MEdge {
    kind: EdgeKind,
    from: String,
    to: String,
    date: Option<DateSpec>,
}

#[derive(Debug, Default)]
struct Model {
    nodes: BTreeMap<String, MNode>,
    edges: BTreeMap<u64, MEdge>,
}

fn interval(d: &Option<DateSpec>) -> Option<(Day, Day)> {
    d.as_ref().map(|d| (d.earliest(), d.latest()))
}

fn is_lineage(k: EdgeKind) -> bool {
    EdgeKind::LINEAGE.contains(&k)
}

impl Model {
    fn node_ok(n: &MNode) -> bool {
        match (interval(&n.founded), interval(&n.ended)) {
            (Some((b_lo, _)), Some((_, e_hi))) => e_hi >= b_lo,
            _ => true,
        }
    }

    fn dates_ok(&self, e: &MEdge) -> bool {
        let Some((lo, hi)) = interval(&e.date) else {
            // an undated merger or renaming needs endpoints whose lives may have met
            if matches!(e.kind, EdgeKind::Merger | EdgeKind::Renaming) {
                let (a, b) = (&self.nodes[&e.from], &self.nodes[&e.to]);
                if let (Some((_, a_end)), Some((b_begin, _))) =
                    (interval(&a.ended), interval(&b.founded))
                {
                    return a_end >= b_begin;
                }
            }
            return true;
        };
        [&e.from, &e.to].iter().all(|n| {
            let n = &self.nodes[*n];
            interval(&n.founded).is_none_or(|(b, _)| hi >= b)
                && interval(&n.ended).is_none_or(|(_, end)| lo <= end)
        })
    }

    /// Whether `from` reaches `to` over lineage edges, ignoring edge `skip`.
    fn reaches(&self, from: &str, to: &str, skip: Option<u64>) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(x) = stack.pop() {
            if x == to {
                return true;
            }
            if !seen.insert(x.clone()) {
                continue;
            }
            for (h, e) in &self.edges {
                if Some(*h) != skip && e.from == x && is_lineage(e.kind) {
                    stack.push(e.to.clone());
                }
            }
        }
        false
    }

    fn edge_ok(&self, e: &MEdge, skip: Option<u64>) -> bool {
        if !self.nodes.contains_key(&e.from) || !self.nodes.contains_key(&e.to) || e.from == e.to {
            return false;
        }
        // every node here is a party, and membership is of a bloc, never of a party
        if e.kind == EdgeKind::Membership {
            return false;
        }
        if !self.dates_ok(e) {
            return false;
        }
        let others = || {
            self.edges
                .iter()
                .filter(|(h, _)| Some(**h) != skip)
                .map(|(_, e)| e)
        };
        if e.kind == EdgeKind::Renaming
            && others().any(|o| o.kind == EdgeKind::Renaming && (o.from == e.from || o.to == e.to))
        {
            return false;
        }
        if is_lineage(e.kind) && self.reaches(&e.to, &e.from, skip) {
            return false;
        }
        !others().any(|o| o == e)
    }
}

fn node_of(i: u8, f: Option<u8>, e: Option<u8>) -> Node {
    let mut n = Node::new(&id(i), NodeKind::Party, &format!("Party {}", id(i)), "s");
    let claim = |d: DateSpec| Claim {
        date: d,
        sources: vec!["s".into()],
        note: String::new(),
    };
    n.founded.extend(date(f).map(claim));
    n.ended.extend(date(e).map(claim));
    n
}

fn edge_of(m: &MEdge) -> Edge {
    let mut e = Edge::new(m.kind, &m.from, &m.to, "s");
    if let Some(d) = &m.date {
        e.date.push(Claim {
            date: d.clone(),
            sources: vec!["s".into()],
            note: String::new(),
        });
    }
    e
}

fn medge(k: u8, a: u8, b: u8, d: Option<u8>) -> MEdge {
    MEdge {
        kind: KINDS[k as usize % KINDS.len()],
        from: id(a),
        to: id(b),
        date: date(d),
    }
}

fn source() -> Source {
    Source::new("s", "A source")
}

/// Applies the ops to both; checks every acceptance against the model's prediction.
fn apply(ops: &[Op]) -> Result<(Graph, Model), TestCaseError> {
    let mut g = Graph::new();
    g.add_source(source()).unwrap();
    let mut m = Model::default();
    let mut handles: Vec<EdgeHandle> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::AddNode(i, f, e) => {
                let mn = MNode {
                    founded: date(*f),
                    ended: date(*e),
                };
                let want = !m.nodes.contains_key(&id(*i)) && Model::node_ok(&mn);
                let got = g.add_node(node_of(*i, *f, *e)).is_ok();
                prop_assert_eq!(got, want, "step {} {:?}", step, op);
                if got {
                    m.nodes.insert(id(*i), mn);
                }
            }
            Op::UpdateNode(i, f, e) => {
                let mn = MNode {
                    founded: date(*f),
                    ended: date(*e),
                };
                let want = m.nodes.contains_key(&id(*i)) && Model::node_ok(&mn) && {
                    let mut m2 = Model {
                        nodes: m.nodes.clone(),
                        edges: BTreeMap::new(),
                    };
                    m2.nodes.insert(id(*i), mn.clone());
                    m.edges
                        .values()
                        .filter(|x| x.from == id(*i) || x.to == id(*i))
                        .all(|x| m2.dates_ok(x))
                };
                let got = g.update_node(node_of(*i, *f, *e)).is_ok();
                prop_assert_eq!(got, want, "step {} {:?}", step, op);
                if got {
                    m.nodes.insert(id(*i), mn);
                }
            }
            Op::RemoveNode(i) => {
                let want = m.nodes.contains_key(&id(*i));
                let got = g.remove_node(&id(*i));
                prop_assert_eq!(got.is_ok(), want, "step {} {:?}", step, op);
                if let Ok((_, removed)) = got {
                    m.nodes.remove(&id(*i));
                    let before = m.edges.len();
                    m.edges.retain(|_, e| e.from != id(*i) && e.to != id(*i));
                    prop_assert_eq!(before - m.edges.len(), removed.len());
                }
            }
            Op::AddEdge(k, a, b, d) => {
                let me = medge(*k, *a, *b, *d);
                let want = m.edge_ok(&me, None);
                let got = g.add_edge(edge_of(&me));
                prop_assert_eq!(got.is_ok(), want, "step {} {:?} model {:?}", step, op, m);
                if let Ok(h) = got {
                    handles.push(h);
                    m.edges.insert(handles.len() as u64 - 1, me);
                }
            }
            Op::UpdateEdge(pick, k, a, b, d) => {
                if handles.is_empty() {
                    continue;
                }
                let i = *pick as usize % handles.len();
                let me = medge(*k, *a, *b, *d);
                let live = m.edges.contains_key(&(i as u64));
                let want = live && m.edge_ok(&me, Some(i as u64));
                let got = g.update_edge(handles[i], edge_of(&me));
                prop_assert_eq!(got.is_ok(), want, "step {} {:?}", step, op);
                if got.is_ok() {
                    m.edges.insert(i as u64, me);
                }
            }
            Op::RemoveEdge(pick) => {
                if handles.is_empty() {
                    continue;
                }
                let i = *pick as usize % handles.len();
                let want = m.edges.contains_key(&(i as u64));
                let got = g.remove_edge(handles[i]);
                prop_assert_eq!(got.is_ok(), want, "step {} {:?}", step, op);
                if got.is_ok() {
                    m.edges.remove(&(i as u64));
                }
            }
        }
    }
    // a graph built only through checked edits is valid as a whole
    let problems = g.validate();
    prop_assert!(problems.is_empty(), "{:?}", problems);
    Ok((g, m))
}

// ---- the model's answers ---------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    No,
    Sure,
    Maybe,
}

fn pass(f: &Filter, e: &MEdge) -> Pass {
    if !f.kinds.contains(e.kind) {
        return Pass::No;
    }
    let when = interval(&e.date);
    if let (Some(s), Some((_, hi))) = (f.since, when)
        && hi < s
    {
        return Pass::No;
    }
    if let (Some(u), Some((lo, _))) = (f.until, when)
        && lo > u
    {
        return Pass::No;
    }
    match (f.at, when) {
        (None, _) => Pass::Sure,
        (Some(_), None) => Pass::Maybe,
        (Some(at), Some((_, hi))) if hi <= at => Pass::Sure,
        (Some(at), Some((lo, _))) if lo <= at => Pass::Maybe,
        _ => Pass::No,
    }
}

/// Shortest generations (renamings cost 0) from `root`, by repeated relaxation.
fn model_dist(
    m: &Model,
    root: &str,
    up: bool,
    f: &Filter,
    sure_only: bool,
) -> BTreeMap<String, u32> {
    let mut dist = BTreeMap::from([(root.to_string(), 0u32)]);
    loop {
        let mut changed = false;
        for e in m.edges.values().filter(|e| is_lineage(e.kind)) {
            let p = pass(f, e);
            if p == Pass::No || (sure_only && p == Pass::Maybe) {
                continue;
            }
            let (a, b) = if up {
                (&e.to, &e.from)
            } else {
                (&e.from, &e.to)
            };
            if let Some(&da) = dist.get(a) {
                let db = da + u32::from(e.kind != EdgeKind::Renaming);
                if f.max_depth.is_some_and(|mx| db > mx) {
                    continue;
                }
                if dist.get(b).is_none_or(|x| db < *x) {
                    dist.insert(b.clone(), db);
                    changed = true;
                }
            }
        }
        if !changed {
            return dist;
        }
    }
}

/// (node, depth, sorted via edges, uncertain) for every node reached, root excluded.
type Answer = BTreeSet<(String, u32, Vec<MEdge>, bool)>;

fn model_closure(m: &Model, root: &str, dir: Direction, f: &Filter) -> Answer {
    let up = dir == Direction::Ancestors;
    let dist = model_dist(m, root, up, f, false);
    let sure = f.at.map(|_| model_dist(m, root, up, f, true));
    dist.iter()
        .filter(|(n, _)| n.as_str() != root)
        .map(|(n, &d)| {
            let mut via: Vec<MEdge> = m
                .edges
                .values()
                .filter(|e| is_lineage(e.kind) && pass(f, e) != Pass::No)
                .filter(|e| {
                    let (w, v) = if up {
                        (&e.to, &e.from)
                    } else {
                        (&e.from, &e.to)
                    };
                    v == n
                        && dist
                            .get(w)
                            .is_some_and(|dw| dw + u32::from(e.kind != EdgeKind::Renaming) == d)
                })
                .cloned()
                .collect();
            via.sort();
            let uncertain = sure.as_ref().is_some_and(|s| !s.contains_key(n));
            (n.clone(), d, via, uncertain)
        })
        .collect()
}

fn medge_of(db: &Db, e: lineage::EdgeId) -> MEdge {
    let x = db.edge(e);
    MEdge {
        kind: x.kind,
        from: x.from,
        to: x.to,
        date: x.date.first().map(|c| c.date.clone()),
    }
}

fn db_closure(db: &Db, root: lineage::NodeId, dir: Direction, f: &Filter) -> Answer {
    query::closure(db, root, dir, f)
        .hits
        .into_iter()
        .map(|h| {
            let mut via: Vec<MEdge> = h.via.iter().map(|e| medge_of(db, *e)).collect();
            via.sort();
            (db.id(h.node).to_string(), h.depth, via, h.uncertain)
        })
        .collect()
}

/// Undirected hop distance over lineage edges.
fn model_hops(m: &Model, a: &str, b: &str) -> Option<usize> {
    let mut dist = BTreeMap::from([(a.to_string(), 0usize)]);
    let mut q = VecDeque::from([a.to_string()]);
    while let Some(x) = q.pop_front() {
        let d = dist[&x];
        for e in m.edges.values().filter(|e| is_lineage(e.kind)) {
            for (p, o) in [(&e.from, &e.to), (&e.to, &e.from)] {
                if *p == x && !dist.contains_key(o) {
                    dist.insert(o.clone(), d + 1);
                    q.push_back(o.clone());
                }
            }
        }
    }
    dist.get(b).copied()
}

/// The time rule of a time-respecting path: a hop may not be dated certainly earlier than the
/// hop before it. Returns the new "arrival" day, or `None` when the hop is not allowed.
fn timed_step(arrive: Day, e: &MEdge) -> Option<Day> {
    let (lo, hi) = interval(&e.date).unwrap_or((OPEN_START, OPEN_END));
    if hi < arrive && arrive != OPEN_START {
        return None;
    }
    Some(if lo == OPEN_START {
        arrive
    } else {
        lo.max(arrive)
    })
}

/// Whether a forward, time-respecting lineage path runs from `a` to `b` (brute force).
fn model_timed(m: &Model, a: &str, b: &str, arrive: Day, seen: &mut Vec<String>) -> bool {
    if a == b {
        return true;
    }
    for e in m
        .edges
        .values()
        .filter(|e| is_lineage(e.kind) && e.from == a)
    {
        if seen.contains(&e.to) {
            continue;
        }
        if let Some(next) = timed_step(arrive, e) {
            seen.push(e.to.clone());
            let found = model_timed(m, &e.to, b, next, seen);
            seen.pop();
            if found {
                return true;
            }
        }
    }
    false
}

fn check_path(
    db: &Db,
    m: &Model,
    a: lineage::NodeId,
    b: lineage::NodeId,
) -> Result<(), TestCaseError> {
    let (ai, bi) = (db.id(a).to_string(), db.id(b).to_string());
    // plain: exists exactly when connected, and as short as the shortest
    let p = query::path(db, a, b, KindSet::LINEAGE, false);
    prop_assert_eq!(
        p.as_ref().map(|p| p.len()),
        model_hops(m, &ai, &bi),
        "path {} {}",
        ai,
        bi
    );
    if let Some(hops) = &p {
        let mut cur = a;
        for h in hops {
            let (x, y) = db.endpoints(h.edge);
            cur = if h.forward {
                prop_assert_eq!(x, cur);
                y
            } else {
                prop_assert_eq!(y, cur);
                x
            };
        }
        prop_assert_eq!(cur, b);
    }
    // time-respecting: exists exactly when the brute force finds one, and obeys the rule
    let t = query::path(db, a, b, KindSet::LINEAGE, true);
    let exists = model_timed(m, &ai, &bi, OPEN_START, &mut vec![ai.clone()])
        || model_timed(m, &bi, &ai, OPEN_START, &mut vec![bi.clone()]);
    prop_assert_eq!(t.is_some(), exists, "timed path {} {}", ai, bi);
    if let Some(hops) = t {
        if a == b {
            prop_assert!(hops.is_empty());
            return Ok(());
        }
        let forward = hops[0].forward;
        prop_assert!(hops.iter().all(|h| h.forward == forward));
        let mut es: Vec<MEdge> = hops.iter().map(|h| medge_of(db, h.edge)).collect();
        if !forward {
            es.reverse();
        }
        let (start, end) = if forward { (&ai, &bi) } else { (&bi, &ai) };
        let mut cur = start.clone();
        let mut arrive = OPEN_START;
        for e in &es {
            prop_assert_eq!(&e.from, &cur);
            prop_assert!(is_lineage(e.kind));
            arrive =
                timed_step(arrive, e).ok_or_else(|| TestCaseError::fail("hop against time"))?;
            cur = e.to.clone();
        }
        prop_assert_eq!(&cur, end);
    }
    Ok(())
}

/// One member of a chain: (id, in force from, in force until).
type Era = (String, Option<(Day, Day)>, Option<(Day, Day)>);

/// The name at a date: the renaming/reorganisation chain, each member in force from the edge into
/// it (else its founding, else its earliest record) until the edge out of it (else its end).
fn model_name_at(m: &Model, n: &str, at: &DateSpec) -> (Vec<String>, bool) {
    let same = |k: EdgeKind| matches!(k, EdgeKind::Renaming | EdgeKind::Reorganisation);
    let mut members = BTreeSet::from([n.to_string()]);
    loop {
        let before = members.len();
        for e in m.edges.values().filter(|e| same(e.kind)) {
            if members.contains(&e.from) || members.contains(&e.to) {
                members.insert(e.from.clone());
                members.insert(e.to.clone());
            }
        }
        if members.len() == before {
            break;
        }
    }
    let hull = |it: Vec<(Day, Day)>| it.into_iter().reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let mut eras: Vec<Era> = members
        .iter()
        .map(|x| {
            let into = hull(
                m.edges
                    .values()
                    .filter(|e| same(e.kind) && &e.to == x)
                    .filter_map(|e| interval(&e.date))
                    .collect(),
            );
            let out = hull(
                m.edges
                    .values()
                    .filter(|e| same(e.kind) && &e.from == x)
                    .filter_map(|e| interval(&e.date))
                    .collect(),
            );
            let node = &m.nodes[x];
            // an unknown start is bounded by the earliest record: any dated edge of it, or its end
            let first_record = m
                .edges
                .values()
                .filter(|e| &e.from == x || &e.to == x)
                .filter_map(|e| interval(&e.date))
                .chain(interval(&node.ended))
                .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1)));
            (
                x.clone(),
                into.or(interval(&node.founded)).or(first_record),
                out.or(interval(&node.ended)),
            )
        })
        .collect();
    eras.sort_by_key(|e| (e.1.map_or(OPEN_START, |f| f.0), e.0.clone()));
    let (qlo, qhi) = (at.earliest(), at.latest());
    let possible: Vec<&Era> = eras
        .iter()
        .filter(|e| e.1.is_none_or(|(lo, _)| lo <= qhi) && e.2.is_none_or(|(_, hi)| hi > qlo))
        .collect();
    let certain = possible.len() == 1 && {
        let e = possible[0];
        e.1.is_some_and(|(_, hi)| hi <= qlo) && e.2.is_none_or(|(lo, _)| lo > qhi)
    };
    (possible.iter().map(|e| e.0.clone()).collect(), certain)
}

fn compare(db: &Db, m: &Model, filters: &[Filter]) -> Result<(), TestCaseError> {
    prop_assert_eq!(db.node_count(), m.nodes.len());
    prop_assert_eq!(db.edge_count(), m.edges.len());
    let ats: Vec<DateSpec> = ["1995", "2000", "2000-06-15", "2005", "late 2010"]
        .iter()
        .map(|s| DateSpec::parse(s).unwrap())
        .collect();
    for x in db.node_ids() {
        let xi = db.id(x).to_string();
        for dir in [Direction::Ancestors, Direction::Descendants] {
            for f in filters {
                prop_assert_eq!(
                    db_closure(db, x, dir, f),
                    model_closure(m, &xi, dir, f),
                    "{:?} of {} with {:?}",
                    dir,
                    xi,
                    f
                );
            }
        }
        for y in db.node_ids() {
            check_path(db, m, x, y)?;
        }
        for at in &ats {
            let r = query::name_at(db, x, at);
            let got: Vec<String> = r.candidates.iter().map(|c| db.id(*c).to_string()).collect();
            let (want, certain) = model_name_at(m, &xi, at);
            prop_assert_eq!(&got, &want, "name of {} at {}", xi, at);
            prop_assert_eq!(r.certain, certain, "certainty of {} at {}", xi, at);
        }
    }
    Ok(())
}

fn filters(at: u8, depth: u8, window: u8) -> Vec<Filter> {
    let day = |s: &str| DateSpec::parse(s).unwrap().earliest();
    let ats = [
        None,
        Some(day("1995-06-01")),
        Some(day("2000-03-01")),
        Some(day("2007")),
    ];
    let mut f = vec![Filter::default()];
    f.push(Filter {
        at: ats[at as usize % ats.len()],
        max_depth: (!depth.is_multiple_of(3)).then_some(u32::from(depth % 3)),
        ..Filter::default()
    });
    f.push(Filter {
        since: (window & 1 != 0).then(|| day("2000-01-01")),
        until: (window & 2 != 0).then(|| day("2005-12-31")),
        kinds: if window & 4 != 0 {
            KindSet::empty()
                .with(EdgeKind::Renaming)
                .with(EdgeKind::Split)
        } else {
            KindSet::LINEAGE
        },
        ..Filter::default()
    });
    f
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 10_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn edits_and_queries_match_the_reference_model(
        ops in ops(),
        at in any::<u8>(),
        depth in any::<u8>(),
        window in any::<u8>(),
    ) {
        let (g, m) = apply(&ops)?;
        if std::env::var_os("LINEAGE_PROP_STATS").is_some() {
            eprintln!("STATS {} {} {}", ops.len(), m.nodes.len(), m.edges.len());
        }
        let db = g.freeze().unwrap();
        compare(&db, &m, &filters(at, depth, window))?;
    }
}

// ---- invariants on random graphs with people and every edge kind ------------------------------

fn random_graph(n: usize, edges: &[(u8, u8, u8, Option<u8>)], people: u8) -> Graph {
    let mut g = Graph::new();
    g.add_source(source()).unwrap();
    for i in 0..n {
        let kind = if i < (people as usize % 3) {
            NodeKind::Person
        } else {
            NodeKind::ALL[i % 4]
        };
        let mut node = Node::new(&format!("n{i}"), kind, &format!("Org {i}"), "s");
        if kind != NodeKind::Person && i % 2 == 0 {
            node.founded.push(Claim {
                date: DateSpec::parse(DATES[i % 3]).unwrap(),
                sources: vec!["s".into()],
                note: String::new(),
            });
        }
        if i % 5 == 1 {
            node.aliases.push("Shared".into());
            node.shared_names.push("Shared".into());
        }
        let _ = g.add_node(node);
    }
    for &(k, a, b, d) in edges {
        let kind = EdgeKind::ALL[k as usize % EdgeKind::ALL.len()];
        let mut e = Edge::new(
            kind,
            &format!("n{}", a as usize % n),
            &format!("n{}", b as usize % n),
            "s",
        );
        if let Some(d) = date(d) {
            e.date.push(Claim {
                date: d,
                sources: vec!["s".into()],
                note: String::new(),
            });
        }
        if kind.is_personal() {
            e.role = "chair".into();
        }
        let _ = g.add_edge(e);
    }
    g
}

fn set(c: &query::Closure) -> BTreeSet<lineage::NodeId> {
    c.hits.iter().map(|h| h.node).collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn invariants_hold_and_nothing_panics(
        n in 1usize..10,
        edges in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), proptest::option::of(0u8..10)), 0..30),
        people in any::<u8>(),
        kinds in any::<u16>(),
    ) {
        let g = random_graph(n, &edges, people);
        prop_assert!(g.validate().is_empty());
        let db = g.freeze().unwrap();
        let kinds: KindSet = EdgeKind::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| kinds & (1 << i) != 0)
            .map(|(_, k)| *k)
            .collect();
        for f in [Filter::default(), Filter { kinds, ..Filter::default() }] {
            let anc: Vec<BTreeSet<_>> = db.node_ids().map(|x| set(&query::closure(&db, x, Direction::Ancestors, &f))).collect();
            // common ancestors by their definition: in both closures (a node counts as its own
            // ancestor), and the nearest are those that lie above no other common one
            let first = db.node_ids().next().unwrap();
            for x in db.node_ids() {
                let with_self = |n: lineage::NodeId| {
                    let mut s = anc[n.index()].clone();
                    s.insert(n);
                    s
                };
                let all: BTreeSet<_> = with_self(first).intersection(&with_self(x)).copied().collect();
                let nearest: Vec<_> = all
                    .iter()
                    .copied()
                    .filter(|c| !all.iter().any(|d| d != c && anc[d.index()].contains(c)))
                    .collect();
                let got = query::common_ancestors(&db, first, x, f.kinds);
                prop_assert_eq!(got.all.iter().copied().collect::<BTreeSet<_>>(), all);
                prop_assert_eq!(got.nearest, nearest);
            }
            let desc: Vec<BTreeSet<_>> = db.node_ids().map(|x| set(&query::closure(&db, x, Direction::Descendants, &f))).collect();
            for x in db.node_ids() {
                for y in db.node_ids() {
                    // y is an ancestor of x exactly when x is a descendant of y
                    prop_assert_eq!(anc[x.index()].contains(&y), desc[y.index()].contains(&x));
                }
                // the closure is idempotent: ancestors of ancestors add nothing
                for dir_sets in [&anc, &desc] {
                    let mut again = dir_sets[x.index()].clone();
                    for a in &dir_sets[x.index()] {
                        again.extend(dir_sets[a.index()].iter().copied().filter(|z| *z != x));
                    }
                    prop_assert_eq!(&again, &dir_sets[x.index()]);
                }
                // the fast reach is the same set
                let mut seen = vec![0u64; db.node_count().div_ceil(64)];
                let r: BTreeSet<_> = query::reach(&db, x, Direction::Ancestors, f.kinds, &mut seen).into_iter().collect();
                prop_assert_eq!(&r, &anc[x.index()]);
                prop_assert!(seen.iter().all(|w| *w == 0), "reach leaves its scratch clear");
            }
        }
        // no query or renderer panics
        let at = DateSpec::parse("2000").unwrap();
        let first = db.node_ids().next().unwrap();
        for x in db.node_ids() {
            let f = Filter { at: Some(at.earliest()), since: Some(at.earliest() - 3000), until: Some(at.latest()), max_depth: Some(1), kinds };
            let _ = query::closure(&db, x, Direction::Descendants, &f);
            let _ = query::path(&db, first, x, kinds, true);
            let _ = query::path(&db, x, first, KindSet::ALL, false);
            let c = query::common_ancestors(&db, first, x, kinds);
            prop_assert!(c.nearest.iter().all(|n| c.all.contains(n)));
            let _ = query::name_at(&db, x, &at);
            let _ = query::leaders(&db, x, Some(&at));
            let _ = query::search(&db, db.name(x), 3);
            let _ = db.resolve(db.name(x));
            let _ = db.resolve("Shared");
        }
        let _ = query::timeline(&db, None, Some(at.earliest()), None);
        let sel = lineage::render::Selection::all(&db, true, &Filter::default());
        let _ = lineage::render::dot::Dot::new(&db, &sel).to_string();
        let _ = lineage::render::svg::timeline_svg(&db, None, None, None);
        let _ = lineage::render::export::graphml(&db, &sel);
    }
}
