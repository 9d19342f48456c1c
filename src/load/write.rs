//! Writing a graph back to RON, deterministically.

use super::*;
use crate::graph::Graph;

/// Writes a graph as one RON document: sources, then nodes by id, then edges in a stable order.
/// The same graph always gives the same bytes.
pub fn to_ron_string(g: &Graph) -> String {
    let raw = RawFile {
        sources: g.sources().map(RawSource::from).collect(),
        nodes: g.nodes().into_iter().map(node_to_raw).collect(),
        edges: g.edges().into_iter().map(|(_, e)| edge_to_raw(e)).collect(),
        results: g
            .nodes()
            .into_iter()
            .flat_map(|n| {
                n.results.iter().map(|r| RawResult {
                    party: n.id.clone(),
                    election: r.election.as_str().to_string(),
                    body: r.body.clone(),
                    share: r.share.clone(),
                    seats: r.seats,
                    votes: r.votes,
                    sources: r.sources.clone(),
                    note: r.note.clone(),
                })
            })
            .collect(),
        external_ids: g
            .nodes()
            .into_iter()
            .flat_map(|n| {
                n.external_ids.iter().map(|x| RawExternalId {
                    node: n.id.clone(),
                    scheme: x.scheme.clone(),
                    id: x.id.clone(),
                    covers: x.covers,
                    sources: x.sources.clone(),
                    note: x.note.clone(),
                })
            })
            .collect(),
    };
    let cfg = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    let mut s = ron::Options::default()
        .to_string_pretty(&raw, cfg)
        .expect("RON serialisation of plain data cannot fail");
    s.push('\n');
    s
}
