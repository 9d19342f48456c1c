//! The shapes of Wikidata's entity JSON that the importer reads, as typed serde structs.
//!
//! Unknown fields are ignored (this is Wikidata's format, not ours, and it grows). The one
//! place the value type varies, a snak's `datavalue.value`, stays a [`serde_json::Value`] and is
//! read by the accessors at the end of this file. Wikibase writes an empty map as `[]`, so
//! every map is read by [`Entries`], which takes a JSON object, an empty array or `null`, and
//! keeps the keys in file order.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The fields every entity has: enough to tell an item from a property or a lexeme.
#[derive(Debug, Deserialize)]
pub(super) struct Head {
    /// `item`, `property`, `lexeme`, …
    #[serde(rename = "type")]
    pub(super) kind: String,
    /// `Q123`, `P31`, `L1`, …
    pub(super) id: String,
}

/// An item: its labels, aliases and statements.
#[derive(Debug, Deserialize)]
pub(super) struct Item {
    #[serde(default)]
    pub(super) labels: Entries<Text>,
    #[serde(default)]
    pub(super) aliases: Entries<Vec<Text>>,
    #[serde(default)]
    pub(super) claims: Entries<Vec<Statement>>,
}

/// A label or an alias (the language is the key it is filed under).
#[derive(Debug, Deserialize)]
pub(super) struct Text {
    pub(super) value: String,
}

/// One statement: its main snak, rank, qualifiers and references.
#[derive(Debug, Deserialize)]
pub(super) struct Statement {
    pub(super) mainsnak: Snak,
    #[serde(default)]
    pub(super) rank: String,
    #[serde(default)]
    pub(super) qualifiers: Entries<Vec<Snak>>,
    #[serde(default, deserialize_with = "list_or_null")]
    pub(super) references: Vec<Reference>,
    #[serde(default)]
    pub(super) id: Option<String>,
}

/// A property and its value, or the mark that the value is unknown (`somevalue`) or that there
/// is none (`novalue`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(super) struct Snak {
    pub(super) snaktype: String,
    #[serde(default)]
    pub(super) property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) datavalue: Option<DataValue>,
}

/// A typed value: `wikibase-entityid`, `time`, `string`, `monolingualtext`, …
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(super) struct DataValue {
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) value: Value,
}

/// One reference of a statement: its hash and its snaks by property.
#[derive(Debug, Deserialize)]
pub(super) struct Reference {
    #[serde(default)]
    pub(super) hash: Option<String>,
    #[serde(default)]
    pub(super) snaks: Entries<Vec<Snak>>,
}

/// A time value.
#[derive(Debug, Deserialize)]
pub(super) struct Time {
    /// `+1993-05-00T00:00:00Z`
    pub(super) time: String,
    /// 11 day, 10 month, 9 year, 8 decade, 7 century, …
    pub(super) precision: i64,
    /// The calendar's entity URI; Gregorian is `http://www.wikidata.org/entity/Q1985727`.
    #[serde(default)]
    pub(super) calendarmodel: Option<String>,
}

#[derive(Debug, Deserialize)]
struct EntityId {
    #[serde(rename = "entity-type", default)]
    entity_type: Option<String>,
    #[serde(rename = "numeric-id", default)]
    numeric_id: Option<u64>,
    #[serde(default)]
    id: Option<String>,
}

/// A JSON object read as its entries in file order; an empty array or `null` reads as no
/// entries (Wikibase writes an empty map as `[]`).
#[derive(Debug)]
pub(super) struct Entries<T>(pub(super) Vec<(String, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<T> Entries<T> {
    /// The values filed under `key`, in file order (a key given twice gives both).
    pub(super) fn get<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        self.0.iter().filter(move |(k, _)| k == key).map(|(_, v)| v)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object (or an empty array)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = m.next_entry::<String, T>()? {
                    v.push((k, x));
                }
                Ok(Entries(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
                if s.next_element::<de::IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom(
                        "expected a JSON object, found a non-empty array",
                    ));
                }
                Ok(Entries(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<T: Serialize> Serialize for Entries<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A list that may be written as `null`.
fn list_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Whether `s` is an item id: `Q` and a number without leading zeros.
pub(super) fn is_qid(s: &str) -> bool {
    s.len() > 1
        && s.len() <= 20
        && s.starts_with('Q')
        && s[1..].bytes().all(|b| b.is_ascii_digit())
        && !s[1..].starts_with('0')
}

impl DataValue {
    /// The item this value names (`Q12`), or why it names none.
    pub(super) fn item(&self) -> Result<String, String> {
        if self.kind != "wikibase-entityid" {
            return Err(format!(
                "the value is not an item (a {} value)",
                crate::names::clipped(&self.kind)
            ));
        }
        let e =
            EntityId::deserialize(&self.value).map_err(|e| format!("malformed item value: {e}"))?;
        if let Some(t) = &e.entity_type
            && t != "item"
        {
            return Err(format!(
                "the value is not an item (a {} entity)",
                crate::names::clipped(t)
            ));
        }
        match (e.id, e.numeric_id) {
            (Some(id), _) if is_qid(&id) => Ok(id),
            (Some(id), _) => Err(format!(
                "the value {} is not an item id",
                crate::names::clipped(&id)
            )),
            (None, Some(n)) if n > 0 => Ok(format!("Q{n}")),
            _ => Err("malformed item value: no id".to_string()),
        }
    }

    /// The time this value holds, or why it holds none.
    pub(super) fn time(&self) -> Result<Time, String> {
        if self.kind != "time" {
            return Err(format!(
                "the value is not a time (a {} value)",
                crate::names::clipped(&self.kind)
            ));
        }
        Time::deserialize(&self.value).map_err(|e| format!("malformed time value: {e}"))
    }

    /// The text of a `string` value or of a `monolingualtext` value.
    pub(super) fn text(&self) -> Option<&str> {
        match self.kind.as_str() {
            "string" => self.value.as_str(),
            "monolingualtext" => self.value.get("text").and_then(Value::as_str),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_maps_may_be_written_as_arrays() {
        let i: Item = serde_json::from_str(r#"{"labels":[],"aliases":null,"claims":{}}"#).unwrap();
        assert!(i.labels.0.is_empty() && i.aliases.0.is_empty() && i.claims.0.is_empty());
        assert!(serde_json::from_str::<Item>(r#"{"labels":[1]}"#).is_err());
    }

    #[test]
    fn item_values_by_id_or_number() {
        let dv = |v: Value| DataValue {
            kind: "wikibase-entityid".into(),
            value: v,
        };
        let v = serde_json::json!({"entity-type": "item", "numeric-id": 12, "id": "Q12"});
        assert_eq!(dv(v).item().unwrap(), "Q12");
        let v = serde_json::json!({"entity-type": "item", "numeric-id": 7});
        assert_eq!(dv(v).item().unwrap(), "Q7");
        let v = serde_json::json!({"entity-type": "property", "id": "P31"});
        assert!(dv(v).item().is_err());
        let t = DataValue {
            kind: "monolingualtext".into(),
            value: serde_json::json!({"text": "T", "language": "en"}),
        };
        assert_eq!(t.text(), Some("T"));
    }
}
