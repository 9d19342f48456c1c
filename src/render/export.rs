//! Whole-graph exports: GraphML and CSV.

use std::fmt::Write;

use crate::db::Db;
use crate::render::{Selection, edge_dates};

/// Escapes text for XML content and attribute values, line breaks kept.
pub fn xml_escape(s: &str) -> String {
    super::xml(s, false)
}

/// GraphML with node name, kind and years, and edge kind, dates, role and sources.
pub fn graphml(db: &Db, s: &Selection) -> String {
    let mut o = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    for (id, on, name) in [
        ("name", "node", "name"),
        ("kind", "node", "kind"),
        ("years", "node", "years"),
        ("ekind", "edge", "kind"),
        ("date", "edge", "date"),
        ("role", "edge", "role"),
        ("sources", "edge", "sources"),
    ] {
        let _ = writeln!(
            o,
            "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"string\"/>"
        );
    }
    o.push_str("  <graph id=\"lineage\" edgedefault=\"directed\">\n");
    for &n in &s.nodes {
        let _ = writeln!(
            o,
            "    <node id=\"{}\"><data key=\"name\">{}</data><data key=\"kind\">{}</data><data key=\"years\">{}</data></node>",
            xml_escape(db.id(n)),
            xml_escape(db.name(n)),
            db.kind(n),
            xml_escape(&db.years(n))
        );
    }
    for &e in &s.edges {
        let edge = db.edge(e);
        let _ = writeln!(
            o,
            "    <edge source=\"{}\" target=\"{}\"><data key=\"ekind\">{}</data><data key=\"date\">{}</data><data key=\"role\">{}</data><data key=\"sources\">{}</data></edge>",
            xml_escape(&edge.from),
            xml_escape(&edge.to),
            edge.kind,
            xml_escape(&edge_dates(&edge)),
            xml_escape(&edge.role),
            xml_escape(&edge.sources.join(" "))
        );
    }
    o.push_str("  </graph>\n</graphml>\n");
    o
}

/// One CSV field, quoted when needed (RFC 4180), made safe to open in a spreadsheet:
///
/// - control characters and bidirectional overrides are written as visible escapes (`\u{1b}`),
///   as in every text output;
/// - a field that begins with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
///   spreadsheet would run as a formula, gets a leading `'` and is quoted (OWASP's advice for
///   CSV injection).
///
/// ```
/// use lineage::render::export::csv_field;
/// assert_eq!(csv_field("Otan"), "Otan");
/// assert_eq!(csv_field("a, b"), "\"a, b\"");
/// assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
/// assert_eq!(csv_field("\u{1b}[31mred"), "\\u{1b}[31mred");
/// ```
pub fn csv_field(s: &str) -> String {
    let s = crate::names::visible(s, false);
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

/// The node table of a query's answer: id, name, kind, years, uncertain (`true` or `false`),
/// sources (the record's, space-separated).
pub fn select_csv(db: &Db, s: &Selection) -> String {
    let mut o = String::from("id,name,kind,years,uncertain,sources\n");
    for &n in &s.nodes {
        let _ = writeln!(
            o,
            "{},{},{},{},{},{}",
            csv_field(db.id(n)),
            csv_field(db.name(n)),
            db.kind(n),
            csv_field(&db.years(n)),
            s.uncertain.contains(&n),
            csv_field(&db.node(n).sources.join(" "))
        );
    }
    o
}
