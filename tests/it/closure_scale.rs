//! Closures on generated graphs large enough to take the paths small graphs never reach: the
//! radix sort (64 or more hits) and the per-thread distance arrays reused across graphs of
//! different sizes. Each closure is checked against a plain recomputation.

use std::collections::{BTreeMap, VecDeque};

use lineage::query::{Direction, Filter, closure, reach};
use lineage::{Db, EdgeKind, KindSet, NodeId};
use lineage_synth::{Config, Synth};

type Next = BTreeMap<NodeId, Vec<(NodeId, u32)>>;

/// Each node's lineage neighbours one way, with the hop's weight (renamings weigh 0), from
/// `Db::edge`.
fn neighbours(db: &Db, dir: Direction) -> Next {
    let mut next = Next::new();
    for e in db.edge_ids() {
        let edge = db.edge(e);
        if !KindSet::LINEAGE.contains(edge.kind) {
            continue;
        }
        let (a, b) = db.endpoints(e);
        let w = u32::from(edge.kind != EdgeKind::Renaming);
        let (from, to) = if dir == Direction::Ancestors {
            (b, a)
        } else {
            (a, b)
        };
        next.entry(from).or_default().push((to, w));
    }
    next
}

/// Generations by a plain 0-1 BFS, for checking.
fn generations(next: &Next, root: NodeId) -> BTreeMap<NodeId, u32> {
    let mut dist = BTreeMap::from([(root, 0u32)]);
    let mut dq = VecDeque::from([root]);
    while let Some(v) = dq.pop_front() {
        let dv = dist[&v];
        for &(u, w) in next.get(&v).map(Vec::as_slice).unwrap_or(&[]) {
            if dist.get(&u).is_none_or(|&du| dv + w < du) {
                dist.insert(u, dv + w);
                if w == 0 {
                    dq.push_front(u);
                } else {
                    dq.push_back(u);
                }
            }
        }
    }
    dist.remove(&root);
    dist
}

#[test]
fn large_closures_are_sorted_and_right_across_graph_sizes() {
    let mut checked_large = 0;
    // a larger graph first, then a smaller one: the smaller reuses the larger's arrays
    for n in [6_000, 1_500] {
        // few countries, so that histories are long and closures large
        let s = Synth::generate(&Config {
            countries: 4,
            ..Config::new(n, 11)
        });
        let db = s
            .to_graph()
            .freeze()
            .expect("the generated graph validates");
        let mut seen = vec![0u64; db.node_count().div_ceil(64)];
        let ids: Vec<NodeId> = db.node_ids().collect();
        let next = [
            neighbours(&db, Direction::Ancestors),
            neighbours(&db, Direction::Descendants),
        ];
        for &t in s.targets(40, 3).iter() {
            let root = ids[t as usize];
            for (dir, next) in [Direction::Ancestors, Direction::Descendants]
                .iter()
                .zip(&next)
            {
                let dir = *dir;
                let c = closure(&db, root, dir, &Filter::default());
                let keys: Vec<(u32, NodeId)> = c.hits.iter().map(|h| (h.depth, h.node)).collect();
                assert!(keys.is_sorted(), "not sorted by depth, then id");
                let want = generations(next, root);
                let got: BTreeMap<NodeId, u32> = c.hits.iter().map(|h| (h.node, h.depth)).collect();
                assert_eq!(got, want);
                let mut set = reach(&db, root, dir, KindSet::LINEAGE, &mut seen);
                set.sort();
                assert_eq!(set, got.keys().copied().collect::<Vec<_>>());
                for h in &c.hits {
                    assert!(!h.via.is_empty());
                    for &e in h.via.iter() {
                        let (a, b) = db.endpoints(e);
                        let end = if dir == Direction::Ancestors { a } else { b };
                        assert_eq!(end, h.node, "a via edge ends at its hit");
                    }
                }
                if c.hits.len() >= 64 {
                    checked_large += 1;
                }
            }
        }
    }
    assert!(
        checked_large >= 20,
        "only {checked_large} closures of 64 or more nodes"
    );
}
