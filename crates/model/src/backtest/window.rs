//! Which past matches a refit sees.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ModelError;

/// Month and day a season starts on (European leagues kick off in August; July 1 falls
/// safely in the close season, so no season straddles the boundary).
pub const SEASON_START: (u32, u32) = (7, 1);

/// The fit history as seen from a refit date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryWindow {
    /// Every earlier match.
    All,
    /// Matches within this many days before the refit date.
    Days(i64),
    /// The `n` complete seasons before the refit date's season, plus that season so far.
    /// Unlike a fixed number of days, every refit in a season starts from the same first
    /// match, so the history grows through the season from `n` to almost `n + 1`
    /// seasons — the setup of published Dixon-Coles benchmarks ("three seasons of history
    /// plus the current one").
    Seasons(u32),
}

impl HistoryWindow {
    /// First date the fit may use for a refit on `as_of` (`None` = no limit).
    pub fn start(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Self::All => None,
            Self::Days(days) => Some(as_of - Duration::days(days)),
            Self::Seasons(previous) => {
                let current = season_start(as_of)?;
                let year = current.year().checked_sub(i32::try_from(previous).ok()?)?;
                NaiveDate::from_ymd_opt(year, SEASON_START.0, SEASON_START.1)
            }
        }
    }

    pub(crate) fn validate(&self) -> Result<(), ModelError> {
        match self {
            Self::Days(days) if *days <= 0 => Err(ModelError::InvalidInput(
                "history window must be a positive number of days".into(),
            )),
            _ => Ok(()),
        }
    }
}

/// The start of the season `date` belongs to.
pub fn season_start(date: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(date.year(), SEASON_START.0, SEASON_START.1)?;
    if date >= this_year {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(date.year() - 1, SEASON_START.0, SEASON_START.1)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn season_windows_start_on_july_first() {
        let three = HistoryWindow::Seasons(3);
        assert_eq!(three.start(date(2019, 8, 9)), Some(date(2016, 7, 1)));
        assert_eq!(three.start(date(2020, 5, 20)), Some(date(2016, 7, 1)));
        assert_eq!(three.start(date(2020, 7, 1)), Some(date(2017, 7, 1)));
        assert_eq!(
            HistoryWindow::Seasons(0).start(date(2021, 1, 1)),
            Some(date(2020, 7, 1))
        );
        assert_eq!(
            HistoryWindow::Days(10).start(date(2021, 1, 11)),
            Some(date(2021, 1, 1))
        );
        assert_eq!(HistoryWindow::All.start(date(2021, 1, 1)), None);
        assert!(HistoryWindow::Days(0).validate().is_err());
    }
}
