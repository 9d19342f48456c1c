//! Name normalisation: what makes `Nur-Otan`, `NUR OTAN` and `Нұр Отан` the same key.

/// Folds a name to its lookup key: transliterated to ASCII (so Cyrillic and Kazakh letters meet
/// their Latin twins), lower-cased, with everything but letters and digits removed.
///
/// # Example
/// ```
/// use lineage::names::normalize;
/// assert_eq!(normalize("Nur-Otan"), "nurotan");
/// assert_eq!(normalize("Нур Отан"), "nurotan");
/// assert_eq!(normalize("Partııasy"), normalize("Partiiasy"));
/// ```
pub fn normalize(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    ascii
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
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
