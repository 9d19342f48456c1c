//! A statement's references → lineage [`Source`]s.
//!
//! Each reference is one source, shared by every statement that gives the same reference:
//!
//! - **id**: `wikidata-ref-` and the first 12 hex digits of the reference's `hash` (lower
//!   case). A reference without a hash of at least 12 hex digits gets, instead, the first 12 hex
//!   digits of the 64-bit FNV-1a hash of its snaks as serde_json writes them back (keys sorted,
//!   unknown fields dropped), so the same snaks always give the same id.
//! - **title**: the P1476 (title) text, else `stated in Q…` from P248, else the P854 (reference
//!   URL), else `Wikidata reference <hash>`.
//! - **url**: the P854 URL. **date**: the P813 (retrieved) date, as a lineage date text
//!   (`2020-05-12`). **note**: `Wikidata reference <hash>`, and the P248 (stated in) and P143
//!   (imported from) items.
//!
//! A text that holds a control character (validation refuses them) is not used, and is listed
//! as unmapped, as is a P813 date that cannot be read.

use std::collections::BTreeMap;

use super::json::{Reference, Snak, Statement};
use super::{Origin, Unmapped};
use crate::model::Source;
use crate::names::{clipped, is_hidden_control};

/// The 64-bit FNV-1a hash of `bytes`.
pub(super) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The 12 hex digits that name a reference.
fn short_hash(r: &Reference) -> String {
    match &r.hash {
        Some(h) if h.len() >= 12 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
            h[..12].to_ascii_lowercase()
        }
        _ => {
            let text = serde_json::to_string(&r.snaks).unwrap_or_default();
            format!("{:016x}", fnv1a(text.as_bytes()))[..12].to_string()
        }
    }
}

/// The snaks of property `p` that hold a value.
fn values<'a>(r: &'a Reference, p: &'a str) -> impl Iterator<Item = &'a Snak> + 'a {
    r.snaks
        .get(p)
        .flatten()
        .filter(|s| s.snaktype == "value" && s.datavalue.is_some())
}

/// The first text of property `p`, unless it holds a control character (then listed).
fn text_of(
    r: &Reference,
    p: &str,
    what: &str,
    id: &str,
    refused: &mut Vec<String>,
) -> Option<String> {
    let t = values(r, p).find_map(|s| s.datavalue.as_ref().and_then(|d| d.text()))?;
    let t = t.trim();
    if let Some(c) = t.chars().find(|c| is_hidden_control(*c)) {
        refused.push(format!(
            "reference {id}: the {p} {what} {} holds the control character U+{:04X}; not used",
            clipped(t),
            c as u32
        ));
        return None;
    }
    (!t.is_empty()).then(|| t.to_string())
}

/// The first item of property `p`.
fn item_of(r: &Reference, p: &str) -> Option<String> {
    values(r, p).find_map(|s| s.datavalue.as_ref().and_then(|d| d.item().ok()))
}

/// The source one reference stands for, and the reasons for what of it was not used.
fn source_of(r: &Reference, id: &str, hash: &str) -> (Source, Vec<String>) {
    let mut refused = Vec::new();
    let title = text_of(r, "P1476", "title", id, &mut refused);
    let url = text_of(r, "P854", "reference URL", id, &mut refused);
    let stated = item_of(r, "P248");
    let imported = item_of(r, "P143");
    let mut date = String::new();
    if let Some(s) = r.snaks.get("P813").flatten().next() {
        match super::dates::snak_date(s, "P813 retrieved") {
            Ok(d) => date = d.as_str().to_string(),
            Err(e) => refused.push(format!("reference {id}: {e}; not used")),
        }
    }
    let title = title
        .or_else(|| stated.as_ref().map(|q| format!("stated in {q}")))
        .or_else(|| url.clone())
        .unwrap_or_else(|| format!("Wikidata reference {hash}"));
    let mut note = vec![format!("Wikidata reference {hash}")];
    if let Some(q) = &stated {
        note.push(format!("stated in {q}"));
    }
    if let Some(q) = &imported {
        note.push(format!("imported from {q}"));
    }
    let source = Source {
        date,
        url: url.unwrap_or_default(),
        note: note.join("; "),
        ..Source::new(id, &title)
    };
    (source, refused)
}

/// The source ids a statement of the item whose source is `item_source` cites: the item's
/// source, then one per reference. Sources met for the first time are added to `sources`, and
/// what of them was not used to `unmapped`.
pub(super) fn statement_sources(
    st: &Statement,
    item_source: &str,
    origin: &Origin,
    sources: &mut BTreeMap<String, Source>,
    unmapped: &mut Vec<Unmapped>,
) -> Vec<String> {
    let mut ids = vec![item_source.to_string()];
    for r in &st.references {
        let short = short_hash(r);
        let id = format!("wikidata-ref-{short}");
        if !sources.contains_key(&id) {
            // the full hash when it is one, for the note
            let hash = match &r.hash {
                Some(h) if h.len() >= 12 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    h.to_ascii_lowercase()
                }
                _ => format!("{short} (no hash given: FNV-1a of its snaks)"),
            };
            let (s, refused) = source_of(r, &id, &hash);
            unmapped.extend(refused.into_iter().map(|why| origin.unmapped(why)));
            sources.insert(id.clone(), s);
        }
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_reference_without_a_hash_gets_a_stable_id() {
        let r = |v: serde_json::Value| -> Reference { serde_json::from_value(v).unwrap() };
        let snaks = serde_json::json!({"P854": [{"snaktype": "value", "property": "P854",
            "datavalue": {"value": "https://example.org/a", "type": "string"}}]});
        let a = r(serde_json::json!({"snaks": snaks}));
        let b = r(serde_json::json!({"snaks": snaks, "snaks-order": ["P854"]}));
        assert_eq!(short_hash(&a), short_hash(&b));
        assert_eq!(short_hash(&a).len(), 12);
        let c = r(serde_json::json!({"hash": "ABCDEF0123456789abcdef", "snaks": snaks}));
        assert_eq!(short_hash(&c), "abcdef012345");
        let (s, refused) = source_of(&a, "wikidata-ref-x", "x");
        assert_eq!(
            (s.title.as_str(), s.url.as_str()),
            ("https://example.org/a", "https://example.org/a")
        );
        assert!(refused.is_empty());
    }
}
