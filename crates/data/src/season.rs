//! Football seasons run July to June and are written "2012-13".

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A season named by the calendar year it starts in; displays as "2012-13".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Season {
    start_year: i32,
}

impl Season {
    pub fn new(start_year: i32) -> Self {
        Self { start_year }
    }

    pub fn start_year(self) -> i32 {
        self.start_year
    }

    /// The season a match date falls in, taking July as the first month.
    /// File names are better when available: COVID-delayed 2019-20 ran into August 2020.
    pub fn from_date(date: NaiveDate) -> Self {
        let year = date.year();
        Self::new(if date.month() >= 7 { year } else { year - 1 })
    }

    /// Reads the season from file names such as `season-2324.csv`, `E0-1213.csv`, `season-9900`:
    /// the last four characters of the stem must be two consecutive two-digit years.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let stem = name
            .strip_suffix(".csv")
            .or_else(|| name.strip_suffix(".CSV"))
            .unwrap_or(name);
        let digits = stem.get(stem.len().checked_sub(4)?..)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let first: i32 = digits.get(..2)?.parse().ok()?;
        let second: i32 = digits.get(2..)?.parse().ok()?;
        if (first + 1) % 100 != second {
            return None;
        }
        Some(Self::new(expand_two_digit_year(first)))
    }
}

/// football-data.co.uk starts in 1993, so "93".."99" are the 1900s and the rest the 2000s.
pub(crate) fn expand_two_digit_year(yy: i32) -> i32 {
    if yy >= 50 { 1900 + yy } else { 2000 + yy }
}

impl fmt::Display for Season {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl From<Season> for String {
    fn from(season: Season) -> Self {
        season.to_string()
    }
}

impl TryFrom<String> for Season {
    type Error = String;

    /// Accepts the display form "2012-13".
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let bad = || format!("invalid season {text:?}, expected e.g. \"2012-13\"");
        let (start, end) = text.split_once('-').ok_or_else(bad)?;
        let start: i32 = start.parse().map_err(|_| bad())?;
        let end: i32 = end.parse().map_err(|_| bad())?;
        if (start + 1).rem_euclid(100) != end {
            return Err(bad());
        }
        Ok(Self::new(start))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_seasons() {
        assert_eq!(
            Season::from_file_name("season-2324.csv").unwrap().to_string(),
            "2023-24"
        );
        assert_eq!(
            Season::from_file_name("season-9394").unwrap().to_string(),
            "1993-94"
        );
        assert_eq!(
            Season::from_file_name("season-9900.csv").unwrap().to_string(),
            "1999-00"
        );
        assert_eq!(
            Season::from_file_name("E0-1213.csv").unwrap().to_string(),
            "2012-13"
        );
        assert_eq!(Season::from_file_name("results.csv"), None);
        assert_eq!(Season::from_file_name("E0-1215.csv"), None);
        assert_eq!(Season::from_file_name("x"), None);
    }

    #[test]
    fn dates_split_at_july() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(Season::from_date(d(2012, 8, 18)).to_string(), "2012-13");
        assert_eq!(Season::from_date(d(2013, 5, 19)).to_string(), "2012-13");
        assert_eq!(Season::from_date(d(2013, 7, 1)).to_string(), "2013-14");
    }

    #[test]
    fn serialises_as_display_string() {
        let season = Season::new(1999);
        let text: String = season.into();
        assert_eq!(text, "1999-00");
        assert_eq!(Season::try_from(text).unwrap(), season);
        assert!(Season::try_from("2012-14".to_string()).is_err());
    }
}
