//! Lineage queries over a [`Db`]: ancestors and descendants, paths, common ancestors, the name
//! in force at a date, leaders, fuzzy search and timelines.
//!
//! Every query follows the same doc template: what it does, arguments, returns, complexity, and
//! an example that runs as a doctest.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::date::{DateSpec, Day, OPEN_END, OPEN_START};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet, NodeKind};
use crate::names::normalize;

/// Which way a closure runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Towards what came before (parents, predecessors, founders).
    Ancestors,
    /// Towards what came after.
    Descendants,
}

/// Filters for [`closure`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    /// Edge kinds followed (default: the five lineage kinds).
    pub kinds: KindSet,
    /// The deepest generation returned (renamings do not count); `None`: no limit.
    pub max_depth: Option<u32>,
    /// Follow only hops that had happened by this day. A hop whose date interval straddles the
    /// day, or that is undated, is followed but its results are marked uncertain.
    pub at: Option<Day>,
    /// Follow only hops that may have happened on or after this day (undated hops are kept).
    pub since: Option<Day>,
    /// Follow only hops that may have happened on or before this day (undated hops are kept).
    pub until: Option<Day>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            kinds: KindSet::LINEAGE,
            max_depth: None,
            at: None,
            since: None,
            until: None,
        }
    }
}

/// How a hop fares against a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    No,
    Sure,
    Maybe,
}

impl Filter {
    /// Whether any date bound is set (only then are the edges' dates looked at).
    fn dated(&self) -> bool {
        self.at.is_some() || self.since.is_some() || self.until.is_some()
    }

    /// How a hop dated `when` ([`Db::edge_when`]) fares against the date bounds (its kind
    /// already passed).
    fn pass_when(&self, when: Option<(Day, Day)>) -> Pass {
        if let (Some(s), Some((_, hi))) = (self.since, when)
            && hi < s
        {
            return Pass::No;
        }
        if let (Some(u), Some((lo, _))) = (self.until, when)
            && lo > u
        {
            return Pass::No;
        }
        match (self.at, when) {
            (None, _) => Pass::Sure,
            (Some(_), None) => Pass::Maybe,
            (Some(at), Some((lo, hi))) => {
                if hi <= at {
                    Pass::Sure
                } else if lo <= at {
                    Pass::Maybe
                } else {
                    Pass::No
                }
            }
        }
    }

    /// How a hop of kind code `code` ([`Db::slot_kinds`]) over edge `edge` fares; the edge's
    /// date is looked up only when the filter is dated.
    fn pass_slot(&self, db: &Db, code: u8, edge: u32) -> Pass {
        if !self.kinds.contains_code(code) {
            return Pass::No;
        }
        if !self.dated() {
            return Pass::Sure;
        }
        self.pass_when(db.edge_when(EdgeId(edge)))
    }
}

/// One node of a closure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The node reached.
    pub node: NodeId,
    /// Its generation: the number of non-renaming hops from the root.
    pub depth: u32,
    /// The edges by which it was reached at that depth (from nodes already in the result).
    pub via: Via,
    /// Whether it is reached only through hops that may not have happened by the `at` date.
    pub uncertain: bool,
}

/// The edges by which a closure reached a node ([`Hit::via`]): a slice of [`EdgeId`]s (it
/// derefs to `[EdgeId]`). Nearly every node is reached by one edge, which is kept inline, so
/// that a closure of thousands of nodes does not make thousands of allocations.
#[derive(Clone, Default)]
pub struct Via(ViaRepr);

#[derive(Clone)]
enum ViaRepr {
    One(EdgeId),
    Many(Vec<EdgeId>),
}

impl Default for ViaRepr {
    fn default() -> Self {
        ViaRepr::Many(Vec::new())
    }
}

impl Via {
    /// Adds an edge at the end.
    pub fn push(&mut self, e: EdgeId) {
        self.0 = match std::mem::take(&mut self.0) {
            ViaRepr::Many(v) if v.is_empty() => ViaRepr::One(e),
            ViaRepr::Many(mut v) => {
                v.push(e);
                ViaRepr::Many(v)
            }
            ViaRepr::One(f) => ViaRepr::Many(vec![f, e]),
        };
    }
}

impl std::ops::Deref for Via {
    type Target = [EdgeId];
    fn deref(&self) -> &[EdgeId] {
        match &self.0 {
            ViaRepr::One(e) => std::slice::from_ref(e),
            ViaRepr::Many(v) => v,
        }
    }
}

impl From<Vec<EdgeId>> for Via {
    fn from(v: Vec<EdgeId>) -> Via {
        Via(ViaRepr::Many(v))
    }
}

impl PartialEq for Via {
    fn eq(&self, other: &Via) -> bool {
        **self == **other
    }
}

impl Eq for Via {}

impl std::fmt::Debug for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The result of [`closure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The node the closure started from.
    pub root: NodeId,
    /// Which way it ran.
    pub direction: Direction,
    /// Every node reached (the root excluded), by depth, then id.
    pub hits: Vec<Hit>,
}

impl Closure {
    /// Whether `n` was reached.
    pub fn contains(&self, n: NodeId) -> bool {
        self.hits.iter().any(|h| h.node == n)
    }
}

/// What a hop of kind code `code` adds to the generation: renamings nothing (a renamed party is
/// the same generation), every other kind one.
fn weight(code: u8) -> u32 {
    u32::from(code != EdgeKind::Renaming as u8)
}

thread_local! {
    /// Zeroed distance arrays kept between closures on this thread.
    static SCRATCH: RefCell<Vec<Vec<u32>>> = const { RefCell::new(Vec::new()) };
}

/// A zeroed array of at least `n` words, from this thread's pool when it has one.
fn scratch(n: usize) -> Vec<u32> {
    let mut v = SCRATCH.with(|s| s.borrow_mut().pop()).unwrap_or_default();
    if v.len() < n {
        v.resize(n, 0);
    }
    v
}

/// Returns an array taken by [`scratch`] to the pool, zeroing the entries in `touched` (every
/// entry that was set). An array not returned (a panic in between) is simply dropped.
fn give_back(mut v: Vec<u32>, touched: &[u32]) {
    for &t in touched {
        v[t as usize] = 0;
    }
    SCRATCH.with(|s| {
        let mut s = s.borrow_mut();
        if s.len() < 2 {
            s.push(v);
        }
    });
}

/// 0-1 BFS from `root`. Returns the distance plus one of every node (0: not reached), in an
/// array from [`scratch`], and the nodes reached, root first, in the order they were first
/// reached (the entries to zero when the array goes back).
fn bfs01(db: &Db, root: NodeId, up: bool, f: &Filter, allow_maybe: bool) -> (Vec<u32>, Vec<u32>) {
    let (off, adj) = db.lineage_csr(up);
    let kinds = db.slot_kinds(up);
    let mut dist = scratch(db.node_count());
    let mut order = vec![root.0];
    let mut dq = VecDeque::new();
    dist[root.index()] = 1;
    dq.push_back(root.0);
    while let Some(v) = dq.pop_front() {
        let dv = dist[v as usize] - 1;
        for slot in off[v as usize] as usize..off[v as usize + 1] as usize {
            let (u, code) = (adj[slot * 2], kinds[slot]);
            match f.pass_slot(db, code, adj[slot * 2 + 1]) {
                Pass::No => continue,
                Pass::Maybe if !allow_maybe => continue,
                _ => {}
            }
            let w = weight(code);
            let du = dv + w;
            if f.max_depth.is_some_and(|m| du > m) {
                continue;
            }
            let old = dist[u as usize];
            if old == 0 || du + 1 < old {
                if old == 0 {
                    order.push(u);
                }
                dist[u as usize] = du + 1;
                if w == 0 {
                    dq.push_front(u);
                } else {
                    dq.push_back(u);
                }
            }
        }
    }
    (dist, order)
}

/// Sorts `keys` (LSD radix sort, 11 bits a pass, skipping digits that are the same in every
/// key): the (depth, node) keys of a closure differ in few bits, so this takes two or three
/// linear passes where a comparison sort takes log n.
fn radix_sort(keys: &mut Vec<u64>) {
    if keys.len() < 64 {
        keys.sort_unstable();
        return;
    }
    let (or, and) = keys
        .iter()
        .fold((0u64, u64::MAX), |(o, a), &k| (o | k, a & k));
    let varying = or ^ and;
    let mut buf = vec![0u64; keys.len()];
    let mut shift = 0;
    while shift < 64 {
        if (varying >> shift) & 0x7ff != 0 {
            let mut count = [0usize; 2049];
            for &k in keys.iter() {
                count[((k >> shift) & 0x7ff) as usize + 1] += 1;
            }
            for i in 0..2048 {
                count[i + 1] += count[i];
            }
            for &k in keys.iter() {
                let d = ((k >> shift) & 0x7ff) as usize;
                buf[count[d]] = k;
                count[d] += 1;
            }
            std::mem::swap(keys, &mut buf);
        }
        shift += 11;
    }
}

/// The ancestors or descendants of a node: the closure over lineage edges.
///
/// A renaming continues the same organisation, so crossing one does not add a generation. A
/// cycle in the data cannot hang the query: every node is settled once.
///
/// # Arguments
/// - `db`: the database; `root`: the start node; `dir`: which way; `filter`: kinds, depth, dates.
///
/// # Returns
/// A [`Closure`]: every node reached with its depth, the edges that reached it, and whether it is
/// uncertain at the `at` date. Sorted by depth, then id; the root is not included.
///
/// # Complexity
/// O(V + E) time over the part of the graph reached (plus sorting it). Memory: the result, and
/// a zeroed array of one word per node of the graph, kept by the calling thread between calls
/// (at most two per thread) so that a closure costs what it reaches rather than the size of the
/// graph.
///
/// # Example
/// ```
/// use lineage::{Db, query::{closure, Direction, Filter}};
/// let db = Db::embedded().unwrap();
/// let amanat = db.resolve("Amanat").unwrap();
/// let anc = closure(&db, amanat, Direction::Ancestors, &Filter::default());
/// assert!(anc.contains(db.resolve("Otan").unwrap()));
/// ```
pub fn closure(db: &Db, root: NodeId, dir: Direction, filter: &Filter) -> Closure {
    let up = dir == Direction::Ancestors;
    let (dist, order) = bfs01(db, root, up, filter, true);
    let sure = filter
        .at
        .is_some()
        .then(|| bfs01(db, root, up, filter, false));
    // via: edges from an already-reached node w with dist[w] + weight == dist[v]
    // (distances are stored plus one, 0 meaning not reached)
    let (off, adj) = db.lineage_csr(!up);
    let kinds = db.slot_kinds(!up);
    // sorted by depth, then id: sort (depth, node) keys, then build the hits in that order
    let mut keys: Vec<u64> = order[1..]
        .iter()
        .map(|&v| (u64::from(dist[v as usize]) << 32) | u64::from(v))
        .collect();
    radix_sort(&mut keys);
    let mut hits = Vec::with_capacity(keys.len());
    for key in keys {
        let (d, v) = ((key >> 32) as u32, key as u32 as usize);
        let mut via = Via::default();
        for slot in off[v] as usize..off[v + 1] as usize {
            let (w, code, e) = (adj[slot * 2] as usize, kinds[slot], adj[slot * 2 + 1]);
            if dist[w] != 0
                && dist[w] + weight(code) == d
                && filter.pass_slot(db, code, e) != Pass::No
            {
                via.push(EdgeId(e));
            }
        }
        hits.push(Hit {
            node: NodeId(v as u32),
            depth: d - 1,
            via,
            uncertain: sure.as_ref().is_some_and(|(s, _)| s[v] == 0),
        });
    }
    give_back(dist, &order);
    if let Some((s, o)) = sure {
        give_back(s, &o);
    }
    Closure {
        root,
        direction: dir,
        hits,
    }
}

/// Just the set of nodes reached from `root` over the given edge kinds, in BFS order, without
/// depths or edges: the fastest form of [`closure`] (used by the benchmarks).
///
/// # Arguments
/// - `db`, `root`, `dir`; `kinds`: the edge kinds followed; `seen`: scratch space of at least
///   `db.node_count()` bits, all clear (it is cleared again before returning).
///
/// # Returns
/// The nodes reached, root excluded, in BFS order.
///
/// # Complexity
/// O(V + E) over the part reached; no allocation besides the result.
///
/// # Example
/// ```
/// use lineage::{Db, model::KindSet, query::{reach, Direction}};
/// let db = Db::embedded().unwrap();
/// let mut seen = vec![0u64; db.node_count().div_ceil(64)];
/// let r = reach(&db, db.resolve("Amanat").unwrap(), Direction::Ancestors, KindSet::LINEAGE, &mut seen);
/// assert!(r.contains(&db.resolve("Otan").unwrap()));
/// ```
pub fn reach(
    db: &Db,
    root: NodeId,
    dir: Direction,
    kinds: KindSet,
    seen: &mut [u64],
) -> Vec<NodeId> {
    let (off, adj) = db.lineage_csr(dir == Direction::Ancestors);
    let all = EdgeKind::LINEAGE.iter().all(|k| kinds.contains(*k));
    let slot_kinds = (!all).then(|| db.slot_kinds(dir == Direction::Ancestors));
    let mut out: Vec<NodeId> = Vec::new();
    let r = root.index();
    seen[r >> 6] |= 1 << (r & 63);
    let mut i = 0;
    let mut cur = root.0;
    loop {
        let (a, b) = (off[cur as usize] as usize, off[cur as usize + 1] as usize);
        for (i, pair) in adj[a * 2..b * 2].chunks_exact(2).enumerate() {
            let u = pair[0] as usize;
            if let Some(k) = slot_kinds
                && !kinds.contains_code(k[a + i])
            {
                continue;
            }
            let (word, bit) = (u >> 6, 1u64 << (u & 63));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                out.push(NodeId(u as u32));
            }
        }
        if i == out.len() {
            break;
        }
        cur = out[i].0;
        i += 1;
    }
    seen[r >> 6] &= !(1 << (r & 63));
    for n in &out {
        seen[n.index() >> 6] &= !(1 << (n.index() & 63));
    }
    out
}

/// One hop of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// The edge.
    pub edge: EdgeId,
    /// Whether the hop follows the edge's direction (from → to). False: it goes back in time.
    pub forward: bool,
}

/// The shortest lineage path between two nodes.
///
/// By default hops may follow edges either way (two parties are related through a common
/// ancestor). With `time_respecting`, only forward hops are used (from `a` to `b`, or from `b` to
/// `a`), and each hop must not be dated certainly earlier than the hop before it; undated hops
/// are accepted.
///
/// # Arguments
/// - `db`, `a`, `b`; `kinds`: the edge kinds usable; `time_respecting`: see above.
///
/// # Returns
/// The hops from `a` to `b` (empty when `a == b`), or `None` when they are not connected.
///
/// # Complexity
/// O(V + E) for the plain search; the time-respecting search may revisit a node when it reaches
/// it with an earlier date, O(V·E) in the worst case.
///
/// # Example
/// ```
/// use lineage::{Db, model::KindSet, query::path};
/// let db = Db::embedded().unwrap();
/// let (a, b) = (db.resolve("Civic Party").unwrap(), db.resolve("Amanat").unwrap());
/// let p = path(&db, a, b, KindSet::LINEAGE, false).unwrap();
/// assert!(!p.is_empty());
/// ```
pub fn path(
    db: &Db,
    a: NodeId,
    b: NodeId,
    kinds: KindSet,
    time_respecting: bool,
) -> Option<Vec<Hop>> {
    if a == b {
        return Some(Vec::new());
    }
    if time_respecting {
        let fwd = timed_path(db, a, b, kinds);
        let back = timed_path(db, b, a, kinds).map(|p| {
            p.into_iter()
                .rev()
                .map(|h| Hop {
                    edge: h.edge,
                    forward: false,
                })
                .collect::<Vec<_>>()
        });
        return match (fwd, back) {
            (Some(f), Some(k)) => Some(if k.len() < f.len() { k } else { f }),
            (f, k) => f.or(k),
        };
    }
    let n = db.node_count();
    let mut prev: Vec<Option<(u32, Hop)>> = vec![None; n];
    let mut seen = vec![false; n];
    seen[a.index()] = true;
    let mut q = VecDeque::from([a.0]);
    let (uo, ua) = db.lineage_csr(true);
    let (doff, dadj) = db.lineage_csr(false);
    while let Some(v) = q.pop_front() {
        if v == b.0 {
            break;
        }
        let vi = v as usize;
        let steps = dadj[doff[vi] as usize * 2..doff[vi + 1] as usize * 2]
            .chunks_exact(2)
            .map(|p| (p[0], p[1], true))
            .chain(
                ua[uo[vi] as usize * 2..uo[vi + 1] as usize * 2]
                    .chunks_exact(2)
                    .map(|p| (p[0], p[1], false)),
            );
        for (u, e, forward) in steps {
            if !kinds.contains(db.edge_kind(EdgeId(e))) || seen[u as usize] {
                continue;
            }
            seen[u as usize] = true;
            prev[u as usize] = Some((
                v,
                Hop {
                    edge: EdgeId(e),
                    forward,
                },
            ));
            q.push_back(u);
        }
    }
    if !seen[b.index()] {
        return None;
    }
    let mut hops = Vec::new();
    let mut cur = b.0;
    while let Some((p, h)) = prev[cur as usize] {
        hops.push(h);
        cur = p;
    }
    hops.reverse();
    Some(hops)
}

fn timed_path(db: &Db, a: NodeId, b: NodeId, kinds: KindSet) -> Option<Vec<Hop>> {
    // Layered search: best[v] = the earliest "last hop date" with which v has been reached.
    let n = db.node_count();
    let mut best = vec![Day::MAX; n];
    let mut prev: Vec<Option<(u32, EdgeId)>> = vec![None; n];
    best[a.index()] = OPEN_START;
    let mut frontier = vec![a.0];
    let (off, adj) = db.lineage_csr(false);
    let mut rounds = 0usize;
    while !frontier.is_empty() && best[b.index()] == Day::MAX && rounds <= n {
        rounds += 1;
        let mut next = Vec::new();
        for &v in &frontier {
            let vi = v as usize;
            for p in adj[off[vi] as usize * 2..off[vi + 1] as usize * 2].chunks_exact(2) {
                let (u, e) = (p[0] as usize, EdgeId(p[1]));
                if !kinds.contains(db.edge_kind(e)) {
                    continue;
                }
                let (lo, hi) = db.edge_when(e).unwrap_or((OPEN_START, OPEN_END));
                // not certainly earlier than the hop before it
                if hi < best[vi] && best[vi] != OPEN_START {
                    continue;
                }
                let arrive = if lo == OPEN_START {
                    best[vi]
                } else {
                    lo.max(best[vi])
                };
                if arrive < best[u] {
                    best[u] = arrive;
                    prev[u] = Some((v, e));
                    next.push(u as u32);
                }
            }
        }
        next.sort_unstable();
        next.dedup();
        frontier = next;
    }
    if best[b.index()] == Day::MAX {
        return None;
    }
    let mut hops = Vec::new();
    let mut cur = b.0;
    let mut guard = 0;
    while let Some((p, e)) = prev[cur as usize] {
        hops.push(Hop {
            edge: e,
            forward: true,
        });
        cur = p;
        guard += 1;
        if cur == a.0 || guard > n {
            break;
        }
    }
    hops.reverse();
    Some(hops)
}

/// Common ancestors of two nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// Every node that is an ancestor (or the node itself) of both, in id order.
    pub all: Vec<NodeId>,
    /// The nearest of them: those that are not an ancestor of another common ancestor.
    pub nearest: Vec<NodeId>,
}

/// The common ancestors of `a` and `b`, and the nearest ones among them.
///
/// A node counts as its own ancestor here, so if `a` descends from `b`, `b` is their nearest
/// common ancestor.
///
/// # Arguments
/// - `db`, `a`, `b`; `kinds`: the edge kinds followed.
///
/// # Returns
/// [`Common`]: all common ancestors and the nearest ones, each in id order.
///
/// # Complexity
/// O((V + E) log V): two closures, their intersection, and one look at each out-edge of the
/// common ancestors to find the nearest (the common set is closed upwards, so a common ancestor
/// lies above another exactly when one of its own edges leads into the set).
///
/// # Example
/// ```
/// use lineage::{Db, model::KindSet, query::common_ancestors};
/// let db = Db::embedded().unwrap();
/// let (a, b) = (db.resolve("Nur Otan").unwrap(), db.resolve("Amanat").unwrap());
/// let c = common_ancestors(&db, a, b, KindSet::LINEAGE);
/// assert_eq!(c.nearest, vec![a]);
/// ```
pub fn common_ancestors(db: &Db, a: NodeId, b: NodeId, kinds: KindSet) -> Common {
    let f = Filter {
        kinds,
        ..Filter::default()
    };
    let set = |n: NodeId| -> BTreeSet<NodeId> {
        let mut s: BTreeSet<NodeId> = closure(db, n, Direction::Ancestors, &f)
            .hits
            .into_iter()
            .map(|h| h.node)
            .collect();
        s.insert(n);
        s
    };
    let all: Vec<NodeId> = set(a).intersection(&set(b)).copied().collect();
    // The common set is closed upwards (an ancestor of a common ancestor is common), so a common
    // ancestor lies above another exactly when one of its own lineage edges leads to a common
    // node: one look at each out-edge instead of a closure per candidate.
    let allset: BTreeSet<NodeId> = all.iter().copied().collect();
    let nearest = all
        .iter()
        .copied()
        .filter(|&c| {
            !db.out_edges(c).any(|e| {
                let k = db.edge_kind(e);
                // closures follow lineage edges only, whatever else `kinds` holds
                k.is_lineage() && kinds.contains(k) && allset.contains(&db.endpoints(e).1)
            })
        })
        .collect();
    Common { all, nearest }
}

/// One member of a renaming/reorganisation chain and when it was in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Era {
    /// The node.
    pub node: NodeId,
    /// When it came into force: the date of the renaming into it, else its founding.
    pub from: Option<(Day, Day)>,
    /// When it went out of force: the date of the renaming out of it, else its end.
    pub until: Option<(Day, Day)>,
}

/// The answer to "what was it called at this date?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameAt {
    /// The whole chain, oldest first.
    pub chain: Vec<Era>,
    /// The members that may have been in force at some day of the date asked.
    pub candidates: Vec<NodeId>,
    /// Whether exactly one member was certainly in force throughout the date asked.
    pub certain: bool,
}

/// The node of the same renaming/reorganisation chain that was in force at a date.
///
/// The chain is every node joined to `n` by renaming or reorganisation edges, either way. A
/// member is in force from the date of the edge into it (or its founding) until the date of the
/// edge out of it (or its end). The date asked is itself an interval (`2005` is the whole year).
/// When several members may have been in force in it, because the name changed during it or
/// because the dates are uncertain, all of them are returned and `certain` is false: nothing is
/// picked.
///
/// # Arguments
/// - `db`, `n`: any member of the chain; `at`: the date asked.
///
/// # Returns
/// [`NameAt`]: the chain with each era, the candidates, and whether the answer is certain. No
/// candidate means no member existed yet (or any more) at that date.
///
/// # Complexity
/// O(C·d) for a chain of C members of degree d.
///
/// # Example
/// ```
/// use lineage::{Db, DateSpec, query::name_at};
/// let db = Db::embedded().unwrap();
/// let r = name_at(&db, db.resolve("Amanat").unwrap(), &DateSpec::parse("2005").unwrap());
/// assert_eq!(r.candidates, vec![db.resolve("Otan").unwrap()]);
/// assert!(r.certain);
/// ```
pub fn name_at(db: &Db, n: NodeId, at: &DateSpec) -> NameAt {
    let same = |k: EdgeKind| matches!(k, EdgeKind::Renaming | EdgeKind::Reorganisation);
    let mut members = BTreeSet::from([n]);
    let mut stack = vec![n];
    while let Some(v) = stack.pop() {
        for e in db.out_edges(v).chain(db.in_edges(v)) {
            if !same(db.edge_kind(e)) {
                continue;
            }
            let (a, b) = db.endpoints(e);
            for x in [a, b] {
                if members.insert(x) {
                    stack.push(x);
                }
            }
        }
    }
    let mut chain: Vec<Era> = members
        .iter()
        .map(|&m| {
            let into = db
                .in_edges(m)
                .filter(|e| same(db.edge_kind(*e)))
                .filter_map(|e| db.edge_when(e))
                .reduce(hull2);
            let out = db
                .out_edges(m)
                .filter(|e| same(db.edge_kind(*e)))
                .filter_map(|e| db.edge_when(e))
                .reduce(hull2);
            Era {
                node: m,
                from: into.or_else(|| db.begin(m)),
                until: out.or_else(|| db.end(m)),
            }
        })
        .collect();
    chain.sort_by_key(|e| (e.from.map_or(OPEN_START, |f| f.0), e.node));
    let (qlo, qhi) = (at.earliest(), at.latest());
    let possible = |e: &Era| {
        let started = e.from.is_none_or(|(lo, _)| lo <= qhi);
        let not_ended = e.until.is_none_or(|(_, hi)| hi > qlo);
        started && not_ended
    };
    let surely_throughout = |e: &Era| {
        let started = e.from.is_some_and(|(_, hi)| hi <= qlo);
        let not_ended = e.until.is_none_or(|(lo, _)| lo > qhi);
        started && not_ended
    };
    let candidates: Vec<NodeId> = chain
        .iter()
        .filter(|e| possible(e))
        .map(|e| e.node)
        .collect();
    let certain = candidates.len() == 1
        && chain
            .iter()
            .any(|e| e.node == candidates[0] && surely_throughout(e));
    NameAt {
        chain,
        candidates,
        certain,
    }
}

fn hull2(a: (Day, Day), b: (Day, Day)) -> (Day, Day) {
    (a.0.min(b.0), a.1.max(b.1))
}

/// A leader of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leader {
    /// The person.
    pub person: NodeId,
    /// The leadership edge (role and term are on it).
    pub edge: EdgeId,
}

/// The leaders of an organisation, optionally at a date.
///
/// # Arguments
/// - `db`, `org`; `at`: when given, only leaders whose term may cover some day of it (a term
///   with unknown ends is kept).
///
/// # Returns
/// The leadership edges into `org`, ordered by term start, then person id.
///
/// # Complexity
/// O(d log d) for the node's in-degree d.
///
/// # Example
/// ```
/// use lineage::{Db, query::leaders};
/// let db = Db::embedded().unwrap();
/// let l = leaders(&db, db.resolve("Civic Party").unwrap(), None);
/// assert!(!l.is_empty());
/// ```
pub fn leaders(db: &Db, org: NodeId, at: Option<&DateSpec>) -> Vec<Leader> {
    let mut out: Vec<(Day, Leader)> = Vec::new();
    for e in db.in_edges(org) {
        if db.edge_kind(e) != EdgeKind::Leadership {
            continue;
        }
        let edge = db.edge(e);
        let (from, until) = match &edge.term {
            Some(t) => (t.from.clone(), t.until.clone()),
            None => (None, None),
        };
        if let Some(at) = at {
            if from.as_ref().is_some_and(|f| f.earliest() > at.latest()) {
                continue;
            }
            if until.as_ref().is_some_and(|u| u.latest() < at.earliest()) {
                continue;
            }
        }
        let start = from.map_or(OPEN_START, |f| f.earliest());
        out.push((
            start,
            Leader {
                person: db.endpoints(e).0,
                edge: e,
            },
        ));
    }
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.person.cmp(&b.1.person))
            .then(a.1.edge.cmp(&b.1.edge))
    });
    out.into_iter().map(|x| x.1).collect()
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The node.
    pub node: NodeId,
    /// The best-matching name or alias key.
    pub key: String,
    /// Similarity, 0 to 1 (1: exact after folding).
    pub score: f64,
}

/// Ranked fuzzy matches over ids, names and aliases.
///
/// Names are folded as for lookup (case, punctuation, diacritics, script). The score is the
/// Jaro-Winkler similarity of the folded strings, raised for prefix and substring matches.
///
/// # Arguments
/// - `db`; `text`: what to look for; `limit`: the most results returned.
///
/// # Returns
/// Up to `limit` nodes, best first (ties by id), each scoring at least 0.7.
///
/// # Complexity
/// O(K·L) for K name keys of length L.
///
/// # Example
/// ```
/// use lineage::{Db, query::search};
/// let db = Db::embedded().unwrap();
/// let hits = search(&db, "nur otn", 3);
/// assert_eq!(db.id(hits[0].node), "nur-otan");
/// ```
pub fn search(db: &Db, text: &str, limit: usize) -> Vec<SearchHit> {
    let q = normalize(text);
    if q.is_empty() {
        return Vec::new();
    }
    let mut best: BTreeMap<NodeId, (f64, String)> = BTreeMap::new();
    for (key, posts) in db.keys() {
        let mut s = strsim::jaro_winkler(&q, key);
        if key == q {
            s = 1.0;
        } else if q.len() >= 3 && key.starts_with(&q) {
            s = s.max(0.95);
        } else if q.len() >= 4 && key.contains(&q) {
            s = s.max(0.9);
        }
        for &p in posts {
            let e = best.entry(NodeId(p)).or_insert((0.0, String::new()));
            if s > e.0 {
                *e = (s, key.to_string());
            }
        }
    }
    let mut v: Vec<SearchHit> = best
        .into_iter()
        .filter(|(_, (s, _))| *s >= 0.7)
        .map(|(node, (score, key))| SearchHit { node, key, score })
        .collect();
    v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
    v.truncate(limit);
    v
}

/// One entry of a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// When.
    pub date: DateSpec,
    /// The node it happened to (for edges: the `to` node).
    pub node: NodeId,
    /// What happened: `founded`, `registered`, `ended`, an event kind, or an edge kind.
    pub what: String,
    /// Free text (event note, or the other node's name for edges).
    pub note: String,
    /// The edge, for edge entries.
    pub edge: Option<EdgeId>,
    /// Source ids.
    pub sources: Vec<String>,
}

/// Events in date order: foundings, registrations, ends, node events and dated edges.
///
/// # Arguments
/// - `db`; `nodes`: limit to these nodes (`None`: all organisations); `since`, `until`: keep
///   entries whose date may fall in the window.
///
/// # Returns
/// Entries sorted by earliest day, latest day, then node id and text.
///
/// # Complexity
/// O(R log R) for R records of the nodes chosen.
///
/// # Example
/// ```
/// use lineage::{Db, query::timeline};
/// let db = Db::embedded().unwrap();
/// let t = timeline(&db, None, None, None);
/// assert!(t.windows(2).all(|w| w[0].date.earliest() <= w[1].date.earliest()));
/// ```
pub fn timeline(
    db: &Db,
    nodes: Option<&BTreeSet<NodeId>>,
    since: Option<Day>,
    until: Option<Day>,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let keep = |d: &DateSpec| {
        since.is_none_or(|s| d.latest() >= s) && until.is_none_or(|u| d.earliest() <= u)
    };
    let chosen = |n: NodeId| nodes.map_or(db.kind(n) != NodeKind::Person, |s| s.contains(&n));
    for n in db.node_ids().filter(|n| chosen(*n)) {
        let node = db.node(n);
        for (what, claims) in [
            ("founded", &node.founded),
            ("registered", &node.registered),
            ("ended", &node.ended),
        ] {
            for c in claims.iter().filter(|c| keep(&c.date)) {
                out.push(TimelineEntry {
                    date: c.date.clone(),
                    node: n,
                    what: what.into(),
                    note: c.note.clone(),
                    edge: None,
                    sources: c.sources.clone(),
                });
            }
        }
        for ev in node.events.iter().filter(|e| keep(&e.date)) {
            out.push(TimelineEntry {
                date: ev.date.clone(),
                node: n,
                what: ev.kind.to_string(),
                note: ev.note.clone(),
                edge: None,
                sources: ev.sources.clone(),
            });
        }
        for r in node.results.iter().filter(|r| keep(&r.election)) {
            let note = if r.note.is_empty() {
                format!("{}: {}", r.body, r.figures())
            } else {
                format!("{}: {} ({})", r.body, r.figures(), r.note)
            };
            out.push(TimelineEntry {
                date: r.election.clone(),
                node: n,
                what: "election result".into(),
                note,
                edge: None,
                sources: r.sources.clone(),
            });
        }
    }
    for e in db.edge_ids() {
        let (a, b) = db.endpoints(e);
        if !(chosen(b) || (nodes.is_some() && chosen(a))) {
            continue;
        }
        let edge = db.edge(e);
        for c in edge.date.iter().filter(|c| keep(&c.date)) {
            out.push(TimelineEntry {
                date: c.date.clone(),
                node: b,
                what: edge.kind.to_string(),
                note: format!("{} → {}", db.name(a), db.name(b)),
                edge: Some(e),
                sources: c.sources.clone(),
            });
        }
    }
    out.sort_by(|x, y| {
        (x.date.earliest(), x.date.latest(), x.node, &x.what, &x.note).cmp(&(
            y.date.earliest(),
            y.date.latest(),
            y.node,
            &y.what,
            &y.note,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The radix sort agrees with a comparison sort, on short inputs (which take the comparison
    /// path) and long ones, with keys that vary in low bits, high bits or both.
    #[test]
    fn radix_sort_agrees_with_sort_unstable() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for len in [0, 1, 5, 63, 64, 65, 1_000, 10_000] {
            for mask in [0xffu64, 0xf_ffff, 0x3f_0000_0000 | 0xf_ffff, u64::MAX] {
                let keys: Vec<u64> = (0..len).map(|_| next() & mask).collect();
                let mut want = keys.clone();
                want.sort_unstable();
                let mut got = keys;
                radix_sort(&mut got);
                assert_eq!(got, want, "len {len}, mask {mask:#x}");
            }
        }
    }

    #[test]
    fn via_is_a_slice_whatever_it_holds() {
        let mut v = Via::default();
        assert!(v.is_empty());
        v.push(EdgeId(7));
        assert_eq!(&*v, &[EdgeId(7)]);
        assert_eq!(v, Via::from(vec![EdgeId(7)]));
        v.push(EdgeId(3));
        v.push(EdgeId(9));
        assert_eq!(&*v, &[EdgeId(7), EdgeId(3), EdgeId(9)]);
        assert_ne!(v, Via::from(vec![EdgeId(7)]));
        assert_eq!(
            format!("{v:?}"),
            format!("{:?}", [EdgeId(7), EdgeId(3), EdgeId(9)])
        );
    }
}
