//! Closures as trees, iteratively, with the depth of the drawing capped.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::*;
use crate::db::{Db, EdgeId, NodeId};
use crate::query::{Closure, Direction};

/// The tree's indentation for a line below the levels `lasts`: drawn for the first
/// [`MAX_INDENT`] levels, then the depth as a number, so that a line of a very deep lineage stays
/// short (the drawn prefix alone would make the output quadratic in the depth).
const MAX_INDENT: usize = 24;

fn indent(lasts: &[bool]) -> String {
    let mut s: String = lasts
        .iter()
        .take(MAX_INDENT)
        .map(|l| if *l { "   " } else { "│  " })
        .collect();
    if lasts.len() > MAX_INDENT {
        let _ = write!(s, "[level {}] ", lasts.len() + 1);
    }
    s
}

/// An ancestors or descendants closure as a tree with the edge kind and date on each branch.
pub fn closure_tree(db: &Db, c: &Closure, st: &Style, at: Option<&str>) -> String {
    let up = c.direction == Direction::Ancestors;
    let mut children: BTreeMap<NodeId, Vec<(NodeId, EdgeId)>> = BTreeMap::new();
    let mut extra: BTreeMap<NodeId, Vec<EdgeId>> = BTreeMap::new();
    for h in &c.hits {
        let Some(&first) = h.via.first() else {
            continue;
        };
        let (a, b) = db.endpoints(first);
        let parent = if up { b } else { a };
        children.entry(parent).or_default().push((h.node, first));
        extra.insert(h.node, h.via[1..].to_vec());
    }
    for v in children.values_mut() {
        v.sort_by_key(|(n, e)| (db.edge_when(*e).map_or(i32::MIN, |w| w.lo), *n));
    }
    let uncertain: BTreeMap<NodeId, bool> = c.hits.iter().map(|h| (h.node, h.uncertain)).collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        st.bold(&label(db, c.root)),
        if up { "came from:" } else { "led to:" }
    );
    let mut renamed = false;
    // An explicit stack, not recursion: a lineage a million generations deep must not overflow
    // the stack. `lasts` holds, for each level above the current line, whether that branch was
    // its parent's last (which decides between "│  " and "   ").
    let mut stack: Vec<(NodeId, usize)> = vec![(c.root, 0)];
    let mut lasts: Vec<bool> = Vec::new();
    while let Some(top) = stack.last_mut() {
        let (n, i) = *top;
        let kids = children.get(&n).map_or(&[][..], Vec::as_slice);
        let Some(&(k, e)) = kids.get(i) else {
            stack.pop();
            lasts.pop();
            continue;
        };
        top.1 += 1;
        let last = i + 1 == kids.len();
        let edge = edge(db, e);
        renamed |= edge.kind == crate::model::EdgeKind::Renaming;
        let mut line = format!(
            "{}{} {}: {}",
            indent(&lasts),
            if last { "└─" } else { "├─" },
            hop_text(db, st, e),
            label(db, k)
        );
        // the mark first: it says how to read the line, the sources only where it came from
        if uncertain.get(&k).copied().unwrap_or(false) {
            let _ = write!(
                line,
                " {}",
                st.paint(
                    "33",
                    &format!("(uncertain at {})", at.unwrap_or("that date"))
                )
            );
        }
        line.push_str(&sources(st, &edge.sources));
        for x in extra.get(&k).into_iter().flatten() {
            let (a, b) = db.endpoints(*x);
            let other = if up { b } else { a };
            let _ = write!(line, "; also {} {}", hop_text(db, st, *x), name(db, other));
        }
        let _ = writeln!(out, "{line}");
        lasts.push(last);
        stack.push((k, 0));
    }
    if renamed {
        let _ = writeln!(
            out,
            "{}",
            st.dim(
                "(a renaming is the same organisation under another name: it is not a generation, and --depth does not count it)"
            )
        );
    }
    if c.hits.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            st.dim(if up {
                "(no ancestors)"
            } else {
                "(no descendants)"
            })
        );
    }
    out
}
