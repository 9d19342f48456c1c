//! JSON output: the stable contract for scripts (documented in the README).

use serde_json::{Value, json};

use crate::date::{DateSpec, format_day};
use crate::db::{Db, EdgeId, NodeId};
use crate::model::{Claim, EdgeKind, NodeKind, Term};
use crate::query::{Closure, Common, Hop, Leader, NameAt, SearchHit, TimelineEntry};
use crate::render::Selection;

/// A date as `{"date": "1998-11", "earliest": "1998-11-01", "latest": "1998-11-30"}`.
pub fn date_value(d: &DateSpec) -> Value {
    let (lo, hi) = d.iso_bounds();
    json!({"date": d.as_str(), "earliest": lo, "latest": hi})
}

fn claims(c: &[Claim]) -> Value {
    Value::Array(
        c.iter()
            .map(|c| {
                let mut v = date_value(&c.date);
                v["sources"] = json!(c.sources);
                if !c.note.is_empty() {
                    v["note"] = json!(c.note);
                }
                v
            })
            .collect(),
    )
}

fn term(t: &Option<Term>) -> Value {
    match t {
        None => Value::Null,
        Some(t) => json!({
            "from": t.from.as_ref().map(date_value),
            "until": t.until.as_ref().map(date_value),
        }),
    }
}

/// A node object: id, name, kind, aliases, years and date claims.
pub fn node_value(db: &Db, n: NodeId) -> Value {
    let node = db.node(n);
    json!({
        "id": node.id,
        "name": node.name,
        "kind": node.kind.as_str(),
        "aliases": node.aliases,
        "years": node.years(),
        "founded": claims(&node.founded),
        "registered": claims(&node.registered),
        "ended": claims(&node.ended),
    })
}

/// An edge object; `embed` puts the full node objects of both ends in `from_node`/`to_node`.
pub fn edge_value(db: &Db, e: EdgeId, embed: bool) -> Value {
    let edge = db.edge(e);
    let (a, b) = db.endpoints(e);
    let mut v = json!({
        "kind": edge.kind.as_str(),
        "from": edge.from,
        "to": edge.to,
        "date": claims(&edge.date),
        "sources": edge.sources,
    });
    if !edge.role.is_empty() {
        v["role"] = json!(edge.role);
    }
    if edge.term.is_some() {
        v["term"] = term(&edge.term);
    }
    if !edge.note.is_empty() {
        v["note"] = json!(edge.note);
    }
    if embed {
        v["from_node"] = node_value(db, a);
        v["to_node"] = node_value(db, b);
    }
    v
}

/// `{"root", "direction", "nodes": [... with depth and via], "edges"}`.
pub fn closure_value(db: &Db, c: &Closure) -> Value {
    let mut edges: Vec<EdgeId> = c.hits.iter().flat_map(|h| h.via.iter().copied()).collect();
    edges.sort();
    edges.dedup();
    json!({
        "root": node_value(db, c.root),
        "direction": match c.direction { crate::query::Direction::Ancestors => "ancestors", crate::query::Direction::Descendants => "descendants" },
        "nodes": c.hits.iter().map(|h| {
            let mut v = node_value(db, h.node);
            v["depth"] = json!(h.depth);
            v["via"] = Value::Array(h.via.iter().map(|e| edge_value(db, *e, false)).collect());
            v["uncertain"] = json!(h.uncertain);
            v
        }).collect::<Vec<_>>(),
        "edges": edges.iter().map(|e| edge_value(db, *e, false)).collect::<Vec<_>>(),
    })
}

/// One election result: `{"election": <date>, "body", "share", "seats", "votes", "sources",
/// "note"}`; `share` is the percentage as written (a string), absent figures are `null`.
pub fn result_value(r: &crate::model::ElectionResult) -> Value {
    json!({
        "election": date_value(&r.election),
        "body": r.body,
        "share": r.share,
        "seats": r.seats,
        "votes": r.votes,
        "sources": r.sources,
        "note": r.note,
    })
}

/// Everything `show` prints: `{"node", "aliases", "events", "edges_in", "edges_out", "sources"}`.
pub fn show_value(db: &Db, n: NodeId) -> Value {
    let node = db.node(n);
    let mut v = json!({
        "node": node_value(db, n),
        "shared_names": node.shared_names,
        "note": node.note,
        "events": node.events.iter().map(|e| {
            let mut d = date_value(&e.date);
            d["kind"] = json!(e.kind.as_str());
            d["note"] = json!(e.note);
            d["sources"] = json!(e.sources);
            d
        }).collect::<Vec<_>>(),
        "results": node.results.iter().map(result_value).collect::<Vec<_>>(),
        "external_ids": node.external_ids.iter().map(|x| json!({
            "scheme": x.scheme,
            "id": x.id,
            "covers": x.covers.as_str(),
            "sources": x.sources,
            "note": x.note,
        })).collect::<Vec<_>>(),
        "edges_in": db.in_edges(n).map(|e| edge_value(db, e, true)).collect::<Vec<_>>(),
        "edges_out": db.out_edges(n).map(|e| edge_value(db, e, true)).collect::<Vec<_>>(),
    });
    let ids = crate::render::cited_sources(db, n);
    v["sources"] = Value::Array(
        ids.iter()
            .filter_map(|s| db.source(s))
            .map(|s| serde_json::to_value(s).unwrap_or(Value::Null))
            .collect(),
    );
    v
}

/// `{"node": <in force or null>, "certain", "candidates", "chain"}`.
pub fn name_at_value(db: &Db, r: &NameAt, at: &DateSpec) -> Value {
    let bound = |x: Option<crate::date::Interval>| {
        x.map(|w| json!({"earliest": format_day(w.lo), "latest": format_day(w.hi)}))
    };
    json!({
        "at": date_value(at),
        "node": if r.certain { node_value(db, r.candidates[0]) } else { Value::Null },
        "certain": r.certain,
        "candidates": r.candidates.iter().map(|c| node_value(db, *c)).collect::<Vec<_>>(),
        "chain": r.chain.iter().map(|e| json!({"node": node_value(db, e.node), "from": bound(e.from), "until": bound(e.until)})).collect::<Vec<_>>(),
    })
}

/// `{"from", "to", "hops": [{"edge", "forward"}]}`.
pub fn path_value(db: &Db, a: NodeId, b: NodeId, hops: &[Hop]) -> Value {
    json!({
        "from": node_value(db, a),
        "to": node_value(db, b),
        "hops": hops.iter().map(|h| json!({"edge": edge_value(db, h.edge, false), "forward": h.forward})).collect::<Vec<_>>(),
    })
}

/// `{"a", "b", "nearest", "all"}`.
pub fn common_value(db: &Db, a: NodeId, b: NodeId, c: &Common) -> Value {
    json!({
        "a": node_value(db, a),
        "b": node_value(db, b),
        "nearest": c.nearest.iter().map(|n| node_value(db, *n)).collect::<Vec<_>>(),
        "all": c.all.iter().map(|n| node_value(db, *n)).collect::<Vec<_>>(),
    })
}

/// `{"node", "leaders": [{"person", "role", "term", "sources"}]}`.
pub fn leaders_value(db: &Db, org: NodeId, ls: &[Leader]) -> Value {
    json!({
        "node": node_value(db, org),
        "leaders": ls.iter().map(|l| {
            let e = db.edge(l.edge);
            json!({"person": node_value(db, l.person), "role": e.role, "term": term(&e.term), "sources": e.sources})
        }).collect::<Vec<_>>(),
    })
}

/// `{"query", "results": [{"node", "score", "key"}]}`.
pub fn search_value(db: &Db, q: &str, hits: &[SearchHit]) -> Value {
    json!({
        "query": q,
        "results": hits.iter().map(|h| json!({"node": node_value(db, h.node), "score": h.score, "key": h.key})).collect::<Vec<_>>(),
    })
}

/// `{"entries": [{"date", "node", "what", "note", "sources"}]}`.
pub fn timeline_value(db: &Db, t: &[TimelineEntry]) -> Value {
    json!({
        "entries": t.iter().map(|e| {
            let mut v = date_value(&e.date);
            v["node"] = json!(db.id(e.node));
            v["name"] = json!(db.name(e.node));
            v["what"] = json!(e.what);
            v["note"] = json!(e.note);
            v["sources"] = json!(e.sources);
            v
        }).collect::<Vec<_>>(),
    })
}

/// Counts by kind and the share of sourced facts.
pub fn stats_value(db: &Db) -> Value {
    let mut nk = serde_json::Map::new();
    for k in NodeKind::ALL {
        nk.insert(
            k.as_str().into(),
            json!(db.node_ids().filter(|n| db.kind(*n) == k).count()),
        );
    }
    let mut ek = serde_json::Map::new();
    for k in EdgeKind::ALL {
        ek.insert(
            k.as_str().into(),
            json!(db.edge_ids().filter(|e| db.edge_kind(*e) == k).count()),
        );
    }
    let pct = |num: usize, den: usize| {
        if den == 0 {
            100.0
        } else {
            (num as f64 * 1000.0 / den as f64).round() / 10.0
        }
    };
    // one pass over the node records (each decoded once)
    let (mut ns, mut connected, mut unconnected_with_note, mut results, mut ext) = (0, 0, 0, 0, 0);
    for n in db.node_ids() {
        let node = db.node(n);
        ns += usize::from(!node.sources.is_empty());
        results += node.results.len();
        ext += node.external_ids.len();
        if db.in_edges(n).next().is_some() || db.out_edges(n).next().is_some() {
            connected += 1;
        } else if node.note.to_lowercase().contains("unconnected:") {
            unconnected_with_note += 1;
        }
    }
    let es = db
        .edge_ids()
        .filter(|e| !db.edge(*e).sources.is_empty())
        .count();
    json!({
        "nodes": {"total": db.node_count(), "by_kind": nk, "sourced": ns, "sourced_percent": pct(ns, db.node_count()),
                  "connected": connected, "unconnected": db.node_count() - connected,
                  "unconnected_with_note": unconnected_with_note},
        "results": results,
        "external_ids": ext,
        "edges": {"total": db.edge_count(), "by_kind": ek, "sourced": es, "sourced_percent": pct(es, db.edge_count())},
        "sources": db.sources().len(),
    })
}

/// A subgraph: `{"nodes": [...], "edges": [...]}`.
pub fn selection_value(db: &Db, s: &Selection) -> Value {
    json!({
        "nodes": s.nodes.iter().map(|n| node_value(db, *n)).collect::<Vec<_>>(),
        "edges": s.edges.iter().map(|e| edge_value(db, *e, false)).collect::<Vec<_>>(),
    })
}
