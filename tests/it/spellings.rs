//! Names in every script and spelling: each alias of the embedded graph, transliterated from
//! Cyrillic into the 2021 Kazakh Latin alphabet and into the common English romanisation, and
//! each Latin alias respelled in the other Latin conventions and in Cyrillic, still finds its
//! node (issue 16: "Aq jol", "Nur Otan partııasy", "Qazaqstan azamattyq partiyasy").
//!
//! The transliterations here are written letter by letter from the alphabets, independently of
//! `lineage::names`, so that a fold that misses a letter fails here.

use std::collections::BTreeMap;

use lineage::names::normalize;
use lineage::{Db, NodeId};

/// Cyrillic (Kazakh and Russian letters) to the 2021 Kazakh Latin alphabet.
fn kazakh_latin_2021(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'ә' => "ä",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'ғ' => "ǵ",
        'д' => "d",
        'е' => "e",
        'ё' => "ıo",
        'ж' => "j",
        'з' => "z",
        'и' | 'й' => "ı",
        'к' => "k",
        'қ' => "q",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'ң' => "ń",
        'о' => "o",
        'ө' => "ó",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ұ' => "u",
        'ү' => "ú",
        'ф' => "f",
        'х' | 'һ' => "h",
        'ц' => "ts",
        'ч' => "ç",
        'ш' => "ş",
        'щ' => "şş",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'і' => "i",
        'э' => "e",
        'ю' => "ıu",
        'я' => "ıa",
        _ => return None,
    })
}

/// Cyrillic to the common English romanisation (zh, kh, sh, ch, y).
fn romanised(c: char) -> Option<&'static str> {
    Some(match c {
        'ә' => "a",
        'ғ' => "gh",
        'ё' => "yo",
        'ж' => "zh",
        'и' => "i",
        'й' => "y",
        'қ' => "k",
        'ң' => "n",
        'ө' => "o",
        'ү' | 'ұ' | 'у' => "u",
        'х' | 'һ' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ы' => "y",
        'ю' => "yu",
        'я' => "ya",
        c => return kazakh_latin_2021(c),
    })
}

/// Latin to Cyrillic, for names written only in Latin letters that Kazakh uses.
fn to_cyrillic(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    let cs: Vec<char> = lower.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < cs.len() {
        let pair: String = cs[i..(i + 2).min(cs.len())].iter().collect();
        let two = match pair.as_str() {
            "zh" => Some("ж"),
            "kh" => Some("х"),
            "sh" => Some("ш"),
            "ch" => Some("ч"),
            "gh" => Some("ғ"),
            _ => None,
        };
        if let Some(t) = two {
            out.push_str(t);
            i += 2;
            continue;
        }
        out.push_str(match cs[i] {
            'a' => "а",
            'ä' => "ә",
            'b' => "б",
            'd' => "д",
            'e' => "е",
            'f' => "ф",
            'g' => "г",
            'ǵ' => "ғ",
            'h' => "х",
            'i' => "и",
            'ı' => "ы",
            'j' => "ж",
            'k' => "к",
            'q' => "қ",
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'ń' => "ң",
            'o' => "о",
            'ö' | 'ó' => "ө",
            'p' => "п",
            'r' => "р",
            's' => "с",
            'ş' => "ш",
            't' => "т",
            'u' => "у",
            'ü' | 'ú' => "ү",
            'v' => "в",
            'y' => "ы",
            'z' => "з",
            ' ' | '-' | '\'' | '’' | '.' | ',' | '«' | '»' | '"' | '(' | ')' => " ",
            '0'..='9' => {
                out.push(cs[i]);
                i += 1;
                continue;
            }
            _ => return None,
        });
        i += 1;
    }
    Some(out)
}

fn spell(name: &str, with: fn(char) -> Option<&'static str>) -> String {
    name.chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            with(lower).map_or(c.to_string(), str::to_string)
        })
        .collect()
}

/// The other Latin conventions for a Latin name: 2021 letters for digraphs, q for k, ı for i
/// and y, and the reverse.
fn latin_variants(name: &str) -> Vec<String> {
    let l = name.to_lowercase();
    vec![
        l.replace("shch", "şş")
            .replace("zh", "j")
            .replace("sh", "ş")
            .replace("ch", "ç")
            .replace("kh", "h")
            .replace('k', "q")
            .replace('y', "ı"),
        l.replace('j', "zh")
            .replace('ş', "sh")
            .replace('ç', "ch")
            .replace('q', "k")
            .replace('ı', "y")
            .replace('ǵ', "gh"),
        l.replace('i', "ı").replace("ıı", "ıy"),
    ]
}

fn is_cyrillic(s: &str) -> bool {
    s.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c))
}

#[test]
fn every_alias_transliterated_each_way_finds_its_node() {
    let db = Db::embedded().unwrap();
    let mut exact_keys: BTreeMap<String, Vec<NodeId>> = BTreeMap::new();
    for n in db.node_ids() {
        let node = db.node(n);
        let names = [node.id.clone(), node.name.clone()];
        for k in names.iter().chain(&node.aliases).map(|s| normalize(s)) {
            let owners = exact_keys.entry(k).or_default();
            if !owners.contains(&n) {
                owners.push(n);
            }
        }
    }
    let (mut tried, mut collisions) = (0usize, 0usize);
    let mut misses = Vec::new();
    for n in db.node_ids() {
        let node = db.node(n);
        let names = std::iter::once(node.name.clone()).chain(node.aliases.iter().cloned());
        for name in names {
            let mut variants = Vec::new();
            if is_cyrillic(&name) {
                variants.push(spell(&name, kazakh_latin_2021));
                variants.push(spell(&name, romanised));
            } else {
                variants.extend(latin_variants(&name));
                variants.extend(to_cyrillic(&name));
            }
            for v in variants {
                tried += 1;
                // a spelling that is exactly another node's name finds that node: the exact
                // name wins over a respelling
                let exact = exact_keys.get(&normalize(&v));
                if exact.is_some_and(|owners| !owners.contains(&n)) {
                    assert_eq!(&db.lookup(&v), exact.unwrap(), "{v:?}");
                    collisions += 1;
                    continue;
                }
                if !db.lookup(&v).contains(&n) {
                    misses.push(format!("{:?} (from {:?}) misses {}", v, name, db.id(n)));
                }
            }
        }
    }
    assert!(tried > 1000, "only {tried} spellings tried");
    assert!(
        collisions * 50 < tried,
        "{collisions} of {tried} spellings were other names"
    );
    assert!(
        misses.is_empty(),
        "{} of {tried}:\n{}",
        misses.len(),
        misses.join("\n")
    );
}

#[test]
fn the_spellings_the_issue_names_resolve() {
    let db = Db::embedded().unwrap();
    for (spelling, id) in [
        ("Aq jol", "ak-zhol"),
        ("Nur Otan partııasy", "nur-otan"),
        ("Qazaqstan azamattyq partiyasy", "civic-party"),
    ] {
        let n = db
            .resolve(spelling)
            .unwrap_or_else(|e| panic!("{spelling}: {e}"));
        assert_eq!(db.id(n), id, "{spelling}");
    }
}
