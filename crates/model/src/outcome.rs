//! Three-way (home/draw/away) probabilities and results.

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// Tolerance for "sums to one" checks on probabilities supplied by callers.
const SUM_TOLERANCE: f64 = 1e-6;

/// The result of a match from the home side's point of view, ordered home < draw < away
/// (the order the ranked probability score relies on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MatchOutcome {
    Home,
    Draw,
    Away,
}

impl MatchOutcome {
    /// The outcome of a final score.
    pub fn from_goals(home_goals: u8, away_goals: u8) -> Self {
        match home_goals.cmp(&away_goals) {
            std::cmp::Ordering::Greater => Self::Home,
            std::cmp::Ordering::Equal => Self::Draw,
            std::cmp::Ordering::Less => Self::Away,
        }
    }

    /// Position in the ordered triple (home = 0, draw = 1, away = 2).
    pub fn index(self) -> usize {
        match self {
            Self::Home => 0,
            Self::Draw => 1,
            Self::Away => 2,
        }
    }
}

/// Probabilities of home win, draw and away win. Always finite, non-negative and
/// summing to one: construct with [`Outcome3::new`] or [`Outcome3::normalized`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Outcome3 {
    pub home: f64,
    pub draw: f64,
    pub away: f64,
}

impl Outcome3 {
    /// Validates that the three values are probabilities summing to one (within 1e-6)
    /// and renormalises the tiny remainder away.
    pub fn new(home: f64, draw: f64, away: f64) -> Result<Self, ModelError> {
        let sum = home + draw + away;
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return Err(ModelError::InvalidProbability(format!(
                "home/draw/away sum to {sum}, not 1"
            )));
        }
        Self::normalized(home, draw, away)
    }

    /// Scales three non-negative weights so they sum to one.
    pub fn normalized(home: f64, draw: f64, away: f64) -> Result<Self, ModelError> {
        let values = [home, draw, away];
        if values.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return Err(ModelError::InvalidProbability(format!(
                "weights must be finite and non-negative, got {values:?}"
            )));
        }
        let sum = home + draw + away;
        if sum <= 0.0 {
            return Err(ModelError::InvalidProbability("weights sum to zero".into()));
        }
        Ok(Self {
            home: home / sum,
            draw: draw / sum,
            away: away / sum,
        })
    }

    /// The probabilities in ranked order (home, draw, away).
    pub fn as_array(&self) -> [f64; 3] {
        [self.home, self.draw, self.away]
    }

    /// Probability given to one outcome.
    pub fn probability_of(&self, outcome: MatchOutcome) -> f64 {
        self.as_array()[outcome.index()]
    }

    /// The most likely outcome (ties resolved towards home, then draw).
    pub fn most_likely(&self) -> MatchOutcome {
        if self.home >= self.draw && self.home >= self.away {
            MatchOutcome::Home
        } else if self.draw >= self.away {
            MatchOutcome::Draw
        } else {
            MatchOutcome::Away
        }
    }

    /// Weighted average of several forecasts; weights need not sum to one.
    pub fn weighted_mean(parts: &[(Outcome3, f64)]) -> Result<Self, ModelError> {
        let (mut h, mut d, mut a) = (0.0, 0.0, 0.0);
        for (p, w) in parts {
            if !w.is_finite() || *w < 0.0 {
                return Err(ModelError::InvalidInput(format!("ensemble weight {w}")));
            }
            h += w * p.home;
            d += w * p.draw;
            a += w * p.away;
        }
        Self::normalized(h, d, a)
    }
}
