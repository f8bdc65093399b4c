//! The rating update itself.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::MatchRecord;

/// Elo parameters (rating points use the chess scale: 400 points = 10:1 odds).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EloConfig {
    /// Points exchanged per unit of surprise; 20 suits a league with ~38 games a season
    /// (clubelo and eloratings.net use 20).
    pub k_factor: f64,
    /// Points added to the home side's rating when computing the expected score
    /// (≈ 60-70 points matches the ~46% home win rate of recent top-flight football).
    pub home_advantage: f64,
    /// Rating of the first teams seen.
    pub initial_rating: f64,
    /// A team first seen after the start is rated this far from the current mean:
    /// promoted sides are usually weaker than average (−50 was best on the 2015-19
    /// Premier League validation seasons among −50/−100/−150).
    pub newcomer_offset: f64,
    /// Scale updates by [`goal_difference_multiplier`] (eloratings.net's rule).
    pub goal_difference: bool,
}

impl Default for EloConfig {
    fn default() -> Self {
        Self {
            k_factor: 20.0,
            home_advantage: 65.0,
            initial_rating: 1500.0,
            newcomer_offset: -50.0,
            goal_difference: true,
        }
    }
}

/// 1 for a one-goal margin or draw, 1.5 for two goals, (11 + margin)/8 beyond:
/// bigger wins move ratings more, with diminishing returns.
pub fn goal_difference_multiplier(home_goals: u8, away_goals: u8) -> f64 {
    let margin = f64::from(home_goals.abs_diff(away_goals));
    match margin {
        m if m <= 1.0 => 1.0,
        m if m <= 2.0 => 1.5,
        m => (11.0 + m) / 8.0,
    }
}

/// Current ratings of every team seen so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EloRatings {
    pub config: EloConfig,
    ratings: HashMap<String, f64>,
}

impl EloRatings {
    pub fn new(config: EloConfig) -> Self {
        Self {
            config,
            ratings: HashMap::new(),
        }
    }

    /// Rating of `team`, or what a newcomer would start at.
    pub fn rating(&self, team: &str) -> f64 {
        self.ratings
            .get(team)
            .copied()
            .unwrap_or_else(|| self.newcomer_rating())
    }

    fn newcomer_rating(&self) -> f64 {
        if self.ratings.is_empty() {
            self.config.initial_rating
        } else {
            self.ratings.values().sum::<f64>() / self.ratings.len() as f64 + self.config.newcomer_offset
        }
    }

    /// Home rating + home advantage − away rating, before the match.
    pub fn rating_difference(&self, home: &str, away: &str) -> f64 {
        self.rating(home) + self.config.home_advantage - self.rating(away)
    }

    /// Applies one result; returns the pre-match rating difference.
    pub fn update(&mut self, record: &MatchRecord) -> f64 {
        if self.ratings.is_empty() {
            // The first two teams seen start at the initial rating.
            for team in [&record.home, &record.away] {
                self.ratings.insert(team.clone(), self.config.initial_rating);
            }
        }
        for team in [&record.home, &record.away] {
            if !self.ratings.contains_key(team) {
                let start = self.newcomer_rating();
                self.ratings.insert(team.clone(), start);
            }
        }
        let diff = self.rating_difference(&record.home, &record.away);
        let expected = 1.0 / (1.0 + 10f64.powf(-diff / 400.0));
        let actual = match record.home_goals.cmp(&record.away_goals) {
            std::cmp::Ordering::Greater => 1.0,
            std::cmp::Ordering::Equal => 0.5,
            std::cmp::Ordering::Less => 0.0,
        };
        let multiplier = if self.config.goal_difference {
            goal_difference_multiplier(record.home_goals, record.away_goals)
        } else {
            1.0
        };
        let change = self.config.k_factor * multiplier * (actual - expected);
        *self.ratings.entry(record.home.clone()).or_default() += change;
        *self.ratings.entry(record.away.clone()).or_default() -= change;
        diff
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn updates_are_zero_sum_and_scale_with_margin() {
        let date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let mut elo = EloRatings::new(EloConfig::default());
        elo.update(&MatchRecord::new(date, "A", "B", 1, 0));
        let one_goal = elo.rating("A") - 1500.0;
        assert!((elo.rating("A") + elo.rating("B") - 3000.0).abs() < 1e-9);
        let mut big = EloRatings::new(EloConfig::default());
        big.update(&MatchRecord::new(date, "A", "B", 4, 0));
        assert!((big.rating("A") - 1500.0 - one_goal * (11.0 + 4.0) / 8.0).abs() < 1e-9);
        assert_eq!(goal_difference_multiplier(2, 0), 1.5);
    }
}
