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

#[test]
fn every_text_command_shows_control_characters_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let snap = hostile_snapshot(dir.path());
    let runs: Vec<Vec<&str>> = vec![
        vec!["show", "otan"],
        vec!["show", "nur-otan"],
        vec!["show", "leader"],
        vec!["otan", "--ancestors"],
        vec!["civic", "--descendants"],
        vec!["nur-otan", "--at", "2003"],
        vec!["path", "civic", "nur-otan"],
        vec!["common", "civic", "otan"],
        vec!["leaders", "otan"],
        vec!["search", "otan"],
        vec!["timeline"],
        vec!["timeline", "otan"],
        vec!["stats"],
        vec!["export", "--format", "csv", "--people"],
        vec!["export", "--format", "csv", "--nodes", "--people"],
        vec!["otn"],
        vec!["show", "civik"],
    ];
    let mut checked = 0;
    for args in &runs {
        for colour in [false, true] {
            let out = Command::cargo_bin("lineage")
                .unwrap()
                .args(args)
                .arg("--data")
                .arg(&snap)
                .args(["--color", if colour { "always" } else { "never" }])
                .output()
                .unwrap();
            let (o, e) = (
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
            );
            // the last two ask for names that do not exist: "did you mean" lists hostile names
            let should_fail = matches!(args[0], "otn" | "show") && args.get(1) == Some(&"civik")
                || args[0] == "otn";
            if should_fail {
                assert_eq!(out.status.code(), Some(2), "{args:?}: {e}");
                assert!(e.contains("did you mean"), "{args:?}: {e}");
            } else {
                assert!(
                    out.status.success() && !o.is_empty(),
                    "{args:?} failed: {e}"
                );
            }
            for (what, s) in [("stdout", &o), ("stderr", &e)] {
                let bad = raw_controls(s, colour && what == "stdout");
                assert!(
                    bad.is_empty(),
                    "{args:?} colour {colour} {what}: {bad:?}\n{s:?}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, runs.len() * 2);
    // and the escapes are what a reader sees instead
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args(["show", "otan", "--data"])
        .arg(&snap)
        .output()
        .unwrap();
    let o = String::from_utf8(out.stdout).unwrap();
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
