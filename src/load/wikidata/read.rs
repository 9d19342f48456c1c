//! Reading the input: Wikidata's JSON dump (`[`, one entity per line each followed by a comma,
//! `]`) or plain JSON lines, through a reader, a bounded line at a time.
//!
//! A line is at most [`MAX_LINE_BYTES`]; a longer one is an error naming it, and nothing past
//! the limit is read into memory. Blank lines and the lines `[` and `]` are skipped, one comma
//! at the end of a line is dropped, and a UTF-8 byte-order mark before the first line is
//! ignored. Every line left must be one JSON object with a `type` and an `id`: malformed JSON,
//! text that is not UTF-8, and JSON that is not an entity are errors naming the line. Entities
//! other than items (properties, lexemes) and a second entity with the id of an earlier one are
//! skipped and listed.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use super::json::{Head, Item, is_qid};
use super::{ImportError, MAX_LINE_BYTES, Origin, Unmapped};

/// One item read, with its line.
pub(super) struct ReadItem {
    pub(super) line: usize,
    pub(super) qid: String,
    pub(super) item: Item,
}

/// Everything read: the items in file order, and what was skipped.
pub(super) struct Input {
    pub(super) items: Vec<ReadItem>,
    pub(super) skipped: Vec<Unmapped>,
}

/// Reads the next line into `buf` (without its line break); `false` at the end of the input.
fn next_line(r: &mut impl BufRead, buf: &mut Vec<u8>, line: usize) -> Result<bool, ImportError> {
    buf.clear();
    let limit = MAX_LINE_BYTES as u64 + 1;
    let n = (&mut *r)
        .take(limit)
        .read_until(b'\n', buf)
        .map_err(|source| ImportError::Io { line, source })?;
    if n == 0 {
        return Ok(false);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
    }
    if buf.len() > MAX_LINE_BYTES {
        return Err(ImportError::LineTooLong {
            line,
            limit: MAX_LINE_BYTES,
        });
    }
    Ok(true)
}

/// The serde message without the position it appends (the position is given separately).
fn message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    s.strip_suffix(&suffix).unwrap_or(&s).to_string()
}

/// The error for a line serde refused: malformed JSON, or JSON that is not an entity.
fn refused(line: usize, offset: usize, e: &serde_json::Error) -> ImportError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => ImportError::NotAnEntity {
            line,
            message: message(e),
        },
        _ => ImportError::Json {
            line,
            column: e.column() + offset,
            message: message(e),
        },
    }
}

/// Reads every entity of the input.
pub(super) fn read_all(mut r: impl BufRead) -> Result<Input, ImportError> {
    let mut out = Input {
        items: Vec::new(),
        skipped: Vec::new(),
    };
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut buf = Vec::new();
    let mut line = 0;
    loop {
        line += 1;
        if !next_line(&mut r, &mut buf, line)? {
            break;
        }
        let mut text = std::str::from_utf8(&buf).map_err(|e| ImportError::NotUtf8 {
            line,
            column: e.valid_up_to() + 1,
        })?;
        if line == 1 {
            text = text.strip_prefix('\u{feff}').unwrap_or(text);
        }
        let start = text.len() - text.trim_start().len();
        let mut t = text.trim();
        if t.is_empty() || t == "[" || t == "]" {
            continue;
        }
        if let Some(s) = t.strip_suffix(',') {
            t = s.trim_end();
        }
        if !t.starts_with('{') {
            // JSON of another shape, or not JSON: serde says which
            if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(t) {
                return Err(refused(line, start, &e));
            }
            return Err(ImportError::NotAnEntity {
                line,
                message: "expected one entity (a JSON object) per line, as in Wikidata's dumps"
                    .to_string(),
            });
        }
        let head: Head = serde_json::from_str(t).map_err(|e| refused(line, start, &e))?;
        if head.kind != "item" {
            out.skipped.push(Unmapped {
                line: Some(line),
                entity: Some(head.id.clone()),
                property: None,
                statement: None,
                reason: format!(
                    "a {} entity, not an item: skipped",
                    crate::names::clipped(&head.kind)
                ),
            });
            continue;
        }
        if !is_qid(&head.id) {
            return Err(ImportError::NotAnEntity {
                line,
                message: format!(
                    "the item id {} is not a Wikidata item id (Q123)",
                    crate::names::clipped(&head.id)
                ),
            });
        }
        if let Some(&at) = first.get(&head.id) {
            let o = Origin {
                line,
                entity: head.id.clone(),
                property: None,
                statement: None,
            };
            out.skipped.push(o.unmapped(format!(
                "the item appears again (first at line {at}): skipped"
            )));
            continue;
        }
        let item: Item = serde_json::from_str(t).map_err(|e| refused(line, start, &e))?;
        first.insert(head.id.clone(), line);
        out.items.push(ReadItem {
            line,
            qid: head.id,
            item,
        });
    }
    Ok(out)
}
