//! Terminal-escape and CSV-formula injection (issue 15): names and notes that hold ESC, OSC 0,
//! OSC 8, BEL, NUL and bidirectional overrides are refused by validation with file:line:col,
//! and a snapshot that holds them anyway (made elsewhere, with checksums to match) is printed by
//! every text command with the characters shown as escapes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::support;

/// The hostile strings: CSI (clear screen), OSC 0 (window title), OSC 8 (hyperlink), BEL, NUL,
/// and a right-to-left override.
const HOSTILE: [&str; 6] = [
    "\u{1b}[2J\u{1b}[H",
    "\u{1b}]0;pwned\u{7}",
    "\u{1b}]8;;http://evil.example/\u{1b}\\",
    "\u{7}\u{7}",
    "a\u{0}b",
    "\u{202e}cilbupeR",
];

/// The harmless placeholder of the same byte length that the snapshot is first written with.
fn placeholder(i: usize) -> String {
    let len = HOSTILE[i].len();
    let mut p = format!("Q{i}");
    while p.len() < len {
        p.push('z');
    }
    p.truncate(len);
    p
}

fn sample_with_placeholders() -> String {
    let [csi, osc0, osc8, bel, nul, rtl] = std::array::from_fn(placeholder);
    format!(
        r#"(
    sources: [(id: "s", title: "A source")],
    nodes: [
        (id: "otan", kind: party, name: "Otan {csi}", aliases: ["Fatherland {osc0}"],
         founded: [(date: "1999", sources: ["s"], note: "founded {bel}")],
         events: [(kind: congress, date: "2001", sources: ["s"], note: "congress {osc8}")],
         sources: ["s"], note: "note {nul}"),
        (id: "nur-otan", kind: party, name: "Nur Otan {rtl}", sources: ["s"]),
        (id: "civic", kind: party, name: "{osc8} Civic", founded: [(date: "1998", sources: ["s"])], sources: ["s"]),
        (id: "leader", kind: person, name: "Leader {osc0}", sources: ["s"]),
    ],
    edges: [
        (kind: renaming, from: "otan", to: "nur-otan", date: [(date: "2006", sources: ["s"])], sources: ["s"], note: "renamed {csi}"),
        (kind: merger, from: "civic", to: "otan", date: [(date: "2006", sources: ["s"])], sources: ["s"]),
        (kind: leadership, from: "leader", to: "otan", role: "chairman {bel}", term: (from: "1999"), sources: ["s"]),
    ],
)"#
    )
}

fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut n = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            n += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    n
}

/// The hostile snapshot: written from the placeholders, then each placeholder replaced by its
/// hostile string everywhere, checksums recomputed.
fn hostile_snapshot(dir: &Path) -> PathBuf {
    let g = lineage::load::load_str("hostile.ron", &sample_with_placeholders()).unwrap();
    let mut bytes = g.to_snapshot().unwrap();
    for (i, bad) in HOSTILE.iter().enumerate() {
        let p = placeholder(i);
        let n = replace_all(&mut bytes, p.as_bytes(), bad.as_bytes());
        assert!(n > 0, "placeholder {p} not found");
    }
    support::reseal(&mut bytes);
    let p = dir.join("hostile.snap");
    std::fs::write(&p, &bytes).unwrap();
    p
}

/// The raw control bytes and overrides that may never reach a terminal.
fn raw_controls(s: &str, colour: bool) -> Vec<String> {
    let mut bad = Vec::new();
    for (i, c) in s.char_indices() {
        if c == '\n' || !lineage::names::is_hidden_control(c) {
            continue;
        }
        // with colour on, our own styling: ESC [ digits m
        if colour && c == '\u{1b}' {
            let rest = &s[i + 1..];
            let sgr = rest.strip_prefix('[').and_then(|r| {
                let d = r.find(|ch: char| !ch.is_ascii_digit())?;
                (d > 0 && r[d..].starts_with('m')).then_some(())
            });
            if sgr.is_some() {
                continue;
            }
        }
        bad.push(format!("U+{:04X} at byte {i}", c as u32));
    }
    bad
}

#[test]
fn the_validator_refuses_control_characters_with_their_position() {
    let text = sample_with_placeholders().replace(&placeholder(0), "\\u{1b}[2J\\u{1b}[H");
    let text = text.replace(&placeholder(5), "\\u{202e}cilbupeR");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("hostile.ron");
    std::fs::write(&p, &text).unwrap();
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .arg("validate")
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(raw_controls(&err, false).is_empty(), "{err:?}");
    assert!(
        err.contains("hostile.ron:4:41: error: the name holds the control character U+001B"),
        "{err}"
    );
    assert!(
        err.contains("hostile.ron:8:45: error: the name holds the control character U+202E"),
        "{err}"
    );
    assert!(
        err.contains("hostile.ron:13:118: error: the note holds the control character U+001B"),
        "the renaming's note is located: {err}"
    );
}

/// A snapshot forged to hold control characters (checksums rewritten) is refused by every
/// command that opens it whole, and the refusal itself prints no raw control character.
#[test]
fn every_command_refuses_a_snapshot_holding_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let snap = hostile_snapshot(dir.path());
    let runs: Vec<Vec<&str>> = vec![
        vec!["show", "otan"],
        vec!["otan", "--ancestors"],
        vec!["civic", "--descendants"],
        vec!["nur-otan", "--at", "2003"],
        vec!["path", "civic", "nur-otan"],
        vec!["common", "civic", "otan"],
        vec!["leaders", "otan"],
        vec!["search", "otan"],
        vec!["timeline"],
        vec!["stats"],
        vec!["export", "--format", "csv", "--people"],
        vec!["validate"],
    ];
    for args in &runs {
        for colour in ["always", "never"] {
            let out = Command::cargo_bin("lineage")
                .unwrap()
                .args(args)
                .arg("--data")
                .arg(&snap)
                .args(["--color", colour])
                .output()
                .unwrap();
            let e = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {e}");
            assert!(out.stdout.is_empty(), "{args:?}");
            assert!(e.contains("malformed snapshot"), "{args:?}: {e}");
            assert!(raw_controls(&e, false).is_empty(), "{args:?}: {e:?}");
        }
    }
}

/// What the text renderers make of such names when a caller opens the file lazily (which checks
/// structure, not validity): every data string is escaped, with and without colour.
#[test]
fn every_text_renderer_shows_control_characters_as_escapes() {
    use lineage::query::{self, Direction, Filter, Selection};
    use lineage::render::text;
    let dir = tempfile::tempdir().unwrap();
    let snap = hostile_snapshot(dir.path());
    // every part on its own, without the validation that would refuse the file
    let db = lineage::Db::open_file_lazy(&snap).unwrap();
    db.preload(&[lineage::Preload::Parts]).unwrap();
    let id = |s: &str| db.resolve(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    let (otan, civic, nur) = (id("otan"), id("civic"), id("nur-otan"));
    let at = lineage::DateSpec::parse("2003").unwrap();
    let mut checked = 0;
    for colour in [false, true] {
        let st = text::Style { color: colour };
        let f = Filter::default();
        let sel = Selection::all(&db, true, &f);
        let mut outs = vec![
            text::closure_tree(
                &db,
                &query::closure(&db, otan, Direction::Ancestors, &f),
                &st,
                None,
            ),
            text::closure_tree(
                &db,
                &query::closure(&db, civic, Direction::Descendants, &f),
                &st,
                None,
            ),
            text::name_at(&db, &query::name_at(&db, nur, &at), at.as_str(), &st),
            text::common(
                &db,
                civic,
                otan,
                &query::common_ancestors(&db, civic, otan, f.kinds),
                &st,
            ),
            text::leaders(&db, otan, &query::leaders(&db, otan, None), &st),
            text::search(&db, &query::search(&db, "otan", 10), &st),
            text::timeline(&db, &query::timeline(&db, None, None, None), &st),
            text::stats(&query::stats(&db)),
            lineage::render::tables::csv(&db, &sel, lineage::render::tables::Table::Edges),
            lineage::render::tables::csv(&db, &sel, lineage::render::tables::Table::Nodes),
            lineage::render::tables::csv(&db, &sel, lineage::render::tables::Table::Names),
            lineage::render::tables::csv(&db, &sel, lineage::render::tables::Table::Claims),
        ];
        if let Some(hops) = query::path(&db, civic, nur, f.kinds, false) {
            outs.push(text::path(&db, civic, nur, Some(&hops), false, &st));
        }
        for n in db.node_ids() {
            outs.push(text::show(&db, n, &st));
        }
        for o in &outs {
            let bad = raw_controls(o, colour);
            assert!(bad.is_empty(), "colour {colour}: {bad:?}\n{o:?}");
            checked += 1;
        }
    }
    assert!(checked >= 20);
    let o = text::show(&db, otan, &text::Style { color: false });
    assert!(o.contains("Otan \\u{1b}[2J\\u{1b}[H"), "{o}");
    assert!(o.contains("\\u{7}"), "{o}");
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    use lineage::render::export::csv_field;
    for (cell, want) in [
        (
            "=HYPERLINK(\"http://e.vil\",\"x\")",
            "\"'=HYPERLINK(\"\"http://e.vil\"\",\"\"x\"\")\"",
        ),
        ("+1+1", "\"'+1+1\""),
        ("-2+3", "\"'-2+3\""),
        ("@SUM(A1)", "\"'@SUM(A1)\""),
        ("\tx", "\\u{9}x"),
        ("plain", "plain"),
        ("Нұр Отан", "Нұр Отан"),
    ] {
        assert_eq!(csv_field(cell), want, "{cell:?}");
    }
}
