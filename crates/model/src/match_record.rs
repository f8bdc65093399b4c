//! The input row for fitting and backtesting: one played match.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::MatchOutcome;

/// A played match with its final score and, when known, shot counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRecord {
    pub date: NaiveDate,
    pub home: String,
    pub away: String,
    pub home_goals: u8,
    pub away_goals: u8,
    pub home_shots: Option<u16>,
    pub away_shots: Option<u16>,
    pub home_shots_on_target: Option<u16>,
    pub away_shots_on_target: Option<u16>,
}

impl MatchRecord {
    /// A record with only the score (shot statistics unknown).
    pub fn new(
        date: NaiveDate,
        home: impl Into<String>,
        away: impl Into<String>,
        home_goals: u8,
        away_goals: u8,
    ) -> Self {
        Self {
            date,
            home: home.into(),
            away: away.into(),
            home_goals,
            away_goals,
            home_shots: None,
            away_shots: None,
            home_shots_on_target: None,
            away_shots_on_target: None,
        }
    }

    /// Home win, draw or away win.
    pub fn outcome(&self) -> MatchOutcome {
        MatchOutcome::from_goals(self.home_goals, self.away_goals)
    }
}

/// Index of the first record dated on or after `date` in a chronologically sorted slice.
pub fn first_on_or_after(records: &[MatchRecord], date: NaiveDate) -> usize {
    records.partition_point(|r| r.date < date)
}

/// True when the records are sorted by date (ties allowed).
pub fn is_chronological(records: &[MatchRecord]) -> bool {
    records.windows(2).all(|w| w[0].date <= w[1].date)
}
