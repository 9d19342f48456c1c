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
        && s.len() <= 128
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
