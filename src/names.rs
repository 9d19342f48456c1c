//! Name normalisation: what makes `Nur-Otan`, `NUR OTAN` and `Нұр Отан` the same key.

/// Folds a name to its lookup key: transliterated to ASCII (so Cyrillic and Kazakh letters meet
/// their Latin twins), lower-cased, with everything but letters and digits removed. `ә`, which
/// the transliteration drops, is read as `a` first, and `ý` (у in the 2018 Kazakh Latin
/// alphabet) as `u`.
///
/// # Example
/// ```
/// use lineage::names::normalize;
/// assert_eq!(normalize("Nur-Otan"), "nurotan");
/// assert_eq!(normalize("Нур Отан"), "nurotan");
/// assert_eq!(normalize("Partııasy"), normalize("Partiiasy"));
/// assert_eq!(normalize("Әділет"), "adilet");
/// ```
pub fn normalize(name: &str) -> String {
    let ascii = if name.contains(REREAD) {
        deunicode::deunicode(&name.replace(['ә', 'Ә'], "a").replace(['ý', 'Ý'], "u"))
    } else {
        deunicode::deunicode(name)
    };
    ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The letters [`normalize`] reads in its own way before transliterating.
const REREAD: [char; 4] = ['ә', 'Ә', 'ý', 'Ý'];

/// The name-index key of a snapshot of format `version`: [`normalize`] from version 3; for
/// version 2, the key it had then, which dropped `ә` and read `ý` as `y`.
///
/// # Example
/// ```
/// use lineage::names::index_key;
/// assert_eq!(index_key("Әділет", 3), "adilet");
/// assert_eq!(index_key("Әділет", 2), "dilet");
/// assert_eq!(index_key("Nur Otan", 2), index_key("Nur Otan", 3));
/// ```
pub fn index_key(name: &str, version: u32) -> String {
    if version >= 3 || !name.contains(REREAD) {
        return normalize(name);
    }
    deunicode::deunicode(name)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Folds a [`normalize`]d key across the ways Kazakh is written in Latin letters, so that the
/// 2021 Kazakh Latin alphabet, the common romanisations and the transliteration of the
/// Cyrillic meet: `zh`/`j` (ж), `q`/`k`/`k'` (қ), `gh`/`g` (ғ), `sh`/`s` (ш, ş), `ch`/`c` (ч,
/// ç), `kh`/`h` (х), and `y`/`i`/`ı`/`ii` (ы, і, и, й) are one letter each; and the word for
/// "party" before or after the name (party, партия, partııasy) is dropped.
///
/// A lookup that finds no exact key compares these folds (`Aq jol` finds `Ak Zhol`).
///
/// # Example
/// ```
/// use lineage::names::{normalize, spelling_key};
/// let k = |s: &str| spelling_key(&normalize(s));
/// assert_eq!(k("Aq jol"), k("Ak Zhol"));
/// assert_eq!(k("Nur Otan partııasy"), k("Нұр Отан партиясы"));
/// assert_eq!(k("Qazaqstan azamattyq partiyasy"), k("Қазақстан азаматтық партиясы"));
/// ```
pub fn spelling_key(key: &str) -> String {
    fold_spelling(key, true)
}

/// [`spelling_key`] reading `sh`, `zh`, `ch`, `kh` and `gh` as two letters: in the 2021
/// alphabet `h` is х, so `Ashat` is Асхат (`Askhat`), not Ашат, and `kommunistik halyq` is
/// not `kommunisti khalyq`. A lookup tries both readings of what it is asked.
pub fn spelling_key_literal(key: &str) -> String {
    fold_spelling(key, false)
}

fn fold_spelling(key: &str, digraphs: bool) -> String {
    let b = key.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if digraphs && b[i..].starts_with(b"shch") {
            // щ: shch, şş
            out.push_str("ss");
            i += 4;
            continue;
        }
        let next = b.get(i + 1).copied().filter(|_| digraphs);
        let (c, used) = match (b[i], next) {
            (b'z', Some(b'h')) => ('j', 2),
            (b'k', Some(b'h')) => ('h', 2),
            (b'g', Some(b'h')) => ('g', 2),
            (b's', Some(b'h')) => ('s', 2),
            (b'c', Some(b'h')) => ('c', 2),
            (b'q', _) => ('k', 1),
            (b'y', _) => ('i', 1),
            (c, _) => (c as char, 1),
        };
        i += used;
        if !(c == 'i' && out.ends_with('i')) {
            out.push(c);
        }
    }
    // the word for "party" in front or behind, in English, Russian or Kazakh, is not the name
    for pre in ["partia"] {
        if out.len() > pre.len() && out.starts_with(pre) {
            out.drain(..pre.len());
        }
    }
    for suf in ["partiasi", "partia", "parti"] {
        if out.len() > suf.len() && out.ends_with(suf) {
            out.truncate(out.len() - suf.len());
            break;
        }
    }
    out
}

/// Like [`normalize`], but keeps single spaces between words (for fuzzy, word-wise matching).
pub fn normalize_words(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for w in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The longest text, in characters, that a message echoes whole.
pub const ECHO_CHARS: usize = 60;

/// `s` quoted for a message, as `{:?}` would quote it, but cut after [`ECHO_CHARS`] characters
/// with an ellipsis and the length, so that a pasted paragraph does not bury the message.
///
/// # Example
/// ```
/// use lineage::names::clipped;
/// assert_eq!(clipped("Otan"), "\"Otan\"");
/// let long = "x".repeat(5000);
/// assert_eq!(clipped(&long), format!("\"{}…\" (5000 characters)", "x".repeat(60)));
/// ```
pub fn clipped(s: &str) -> String {
    let n = s.chars().count();
    if n <= ECHO_CHARS {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(ECHO_CHARS).collect();
    let quoted = format!("{head:?}");
    format!("{}…\" ({n} characters)", &quoted[..quoted.len() - 1])
}

/// Whether `s` is a valid slug id: lower-case ASCII letters and digits in words joined by `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= crate::limits::MAX_ID_BYTES
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The id among `ids` most similar to `id`, if any is close enough to suggest.
pub fn closest_id<'a>(id: &str, ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    ids.map(|c| (strsim::jaro_winkler(id, c), c))
        .filter(|(s, _)| *s > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Whether a character must never reach a terminal as it is: C0 and C1 control characters
/// (ESC, BEL, NUL, …, and DEL) and the bidirectional embeddings, overrides, isolates and marks
/// (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069), which can reorder what a reader sees.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_hidden_control`] character written as a visible escape (`\u{1b}`);
/// borrowed when there is none. `keep_newlines` leaves `\n` alone, for multi-line messages.
///
/// # Example
/// ```
/// use lineage::names::visible;
/// assert_eq!(visible("Otan\u{1b}]0;pwned\u{7}", false), "Otan\\u{1b}]0;pwned\\u{7}");
/// assert_eq!(visible("Нұр Отан", false), "Нұр Отан");
/// ```
pub fn visible(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| is_hidden_control(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A path as text for messages: as it is when it is UTF-8, else with each byte that is not
/// part of valid UTF-8 written as `\xNN`, so that two different names never print alike (the
/// lossy form prints every one of them as U+FFFD).
pub fn path_text(p: &std::path::Path) -> String {
    if let Some(s) = p.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in p.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        p.display().to_string()
    }
}

/// Why `s` is not a slug, in words, for messages (`None` when it is one).
pub fn slug_problem(s: &str) -> Option<String> {
    if is_slug(s) {
        return None;
    }
    let max = crate::limits::MAX_ID_BYTES;
    Some(if s.len() > max {
        format!("is {} bytes long; an id has at most {max}", s.len())
    } else {
        "is not a slug".to_string()
    })
}
