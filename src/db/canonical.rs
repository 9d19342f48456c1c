//! The check that makes a forged snapshot harmless: a snapshot opened whole must be exactly the
//! snapshot its own records encode, and its records must validate as a graph.
//!
//! The columns, adjacency lists, ids, names and name index are derived data; queries read them
//! without decoding a record. A forger who rewrites them and then every checksum would make
//! queries answer for a graph that no record describes. Re-encoding the decoded records and
//! comparing the bytes catches every such disagreement at once, whatever section it is in, and
//! validating the records catches what no encoder would refuse (a renaming cycle, a person as
//! a split's parent, a source cited but absent). `docs/design.md` lists what is checked where.

use crate::error::Result;
use crate::graph::Graph;
use crate::model::{Edge, Node};
use crate::snapshot::{self, Sec};

use super::Db;

impl Db {
    /// Checks that the snapshot is the canonical encoding of its records and, with `validate`,
    /// that the records form a valid graph. Every record must have been checked already.
    ///
    /// Complexity: O(N log N + E) to encode, plus validation.
    pub(super) fn check_canonical(&self, validate: bool) -> Result<()> {
        let sources = self.decode_sources()?.to_vec();
        let nodes: Vec<Node> = (0..self.n as usize)
            .map(|i| self.node_record(i))
            .collect::<Result<_>>()?;
        let edges: Vec<Edge> = (0..self.m as usize)
            .map(|i| self.edge_record(i))
            .collect::<Result<_>>()?;
        if let Some(w) = nodes.windows(2).find(|w| w[0].id >= w[1].id) {
            return Err(Db::malformed(format!(
                "node ids are not in strictly ascending order ({:?} before {:?})",
                w[0].id, w[1].id
            )));
        }
        let want = snapshot::encode_version(
            self.version,
            &sources.iter().collect::<Vec<_>>(),
            &nodes.iter().collect::<Vec<_>>(),
            &edges.iter().collect::<Vec<_>>(),
        )?;
        let have = self.bytes_unchecked();
        if want != have {
            let section = snapshot::verify(&want, u64::MAX)
                .ok()
                .and_then(|layout| {
                    (0..Sec::ALL.len()).find(|&i| {
                        let (a, b) = layout[i];
                        let (c, d) = self.layout[i];
                        have.get(c..d) != want.get(a..b)
                    })
                })
                .map_or("layout".to_string(), |i| {
                    format!("{} section", Sec::ALL[i].name())
                });
            return Err(Db::malformed(format!(
                "the {section} disagrees with the node and edge records (a forged or damaged file)"
            )));
        }
        if validate {
            let mut g = Graph::new();
            for s in sources {
                g.insert_source(s);
            }
            for n in nodes {
                g.insert_node(n);
            }
            for e in edges {
                g.insert_edge(e);
            }
            let problems = g.validate();
            if let Some(first) = problems.first() {
                return Err(Db::malformed(format!(
                    "its records do not form a valid graph ({} problem{}; the first: {first})",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                )));
            }
        }
        Ok(())
    }
}
