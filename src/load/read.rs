//! Reading RON files: bounded, UTF-8 without NUL bytes, with ron's messages in our words.

use std::path::Path;

use super::*;
use crate::error::{Location, Problem, Result, Subject};

/// ron's message, with our internal record type names replaced by the words users know.
pub(super) fn ron_message(code: &ron::error::Error) -> String {
    let mut m = code.to_string();
    for (raw, word) in [
        ("`RawFile`", "the file"),
        ("`RawSource`", "a source"),
        ("`RawNode`", "a node"),
        ("`RawEdge`", "an edge"),
        ("`RawClaim`", "a claim"),
        ("`RawEvent`", "an event"),
        ("`RawTerm`", "a term"),
        ("`RawResult`", "an election result"),
        ("`RawExternalId`", "an external id"),
    ] {
        m = m.replace(raw, word);
    }
    m
}

pub(super) fn ron_hint(code: &ron::error::Error) -> String {
    use ron::error::Error as E;
    match code {
        E::NoSuchStructField { .. } => {
            "remove the field or fix its spelling; see docs/data-format.md".into()
        }
        E::DuplicateStructField { .. } => "a field may appear only once".into(),
        E::MissingStructField { .. } => "add the field".into(),
        E::NoSuchEnumVariant { .. } => "use one of the listed kinds".into(),
        E::ExceededRecursionLimit => "the file nests too deeply".into(),
        _ => "see docs/data-format.md for the syntax".into(),
    }
}

/// Reads a file as UTF-8 text, refusing oversized files, invalid UTF-8 and NUL bytes.
pub(super) fn read_text(path: &Path) -> Result<String, Box<Problem>> {
    let name = crate::names::path_text(path);
    let at = |line, col| {
        Some(Location {
            file: name.clone(),
            line,
            col,
        })
    };
    let cannot = |e: std::io::Error| {
        Box::new(Problem {
            location: at(1, 1),
            ..Problem::new(Subject::Input, format!("cannot read: {e}"), "")
        })
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        let what = crate::error::not_regular(&meta);
        return Err(Box::new(Problem {
            location: at(1, 1),
            ..Problem::new(
                Subject::Input,
                format!("cannot read it as RON: it is {what}"),
                "point --data at a graph-data directory, a .ron file or a snapshot",
            )
        }));
    }
    // The size the file reports is only a hint: read through the limit, whatever it says.
    let too_large = |len: u64| {
        Box::new(Problem {
            location: at(1, 1),
            ..Problem::new(
                Subject::Input,
                format!(
                    "file is at least {len} bytes, larger than the {} byte limit",
                    MAX_RON_BYTES
                ),
                "split it into several files",
            )
        })
    };
    if meta.len() > MAX_RON_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_RON_BYTES + 1),
        &mut bytes,
    )
    .map_err(cannot)?;
    if bytes.len() as u64 > MAX_RON_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    text_from_bytes(&name, bytes)
}

/// Checks that bytes are UTF-8 without NUL bytes, naming the first bad position.
pub(crate) fn text_from_bytes(name: &str, bytes: Vec<u8>) -> Result<String, Box<Problem>> {
    let pos_of = |b: &[u8], off: usize| {
        let before = &b[..off];
        let line = before.iter().filter(|c| **c == b'\n').count() + 1;
        let col = String::from_utf8_lossy(
            &before[before
                .iter()
                .rposition(|c| *c == b'\n')
                .map_or(0, |p| p + 1)..],
        )
        .chars()
        .count()
            + 1;
        (line, col)
    };
    let at_start = |message: &str, hint: &str| {
        Box::new(Problem {
            location: Some(Location {
                file: name.to_string(),
                line: 1,
                col: 1,
            }),
            ..Problem::new(Subject::Input, message, hint)
        })
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err(at_start(
            "the file starts with a UTF-8 byte-order mark",
            "save it as UTF-8 without a BOM; RON files are plain UTF-8 text",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(s) => {
            if let Some(off) = s.bytes().position(|c| c == 0) {
                let (line, col) = pos_of(s.as_bytes(), off);
                return Err(Box::new(Problem {
                    location: Some(Location {
                        file: name.to_string(),
                        line,
                        col,
                    }),
                    ..Problem::new(
                        Subject::Input,
                        "NUL byte in text",
                        "remove it; RON files are plain UTF-8 text",
                    )
                }));
            }
            Ok(s)
        }
        Err(e) => {
            let off = e.utf8_error().valid_up_to();
            let (line, col) = pos_of(e.as_bytes(), off);
            Err(Box::new(Problem {
                location: Some(Location {
                    file: name.to_string(),
                    line,
                    col,
                }),
                ..Problem::new(
                    Subject::Input,
                    format!("invalid UTF-8 at byte {off}"),
                    "save the file as UTF-8",
                )
            }))
        }
    }
}
