//! Helpers shared by the fuzz targets.

pub mod dot_check;

use std::collections::BTreeSet;

use lineage::{Claim, KindSet};
use lineage::query::{self, Direction, Filter};
use lineage::render::Selection;
use lineage::render::dot::{Dot, DotConfig};
use lineage::snapshot::{ENTRY_LEN, HEADER_LEN, SECTIONS};
use lineage::{DateSpec, Db, Edge, EdgeKind, Graph, Node, NodeKind, Source, Term};

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// Rewrites every checksum of a snapshot that can be rewritten (section, table and header CRCs),
/// so that mutated bytes get past the checksums and reach the structural checks and the decoder,
/// the way a forged file would.
pub fn fix_checksums(b: &mut [u8]) {
    if b.len() < HEADER_LEN {
        return;
    }
    let table_len = SECTIONS * ENTRY_LEN;
    let payload_len = b.len() - HEADER_LEN;
    if payload_len >= table_len {
        for i in 0..SECTIONS {
            let e = HEADER_LEN + i * ENTRY_LEN;
            let (off, len) = (le64(b, e + 8), le64(b, e + 16));
            if let Some(end) = off.checked_add(len)
                && end <= payload_len as u64
            {
                let (s, t) = (HEADER_LEN + off as usize, HEADER_LEN + end as usize);
                let crc = crc32(&b[s..t]);
                b[e + 4..e + 8].copy_from_slice(&crc.to_le_bytes());
            }
        }
        let crc = crc32(&b[HEADER_LEN..HEADER_LEN + table_len]);
        b[24..28].copy_from_slice(&crc.to_le_bytes());
    }
    let crc = crc32(&b[..28]);
    b[28..32].copy_from_slice(&crc.to_le_bytes());
}

/// CRC-32 (IEEE), bit by bit: the fuzz crate does not depend on the library's checksum crate.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &x in data {
        c ^= u32::from(x);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// Reads a header field, for targets that want to know what they forged.
pub fn header_version(b: &[u8]) -> Option<u32> {
    (b.len() >= 12).then(|| le32(b, 8))
}

/// Runs every query and renderer over (a bounded part of) an opened database. Nothing may panic.
pub fn exercise(db: &Db) {
    let nodes: Vec<_> = db.node_ids().take(24).collect();
    let at = DateSpec::parse("2005").unwrap();
    for &n in &nodes {
        let _ = (db.id(n), db.name(n), db.kind(n), db.begin(n), db.end(n));
        let node = db.node(n);
        let _ = db.years(n);
        let _ = db.candidate(n);
        assert!(db.by_id(&node.id).is_some(), "by_id finds every id");
        let _ = db.resolve(&node.name);
        let _ = db.lookup(&node.name);
        for dir in [Direction::Ancestors, Direction::Descendants] {
            let c = query::closure(db, n, dir, &Filter::default());
            for h in &c.hits {
                assert!(h.node.index() < db.node_count());
            }
            let f = Filter {
                at: Some(at.earliest()),
                max_depth: Some(2),
                ..Filter::default()
            };
            let _ = query::closure(db, n, dir, &f);
            let mut seen = vec![0u64; db.node_count().div_ceil(64)];
            let _ = query::reach(db, n, dir, KindSet::ALL, &mut seen);
        }
        let _ = query::name_at(db, n, &at);
        let _ = query::leaders(db, n, Some(&at));
        let _ = query::search(db, db.name(n), 5);
        if let Some(&first) = nodes.first() {
            let _ = query::path(db, first, n, KindSet::LINEAGE, false);
            let _ = query::path(db, first, n, KindSet::ALL, true);
            let _ = query::common_ancestors(db, first, n, KindSet::LINEAGE);
        }
    }
    for e in db.edge_ids().take(64) {
        let _ = (
            db.edge(e),
            db.edge_when(e),
            db.endpoints(e),
            db.edge_kind(e),
        );
    }
    let set: BTreeSet<_> = nodes.iter().copied().collect();
    let _ = query::timeline(db, Some(&set), None, None);
    let sel = Selection::all(db, true, &Filter::default());
    let dot = Dot::new(db, &sel).to_string();
    dot_check::split(&dot).expect("DOT output escapes every string");
    let _ = lineage::render::svg::timeline_svg(db, Some(&set), None, None);
    let _ = lineage::render::export::graphml(db, &sel);
    let _ = db.to_graph();
}

/// A small cursor over fuzz bytes.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    /// The next byte, or 0 when the input is used up.
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    /// The next string: bytes up to a 0xFF separator, read as lossy UTF-8.
    pub fn text(&mut self) -> String {
        let end = self
            .0
            .iter()
            .position(|b| *b == 0xFF)
            .unwrap_or(self.0.len());
        let s = String::from_utf8_lossy(&self.0[..end]).into_owned();
        self.0 = &self.0[(end + 1).min(self.0.len())..];
        s
    }
}

/// The texts a drawing shows, taken from fuzz input, and the structure they hang on.
pub struct Drawn {
    /// The graph with the fuzzed texts.
    pub hostile: Graph,
    /// The same graph with plain placeholder texts of the same emptiness.
    pub plain: Graph,
    /// The node names used.
    pub names: Vec<String>,
}

/// Builds two graphs of the same shape from fuzz input: one whose names, aliases, roles, notes
/// and source titles are the fuzzed strings, and one with plain placeholders. Their drawings must
/// have the same structure outside quoted strings.
pub fn drawn_graphs(data: &[u8]) -> Option<Drawn> {
    let mut b = Bytes(data);
    let count = 2 + (b.byte() % 5) as usize;
    let years = ["1990", "1994", "1999", "2006", "early 2010", "about 2020"];
    let mut texts = Vec::new();
    for _ in 0..count {
        let name = b.text();
        let role = b.text();
        let flags = b.byte();
        texts.push((name, role, flags));
    }
    let title = b.text();
    // The plain graph is built through the checked API; the hostile one holds the same records
    // with the fuzzed strings, inserted without validation (which refuses control characters,
    // as a snapshot made elsewhere may still hold them), and only the edges the plain one took.
    let build = |hostile: bool, took: &mut Vec<bool>| -> Option<(Graph, Vec<String>)> {
        let mut g = Graph::new();
        let src = Source {
            id: "src".into(),
            title: if hostile && !title.trim().is_empty() {
                title.clone()
            } else {
                "Title".into()
            },
            publisher: String::new(),
            author: String::new(),
            date: String::new(),
            url: String::new(),
            seed: String::new(),
            note: String::new(),
        };
        if hostile {
            g.insert_source_unvalidated(src).then_some(())?;
        } else {
            g.add_source(src).ok()?;
        }
        let mut names = Vec::new();
        for (i, (name, _, flags)) in texts.iter().enumerate() {
            let kind = if i == 0 {
                NodeKind::Person
            } else {
                NodeKind::ALL[(*flags % 4) as usize]
            };
            let name = if hostile {
                format!("{name} q{i}z")
            } else {
                format!("Name q{i}z")
            };
            let mut n = Node::new(&format!("n{i}"), kind, &name, "src");
            if flags & 0x10 != 0 && i > 0 {
                n.founded.push(Claim {
                    date: DateSpec::parse(years[i % years.len()]).ok()?,
                    sources: vec!["src".into()],
                    note: if hostile {
                        texts[i].1.clone()
                    } else {
                        "note".into()
                    },
                });
            }
            if flags & 0x20 != 0 {
                n.aliases.push(format!(
                    "{} alias w{i}k",
                    if hostile { &texts[i].1 } else { "a" }
                ));
            }
            names.push(name);
            if hostile {
                g.insert_node_unvalidated(n).then_some(())?;
            } else {
                g.add_node(n).ok()?;
            }
        }
        let mut next = 0;
        for i in 1..count {
            let (_, role, flags) = &texts[i];
            // a person's edge to every organisation, with the fuzzed role
            let mut e = Edge::new(EdgeKind::Leadership, "n0", &format!("n{i}"), "src");
            e.role = if hostile || role.is_empty() {
                role.clone()
            } else {
                "role".into()
            };
            if flags & 0x40 != 0 {
                e.term = Some(Term {
                    from: DateSpec::parse("1995").ok(),
                    until: None,
                });
            }
            if hostile {
                g.insert_edge_unvalidated(e)?;
            } else {
                g.add_edge(e).ok()?;
            }
            // lineage between organisations, one edge per ordered pair and kind at most
            if i + 1 < count {
                let kind = EdgeKind::LINEAGE[(flags >> 1) as usize % 5];
                let mut e = Edge::new(kind, &format!("n{i}"), &format!("n{}", i + 1), "src");
                if flags & 0x80 != 0 {
                    e = e.dated("2006").ok()?;
                }
                if hostile {
                    if took.get(next).copied().unwrap_or(false) {
                        g.insert_edge_unvalidated(e)?;
                    }
                } else {
                    took.push(g.add_edge(e).is_ok());
                }
                next += 1;
            }
        }
        Some((g, names))
    };
    let mut took = Vec::new();
    let (plain, _) = build(false, &mut took)?;
    let (hostile, names) = build(true, &mut took)?;
    Some(Drawn {
        hostile,
        plain,
        names,
    })
}

/// The DOT configurations a target tries.
pub fn dot_configs() -> [DotConfig; 3] {
    [
        DotConfig::default(),
        DotConfig {
            wrap: 0,
            ..DotConfig::default()
        },
        DotConfig {
            year_axis: false,
            clusters: false,
            legend: false,
            wrap: 3,
        },
    ]
}
