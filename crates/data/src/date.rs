//! Match dates and kick-off times in the spellings the source files use.

use chrono::{NaiveDate, NaiveTime};

use crate::season::expand_two_digit_year;

/// Parses `YYYY-MM-DD` (per-league files, international results) and football-data.co.uk's
/// day-first `DD/MM/YY`, `DD/MM/YYYY` and `DD-MM-YYYY` (2003-05 files use dashes).
pub fn parse_match_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let sep = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let number = |s: &str| -> Option<i32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a)?, number(b)?, number(c)?)
    } else {
        let year = match c.len() {
            2 => expand_two_digit_year(number(c)?),
            4 => number(c)?,
            _ => return None,
        };
        (year, number(b)?, number(a)?)
    };
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

/// Parses a kick-off time such as `15:00` or `20:45:00`.
pub fn parse_kickoff(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn all_date_spellings() {
        assert_eq!(parse_match_date("2023-08-11"), Some(ymd(2023, 8, 11)));
        assert_eq!(parse_match_date("18/08/12"), Some(ymd(2012, 8, 18)));
        assert_eq!(parse_match_date("14/08/93"), Some(ymd(1993, 8, 14)));
        assert_eq!(parse_match_date("17/08/2002"), Some(ymd(2002, 8, 17)));
        assert_eq!(parse_match_date("16-08-2003"), Some(ymd(2003, 8, 16)));
        assert_eq!(parse_match_date(" 1/2/05 "), Some(ymd(2005, 2, 1)));
    }

    #[test]
    fn rejects_garbage_dates() {
        for bad in [
            "",
            "yesterday",
            "32/01/12",
            "2012-13-01",
            "1/2/3/4",
            "12/08/123",
            "+1/02/12",
        ] {
            assert_eq!(parse_match_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn kickoff_times() {
        assert_eq!(parse_kickoff("15:00"), NaiveTime::from_hms_opt(15, 0, 0));
        assert_eq!(parse_kickoff("20:45:30"), NaiveTime::from_hms_opt(20, 45, 30));
        assert_eq!(parse_kickoff("late"), None);
    }
}
