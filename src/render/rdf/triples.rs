//! The triples of a selection, in one pass: each node with its names, claims, events, results
//! and external ids; each edge as a triple in lineage's terms, a triple in Wikidata's where one
//! maps, and a statement resource with its kind, dates and sources; then the sources cited.
//! Claims, events, results and external ids are numbered as in the tidy tables.

use std::collections::BTreeSet;

use oxrdf::vocab::{rdf, rdfs, xsd};
use oxrdf::{Literal, NamedNode, NamedNodeRef, Term, Triple};

use super::vocab::{
    CLAIM, DCTERMS, EDGE, EVENT, EXTERNAL, LIN, NODE, OWL, PROV, RESULT, SKOS, SOURCE, WD, WDT,
    edge_property, node_class, wikidata_property,
};
use crate::date::{DateSpec, OPEN_END, OPEN_START, format_day};
use crate::db::Db;
use crate::model::{Claim, Covers};
use crate::query::Selection;

/// `base` followed by `local`, with every character outside RFC 3986's unreserved set
/// percent-encoded, so that any id makes a valid IRI.
pub fn iri(base: &str, local: &str) -> NamedNode {
    let mut s = String::with_capacity(base.len() + local.len());
    s.push_str(base);
    for b in local.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    NamedNode::new_unchecked(s)
}

fn lin(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{LIN}{local}"))
}

fn ns(base: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{base}{local}"))
}

fn plain(s: &str) -> Term {
    Literal::new_simple_literal(s).into()
}

fn integer(v: i64) -> Term {
    Literal::new_typed_literal(v.to_string(), xsd::INTEGER).into()
}

struct Out<'f> {
    f: &'f mut dyn FnMut(Triple),
    cited: BTreeSet<String>,
}

impl Out<'_> {
    fn put(&mut self, s: &NamedNode, p: NamedNode, o: impl Into<Term>) {
        (self.f)(Triple::new(s.clone(), p, o));
    }

    fn put_ref(&mut self, s: &NamedNode, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.put(s, p.into_owned(), o);
    }

    fn text(&mut self, s: &NamedNode, p: NamedNode, v: &str) {
        if !v.is_empty() {
            self.put(s, p, plain(v));
        }
    }

    fn sources(&mut self, s: &NamedNode, ids: &[String]) {
        for id in ids {
            self.cited.insert(id.clone());
            self.put(s, ns(PROV, "wasDerivedFrom"), iri(SOURCE, id));
        }
    }

    /// `lin:date`, and `lin:earliest`/`lin:latest` for the bounds that are not open.
    fn date(&mut self, s: &NamedNode, d: &DateSpec) {
        self.put(s, lin("date"), plain(d.as_str()));
        for (p, day) in [("earliest", d.earliest()), ("latest", d.latest())] {
            if day != OPEN_START && day != OPEN_END {
                self.put(
                    s,
                    lin(p),
                    Literal::new_typed_literal(format_day(day), xsd::DATE),
                );
            }
        }
    }

    fn claim(&mut self, subject: &NamedNode, p: &str, k: u64, c: &Claim) {
        let r = iri(CLAIM, &k.to_string());
        self.put(subject, lin(p), r.clone());
        self.put_ref(&r, rdf::TYPE, lin("Claim"));
        self.date(&r, &c.date);
        self.text(&r, rdfs::COMMENT.into_owned(), &c.note);
        self.sources(&r, &c.sources);
    }
}

/// Every triple of `sel`, in a fixed order, given one at a time to `f`.
///
/// # Complexity
/// O(N + E) record decodings for the N nodes and E edges selected, plus O(S log S) for the S
/// sources cited; the triples are not held.
pub fn each_triple(db: &Db, sel: &Selection, f: &mut dyn FnMut(Triple)) {
    let mut o = Out {
        f,
        cited: BTreeSet::new(),
    };
    let mut numbers = [0u64; 4]; // claims, events, results, external ids
    let mut next = |i: usize| {
        numbers[i] += 1;
        numbers[i]
    };
    for &n in &sel.nodes {
        let node = db.node(n);
        let s = iri(NODE, &node.id);
        o.put_ref(&s, rdf::TYPE, lin(node_class(node.kind)));
        o.put(&s, lin("id"), plain(&node.id));
        o.put_ref(&s, rdfs::LABEL, plain(&node.name));
        for a in &node.aliases {
            o.put(&s, ns(SKOS, "altLabel"), plain(a));
        }
        for a in &node.shared_names {
            o.put(&s, lin("sharedName"), plain(a));
        }
        o.text(&s, rdfs::COMMENT.into_owned(), &node.note);
        o.sources(&s, &node.sources);
        for (p, claims) in [
            ("foundedClaim", &node.founded),
            ("registeredClaim", &node.registered),
            ("endedClaim", &node.ended),
        ] {
            for c in claims {
                o.claim(&s, p, next(0), c);
            }
        }
        for ev in &node.events {
            let r = iri(EVENT, &next(1).to_string());
            o.put(&s, lin("event"), r.clone());
            o.put_ref(&r, rdf::TYPE, lin("Event"));
            o.put(&r, lin("eventKind"), plain(ev.kind.as_str()));
            o.date(&r, &ev.date);
            o.text(&r, rdfs::COMMENT.into_owned(), &ev.note);
            o.sources(&r, &ev.sources);
        }
        for res in &node.results {
            let k = next(2);
            let r = iri(RESULT, &k.to_string());
            o.put(&s, lin("result"), r.clone());
            o.put_ref(&r, rdf::TYPE, lin("Result"));
            let e = iri(RESULT, &format!("{k}-election"));
            o.put(&r, lin("election"), e.clone());
            o.date(&e, &res.election);
            o.put(&r, lin("body"), plain(&res.body));
            if let Some(share) = &res.share {
                o.put(&r, lin("share"), plain(share));
            }
            if let Some(v) = res.seats {
                o.put(&r, lin("seats"), integer(i64::from(v)));
            }
            if let Some(v) = res.votes {
                o.put(
                    &r,
                    lin("votes"),
                    integer(i64::try_from(v).unwrap_or(i64::MAX)),
                );
            }
            o.text(&r, rdfs::COMMENT.into_owned(), &res.note);
            o.sources(&r, &res.sources);
        }
        for x in &node.external_ids {
            let r = iri(EXTERNAL, &next(3).to_string());
            o.put(&s, lin("externalId"), r.clone());
            o.put_ref(&r, rdf::TYPE, lin("ExternalId"));
            o.put(&r, lin("scheme"), plain(&x.scheme));
            o.put(&r, lin("value"), plain(&x.id));
            o.put(&r, lin("covers"), plain(x.covers.as_str()));
            o.text(&r, rdfs::COMMENT.into_owned(), &x.note);
            o.sources(&r, &x.sources);
            if x.scheme == "wikidata" && x.covers == Covers::Era && is_qid(&x.id) {
                o.put(&s, ns(OWL, "sameAs"), ns(WD, &x.id));
            }
        }
    }
    for &e in &sel.edges {
        let edge = db.edge(e);
        let from = iri(NODE, &edge.from);
        let to = iri(NODE, &edge.to);
        let p = lin(edge_property(edge.kind));
        o.put(&from, p.clone(), to.clone());
        if let Some((pid, reversed)) = wikidata_property(edge.kind) {
            let (a, b) = if reversed { (&to, &from) } else { (&from, &to) };
            o.put(a, ns(WDT, pid), b.clone());
        }
        let r = iri(EDGE, &e.index().to_string());
        o.put_ref(&r, rdf::TYPE, lin("Edge"));
        o.put_ref(&r, rdf::SUBJECT, from);
        o.put_ref(&r, rdf::PREDICATE, p);
        o.put_ref(&r, rdf::OBJECT, to);
        o.put(&r, lin("kind"), plain(edge.kind.as_str()));
        o.text(&r, lin("role"), &edge.role);
        if let Some(term) = &edge.term {
            for (p, d) in [("termFrom", &term.from), ("termUntil", &term.until)] {
                if let Some(d) = d {
                    let t = iri(EDGE, &format!("{}-{p}", e.index()));
                    o.put(&r, lin(p), t.clone());
                    o.date(&t, d);
                }
            }
        }
        for c in &edge.date {
            o.claim(&r, "claim", next(0), c);
        }
        o.text(&r, rdfs::COMMENT.into_owned(), &edge.note);
        o.sources(&r, &edge.sources);
    }
    let cited = std::mem::take(&mut o.cited);
    for src in db.sources().iter().filter(|s| cited.contains(&s.id)) {
        let r = iri(SOURCE, &src.id);
        o.put_ref(&r, rdf::TYPE, lin("Source"));
        o.put(&r, lin("id"), plain(&src.id));
        o.put(&r, ns(DCTERMS, "title"), plain(&src.title));
        o.text(&r, ns(DCTERMS, "creator"), &src.author);
        o.text(&r, ns(DCTERMS, "publisher"), &src.publisher);
        o.text(&r, ns(DCTERMS, "date"), &src.date);
        o.text(&r, lin("url"), &src.url);
        o.text(&r, lin("seed"), &src.seed);
        o.text(&r, rdfs::COMMENT.into_owned(), &src.note);
    }
}

/// `Q` and digits, the form of a Wikidata item id.
pub fn is_qid(s: &str) -> bool {
    s.len() > 1
        && s.starts_with('Q')
        && s[1..].bytes().all(|b| b.is_ascii_digit())
        && !s[1..].starts_with('0')
}
