//! The facts mapped → a validated [`Graph`], through `add_source`, `add_node` and `add_edge`,
//! so that every fact is checked as loading checks it.
//!
//! - **Shared names.** Two items that carry the same name (after folding) both list it in
//!   `shared_names`: they do carry it, and `docs/data-format.md` asks for exactly that.
//! - **One edge per (kind, from, to).** Statements that give the same edge (X P156 Y and
//!   Y P155 X) make one edge: their claims (each once), sources and properties are merged, and
//!   the note names every property.
//! - **What validation refuses.** When `add_node` or `add_edge` refuses a founding, end or edge
//!   date claim (an end before the founding, an edge dated before an endpoint existed), that
//!   claim is dropped and listed with the validator's message, and the record is added without
//!   it. When it refuses the record itself (a lineage cycle, an edge at a person), the record is
//!   listed, and so is every statement about it; edges to an item not added are listed too.
//! - A source is added when the first record citing it is.

use std::collections::{HashMap, HashSet};

use super::map::{EdgeFact, Mapped, push_claim};
use super::{ImportError, Origin, Unmapped};
use crate::error::{Error, Problems, Seg};
use crate::graph::Graph;
use crate::model::{Claim, Edge, EdgeKind, Source};
use crate::names::normalize;

/// One edge, merged from every statement that gives it.
struct Merged {
    kind: EdgeKind,
    from: String,
    to: String,
    claims: Vec<Claim>,
    /// The statement of each claim.
    claim_origins: Vec<Origin>,
    sources: Vec<String>,
    properties: Vec<(&'static str, &'static str)>,
    origins: Vec<Origin>,
}

impl Merged {
    fn note(&self) -> String {
        let props: Vec<String> = self
            .properties
            .iter()
            .map(|(p, l)| format!("{p} {l}"))
            .collect();
        let mut note = format!("Wikidata {}", props.join(", "));
        if self.kind == EdgeKind::Reorganisation {
            note.push_str("; the kind of succession is not stated");
        }
        note
    }
}

/// The edges, one per (kind, from, to), in the order first given.
fn merge(edges: Vec<EdgeFact>) -> Vec<Merged> {
    let mut out: Vec<Merged> = Vec::new();
    let mut at: HashMap<(EdgeKind, String, String), usize> = HashMap::new();
    for e in edges {
        let key = (e.kind, e.from.clone(), e.to.clone());
        let i = *at.entry(key).or_insert_with(|| {
            out.push(Merged {
                kind: e.kind,
                from: e.from.clone(),
                to: e.to.clone(),
                claims: Vec::new(),
                claim_origins: Vec::new(),
                sources: Vec::new(),
                properties: Vec::new(),
                origins: Vec::new(),
            });
            out.len() - 1
        });
        let m = &mut out[i];
        for c in e.claims {
            if push_claim(&mut m.claims, c) {
                m.claim_origins.push(e.origin.clone());
            }
        }
        for s in e.sources {
            if !m.sources.contains(&s) {
                m.sources.push(s);
            }
        }
        if !m.properties.contains(&e.property) {
            m.properties.push(e.property);
        }
        m.origins.push(e.origin);
    }
    out
}

/// The claims at fault, as (field, index), when every problem is about one of the claims in
/// `fields`; `None` when a problem is about the record itself.
fn claim_faults(ps: &Problems, fields: &[&str]) -> Option<Vec<(&'static str, usize, String)>> {
    let mut out = Vec::new();
    for p in &ps.0 {
        match p.path.as_slice() {
            [Seg::Field(f), Seg::Index(i), ..] if fields.contains(f) => {
                out.push((*f, *i, p.message.clone()))
            }
            _ => return None,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// "refused by validation: …" with every problem's message.
fn refusal(ps: &Problems) -> String {
    let m: Vec<&str> = ps.0.iter().map(|p| p.message.as_str()).collect();
    format!("refused by validation: {}", m.join("; "))
}

/// Removes the claims at fault from `claims` (and their origins), listing each.
fn drop_claims(
    faults: &[(&'static str, usize, String)],
    field: &str,
    claims: &mut Vec<Claim>,
    origins: &mut Vec<Origin>,
    unmapped: &mut Vec<Unmapped>,
) -> usize {
    let mut dropped = 0;
    let mut at: Vec<(usize, &str)> = faults
        .iter()
        .filter(|f| f.0 == field)
        .map(|f| (f.1, f.2.as_str()))
        .collect();
    at.sort_by_key(|a| std::cmp::Reverse(a.0));
    at.dedup_by_key(|a| a.0);
    for (i, why) in at {
        if i < claims.len() {
            let c = claims.remove(i);
            let o = origins.remove(i);
            unmapped.push(o.unmapped(format!(
                "the date {} is refused by validation: {why}",
                c.date
            )));
            dropped += 1;
        }
    }
    dropped
}

/// Adds the sources `ids` names that the graph does not hold yet.
fn ensure_sources(
    g: &mut Graph,
    ids: &[String],
    known: &HashMap<String, Source>,
) -> Result<(), ImportError> {
    for id in ids {
        if g.source(id).is_none()
            && let Some(s) = known.get(id)
        {
            g.add_source(s.clone()).map_err(|e| ImportError::Graph {
                context: format!("adding the source {id}"),
                source: e,
            })?;
        }
    }
    Ok(())
}

/// Builds the graph; what validation refuses goes to `unmapped`.
pub(super) fn build(m: Mapped, unmapped: &mut Vec<Unmapped>) -> Result<Graph, ImportError> {
    let Mapped {
        mut nodes,
        edges,
        sources,
        ..
    } = m;
    let mut known: HashMap<String, Source> = sources.into_iter().collect();
    for n in &nodes {
        known.insert(n.source.id.clone(), n.source.clone());
    }
    // shared names: a key carried by two nodes or more
    let mut owners: HashMap<String, HashSet<usize>> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        for t in std::iter::once(&n.node.name).chain(&n.node.aliases) {
            owners.entry(normalize(t)).or_default().insert(i);
        }
    }
    for (i, n) in nodes.iter_mut().enumerate() {
        let texts: Vec<String> = std::iter::once(&n.node.name)
            .chain(&n.node.aliases)
            .filter(|t| {
                owners
                    .get(&normalize(t))
                    .is_some_and(|o| o.len() > 1 && o.contains(&i))
            })
            .cloned()
            .collect();
        n.node.shared_names = texts;
    }
    let mut g = Graph::new();
    let mut imported: HashSet<String> = HashSet::new();
    for mut n in nodes {
        let cited: Vec<String> = n
            .node
            .sources
            .iter()
            .chain(
                n.node
                    .founded
                    .iter()
                    .chain(&n.node.ended)
                    .flat_map(|c| &c.sources),
            )
            .chain(n.node.external_ids.iter().flat_map(|x| &x.sources))
            .cloned()
            .collect();
        ensure_sources(&mut g, &cited, &known)?;
        loop {
            match g.add_node(n.node.clone()) {
                Ok(()) => {
                    imported.insert(n.node.id.clone());
                    break;
                }
                Err(Error::Invalid(ps)) => {
                    // every round drops a claim, or refuses the node
                    let dropped = claim_faults(&ps, &["founded", "ended"]).map_or(0, |f| {
                        drop_claims(&f, "founded", &mut n.node.founded, &mut n.founded, unmapped)
                            + drop_claims(&f, "ended", &mut n.node.ended, &mut n.ended, unmapped)
                    });
                    if dropped == 0 {
                        let o = Origin {
                            line: n.line,
                            entity: n.qid.clone(),
                            property: None,
                            statement: None,
                        };
                        unmapped.push(o.unmapped(format!("the item is {}", refusal(&ps))));
                        break;
                    }
                }
                Err(e) => {
                    return Err(ImportError::Graph {
                        context: format!("adding the node {}", n.node.id),
                        source: e,
                    });
                }
            }
        }
    }
    for mut e in merge(edges) {
        let missing: Vec<&String> = [&e.from, &e.to]
            .into_iter()
            .filter(|id| !imported.contains(*id))
            .collect();
        if !missing.is_empty() {
            let q = missing[0].to_uppercase();
            for o in &e.origins {
                unmapped.push(o.unmapped(format!("{q} was read but not imported")));
            }
            continue;
        }
        let cited: Vec<String> = e.sources.clone();
        ensure_sources(&mut g, &cited, &known)?;
        loop {
            let edge = Edge {
                date: e.claims.clone(),
                sources: e.sources.clone(),
                note: e.note(),
                ..Edge::new(e.kind, &e.from, &e.to, "")
            };
            match g.add_edge(edge) {
                Ok(_) => break,
                Err(Error::Invalid(ps)) => {
                    let dropped = claim_faults(&ps, &["date"]).map_or(0, |f| {
                        drop_claims(&f, "date", &mut e.claims, &mut e.claim_origins, unmapped)
                    });
                    if dropped == 0 {
                        let why = format!(
                            "the {} edge {} -> {} is {}",
                            e.kind,
                            e.from,
                            e.to,
                            refusal(&ps)
                        );
                        for o in &e.origins {
                            unmapped.push(o.unmapped(why.clone()));
                        }
                        break;
                    }
                }
                Err(other) => {
                    return Err(ImportError::Graph {
                        context: format!("adding the {} edge {} -> {}", e.kind, e.from, e.to),
                        source: other,
                    });
                }
            }
        }
    }
    let problems = g.validate();
    if !problems.is_empty() {
        return Err(ImportError::Graph {
            context: "the imported graph does not validate".to_string(),
            source: Error::Invalid(Problems(problems)),
        });
    }
    Ok(g)
}
