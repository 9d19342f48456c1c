//! Intervals of days: what a date, a founding, an end or an edge's timing covers.

use super::{DateSpec, Day, OPEN_END, OPEN_START, civil_from_days};

/// The days `lo..=hi`, either end of which may be open ([`OPEN_START`], [`OPEN_END`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval {
    /// The first day ([`OPEN_START`] when open).
    pub lo: Day,
    /// The last day ([`OPEN_END`] when open).
    pub hi: Day,
}

impl Interval {
    /// Every day.
    pub const OPEN: Interval = Interval {
        lo: OPEN_START,
        hi: OPEN_END,
    };

    /// The days `lo..=hi`.
    pub const fn new(lo: Day, hi: Day) -> Interval {
        Interval { lo, hi }
    }

    /// The smallest interval holding both.
    pub fn hull(self, o: Interval) -> Interval {
        Interval::new(self.lo.min(o.lo), self.hi.max(o.hi))
    }

    /// The hull of several dates; `None` when there are none.
    pub fn of<'a>(dates: impl IntoIterator<Item = &'a DateSpec>) -> Option<Interval> {
        dates
            .into_iter()
            .map(DateSpec::interval)
            .reduce(Interval::hull)
    }

    /// The year of the first day, when the start is bounded.
    pub fn first_year(self) -> Option<i32> {
        (self.lo != OPEN_START).then(|| civil_from_days(self.lo).0)
    }

    /// The year of the last day, when the end is bounded.
    pub fn last_year(self) -> Option<i32> {
        (self.hi != OPEN_END).then(|| civil_from_days(self.hi).0)
    }

    /// A life's years as "1998–2006", "1998–", "?–2006" or "" from when it began and ended; a
    /// person still living is shown by the year of birth alone ("1940").
    pub fn years(begin: Option<Interval>, end: Option<Interval>, person: bool) -> String {
        let b = begin.and_then(Interval::first_year);
        let e = end.and_then(Interval::last_year);
        match (b, e) {
            (None, None) => String::new(),
            (Some(b), None) if person => format!("{b}"),
            (Some(b), None) => format!("{b}–"),
            (None, Some(e)) => format!("?–{e}"),
            (Some(b), Some(e)) if b == e => format!("{b}"),
            (Some(b), Some(e)) => format!("{b}–{e}"),
        }
    }
}

impl DateSpec {
    /// The days the date may denote.
    pub fn interval(&self) -> Interval {
        Interval::new(self.earliest(), self.latest())
    }
}
