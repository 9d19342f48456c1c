//! `lineage import wikidata FILE` as a user runs it: a dump-format file in, graph-data RON out
//! that `--data` opens and answers from; what is not mapped on stderr and atop the RON; stdin
//! with `-`; devices, FIFOs and directories refused before anything is read.

use assert_cmd::Command;
use serde_json::json;

fn item(q: &str, en: &str, kk: &str, claims: serde_json::Value) -> serde_json::Value {
    json!({"type": "item", "id": q,
        "labels": {"en": {"language": "en", "value": en}, "kk": {"language": "kk", "value": kk}},
        "aliases": {}, "claims": claims})
}

fn statement(p: &str, target: &str, time: &str, precision: u8) -> serde_json::Value {
    json!({"mainsnak": {"snaktype": "value", "property": p,
            "datavalue": {"value": {"entity-type": "item", "id": target}, "type": "wikibase-entityid"}},
        "type": "statement", "rank": "normal",
        "qualifiers": {"P585": [{"snaktype": "value", "property": "P585",
            "datavalue": {"value": {"time": time, "precision": precision, "timezone": 0, "before": 0, "after": 0,
                "calendarmodel": "http://www.wikidata.org/entity/Q1985727"}, "type": "time"}}]},
        "references": [{"hash": "a1b2c3d4e5f60718293a", "snaks": {"P854": [{"snaktype": "value", "property": "P854",
            "datavalue": {"value": "https://example.org/report", "type": "string"}}]}}]})
}

/// Three made-up items in the dump's own layout: `[`, entity lines ending in commas, `]`.
fn dump() -> String {
    let items = [
        item("Q91001", "Old Front", "Ескі майдан", json!({})),
        item(
            "Q91002",
            "Breakaway Party",
            "Бөлінген партия",
            json!({"P807": [statement("P807", "Q91001", "+1995-04-00T00:00:00Z", 10)]}),
        ),
        item(
            "Q91003",
            "United Party",
            "Біріккен партия",
            json!({"P31": [statement("P31", "Q7278", "+2000-00-00T00:00:00Z", 9)]}),
        ),
    ];
    let mut s = String::from("[\n");
    let lines: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    s.push_str(&lines.join(",\n"));
    s.push_str("\n]\n");
    // Q91002 merged into Q91003 in 2001, said on Q91002's line
    s.replace(
        "\"P807\":[",
        &format!(
            "\"P7888\":[{}],\"P807\":[",
            statement("P7888", "Q91003", "+2001-00-00T00:00:00Z", 9)
        ),
    )
}

#[test]
fn an_imported_dump_opens_and_answers_with_dated_sourced_hops() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("parties.json");
    std::fs::write(&input, dump()).unwrap();
    let ron = dir.path().join("parties.ron");
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args(["import", "wikidata"])
        .arg(&input)
        .arg("-o")
        .arg(&ron)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("lineage: imported 3 items and 2 edges; 1 statements not mapped:\n"),
        "{err}"
    );
    assert!(
        err.contains("P31: 1 statement on 1 item: not a lineage property"),
        "{err}"
    );
    let text = std::fs::read_to_string(&ron).unwrap();
    assert!(
        text.contains("// P31: 1 statement on 1 item"),
        "the RON keeps the list"
    );
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .arg("--data")
        .arg(&ron)
        .args(["Біріккен партия", "--ancestors"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    assert!(tree.contains("merged in 2001: Breakaway Party"), "{tree}");
    assert!(tree.contains("split in 1995-04: Old Front"), "{tree}");
    assert!(tree.contains("wikidata-ref-a1b2c3d4e5f6"), "{tree}");
    // the same from stdin
    let out = Command::cargo_bin("lineage")
        .unwrap()
        .args(["import", "wikidata", "-"])
        .write_stdin(dump())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), text);
}

#[test]
fn import_refuses_what_is_not_a_file_and_names_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut cases = vec![
        ("/dev/zero".into(), "not a regular file"),
        (dir.path().to_path_buf(), "a directory"),
    ];
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.json");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            cases.push((fifo, "not a regular file"));
        }
    }
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "[\n{\"type\": \"item\", \"id\": \"Q1\"},\n{not json\n]\n",
    )
    .unwrap();
    cases.push((bad, "line 3"));
    for (path, says) in cases {
        let out = Command::cargo_bin("lineage")
            .unwrap()
            .args(["import", "wikidata"])
            .arg(&path)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{}: {err}", path.display());
        assert!(out.stdout.is_empty());
    }
}
