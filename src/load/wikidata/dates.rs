//! Wikidata time values → lineage dates, never more precise than the value and never guessed.
//!
//! | precision | written as | example |
//! |---|---|---|
//! | 11 (day) | `YYYY-MM-DD` | `+1993-05-12T00:00:00Z` → `1993-05-12` |
//! | 10 (month) | `YYYY-MM` | `+1993-05-00T00:00:00Z` → `1993-05` |
//! | 9 (year) | `YYYY` | `+1993-00-00T00:00:00Z` → `1993` |
//! | 8 (decade) | `YYYYs` | `+1990-00-00T00:00:00Z` → `1990s` (the decade that holds the year) |
//!
//! Every other precision (7 century and coarser, 12 hour and finer), a calendar other than the
//! proleptic Gregorian (`Q1985727`; Julian dates are `Q1985786`), a negative year, a year outside
//! 0001–9999, a day or month of `00` where the precision needs it, and a `somevalue` or
//! `novalue` snak are refused with the reason, for the caller to list as unmapped. The text
//! made is parsed by [`DateSpec::parse`], which checks it again (30 February is refused there).
//! `timezone`, `before` and `after` are not read: Wikidata documents them as unused for dates.

use super::json::{Snak, Time};
use crate::date::DateSpec;

/// The entity URI of the proleptic Gregorian calendar.
pub(super) const GREGORIAN: &str = "http://www.wikidata.org/entity/Q1985727";

/// What a precision means, in Wikidata's words.
fn precision_name(p: i64) -> &'static str {
    match p {
        0 => "billion years",
        1 => "hundred million years",
        2 => "ten million years",
        3 => "million years",
        4 => "hundred thousand years",
        5 => "ten thousand years",
        6 => "millennium",
        7 => "century",
        8 => "decade",
        9 => "year",
        10 => "month",
        11 => "day",
        12 => "hour",
        13 => "minute",
        14 => "second",
        _ => "unknown precision",
    }
}

/// The date text a time value stands for (`1993-05`), or why it has none.
pub(super) fn date_text(t: &Time) -> Result<String, String> {
    match t.calendarmodel.as_deref() {
        Some(c) if c == GREGORIAN || c == GREGORIAN.replacen("http:", "https:", 1) => {}
        Some(c) => {
            let q = c.rsplit('/').next().unwrap_or(c);
            return Err(format!(
                "calendar {} is not the Gregorian calendar (Q1985727)",
                crate::names::clipped(q)
            ));
        }
        None => return Err("no calendar model is given".to_string()),
    }
    let malformed = || format!("malformed time {}", crate::names::clipped(&t.time));
    let s = t.time.as_str();
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let date = rest.split('T').next().unwrap_or("");
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
    if !digits(y) || !digits(m) || !digits(d) || m.len() != 2 || d.len() != 2 {
        return Err(malformed());
    }
    let year: u64 = match y.trim_start_matches('0') {
        "" => 0,
        y if y.len() > 12 => u64::MAX,
        y => y.parse().map_err(|_| malformed())?,
    };
    if negative && year != 0 {
        return Err(format!(
            "year -{y}: years before the common era are not imported"
        ));
    }
    if !(1..=9999).contains(&year) {
        return Err(format!("year {y} is outside 0001-9999"));
    }
    let (month, day): (u32, u32) = (
        m.parse().map_err(|_| malformed())?,
        d.parse().map_err(|_| malformed())?,
    );
    let name = precision_name(t.precision);
    match t.precision {
        11 if month == 0 || day == 0 => Err(format!(
            "precision 11 (day), but the month or day is 00 in {}",
            crate::names::clipped(s)
        )),
        11 => Ok(format!("{year:04}-{month:02}-{day:02}")),
        10 if month == 0 => Err(format!(
            "precision 10 (month), but the month is 00 in {}",
            crate::names::clipped(s)
        )),
        10 => Ok(format!("{year:04}-{month:02}")),
        9 => Ok(format!("{year:04}")),
        8 => Ok(format!("{:04}s", year - year % 10)),
        p => Err(format!(
            "precision {p} ({name}): only day, month, year and decade precision are imported"
        )),
    }
}

/// The date of a snak that should hold a time: the value, `what` naming the snak in the reason
/// (`P585 point in time`).
pub(super) fn snak_date(snak: &Snak, what: &str) -> Result<DateSpec, String> {
    match snak.snaktype.as_str() {
        "value" => {}
        "somevalue" => return Err(format!("{what}: unknown value (somevalue)")),
        "novalue" => return Err(format!("{what}: no value (novalue)")),
        other => {
            return Err(format!(
                "{what}: snak type {} is not understood",
                crate::names::clipped(other)
            ));
        }
    }
    let Some(dv) = &snak.datavalue else {
        return Err(format!("{what}: the snak has no value"));
    };
    let t = dv.time().map_err(|e| format!("{what}: {e}"))?;
    let text = date_text(&t).map_err(|e| format!("{what} {}: {e}", t.time))?;
    DateSpec::parse(&text).map_err(|e| format!("{what} {}: {e}", t.time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(time: &str, precision: i64) -> Time {
        Time {
            time: time.to_string(),
            precision,
            calendarmodel: Some(GREGORIAN.to_string()),
        }
    }

    fn parsed(time: &str, precision: i64) -> String {
        let text = date_text(&t(time, precision)).unwrap();
        DateSpec::parse(&text).unwrap().as_str().to_string()
    }

    #[test]
    fn each_precision_gives_its_form() {
        assert_eq!(parsed("+1993-05-12T00:00:00Z", 11), "1993-05-12");
        assert_eq!(parsed("+1993-05-00T00:00:00Z", 10), "1993-05");
        assert_eq!(parsed("+1993-00-00T00:00:00Z", 9), "1993");
        assert_eq!(parsed("+1990-00-00T00:00:00Z", 8), "1990s");
        assert_eq!(parsed("+1995-00-00T00:00:00Z", 8), "1990s");
        assert_eq!(parsed("+0800-00-00T00:00:00Z", 9), "0800");
    }

    #[test]
    fn what_cannot_be_said_is_refused() {
        let e = |time: &str, p: i64| date_text(&t(time, p)).unwrap_err();
        assert_eq!(
            e("+1900-00-00T00:00:00Z", 7),
            "precision 7 (century): only day, month, year and decade precision are imported"
        );
        assert_eq!(
            e("-0050-00-00T00:00:00Z", 9),
            "year -0050: years before the common era are not imported"
        );
        assert_eq!(
            e("+10000-00-00T00:00:00Z", 9),
            "year 10000 is outside 0001-9999"
        );
        assert_eq!(
            e("+0000-00-00T00:00:00Z", 9),
            "year 0000 is outside 0001-9999"
        );
        assert!(e("+1993-00-00T00:00:00Z", 10).contains("month is 00"));
        assert!(e("+1993-05-00T00:00:00Z", 11).contains("month or day is 00"));
        assert!(e("1993", 9).starts_with("malformed time"));
        assert!(e("+99999999999999999999999-00-00T00:00:00Z", 9).contains("outside"));
        let mut j = t("+1917-10-25T00:00:00Z", 11);
        j.calendarmodel = Some("http://www.wikidata.org/entity/Q1985786".to_string());
        assert_eq!(
            date_text(&j).unwrap_err(),
            "calendar \"Q1985786\" is not the Gregorian calendar (Q1985727)"
        );
        // a day that does not exist is refused by DateSpec::parse
        assert!(DateSpec::parse(&date_text(&t("+1993-02-30T00:00:00Z", 11)).unwrap()).is_err());
        // a decade of year 0 cannot be written
        assert!(DateSpec::parse(&date_text(&t("+0005-00-00T00:00:00Z", 8)).unwrap()).is_err());
    }
}
