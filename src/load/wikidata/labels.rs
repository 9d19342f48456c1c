//! An item's labels and aliases → the node's name and aliases.
//!
//! The name is the `en` label, else the label of the alphabetically first language code. The
//! aliases are the other labels (by sorted language code), then every alias (by sorted language
//! code, in the item's order within a language), each kept once: a text that is the name's or an
//! earlier alias's but for letter case is dropped (`AMANAT` beside `Amanat`). A spelling in
//! another script is kept even where lookup folds it to the same key (`Аманат` beside
//! `Amanat`): it is a name in that language, which displays and exports show, not a variant.
//!
//! A text validation would refuse is not imported as a name, and is listed as unmapped: one that
//! holds a control character or bidirectional override (validation refuses them in every
//! string, `tests/it/hostile_text.rs`), one that is empty after folding, and one that reads as
//! the id of another item read (`Q5` as an alias, when `q5` is a node). An item left with no
//! usable label is named by its QID (`Q123`), and that is listed too.

use std::collections::{BTreeMap, HashSet};

use super::json::Item;
use crate::names::{clipped, is_hidden_control, normalize};

/// The names of one item.
pub(super) struct Names {
    /// The node's name.
    pub(super) name: String,
    /// The node's aliases.
    pub(super) aliases: Vec<String>,
    /// Why a text was not imported, one reason each.
    pub(super) refused: Vec<String>,
}

/// Why `text` cannot be a name of the node `own` (lower-case QID), if it cannot.
fn unusable(text: &str, own: &str, ids: &HashSet<String>) -> Option<String> {
    if let Some(c) = text.chars().find(|c| is_hidden_control(*c)) {
        return Some(format!("holds the control character U+{:04X}", c as u32));
    }
    let key = normalize(text);
    if key.is_empty() {
        return Some("is empty after folding".to_string());
    }
    if key != own && ids.contains(&key) {
        return Some(format!(
            "reads as the id of {}, another item read",
            key.to_uppercase()
        ));
    }
    None
}

/// A language code as it is when it is one (`en`, `zh-hans`), else quoted.
fn code(lang: &str) -> String {
    if !lang.is_empty()
        && lang.len() <= 32
        && lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        lang.to_string()
    } else {
        clipped(lang)
    }
}

/// The name and aliases of `item`, whose QID is `qid`; `ids` holds the lower-case QID of every
/// item read.
pub(super) fn names(qid: &str, item: &Item, ids: &HashSet<String>) -> Names {
    let own = qid.to_lowercase();
    let mut refused = Vec::new();
    let mut labels: BTreeMap<&str, &str> = BTreeMap::new();
    for (lang, t) in &item.labels.0 {
        labels.entry(lang.as_str()).or_insert(t.value.trim());
    }
    let mut aliases: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (lang, list) in &item.aliases.0 {
        aliases
            .entry(lang.as_str())
            .or_default()
            .extend(list.iter().map(|t| t.value.trim()));
    }
    // every candidate in order: the en label first, then the labels, then the aliases
    let mut candidates: Vec<(&str, &str, &str)> = Vec::new();
    if let Some(en) = labels.get("en") {
        candidates.push(("label", "en", en));
    }
    candidates.extend(
        labels
            .iter()
            .filter(|(l, _)| **l != "en")
            .map(|(l, t)| ("label", *l, *t)),
    );
    for (l, list) in &aliases {
        candidates.extend(list.iter().map(|t| ("alias", *l, *t)));
    }
    let mut name: Option<String> = None;
    let mut out: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (what, lang, text) in candidates {
        if let Some(why) = unusable(text, &own, ids) {
            refused.push(format!(
                "{what} ({}) {}: {why}; not imported as a name",
                code(lang),
                clipped(text)
            ));
            continue;
        }
        if !seen.insert(text.to_lowercase()) {
            continue;
        }
        match name {
            None if what == "label" => name = Some(text.to_string()),
            _ => out.push(text.to_string()),
        }
    }
    let name = match name {
        Some(n) => n,
        None => {
            refused.push(format!("no usable label: the node is named {qid}"));
            // an alias is still an alias; the QID must not be one of them
            out.retain(|a| normalize(a) != own);
            qid.to_string()
        }
    };
    Names {
        name,
        aliases: out,
        refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(v: serde_json::Value) -> Item {
        serde_json::from_value(v).unwrap()
    }

    fn label(l: &str, v: &str) -> serde_json::Value {
        serde_json::json!({"language": l, "value": v})
    }

    #[test]
    fn en_first_then_sorted_labels_then_aliases() {
        let i = item(serde_json::json!({
            "labels": {"ru": label("ru", "Отан"), "en": label("en", "Otan"), "kk": label("kk", "Отан партиясы")},
            "aliases": {"ru": [label("ru", "ОТАН"), label("ru", "Республиканская партия Отан")], "de": [label("de", "Vaterland")]},
        }));
        let n = names("Q1", &i, &HashSet::new());
        assert_eq!(n.name, "Otan");
        // "Отан" is kept (another script); "ОТАН" is "Отан" in capitals: dropped
        assert_eq!(
            n.aliases,
            vec![
                "Отан партиясы",
                "Отан",
                "Vaterland",
                "Республиканская партия Отан"
            ]
        );
        assert!(n.refused.is_empty());
    }

    #[test]
    fn refused_texts_are_listed_and_the_qid_is_the_last_resort() {
        let ids: HashSet<String> = ["q1", "q5"].iter().map(|s| s.to_string()).collect();
        let i = item(serde_json::json!({
            "labels": {"en": label("en", "Bad\u{1b}[31m"), "fr": label("fr", "Q5")},
            "aliases": {"en": [label("en", "---"), label("en", "Good")]},
        }));
        let n = names("Q1", &i, &ids);
        assert_eq!(n.name, "Q1");
        assert_eq!(n.aliases, vec!["Good"]);
        assert_eq!(
            n.refused,
            vec![
                "label (en) \"Bad\\u{1b}[31m\": holds the control character U+001B; not imported as a name",
                "label (fr) \"Q5\": reads as the id of Q5, another item read; not imported as a name",
                "alias (en) \"---\": is empty after folding; not imported as a name",
                "no usable label: the node is named Q1",
            ]
        );
    }
}
