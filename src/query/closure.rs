//! Ancestors and descendants: the closure over lineage edges, with generations and the edges
//! that reached each node, and the bare reachable set.

use std::cell::RefCell;
use std::collections::VecDeque;

use super::*;
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{EdgeKind, KindSet};

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
pub(super) fn give_back(mut v: Vec<u32>, touched: &[u32]) {
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

/// 0-1 BFS from `roots`. Returns the distance plus one of every node (0: not reached), in an
/// array from [`scratch`], and the nodes reached, roots first, in the order they were first
/// reached (the entries to zero when the array goes back).
pub(super) fn bfs01(
    db: &Db,
    roots: &[u32],
    up: bool,
    f: &Filter,
    allow_maybe: bool,
) -> (Vec<u32>, Vec<u32>) {
    let csr = db.lineage_csr(up);
    let kinds = db.slot_kinds(up);
    let mut dist = scratch(db.node_count());
    let mut order = Vec::with_capacity(roots.len());
    let mut dq = VecDeque::new();
    for &r in roots {
        if dist[r as usize] == 0 {
            dist[r as usize] = 1;
            order.push(r);
            dq.push_back(r);
        }
    }
    while let Some(v) = dq.pop_front() {
        let dv = dist[v as usize] - 1;
        for slot in csr.slots(v as usize) {
            let ((u, e), code) = (csr.slot(slot), kinds[slot]);
            match f.pass_slot(db, code, e) {
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
pub(super) fn radix_sort(keys: &mut Vec<u64>) {
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
    let (dist, order) = bfs01(db, &[root.0], up, filter, true);
    let sure = filter
        .at
        .is_some()
        .then(|| bfs01(db, &[root.0], up, filter, false));
    // via: edges from an already-reached node w with dist[w] + weight == dist[v]
    // (distances are stored plus one, 0 meaning not reached)
    let csr = db.lineage_csr(!up);
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
        for slot in csr.slots(v) {
            let ((w, e), code) = (csr.slot(slot), kinds[slot]);
            let w = w as usize;
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
/// use lineage::{Db, KindSet, query::{reach, Direction}};
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
    let csr = db.lineage_csr(dir == Direction::Ancestors);
    let all = EdgeKind::LINEAGE.iter().all(|k| kinds.contains(*k));
    let slot_kinds = (!all).then(|| db.slot_kinds(dir == Direction::Ancestors));
    let mut out: Vec<NodeId> = Vec::new();
    let r = root.index();
    seen[r >> 6] |= 1 << (r & 63);
    let mut i = 0;
    let mut cur = root.0;
    loop {
        let a = csr.slots(cur as usize).start;
        for (i, (u, _)) in csr.pairs(cur as usize).enumerate() {
            let u = u as usize;
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
