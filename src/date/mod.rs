//! Partial, uncertain dates.
//!
//! Every date in lineage is an interval of days, `earliest..=latest`, either end of which may be
//! open. `1998` is the whole year, `late 1994 to early 1995` is September 1994 to April 1995, and
//! `before 1998` has an open start. Queries compare intervals, so nothing is ever made more precise
//! than its source. See `docs/data-format.md` for the accepted forms.
//!
//! Longer than most files because of its tests: every accepted form and every refusal of the
//! date grammar is checked here, beside the parser.

use std::fmt;

use serde::{Deserialize, Serialize};

mod interval;

pub use interval::Interval;

/// A calendar day, counted from 1970-01-01 (day 0), proleptic Gregorian.
pub type Day = i32;

/// The open start of an interval ("before …").
pub const OPEN_START: Day = i32::MIN;
/// The open end of an interval ("after …", or still going on).
pub const OPEN_END: Day = i32::MAX;

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {}: {reason}", crate::names::clipped(text))]
pub struct DateError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

/// A parsed date: the canonical text and the interval of days it denotes.
///
/// Equality and hashing use the canonical text, so `1998` and `1998-01-01 to 1998-12-31` are
/// different values even though they cover the same days.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DateSpec {
    earliest: Day,
    latest: Day,
    text: String,
}

/// The number of days from 1970-01-01 to the given civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> Day {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// The civil date `(year, month, day)` of a day number.
pub fn civil_from_days(z: Day) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days in a month of a year.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Formats a day number as `YYYY-MM-DD`, or `open` for an open bound.
pub fn format_day(d: Day) -> String {
    if d == OPEN_START || d == OPEN_END {
        return "open".to_string();
    }
    let (y, m, dd) = civil_from_days(d);
    format!("{y:04}-{m:02}-{dd:02}")
}

/// The precision of a plain date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Month,
    Day,
}

/// A plain date with its interval: the building block of every form.
#[derive(Debug, Clone, Copy)]
struct Base {
    lo: Day,
    hi: Day,
    unit: Unit,
    year: i32,
    month: u32,
}

const MIN_YEAR: i32 = 1;
const MAX_YEAR: i32 = 9999;

impl DateSpec {
    /// Parses a date in any of the documented forms.
    ///
    /// # Errors
    /// [`DateError`] when the text is not a date, names a month or day that does not exist, or is
    /// a range that ends before it starts.
    ///
    /// # Example
    /// ```
    /// use lineage::DateSpec;
    /// let d = DateSpec::parse("late 1994 to early 1995").unwrap();
    /// assert_eq!(d.iso_bounds(), ("1994-09-01".to_string(), "1995-04-30".to_string()));
    /// assert!(DateSpec::parse("2006-13-45").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<DateSpec, DateError> {
        let err = |reason: &str| DateError {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        if text.len() > 64 {
            return Err(err("longer than 64 bytes"));
        }
        let norm: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if norm.is_empty() {
            return Err(err("empty"));
        }
        let (a, b) = if let Some((a, b)) = norm.split_once(" to ") {
            (a, Some(b))
        } else if let Some((a, b)) = norm.split_once("..") {
            (a.trim(), Some(b.trim()))
        } else {
            (norm.as_str(), None)
        };
        if b.is_some_and(str::is_empty) || a.is_empty() {
            return Err(err("a range needs a date on each side of \"..\" or \"to\""));
        }
        if a.starts_with(['-', '+']) || b.is_some_and(|b| b.starts_with(['-', '+'])) {
            return Err(err("a year is four digits without a sign (0001 to 9999)"));
        }
        let (lo, hi) = match b {
            None => Self::single(a).map_err(|r| err(&r))?,
            Some(b) => {
                let (alo, ahi) = Self::single(a).map_err(|r| err(&r))?;
                let (blo, bhi) = Self::single(b).map_err(|r| err(&r))?;
                if alo == OPEN_START || bhi == OPEN_END || ahi == OPEN_END || blo == OPEN_START {
                    return Err(err(
                        "a range takes two plain dates, not \"before\" or \"after\"",
                    ));
                }
                if blo < alo || bhi < ahi {
                    return Err(err("the range ends before it starts"));
                }
                (alo, bhi)
            }
        };
        let text = match b {
            Some(b) => format!("{a} to {b}"),
            None => norm.clone(),
        };
        Ok(DateSpec {
            earliest: lo,
            latest: hi,
            text,
        })
    }

    fn single(s: &str) -> Result<(Day, Day), String> {
        let words: Vec<&str> = s.split(' ').collect();
        match words.as_slice() {
            [base] => Self::base(base).map(|b| (b.lo, b.hi)),
            ["about" | "c." | "circa" | "ca." | "approximately", base] => {
                let b = Self::base(base)?;
                Ok(match b.unit {
                    Unit::Year => (
                        days_from_civil(b.year - 1, 1, 1),
                        days_from_civil(b.year + 2, 1, 1) - 1,
                    ),
                    Unit::Month => {
                        let (py, pm) = if b.month == 1 { (b.year - 1, 12) } else { (b.year, b.month - 1) };
                        let (ny, nm) = if b.month == 12 { (b.year + 1, 1) } else { (b.year, b.month + 1) };
                        (days_from_civil(py, pm, 1), days_from_civil(ny, nm, days_in_month(ny, nm)))
                    }
                    Unit::Day => (b.lo - 7, b.hi + 7),
                })
            }
            ["before", base] => Ok((OPEN_START, Self::base(base)?.lo - 1)),
            ["after", base] => Ok((Self::base(base)?.hi + 1, OPEN_END)),
            [part @ ("early" | "mid" | "late"), month] if month.len() == 7 => {
                let b = Self::base(month)?;
                let (y, m) = (b.year, b.month);
                let (d1, d2) = match *part {
                    "early" => (1, 10),
                    "mid" => (11, 20),
                    _ => (21, days_in_month(y, m)),
                };
                Ok((days_from_civil(y, m, d1), days_from_civil(y, m, d2)))
            }
            [part, year] => {
                let y = Self::year(year)?;
                let (m1, m2) = match *part {
                    "early" => (1, 4),
                    "mid" | "mid-year" => (5, 8),
                    "late" => (9, 12),
                    "spring" => (3, 5),
                    "summer" => (6, 8),
                    "autumn" | "fall" => (9, 11),
                    other => return Err(format!("unknown qualifier {other:?}")),
                };
                Ok((days_from_civil(y, m1, 1), days_from_civil(y, m2, days_in_month(y, m2))))
            }
            _ => Err("expected a date such as 1998, 1998-11, 1998-11-17, early 1998, about 1998, before 1998, or A to B".into()),
        }
    }

    fn year(s: &str) -> Result<i32, String> {
        if s.len() != 4 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(format!("{s:?} is not a four-digit year"));
        }
        let y: i32 = s.parse().map_err(|_| format!("{s:?} is not a year"))?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err(format!("year {y} is out of range"));
        }
        Ok(y)
    }

    fn base(s: &str) -> Result<Base, String> {
        if let Some(dec) = s.strip_suffix('s') {
            let y = Self::year(dec)?;
            if y % 10 != 0 {
                return Err(format!("{s:?} is not a decade"));
            }
            return Ok(Base {
                lo: days_from_civil(y, 1, 1),
                hi: days_from_civil(y + 10, 1, 1) - 1,
                unit: Unit::Year,
                year: y,
                month: 1,
            });
        }
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, what: &str| -> Result<u32, String> {
            if p.len() != 2 || !p.bytes().all(|c| c.is_ascii_digit()) {
                return Err(format!("{what} {p:?} must have two digits"));
            }
            p.parse().map_err(|_| format!("bad {what}"))
        };
        match parts.as_slice() {
            [y] => {
                let y = Self::year(y)?;
                Ok(Base {
                    lo: days_from_civil(y, 1, 1),
                    hi: days_from_civil(y, 12, 31),
                    unit: Unit::Year,
                    year: y,
                    month: 1,
                })
            }
            [y, m] => {
                let y = Self::year(y)?;
                let m = num(m, "month")?;
                if !(1..=12).contains(&m) {
                    return Err(format!("month {m} does not exist"));
                }
                Ok(Base {
                    lo: days_from_civil(y, m, 1),
                    hi: days_from_civil(y, m, days_in_month(y, m)),
                    unit: Unit::Month,
                    year: y,
                    month: m,
                })
            }
            [y, m, d] => {
                let y = Self::year(y)?;
                let m = num(m, "month")?;
                let d = num(d, "day")?;
                if !(1..=12).contains(&m) {
                    return Err(format!("month {m} does not exist"));
                }
                if d == 0 || d > days_in_month(y, m) {
                    return Err(format!("day {d} does not exist in {y:04}-{m:02}"));
                }
                let day = days_from_civil(y, m, d);
                Ok(Base {
                    lo: day,
                    hi: day,
                    unit: Unit::Day,
                    year: y,
                    month: m,
                })
            }
            _ => Err(format!("{s:?} is not a date")),
        }
    }

    /// A date covering exactly one day.
    pub fn day(y: i32, m: u32, d: u32) -> Result<DateSpec, DateError> {
        DateSpec::parse(&format!("{y:04}-{m:02}-{d:02}"))
    }

    /// The first day the date may denote ([`OPEN_START`] when open).
    pub fn earliest(&self) -> Day {
        self.earliest
    }

    /// The last day the date may denote ([`OPEN_END`] when open).
    pub fn latest(&self) -> Day {
        self.latest
    }

    /// The canonical text (lower case, single spaces), as it is saved.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the date is exactly one day.
    pub fn is_exact_day(&self) -> bool {
        self.earliest == self.latest
    }

    /// The bounds as ISO days (`open` for an open bound).
    pub fn iso_bounds(&self) -> (String, String) {
        (format_day(self.earliest), format_day(self.latest))
    }

    /// The earliest year the date may fall in, if its start is bounded.
    pub fn first_year(&self) -> Option<i32> {
        (self.earliest != OPEN_START).then(|| civil_from_days(self.earliest).0)
    }

    /// The latest year the date may fall in, if its end is bounded.
    pub fn last_year(&self) -> Option<i32> {
        (self.latest != OPEN_END).then(|| civil_from_days(self.latest).0)
    }

    /// Whether the date certainly falls on or before `day`.
    pub fn surely_by(&self, day: Day) -> bool {
        self.latest <= day
    }

    /// Whether the date certainly falls after `day`.
    pub fn surely_after(&self, day: Day) -> bool {
        self.earliest > day
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for DateSpec {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateSpec::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> (String, String) {
        DateSpec::parse(s).unwrap().iso_bounds()
    }

    #[test]
    fn civil_round_trip() {
        for d in [-1_000_000, -1, 0, 1, 10_957, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format_day(days_from_civil(2000, 2, 29)), "2000-02-29");
    }

    #[test]
    fn forms() {
        assert_eq!(b("1998"), ("1998-01-01".into(), "1998-12-31".into()));
        assert_eq!(b("1998-02"), ("1998-02-01".into(), "1998-02-28".into()));
        assert_eq!(b("2000-02"), ("2000-02-01".into(), "2000-02-29".into()));
        assert_eq!(b("1998-11-17"), ("1998-11-17".into(), "1998-11-17".into()));
        assert_eq!(b("early 1998"), ("1998-01-01".into(), "1998-04-30".into()));
        assert_eq!(b("Late  1994"), ("1994-09-01".into(), "1994-12-31".into()));
        assert_eq!(
            b("late 1990-05"),
            ("1990-05-21".into(), "1990-05-31".into())
        );
        assert_eq!(
            b("early 1990-02"),
            ("1990-02-01".into(), "1990-02-10".into())
        );
        assert_eq!(b("autumn 1999"), ("1999-09-01".into(), "1999-11-30".into()));
        assert_eq!(b("1990s"), ("1990-01-01".into(), "1999-12-31".into()));
        assert_eq!(b("about 1998"), ("1997-01-01".into(), "1999-12-31".into()));
        assert_eq!(
            b("about 1998-12"),
            ("1998-11-01".into(), "1999-01-31".into())
        );
        assert_eq!(b("before 1998"), ("open".into(), "1997-12-31".into()));
        assert_eq!(b("after 1998-03"), ("1998-04-01".into(), "open".into()));
        assert_eq!(
            b("1994-10..1995-03"),
            ("1994-10-01".into(), "1995-03-31".into())
        );
        assert_eq!(
            DateSpec::parse("Late 1994  to early 1995")
                .unwrap()
                .as_str(),
            "late 1994 to early 1995"
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "2006-13-45",
            "2006-13",
            "2006-02-30",
            "1999-00",
            "98",
            "19999",
            "1995 to 1994",
            "before 1990 to 1995",
            "someday 1990",
            "1991s",
            "0000",
            "1998-1-1",
            "1998 to",
        ] {
            assert!(DateSpec::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let reason = |s: &str| DateSpec::parse(s).unwrap_err().reason;
        assert_eq!(
            reason("-44"),
            "a year is four digits without a sign (0001 to 9999)"
        );
        assert_eq!(
            reason("1998.."),
            "a range needs a date on each side of \"..\" or \"to\""
        );
        assert_eq!(
            reason("..1998"),
            "a range needs a date on each side of \"..\" or \"to\""
        );
        assert_eq!(
            reason("1990 to -5"),
            "a year is four digits without a sign (0001 to 9999)"
        );
        let e = DateSpec::parse("2006-13-45").unwrap_err();
        assert!(e.to_string().contains("month 13 does not exist"), "{e}");
    }
}
