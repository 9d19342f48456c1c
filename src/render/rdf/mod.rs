//! Every fact of a selection as RDF (`lineage export --format turtle|ntriples`), written by
//! Oxigraph's `oxttl`.
//!
//! Each edge is one triple in lineage's terms (`node:a lin:splitInto node:b`), one in
//! Wikidata's where Wikidata has the property ([`vocab::wikidata_property`]), and a statement
//! resource `edge:N` that reifies the `lin:` triple (RDF's `rdf:subject`, `rdf:predicate`,
//! `rdf:object`) and carries the edge's kind, role, term, one `lin:claim` per dated claim and
//! the sources (`prov:wasDerivedFrom`). Sources that disagree on a date stay separate claims,
//! each with its own sources. docs/export.md lists every term ([`vocab::TERMS`]).

mod triples;
pub mod vocab;

pub use triples::{each_triple, iri, is_qid};

use crate::db::Db;
use crate::error::{Error, Result};
use crate::query::Selection;

fn fail(e: std::io::Error) -> Error {
    Error::Export {
        format: "rdf",
        message: e.to_string(),
    }
}

/// The selection as N-Triples: one triple a line, in [`each_triple`]'s order.
///
/// # Errors
/// [`Error::Export`] if the serialiser fails (it writes to memory, so only on a bug).
///
/// # Complexity
/// O(N + E + S log S), as [`each_triple`]; the text is held whole (about 100 bytes a triple;
/// [`write_ntriples`] streams it instead).
///
/// # Example
/// ```
/// let db = lineage::Db::embedded().unwrap();
/// let sel = lineage::query::Selection::all(&db, false, &lineage::query::Filter::default());
/// let nt = lineage::render::rdf::ntriples(&db, &sel).unwrap();
/// assert!(nt.contains("<urn:lineage:node:otan> <http://www.w3.org/2000/01/rdf-schema#label> \"Otan\""));
/// ```
pub fn ntriples(db: &Db, sel: &Selection) -> Result<String> {
    let mut out = Vec::new();
    write_ntriples(db, sel, &mut out)?;
    Ok(String::from_utf8(out).expect("N-Triples is UTF-8"))
}

/// The selection as N-Triples, written to `w` a triple at a time (the same bytes as
/// [`ntriples`]), so that memory does not grow with the output.
///
/// # Errors
/// [`Error::Export`] with the writer's error; what was written before it stays written.
///
/// # Complexity
/// O(N + E + S log S), as [`each_triple`]; O(1) memory beyond the records read and the set of
/// sources cited.
pub fn write_ntriples(db: &Db, sel: &Selection, w: impl std::io::Write) -> Result<()> {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut w = std::io::BufWriter::new(w);
    let mut err = None;
    let mut line = String::new();
    each_triple(db, sel, &mut |t| {
        if err.is_some() {
            return;
        }
        // the line oxttl's N-Triples serialiser writes (`{triple} .`), with the characters a
        // terminal must not get escaped
        line.clear();
        writeln!(line, "{t} .").expect("writing to a String");
        let written = if line.chars().any(hidden) {
            w.write_all(shown_escaped(line.clone()).as_bytes())
        } else {
            w.write_all(line.as_bytes())
        };
        if let Err(e) = written {
            err = Some(e);
        }
    });
    if let Some(e) = err {
        return Err(fail(e));
    }
    w.flush().map_err(fail)
}

/// The selection as Turtle, with the prefixes of [`vocab::PREFIXES`].
///
/// # Errors
/// [`Error::Export`] if the serialiser fails (it writes to memory, so only on a bug).
///
/// # Complexity
/// O(N + E + S log S), as [`each_triple`].
pub fn turtle(db: &Db, sel: &Selection) -> Result<String> {
    let mut s = oxttl::TurtleSerializer::new();
    for (name, iri) in vocab::PREFIXES {
        s = s
            .with_prefix(name, iri)
            .expect("the prefixes are valid IRIs");
    }
    let mut w = s.for_writer(Vec::new());
    let mut err = None;
    each_triple(db, sel, &mut |t| {
        if err.is_none()
            && let Err(e) = w.serialize_triple(&t)
        {
            err = Some(e);
        }
    });
    if let Some(e) = err {
        return Err(fail(e));
    }
    let bytes = w.finish().map_err(fail)?;
    Ok(shown_escaped(
        String::from_utf8(bytes).expect("Turtle is UTF-8"),
    ))
}

/// The output with every character that must not reach a terminal as it is
/// ([`crate::names::is_hidden_control`]: C1 controls, bidirectional overrides; the serialiser
/// already escapes C0 controls) written as a `\uXXXX` escape. The IRIs written are ASCII, so
/// such a character can only be inside a string literal, where Turtle and N-Triples read the
/// escape as the character itself: the triples are unchanged.
fn hidden(c: char) -> bool {
    crate::names::is_hidden_control(c) && c != '\n' && c != '\t'
}

fn shown_escaped(s: String) -> String {
    if !s.chars().any(hidden) {
        return s;
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if hidden(c) {
            o.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            o.push(c);
        }
    }
    o
}
