//! A checker for lineage's DOT output: every quoted string must be closed, and its contents must
//! hold no escape that Graphviz would interpret (`\N`, `\G`, `\l`, …) and no raw `&` (Graphviz
//! expands HTML entities in labels). Used by the `render` fuzz target and by
//! `tests/hostile_input.rs` (which includes this file with `#[path]`), so it depends on nothing.

/// DOT text taken apart: the text outside quoted strings (each string written as `""`) and the
/// decoded contents of every string, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The text outside strings.
    pub skeleton: String,
    /// What each quoted string shows, decoded.
    pub strings: Vec<String>,
}

/// Takes DOT text apart, refusing anything a hostile name could have smuggled in.
///
/// Inside a string the only escapes allowed are `\"`, `\\` and `\n`; `&` must start `&amp;`;
/// a raw line break or carriage return is refused (lineage writes line breaks as `\n`).
pub fn split(dot: &str) -> Result<Split, String> {
    let mut skeleton = String::with_capacity(dot.len());
    let mut strings = Vec::new();
    let mut chars = dot.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != '"' {
            skeleton.push(c);
            continue;
        }
        skeleton.push_str("\"\"");
        let mut s = String::new();
        let mut closed = false;
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    closed = true;
                    break;
                }
                '\\' => match chars.next() {
                    Some((_, '"')) => s.push('"'),
                    Some((_, '\\')) => s.push('\\'),
                    Some((_, 'n')) => s.push('\n'),
                    Some((_, other)) => {
                        return Err(format!(
                            "byte {i}: escape \\{other} would be interpreted by Graphviz"
                        ));
                    }
                    None => return Err(format!("byte {i}: backslash at the end")),
                },
                '&' => {
                    if dot[i..].starts_with("&amp;") {
                        for _ in 0..4 {
                            chars.next();
                        }
                        s.push('&');
                    } else {
                        return Err(format!("byte {i}: raw '&' would start an HTML entity"));
                    }
                }
                '\n' | '\r' => return Err(format!("byte {i}: raw line break inside a string")),
                c => s.push(c),
            }
        }
        if !closed {
            return Err(format!("byte {at}: string never closed"));
        }
        strings.push(s);
    }
    Ok(Split { skeleton, strings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_strings_apart() {
        let s = split(r#"a [label="x \"y\" \\N &amp; z\nw"];"#).unwrap();
        assert_eq!(s.skeleton, r#"a [label=""];"#);
        assert_eq!(s.strings, vec!["x \"y\" \\N & z\nw".to_string()]);
        assert!(split(r#"a [label="\N"];"#).is_err());
        assert!(split(r#"a [label="&lt;"];"#).is_err());
        assert!(split(r#"a [label="open];"#).is_err());
    }
}
