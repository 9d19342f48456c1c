//! Control characters and bidirectional overrides in any text field: they could rewrite a
//! terminal or reorder what a reader sees, so validation refuses them.

use crate::error::Problem;
use crate::error::Seg;
use crate::model::{Edge, Node};

/// A control character or bidirectional override in a text field: it could rewrite a terminal
/// screen or reorder what a reader sees. Refused in every string of the data.
fn hidden_char_problem(
    subject: &crate::error::Subject,
    what: &str,
    s: &str,
    path: Vec<Seg>,
) -> Option<Problem> {
    let c = s.chars().find(|c| crate::names::is_hidden_control(*c))?;
    Some(
        Problem::new(
            subject.clone(),
            format!(
                "{what} holds the control character U+{:04X}: {:?}",
                c as u32,
                crate::names::visible(s, false)
            ),
            "write plain text: control characters and bidirectional overrides are not allowed",
        )
        .at(&path),
    )
}

/// Every hidden character in a node's strings.
pub(super) fn node_text_problems(n: &Node) -> Vec<Problem> {
    let sub = crate::error::Subject::Node(n.id.clone());
    let f = Seg::Field;
    let mut fields: Vec<(String, &str, Vec<Seg>)> = vec![
        ("the name".into(), &n.name, vec![f("name")]),
        ("the note".into(), &n.note, vec![f("note")]),
    ];
    for (list, items) in [("aliases", &n.aliases), ("shared_names", &n.shared_names)] {
        for (i, a) in items.iter().enumerate() {
            fields.push((format!("{list} item"), a, vec![f(list), Seg::Index(i)]));
        }
    }
    for (list, claims) in [
        ("founded", &n.founded),
        ("registered", &n.registered),
        ("ended", &n.ended),
    ] {
        for (i, c) in claims.iter().enumerate() {
            fields.push((
                "a claim's note".into(),
                &c.note,
                vec![f(list), Seg::Index(i), f("note")],
            ));
        }
    }
    for (i, e) in n.events.iter().enumerate() {
        fields.push((
            "an event's note".into(),
            &e.note,
            vec![f("events"), Seg::Index(i), f("note")],
        ));
    }
    for (i, r) in n.results.iter().enumerate() {
        fields.push((
            "a result's note".into(),
            &r.note,
            vec![f("results"), Seg::Index(i), f("note")],
        ));
    }
    for (i, x) in n.external_ids.iter().enumerate() {
        let at = |g| vec![f("external_ids"), Seg::Index(i), f(g)];
        fields.push(("an external id".into(), &x.id, at("id")));
        fields.push(("an external id's note".into(), &x.note, at("note")));
    }
    fields
        .into_iter()
        .filter_map(|(what, s, path)| hidden_char_problem(&sub, &what, s, path))
        .collect()
}

/// Every hidden character in an edge's strings.
pub(super) fn edge_text_problems(e: &Edge) -> Vec<Problem> {
    let sub = crate::error::Subject::Edge(super::edge_label(e));
    let f = Seg::Field;
    let mut fields: Vec<(&str, &str, Vec<Seg>)> = vec![
        ("the role", &e.role, vec![f("role")]),
        ("the note", &e.note, vec![f("note")]),
    ];
    for (i, c) in e.date.iter().enumerate() {
        fields.push((
            "a claim's note",
            &c.note,
            vec![f("date"), Seg::Index(i), f("note")],
        ));
    }
    fields
        .into_iter()
        .filter_map(|(what, s, path)| hidden_char_problem(&sub, what, s, path))
        .collect()
}

/// Every hidden character in a source's strings.
pub(super) fn source_text_problems(s: &crate::model::Source) -> Vec<Problem> {
    let sub = crate::error::Subject::Source(s.id.clone());
    [
        ("title", &s.title),
        ("publisher", &s.publisher),
        ("author", &s.author),
        ("date", &s.date),
        ("url", &s.url),
        ("seed", &s.seed),
        ("note", &s.note),
    ]
    .into_iter()
    .filter_map(|(field, v)| {
        hidden_char_problem(&sub, &format!("the {field}"), v, vec![Seg::Field(field)])
    })
    .collect()
}
