//! A deterministic synthetic lineage generator, for lineage's benchmarks and scale tests (a
//! crate of its own, not published).
//!
//! Longer than most files because the generator is one recipe (eras, splits, mergers,
//! renamings, people) whose steps share their random state.
//!
//! It writes organisation histories of any size from a seed: about 100 independent "countries",
//! each growing one event at a time. Every new node is a founding (about 5%), a renaming of a live
//! party (about 40%), a split from one (about 31%) or a merger of 2–3 live parties (about 24%).
//! A country keeps at most about 40 live parties: past that, a random one dissolves. Nodes carry
//! names and founding/ending years, edges their kind and year, all citing one source.
//!
//! Node ids are `c<country>-<sequence>` (`c042-0001234`), so the snapshot's id order keeps each
//! country's history together, the way slugs namespaced by country would. The same seed and size
//! always give the same graph, in the same order.
//!
//! ```
//! use lineage_synth::{Config, Synth};
//! let s = Synth::generate(&Config::new(2_000, 7));
//! assert_eq!(s.nodes.len(), 2_000);
//! let db = s.to_graph().freeze().unwrap();
//! assert_eq!(db.node_count(), 2_000);
//! assert_eq!(db.edge_count(), s.edges.len());
//! ```

use lineage::{Claim, DateSpec, Edge, EdgeKind, Graph, Node, NodeKind, Source};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Total number of nodes.
    pub nodes: usize,
    /// Number of independent countries.
    pub countries: usize,
    /// The most live parties a country keeps before one dissolves.
    pub max_live: usize,
    /// The seed: the same seed gives the same graph.
    pub seed: u64,
    /// The first year of the history; the last is `first_year + years`.
    pub first_year: i32,
    /// How many years the history spans.
    pub years: i32,
}

impl Config {
    /// `nodes` nodes from `seed`, with the defaults: 100 countries of at most 40 live parties,
    /// 1850 to 2025.
    pub fn new(nodes: usize, seed: u64) -> Config {
        Config {
            nodes,
            countries: 100,
            max_live: 40,
            seed,
            first_year: 1850,
            years: 175,
        }
    }
}

/// One generated organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthNode {
    /// The country it belongs to.
    pub country: u32,
    /// Its place in the order of creation over all countries (0 is the oldest).
    pub born: u32,
    /// Its display name (unique after folding).
    pub name: String,
    /// The year it was founded.
    pub founded: i32,
    /// The year it ended (renamed, merged away or dissolved), if it did.
    pub ended: Option<i32>,
}

/// One generated lineage edge, between indices of [`Synth::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthEdge {
    /// The earlier node.
    pub from: u32,
    /// The later node.
    pub to: u32,
    /// Renaming, split or merger.
    pub kind: EdgeKind,
    /// The year it happened.
    pub year: i32,
}

/// A generated lineage graph.
///
/// `nodes` are in id order, which is the order of a [`lineage::Db`] frozen from it: node `i` here
/// is `NodeId` index `i` there.
#[derive(Debug, Clone)]
pub struct Synth {
    /// What it was generated from.
    pub config: Config,
    /// The nodes, in id order (by country, then by sequence within the country).
    pub nodes: Vec<SynthNode>,
    /// The edges, in order of creation.
    pub edges: Vec<SynthEdge>,
    /// The index of each country's first node in `nodes`.
    pub country_start: Vec<u32>,
}

/// SplitMix64: small, fast and deterministic everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), without modulo bias worth mentioning for small `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
}

const ADJECTIVES: [&str; 24] = [
    "Democratic",
    "People's",
    "National",
    "Social",
    "Liberal",
    "Green",
    "Labour",
    "Republican",
    "United",
    "Progressive",
    "Conservative",
    "Patriotic",
    "Civic",
    "Agrarian",
    "Socialist",
    "Free",
    "Christian",
    "Radical",
    "Popular",
    "Reform",
    "Federal",
    "Workers'",
    "Independent",
    "Unity",
];

const NOUNS: [&str; 12] = [
    "Party", "Union", "Alliance", "Front", "Movement", "Congress", "League", "Bloc", "Forum",
    "Rally", "Centre", "Platform",
];

/// A node while its country is being generated: (born, name, founded, ended).
type Pending = (u32, String, i32, Option<i32>);

impl Synth {
    /// Generates a graph.
    ///
    /// # Panics
    /// When `config.nodes` exceeds `u32::MAX` or `config.countries` is 0.
    pub fn generate(config: &Config) -> Synth {
        assert!(config.countries > 0, "at least one country");
        let total = u32::try_from(config.nodes).expect("node count fits in u32");
        let mut rng = Rng::new(config.seed);
        let k = config.countries;
        let mut nodes: Vec<Vec<Pending>> = vec![Vec::new(); k];
        let mut live: Vec<Vec<u32>> = vec![Vec::new(); k];
        // edges as (country, from seq, to seq, kind, year) until the country bases are known
        let mut edges: Vec<(u32, u32, u32, EdgeKind, i32)> = Vec::new();
        for born in 0..total {
            let year = config.first_year
                + (i64::from(born) * i64::from(config.years) / i64::from(total.max(1))) as i32;
            let c = rng.below(k);
            let (cn, cl) = (&mut nodes[c], &mut live[c]);
            let adj = ADJECTIVES[rng.below(ADJECTIVES.len())];
            let noun = NOUNS[rng.below(NOUNS.len())];
            let q = cn.len() as u32;
            cn.push((born, format!("{adj} {noun} {born}"), year, None));
            let r = rng.below(100);
            let parents: usize = if cl.is_empty() || r < 5 {
                0 // founding
            } else if r < 45 {
                1 // renaming
            } else if r < 76 || cl.len() < 2 {
                // a split (or, with a single live party, a split instead of a merger)
                let p = cl[rng.below(cl.len())];
                edges.push((c as u32, p, q, EdgeKind::Split, year));
                cl.push(q);
                usize::MAX
            } else {
                (2 + rng.below(2)).min(cl.len())
            };
            if parents != usize::MAX {
                let kind = if parents == 1 {
                    EdgeKind::Renaming
                } else {
                    EdgeKind::Merger
                };
                for _ in 0..parents {
                    let p = cl.swap_remove(rng.below(cl.len()));
                    cn[p as usize].3 = Some(year);
                    edges.push((c as u32, p, q, kind, year));
                }
                cl.push(q);
            }
            if cl.len() > config.max_live {
                let p = cl.swap_remove(rng.below(cl.len()));
                cn[p as usize].3 = Some(year);
            }
        }
        let mut country_start = Vec::with_capacity(k);
        let mut flat = Vec::with_capacity(config.nodes);
        for (c, cn) in nodes.into_iter().enumerate() {
            country_start.push(flat.len() as u32);
            flat.extend(
                cn.into_iter()
                    .map(|(born, name, founded, ended)| SynthNode {
                        country: c as u32,
                        born,
                        name,
                        founded,
                        ended,
                    }),
            );
        }
        let edges = edges
            .into_iter()
            .map(|(c, p, q, kind, year)| {
                let base = country_start[c as usize];
                SynthEdge {
                    from: base + p,
                    to: base + q,
                    kind,
                    year,
                }
            })
            .collect();
        Synth {
            config: *config,
            nodes: flat,
            edges,
            country_start,
        }
    }

    /// The slug id of node `i`: `c<country>-<sequence>`, zero-padded so that id order is
    /// index order.
    pub fn id(&self, i: u32) -> String {
        let n = &self.nodes[i as usize];
        let seq = i - self.country_start[n.country as usize];
        format!("c{:03}-{:07}", n.country, seq)
    }

    /// `count` distinct nodes drawn from the newest 10% (by creation), in id order: the query
    /// targets of the benchmarks. The same seed gives the same targets.
    pub fn targets(&self, count: usize, seed: u64) -> Vec<u32> {
        let cut = self.config.nodes as u32 - (self.config.nodes / 10) as u32;
        let mut pool: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&i| self.nodes[i as usize].born >= cut)
            .collect();
        let mut rng = Rng::new(seed);
        let count = count.min(pool.len());
        for i in 0..count {
            let j = i + rng.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(count);
        pool.sort_unstable();
        pool
    }

    /// The editable [`Graph`] of this history: one source, a party per node with its founding
    /// and (when it ended) ending year, and a dated edge per relation.
    pub fn to_graph(&self) -> Graph {
        let mut g = Graph::new();
        g.insert_source_unvalidated(self.source());
        self.add_nodes(&mut g, 0..self.nodes.len() as u32);
        g
    }

    /// The nodes and edges of country `c` alone, without the source: with [`Synth::source`] in
    /// a graph of its own, what one file of a `graph-data`-style directory holds (every edge
    /// joins two nodes of the same country).
    pub fn country_graph(&self, c: usize) -> Graph {
        let end = self
            .country_start
            .get(c + 1)
            .copied()
            .unwrap_or(self.nodes.len() as u32);
        let mut g = Graph::new();
        self.add_nodes(&mut g, self.country_start[c]..end);
        g
    }

    /// The one source every fact cites.
    pub fn source(&self) -> Source {
        Source {
            id: SOURCE.to_string(),
            title: format!(
                "Synthetic lineage: {} nodes, seed {}",
                self.config.nodes, self.config.seed
            ),
            publisher: "lineage::synth".into(),
            author: String::new(),
            date: String::new(),
            url: String::new(),
            seed: String::new(),
            note: String::new(),
        }
    }

    /// Inserts the nodes `range` and the edges out of them.
    fn add_nodes(&self, g: &mut Graph, range: std::ops::Range<u32>) {
        let src = SOURCE.to_string();
        let first = self.config.first_year;
        let years: Vec<DateSpec> = (first..=first + self.config.years)
            .map(|y| DateSpec::parse(&format!("{y:04}")).expect("a plain year parses"))
            .collect();
        let claim = |y: i32| Claim {
            date: years[(y - first) as usize].clone(),
            sources: vec![src.clone()],
            note: String::new(),
        };
        for i in range.clone() {
            let n = &self.nodes[i as usize];
            let mut node = Node::new(&self.id(i), NodeKind::Party, &n.name, &src);
            node.founded.push(claim(n.founded));
            node.ended.extend(n.ended.map(claim));
            g.insert_node_unvalidated(node);
        }
        for e in self.edges.iter().filter(|e| range.contains(&e.from)) {
            let mut edge = Edge::new(e.kind, &self.id(e.from), &self.id(e.to), &src);
            edge.date.push(claim(e.year));
            g.insert_edge_unvalidated(edge)
                .expect("a synthetic edge joins nodes of its own country");
        }
    }
}

/// The id of the one source of a synthetic graph.
const SOURCE: &str = "synth";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_valid() {
        let a = Synth::generate(&Config::new(5_000, 1));
        let b = Synth::generate(&Config::new(5_000, 1));
        assert_eq!(a.nodes, b.nodes);
        assert_eq!(a.edges, b.edges);
        let g = a.to_graph();
        assert!(g.validate().is_empty(), "{:?}", &g.validate()[..1]);
        let db = g.freeze().unwrap();
        for (i, n) in a.nodes.iter().enumerate().step_by(97) {
            let id = db.by_id(&a.id(i as u32)).unwrap();
            assert_eq!(id.index(), i);
            assert_eq!(db.name(id), n.name);
        }
        assert_ne!(
            Synth::generate(&Config::new(5_000, 2)).edges,
            a.edges,
            "another seed, another graph"
        );
    }

    #[test]
    fn country_files_load_as_the_whole_graph() {
        let s = Synth::generate(&Config::new(3_000, 5));
        let dir = tempfile::tempdir().unwrap();
        let mut g = Graph::new();
        g.add_source(s.source()).unwrap();
        g.save_ron(&dir.path().join("sources.ron")).unwrap();
        for c in 0..s.country_start.len() {
            let file = dir.path().join(format!("c{c:03}.ron"));
            s.country_graph(c).save_ron(&file).unwrap();
        }
        let loaded = Graph::load(dir.path()).unwrap();
        assert_eq!(loaded.to_ron(), s.to_graph().to_ron());
    }

    #[test]
    fn live_parties_stay_under_the_cap() {
        // a small cap, which 200 events a country would pass many times over without it
        let cfg = Config {
            max_live: 5,
            ..Config::new(20_000, 5)
        };
        let s = Synth::generate(&cfg);
        let mut live = vec![0usize; cfg.countries];
        for n in s.nodes.iter().filter(|n| n.ended.is_none()) {
            live[n.country as usize] += 1;
        }
        assert!(
            live.iter().all(|&l| (1..=cfg.max_live).contains(&l)),
            "{live:?}"
        );
    }

    #[test]
    fn event_mix_is_as_specified() {
        let s = Synth::generate(&Config::new(100_000, 3));
        let count = |k: EdgeKind| s.edges.iter().filter(|e| e.kind == k).count() as f64;
        let n = s.nodes.len() as f64;
        let renamings = count(EdgeKind::Renaming) / n;
        let splits = count(EdgeKind::Split) / n;
        assert!((0.37..0.43).contains(&renamings), "{renamings}");
        assert!((0.28..0.34).contains(&splits), "{splits}");
        let mut targets = s.targets(1_000, 9);
        assert_eq!(targets.len(), 1_000);
        targets.dedup();
        assert_eq!(targets.len(), 1_000);
        assert!(targets.iter().all(|&t| s.nodes[t as usize].born >= 90_000));
    }
}
