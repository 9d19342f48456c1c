//! The name index: exact ids, folded names and aliases, and ranked fuzzy search.

use std::collections::BTreeMap;

use crate::error::{Candidate, Error, Result};
use crate::names::normalize;
use crate::snapshot::Sec;

use super::{Db, NodeId};

impl Db {
    // ---- names ---------------------------------------------------------------------------

    /// A node by exact slug id.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::Names`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]; [`Db::resolve`] preloads it itself).
    pub fn by_id(&self, id: &str) -> Option<NodeId> {
        let (mut lo, mut hi) = (0u32, self.n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.id(NodeId(mid)).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(NodeId(mid)),
            }
        }
        None
    }

    /// The nodes whose id, name or alias folds to the same key as `name` ([`normalize`], or
    /// the key rule of the snapshot's format version, [`crate::names::index_key`]); when
    /// none does, those whose key has the same Kazakh-Latin spelling fold
    /// ([`crate::names::spelling_key`]: `Aq jol` finds `Ak Zhol`), found by a scan of the keys.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::Names`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]; [`Db::resolve`] preloads it itself).
    pub fn lookup(&self, name: &str) -> Vec<NodeId> {
        let key = crate::names::index_key(name, self.version);
        let exact = self.lookup_key(&key);
        if !exact.is_empty() {
            return exact;
        }
        let want = crate::names::spelling_key(&key);
        let literal = crate::names::spelling_key_literal(&key);
        if want.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<NodeId> = self
            .keys()
            .filter(|(k, _)| {
                let s = crate::names::spelling_key(k);
                s == want || s == literal
            })
            .flat_map(|(_, posts)| posts.iter().map(|x| NodeId(*x)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    fn lookup_key(&self, key: &str) -> Vec<NodeId> {
        let keys = self.words(Sec::KeyOff).len() - 1;
        let (mut lo, mut hi) = (0usize, keys);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.key(mid).cmp(key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let po = self.words(Sec::PostOff);
                    return self.words(Sec::Posts)[po[mid] as usize..po[mid + 1] as usize]
                        .iter()
                        .map(|x| NodeId(*x))
                        .collect();
                }
            }
        }
        Vec::new()
    }

    /// Every (key, nodes) pair of the name index, in key order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, &[u32])> + '_ {
        let po = self.words(Sec::PostOff);
        let posts = self.words(Sec::Posts);
        (0..po.len() - 1).map(move |i| (self.key(i), &posts[po[i] as usize..po[i + 1] as usize]))
    }

    /// A candidate description of a node, for error messages.
    ///
    /// # Panics
    /// On a lazily opened file, unless [`Preload::Names` and `Preload::NodeColumns`](crate::Preload) was preloaded
    /// ([`Db::open_file_lazy`]); and for a [`NodeId`] of another Db.
    pub fn candidate(&self, n: NodeId) -> Candidate {
        Candidate {
            id: self.id(n).to_string(),
            name: self.name(n).to_string(),
            kind: self.kind(n),
            years: self.years(n),
        }
    }

    /// Resolves a name: an exact id, or else the one node whose name or alias matches.
    ///
    /// # Errors
    /// [`Error::Ambiguous`] listing every candidate when the name names several nodes;
    /// [`Error::UnknownName`] with suggestions ranked by similarity when it names none;
    /// for a lazily opened file, [`Error::Snapshot`] or [`Error::Io`] when a part it reads is
    /// damaged (it never panics).
    pub fn resolve(&self, name: &str) -> Result<NodeId> {
        // a lazily opened file: the parts a resolution reads are checked first, so that damage
        // is this call's error rather than a panic
        if self.is_lazy() {
            self.preload(&[crate::db::Preload::Names, crate::db::Preload::NodeColumns])?;
        }
        if let Some(n) = self.by_id(name) {
            return Ok(n);
        }
        let hits = self.lookup(name);
        match hits.len() {
            1 => Ok(hits[0]),
            0 => Err(Error::UnknownName {
                query: name.to_string(),
                suggestions: search(self, name, 5)
                    .into_iter()
                    .map(|h| self.candidate(h.node))
                    .collect(),
            }),
            _ => Err(Error::Ambiguous {
                query: name.to_string(),
                candidates: hits.into_iter().map(|n| self.candidate(n)).collect(),
            }),
        }
    }
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The node.
    pub node: NodeId,
    /// The best-matching name or alias key.
    pub key: String,
    /// Similarity, 0 to 1 (1: exact after folding).
    pub score: f64,
}

/// Ranked fuzzy matches over ids, names and aliases.
///
/// Names are folded as for lookup (case, punctuation, diacritics, script). The score is the
/// Jaro-Winkler similarity of the folded strings, raised for prefix and substring matches.
///
/// # Arguments
/// - `db`; `text`: what to look for; `limit`: the most results returned.
///
/// # Returns
/// Up to `limit` nodes, best first (ties by id), each scoring at least 0.7.
///
/// # Complexity
/// O(K·L) for K name keys of length L.
///
/// # Example
/// ```
/// use lineage::{Db, query::search};
/// let db = Db::embedded().unwrap();
/// let hits = search(&db, "nur otn", 3);
/// assert_eq!(db.id(hits[0].node), "nur-otan");
/// ```
pub fn search(db: &Db, text: &str, limit: usize) -> Vec<SearchHit> {
    let q = normalize(text);
    if q.is_empty() {
        return Vec::new();
    }
    let spelled = crate::names::spelling_key(&q);
    let mut best: BTreeMap<NodeId, (f64, String)> = BTreeMap::new();
    for (key, posts) in db.keys() {
        let mut s = strsim::jaro_winkler(&q, key);
        if key == q || crate::names::spelling_key(key) == spelled {
            s = 1.0;
        } else if q.len() >= 3 && key.starts_with(&q) {
            s = s.max(0.95);
        } else if q.len() >= 4 && key.contains(&q) {
            s = s.max(0.9);
        }
        for &p in posts {
            let e = best.entry(NodeId(p)).or_insert((0.0, String::new()));
            if s > e.0 {
                *e = (s, key.to_string());
            }
        }
    }
    let mut v: Vec<SearchHit> = best
        .into_iter()
        .filter(|(_, (s, _))| *s >= 0.7)
        .map(|(node, (score, key))| SearchHit { node, key, score })
        .collect();
    v.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
    v.truncate(limit);
    v
}
