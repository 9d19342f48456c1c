//! Helpers shared by the integration tests.

#![allow(dead_code)]

use lineage::snapshot::{ENTRY_LEN, HEADER_LEN, SECTIONS};

/// A little-endian u64 at `at`.
pub fn le64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// The payload offset of section `i` (0-based, in table order).
pub fn section_start(b: &[u8], i: usize) -> usize {
    HEADER_LEN + le64(b, HEADER_LEN + i * ENTRY_LEN + 8) as usize
}

/// Recomputes every checksum of a snapshot (sections, table, header), as a forger would, so that
/// changed bytes reach the structural checks.
pub fn reseal(bytes: &mut [u8]) {
    for i in 0..SECTIONS {
        let e = HEADER_LEN + i * ENTRY_LEN;
        let (off, len) = (le64(bytes, e + 8) as usize, le64(bytes, e + 16) as usize);
        let crc = crc32fast::hash(&bytes[HEADER_LEN + off..HEADER_LEN + off + len]);
        bytes[e + 4..e + 8].copy_from_slice(&crc.to_le_bytes());
    }
    let crc = crc32fast::hash(&bytes[HEADER_LEN..HEADER_LEN + SECTIONS * ENTRY_LEN]);
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
    let crc = crc32fast::hash(&bytes[..28]);
    bytes[28..32].copy_from_slice(&crc.to_le_bytes());
}

/// The full name of test `name` in the module whose `module_path!()` is `module`, for running it
/// alone in a child copy of this binary with `--exact`.
pub fn child_test(module: &str, name: &str) -> String {
    let module = module.split_once("::").map_or("", |(_, rest)| rest);
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

/// What a picture (DOT, SVG) shows for a name: line breaks as breaks, the characters no picture
/// can hold as their visible stand-ins (C0 controls as U+2400.., DEL as U+2421, non-characters
/// as U+FFFD).
pub fn picture_text(name: &str) -> String {
    let mut s = String::new();
    let mut it = name.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\r' => {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
                s.push('\n');
            }
            '\n' | '\t' => s.push(c),
            c if (c as u32) < 0x20 => s.push(char::from_u32(0x2400 + c as u32).unwrap()),
            '\u{7f}' => s.push('\u{2421}'),
            '\u{FFFE}' | '\u{FFFF}' => s.push('\u{FFFD}'),
            c => s.push(c),
        }
    }
    s
}

/// CRC-32 (IEEE), as the snapshot uses, computed bit by bit: independent of the library's.
pub fn crc(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}
