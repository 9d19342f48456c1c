//! Sets with uncertainty: sorted node ids, each surely or only possibly a member.
//!
//! The set operations are Kleene's three-valued logic: a union keeps the surer of two
//! memberships, an intersection the less sure, and a complement turns "surely in" into "out",
//! "possibly in" into "possibly in" and "out" into "surely in".

/// How surely a node is a member (absent: not a member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Truth {
    /// Possibly a member: reached only through undated or straddling hops, or an uncertain
    /// name at a date.
    Maybe,
    /// Surely a member.
    Yes,
}

/// A set of node indices in increasing order, each with its [`Truth`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Set(pub(crate) Vec<(u32, Truth)>);

impl Set {
    /// The members in id order, each with how surely it is one.
    pub fn members(&self) -> impl ExactSizeIterator<Item = (crate::db::NodeId, Truth)> + '_ {
        self.0.iter().map(|&(n, t)| (crate::db::NodeId(n), t))
    }

    /// Builds a set from members in any order, keeping the surest membership of a repeat.
    pub fn from_unsorted(mut v: Vec<(u32, Truth)>) -> Set {
        v.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        v.dedup_by_key(|x| x.0);
        Set(v)
    }

    /// Every node of a graph of `n` nodes, surely.
    pub fn all(n: usize) -> Set {
        Set((0..n as u32).map(|i| (i, Truth::Yes)).collect())
    }

    /// How surely `i` is a member.
    pub fn get(&self, i: u32) -> Option<Truth> {
        self.0
            .binary_search_by_key(&i, |x| x.0)
            .ok()
            .map(|at| self.0[at].1)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Members of either, the surer membership kept.
    pub fn union(&self, o: &Set) -> Set {
        let (a, b) = (&self.0, &o.0);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::with_capacity(a.len().max(b.len()));
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j]);
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, a[i].1.max(b[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Set(out)
    }

    /// Members of both, the less sure membership kept.
    pub fn inter(&self, o: &Set) -> Set {
        let (a, b) = (&self.0, &o.0);
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0, a[i].1.min(b[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        Set(out)
    }

    /// Members of `self` that are not surely members of `o`: surely when `o` does not hold
    /// them at all, possibly when `self` only possibly holds them or `o` possibly does.
    pub fn diff(&self, o: &Set) -> Set {
        let b = &o.0;
        let mut j = 0;
        let mut out = Vec::with_capacity(self.0.len());
        for &(x, t) in &self.0 {
            while j < b.len() && b[j].0 < x {
                j += 1;
            }
            match b.get(j) {
                Some(&(y, Truth::Yes)) if y == x => {}
                Some(&(y, Truth::Maybe)) if y == x => out.push((x, Truth::Maybe)),
                _ => out.push((x, t)),
            }
        }
        Set(out)
    }

    /// The complement within a graph of `n` nodes.
    pub fn complement(&self, n: usize) -> Set {
        Set::all(n).diff(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Truth::*;

    fn s(v: &[(u32, Truth)]) -> Set {
        Set(v.to_vec())
    }

    #[test]
    fn kleene_operations() {
        let a = s(&[(1, Yes), (2, Maybe), (3, Yes)]);
        let b = s(&[(2, Yes), (3, Maybe), (4, Maybe)]);
        assert_eq!(a.union(&b), s(&[(1, Yes), (2, Yes), (3, Yes), (4, Maybe)]));
        assert_eq!(a.inter(&b), s(&[(2, Maybe), (3, Maybe)]));
        assert_eq!(a.diff(&b), s(&[(1, Yes), (3, Maybe)]));
        assert_eq!(
            b.complement(5),
            s(&[(0, Yes), (1, Yes), (3, Maybe), (4, Maybe)])
        );
        assert_eq!(
            Set::from_unsorted(vec![(3, Maybe), (1, Yes), (3, Yes)]),
            s(&[(1, Yes), (3, Yes)])
        );
        assert_eq!(a.get(2), Some(Maybe));
        assert_eq!(a.get(5), None);
    }
}
