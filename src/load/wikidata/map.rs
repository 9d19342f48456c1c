//! Items and their statements → the facts of the graph: one node per item, its founding and end
//! claims, and the lineage edges its statements give. What cannot be mapped is listed, each with
//! its reason; nothing is guessed.
//!
//! | property | edge or claim |
//! |---|---|
//! | X P807 T (separated from) | `split` T → X |
//! | X P7888 T (merged into) | `merger` X → T |
//! | X P1366 T (replaced by), X P156 T (followed by) | `reorganisation` X → T |
//! | X P1365 T (replaces), X P155 T (follows) | `reorganisation` T → X |
//! | X P571 (inception) | a `founded` claim of X |
//! | X P576 (dissolved, abolished or demolished) | an `ended` claim of X |
//!
//! An edge's dates are the values of its statement's P585 (point in time) qualifier, else of
//! P580 (start time), else of P582 (end time); a lower-ranked date qualifier beside the one used
//! is listed as not used. A statement of deprecated rank, a `somevalue` or `novalue` main snak, a
//! value that is not an item, an item not among the entities read, and the item itself are
//! listed. Every other property is counted, per property, in `other`.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::json::{Item, Snak, Statement};
use super::read::ReadItem;
use super::{Origin, Unmapped, dates, labels, refs};
use crate::model::{Claim, Covers, EdgeKind, ExternalId, Node, NodeKind, Source};

/// The instance-of property, and the item for human.
const INSTANCE_OF: &str = "P31";
const HUMAN: &str = "Q5";

/// The lineage properties: (property, its label, the edge kind, whether the edge runs from the
/// item to the value; else from the value to the item).
const LINEAGE: [(&str, &str, EdgeKind, bool); 6] = [
    ("P807", "separated from", EdgeKind::Split, false),
    ("P7888", "merged into", EdgeKind::Merger, true),
    ("P1366", "replaced by", EdgeKind::Reorganisation, true),
    ("P156", "followed by", EdgeKind::Reorganisation, true),
    ("P1365", "replaces", EdgeKind::Reorganisation, false),
    ("P155", "follows", EdgeKind::Reorganisation, false),
];

/// The date qualifiers of an edge, in the order they are preferred, with a claim's note.
const DATE_QUALIFIERS: [(&str, &str, &str); 3] = [
    ("P585", "point in time", ""),
    ("P580", "start time", "Wikidata P580 start time"),
    ("P582", "end time", "Wikidata P582 end time"),
];

/// A node to add, with the origin of each of its claims.
pub(super) struct NodeFact {
    pub(super) node: Node,
    pub(super) source: Source,
    pub(super) founded: Vec<Origin>,
    pub(super) ended: Vec<Origin>,
    pub(super) line: usize,
    pub(super) qid: String,
}

/// An edge one statement gives.
pub(super) struct EdgeFact {
    pub(super) kind: EdgeKind,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) claims: Vec<Claim>,
    pub(super) sources: Vec<String>,
    /// (property, label), for the note.
    pub(super) property: (&'static str, &'static str),
    pub(super) origin: Origin,
}

/// Everything mapped from the items read.
#[derive(Default)]
pub(super) struct Mapped {
    pub(super) nodes: Vec<NodeFact>,
    pub(super) edges: Vec<EdgeFact>,
    /// The reference sources, by id.
    pub(super) sources: BTreeMap<String, Source>,
    pub(super) unmapped: Vec<Unmapped>,
    /// Statements of other properties: property → (statements, items).
    pub(super) other: HashMap<String, (usize, usize)>,
}

/// Whether the item is a human: a P31 statement, not deprecated, whose value is Q5.
fn is_human(item: &Item) -> bool {
    item.claims.get(INSTANCE_OF).flatten().any(|st| {
        st.rank != "deprecated"
            && st.mainsnak.snaktype == "value"
            && st
                .mainsnak
                .datavalue
                .as_ref()
                .is_some_and(|d| d.item().is_ok_and(|q| q == HUMAN))
    })
}

/// The main snak of a statement that may be imported, or why it may not.
fn usable(st: &Statement) -> Result<&Snak, String> {
    if st.rank == "deprecated" {
        return Err("deprecated rank: not imported".to_string());
    }
    match st.mainsnak.snaktype.as_str() {
        "value" if st.mainsnak.datavalue.is_some() => Ok(&st.mainsnak),
        "value" => Err("the main snak has no value".to_string()),
        "somevalue" => Err("unknown value (somevalue): not imported".to_string()),
        "novalue" => Err("no value (novalue): not imported".to_string()),
        other => Err(format!(
            "snak type {} is not understood",
            crate::names::clipped(other)
        )),
    }
}

/// Pushes `c` unless an equal claim is there.
pub(super) fn push_claim(v: &mut Vec<Claim>, c: Claim) -> bool {
    let new = !v.contains(&c);
    if new {
        v.push(c);
    }
    new
}

/// The claims of an edge statement's date qualifiers.
fn qualifier_claims(
    st: &Statement,
    sources: &[String],
    origin: &Origin,
    out: &mut Mapped,
) -> Vec<Claim> {
    let mut claims = Vec::new();
    let mut used: Option<(&str, &str)> = None;
    for (p, label, note) in DATE_QUALIFIERS {
        let snaks: Vec<&Snak> = st.qualifiers.get(p).flatten().collect();
        if snaks.is_empty() {
            continue;
        }
        if let Some((up, ul)) = used {
            out.unmapped.push(origin.unmapped(format!(
                "{p} {label} not used: the statement is dated by its {up} {ul}"
            )));
            continue;
        }
        used = Some((p, label));
        for s in snaks {
            match dates::snak_date(s, &format!("{p} {label}")) {
                Ok(date) => {
                    let c = Claim {
                        date,
                        sources: sources.to_vec(),
                        note: note.to_string(),
                    };
                    push_claim(&mut claims, c);
                }
                Err(why) => out.unmapped.push(origin.unmapped(why)),
            }
        }
    }
    claims
}

/// Maps every item read, in file order.
pub(super) fn map(items: &[ReadItem], kind: NodeKind) -> Mapped {
    let ids: HashSet<String> = items.iter().map(|i| i.qid.to_lowercase()).collect();
    let mut out = Mapped::default();
    for ri in items {
        map_item(ri, kind, &ids, &mut out);
    }
    out
}

fn map_item(ri: &ReadItem, kind: NodeKind, ids: &HashSet<String>, out: &mut Mapped) {
    let qid = ri.qid.as_str();
    let id = qid.to_lowercase();
    let item_source = format!("wikidata-{id}");
    let at = |property: Option<&str>, statement: Option<&String>| Origin {
        line: ri.line,
        entity: qid.to_string(),
        property: property.map(str::to_string),
        statement: statement.cloned(),
    };
    let names = labels::names(qid, &ri.item, ids);
    out.unmapped.extend(
        names
            .refused
            .iter()
            .map(|r| at(None, None).unmapped(r.clone())),
    );
    let kind = if is_human(&ri.item) {
        NodeKind::Person
    } else {
        kind
    };
    let mut node = Node::new(&id, kind, &names.name, &item_source);
    node.aliases = names.aliases;
    node.external_ids.push(ExternalId {
        scheme: "wikidata".to_string(),
        id: qid.to_string(),
        covers: Covers::Era,
        sources: vec![item_source.clone()],
        note: String::new(),
    });
    let source = Source {
        publisher: "Wikidata".to_string(),
        url: format!("https://www.wikidata.org/wiki/{qid}"),
        ..Source::new(
            &item_source,
            &format!("Wikidata item {qid}: {}", names.name),
        )
    };
    let (mut founded, mut ended) = (Vec::new(), Vec::new());
    let mut counted: HashSet<&str> = HashSet::new();
    for (p, statements) in &ri.item.claims.0 {
        let lineage = LINEAGE.iter().find(|l| l.0 == p);
        let life = match p.as_str() {
            "P571" => Some(("P571 inception", "Wikidata P571 inception")),
            "P576" => Some((
                "P576 dissolved, abolished or demolished",
                "Wikidata P576 dissolved, abolished or demolished date",
            )),
            _ => None,
        };
        if lineage.is_none() && life.is_none() {
            let e = out.other.entry(p.clone()).or_insert((0, 0));
            e.0 += statements.len();
            if counted.insert(p) && !statements.is_empty() {
                e.1 += 1;
            }
            continue;
        }
        for st in statements {
            let origin = at(Some(p), st.id.as_ref());
            let snak = match usable(st) {
                Ok(s) => s,
                Err(why) => {
                    out.unmapped.push(origin.unmapped(why));
                    continue;
                }
            };
            if let Some((what, note)) = life {
                let date = match dates::snak_date(snak, what) {
                    Ok(d) => d,
                    Err(why) => {
                        out.unmapped.push(origin.unmapped(why));
                        continue;
                    }
                };
                let sources = refs::statement_sources(
                    st,
                    &item_source,
                    &origin,
                    &mut out.sources,
                    &mut out.unmapped,
                );
                let c = Claim {
                    date,
                    sources,
                    note: note.to_string(),
                };
                let (claims, origins) = if p == "P571" {
                    (&mut node.founded, &mut founded)
                } else {
                    (&mut node.ended, &mut ended)
                };
                if push_claim(claims, c) {
                    origins.push(origin);
                }
                continue;
            }
            let Some(&(prop, label, kind, forward)) = lineage else {
                continue;
            };
            let target = match snak.datavalue.as_ref().map(|d| d.item()) {
                Some(Ok(t)) => t,
                Some(Err(why)) => {
                    out.unmapped.push(origin.unmapped(why));
                    continue;
                }
                None => continue,
            };
            if target == qid {
                out.unmapped
                    .push(origin.unmapped(format!("the value is the item itself ({qid})")));
                continue;
            }
            if !ids.contains(&target.to_lowercase()) {
                out.unmapped
                    .push(origin.unmapped(format!("{target} is not among the entities read")));
                continue;
            }
            let sources = refs::statement_sources(
                st,
                &item_source,
                &origin,
                &mut out.sources,
                &mut out.unmapped,
            );
            let claims = qualifier_claims(st, &sources, &origin, out);
            let (from, to) = if forward {
                (id.clone(), target.to_lowercase())
            } else {
                (target.to_lowercase(), id.clone())
            };
            out.edges.push(EdgeFact {
                kind,
                from,
                to,
                claims,
                sources,
                property: (prop, label),
                origin,
            });
        }
    }
    out.nodes.push(NodeFact {
        node,
        source,
        founded,
        ended,
        line: ri.line,
        qid: qid.to_string(),
    });
}
