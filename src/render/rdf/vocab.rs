//! The vocabulary of the RDF export: lineage's own terms (under `urn:lineage:vocab:`), the
//! Wikidata property each edge kind maps to where Wikidata has one, and the standard terms used
//! (rdf, rdfs, skos, owl, dcterms, prov, xsd). docs/export.md's table of terms is generated from
//! [`TERMS`] and compared with it by a test.

use crate::model::{EdgeKind, NodeKind};

/// lineage's own terms.
pub const LIN: &str = "urn:lineage:vocab:";
/// Nodes: `urn:lineage:node:ID`.
pub const NODE: &str = "urn:lineage:node:";
/// Edges, as statements: `urn:lineage:edge:N` (N as in the `edges` table).
pub const EDGE: &str = "urn:lineage:edge:";
/// Dated claims, events, election results and external ids: `urn:lineage:claim:K` and so on
/// (K as in the tidy tables).
pub const CLAIM: &str = "urn:lineage:claim:";
/// Events.
pub const EVENT: &str = "urn:lineage:event:";
/// Election results.
pub const RESULT: &str = "urn:lineage:result:";
/// External ids.
pub const EXTERNAL: &str = "urn:lineage:external:";
/// Sources: `urn:lineage:source:ID`.
pub const SOURCE: &str = "urn:lineage:source:";

/// Wikidata's items.
pub const WD: &str = "http://www.wikidata.org/entity/";
/// Wikidata's direct ("truthy") properties.
pub const WDT: &str = "http://www.wikidata.org/prop/direct/";
/// RDF.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// RDF Schema.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// SKOS.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// OWL.
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// Dublin Core terms.
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
/// PROV-O.
pub const PROV: &str = "http://www.w3.org/ns/prov#";
/// XML Schema datatypes.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The prefixes the Turtle output declares, in order.
pub const PREFIXES: [(&str, &str); 17] = [
    ("lin", LIN),
    ("node", NODE),
    ("edge", EDGE),
    ("claim", CLAIM),
    ("event", EVENT),
    ("result", RESULT),
    ("external", EXTERNAL),
    ("source", SOURCE),
    ("wd", WD),
    ("wdt", WDT),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("skos", SKOS),
    ("owl", OWL),
    ("dcterms", DCTERMS),
    ("prov", PROV),
    ("xsd", XSD),
];

/// The Wikidata property for an edge kind, and whether Wikidata's triple runs the other way
/// (`to` → `from`). `None`: Wikidata has no property of that meaning, and only lineage's own
/// term is written (a renaming keeps the organisation's identity, which none of Wikidata's
/// succession properties says).
pub fn wikidata_property(kind: EdgeKind) -> Option<(&'static str, bool)> {
    match kind {
        // X separated from P
        EdgeKind::Split => Some(("P807", true)),
        // A merged into T
        EdgeKind::Merger => Some(("P7888", false)),
        // A replaced by B
        EdgeKind::Reorganisation => Some(("P1366", false)),
        // T founded by A (an organisation or a person)
        EdgeKind::Founding | EdgeKind::Founder => Some(("P112", true)),
        // organisation's chairperson
        EdgeKind::Leadership => Some(("P488", true)),
        // member of
        EdgeKind::Membership => Some(("P463", false)),
        EdgeKind::Renaming | EdgeKind::Division | EdgeKind::Affiliation => None,
    }
}

/// lineage's property for an edge kind, in lineage's direction (`from` → `to`).
pub fn edge_property(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Split => "splitInto",
        EdgeKind::Merger => "mergedInto",
        EdgeKind::Renaming => "renamedTo",
        EdgeKind::Reorganisation => "reorganisedInto",
        EdgeKind::Founding => "founded",
        EdgeKind::Division => "dividedInto",
        EdgeKind::Leadership => "led",
        EdgeKind::Membership => "memberOf",
        EdgeKind::Founder => "founderOf",
        EdgeKind::Affiliation => "affiliatedWith",
    }
}

/// lineage's class for a node kind.
pub fn node_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Party => "Party",
        NodeKind::Movement => "Movement",
        NodeKind::Bloc => "Bloc",
        NodeKind::Organisation => "Organisation",
        NodeKind::Person => "Person",
    }
}

/// One term of the vocabulary, for the documentation.
pub struct Term {
    /// The term as written in Turtle (`lin:splitInto`, `wdt:P807`).
    pub term: &'static str,
    /// What it says.
    pub meaning: &'static str,
}

const fn t(term: &'static str, meaning: &'static str) -> Term {
    Term { term, meaning }
}

/// Every term the export writes, with its meaning.
pub const TERMS: &[Term] = &[
    t(
        "lin:Party, lin:Movement, lin:Bloc, lin:Organisation, lin:Person",
        "the classes of nodes (`rdf:type`)",
    ),
    t("lin:id", "the node's id in lineage"),
    t("rdfs:label", "the node's display name"),
    t("skos:altLabel", "each alias (every spelling and script)"),
    t(
        "lin:sharedName",
        "a name the node shares with other organisations",
    ),
    t(
        "lin:splitInto, lin:mergedInto, lin:renamedTo, lin:reorganisedInto, lin:founded, lin:dividedInto",
        "the lineage edges, from the earlier node to the later, one triple per edge",
    ),
    t(
        "lin:led, lin:memberOf, lin:founderOf, lin:affiliatedWith",
        "a person's or organisation's edges, from the person or member to the organisation",
    ),
    t(
        "wdt:P807",
        "separated from: written `new wdt:P807 parent` for each split",
    ),
    t(
        "wdt:P7888",
        "merged into: `absorbed wdt:P7888 result` for each merger",
    ),
    t(
        "wdt:P1366",
        "replaced by: `old wdt:P1366 new` for each reorganisation",
    ),
    t(
        "wdt:P112",
        "founded by: `organisation wdt:P112 founder` for each founding and founder edge",
    ),
    t(
        "wdt:P488",
        "chairperson: `organisation wdt:P488 person` for each leadership edge",
    ),
    t(
        "wdt:P463",
        "member of: `member wdt:P463 bloc` for each membership edge",
    ),
    t(
        "lin:Edge",
        "the class of edge statements: `edge:N` reifies the edge's `lin:` triple with `rdf:subject`, `rdf:predicate` and `rdf:object`, and carries its facts",
    ),
    t(
        "lin:kind",
        "the edge's kind as text (`split`, `renaming`, …)",
    ),
    t(
        "lin:role",
        "the role of a leadership, founder or affiliation edge",
    ),
    t(
        "lin:termFrom, lin:termUntil",
        "the start and end of a term, each a date resource",
    ),
    t(
        "lin:claim",
        "a dated claim of an edge: one resource per claim, so that sources that disagree stay apart",
    ),
    t(
        "lin:foundedClaim, lin:registeredClaim, lin:endedClaim",
        "a node's dated claims of founding, registration and end",
    ),
    t("lin:Claim", "the class of dated claims"),
    t(
        "lin:date",
        "a date as the sources give it (`early 1998`, `1993-10`)",
    ),
    t(
        "lin:earliest, lin:latest",
        "the first and last day the date can mean (`xsd:date`); absent for an open end (`before 1998`)",
    ),
    t(
        "lin:event, lin:Event, lin:eventKind",
        "a node's events, their class and kind",
    ),
    t(
        "lin:result, lin:Result, lin:election, lin:body, lin:share, lin:seats, lin:votes",
        "a node's election results: the election's date, the body elected, the share as the source gives it, seats and votes",
    ),
    t(
        "lin:externalId, lin:ExternalId, lin:scheme, lin:value, lin:covers",
        "a node's ids in other datasets, and whether an id covers this era or the whole renaming chain",
    ),
    t(
        "owl:sameAs",
        "the node's Wikidata item (`wd:Q…`), when its Wikidata id covers this era only",
    ),
    t(
        "prov:wasDerivedFrom",
        "a source a node, edge, claim, event, result or id cites",
    ),
    t(
        "lin:Source, dcterms:title, dcterms:creator, dcterms:publisher, dcterms:date, lin:url, lin:seed, rdfs:comment",
        "a source: title, author, publisher, date, address, the seed document it is, and notes",
    ),
];

/// The table of [`TERMS`] as Markdown, for docs/export.md.
pub fn markdown() -> String {
    let mut s = String::from("| term | meaning |\n|---|---|\n");
    for t in TERMS {
        let terms: Vec<String> = t.term.split(", ").map(|x| format!("`{x}`")).collect();
        s.push_str(&format!("| {} | {} |\n", terms.join(", "), t.meaning));
    }
    s
}
