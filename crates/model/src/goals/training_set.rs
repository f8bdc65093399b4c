//! Matches turned into flat arrays (team indices, weights, responses) once per fit,
//! so the likelihood loop touches no strings or dates.

use chrono::NaiveDate;

use super::GoalModelConfig;
use crate::{MatchRecord, ModelError, TeamIndex};

/// Which Dixon-Coles `τ` factor applies to a score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LowScore {
    NilNil,
    NilOne,
    OneNil,
    OneOne,
    Other,
}

impl LowScore {
    fn of(home_goals: u8, away_goals: u8) -> Self {
        match (home_goals, away_goals) {
            (0, 0) => Self::NilNil,
            (0, 1) => Self::NilOne,
            (1, 0) => Self::OneNil,
            (1, 1) => Self::OneOne,
            _ => Self::Other,
        }
    }
}

pub(crate) struct TrainingSet {
    pub teams: TeamIndex,
    pub home: Vec<usize>,
    pub away: Vec<usize>,
    pub weight: Vec<f64>,
    /// Poisson responses (goals, possibly blended with shots on target).
    pub y_home: Vec<f64>,
    pub y_away: Vec<f64>,
    pub low_score: Vec<LowScore>,
    pub total_weight: f64,
}

/// Fewer matches than this cannot say anything useful about team strengths.
const MIN_MATCHES: usize = 10;

impl TrainingSet {
    pub fn build(
        records: &[MatchRecord],
        reference_date: NaiveDate,
        config: &GoalModelConfig,
    ) -> Result<Self, ModelError> {
        if records.len() < MIN_MATCHES {
            return Err(ModelError::InsufficientData(format!(
                "{} matches, need at least {MIN_MATCHES}",
                records.len()
            )));
        }
        let beta = config.shots_on_target_weight;
        if !(0.0..=1.0).contains(&beta) || !config.xi_per_day.is_finite() || config.xi_per_day < 0.0 {
            return Err(ModelError::InvalidInput(
                "shots weight must be in [0,1] and ξ finite and ≥ 0".into(),
            ));
        }
        let goals_per_shot_on_target = goals_per_shot_on_target(records);
        let n = records.len();
        let mut set = Self {
            teams: TeamIndex::new(),
            home: Vec::with_capacity(n),
            away: Vec::with_capacity(n),
            weight: Vec::with_capacity(n),
            y_home: Vec::with_capacity(n),
            y_away: Vec::with_capacity(n),
            low_score: Vec::with_capacity(n),
            total_weight: 0.0,
        };
        for r in records {
            if r.date > reference_date {
                return Err(ModelError::InvalidInput(format!(
                    "match on {} is after the reference date {reference_date}",
                    r.date
                )));
            }
            if r.home == r.away {
                return Err(ModelError::InvalidInput(format!("{} plays itself", r.home)));
            }
            let days = (reference_date - r.date).num_days() as f64;
            let w = (-config.xi_per_day * days).exp();
            set.home.push(set.teams.insert(&r.home));
            set.away.push(set.teams.insert(&r.away));
            set.weight.push(w);
            set.total_weight += w;
            let blend = |goals: u8, sot: Option<u16>| match (sot, goals_per_shot_on_target) {
                (Some(s), Some(c)) if beta > 0.0 => (1.0 - beta) * f64::from(goals) + beta * c * f64::from(s),
                _ => f64::from(goals),
            };
            set.y_home.push(blend(r.home_goals, r.home_shots_on_target));
            set.y_away.push(blend(r.away_goals, r.away_shots_on_target));
            set.low_score.push(LowScore::of(r.home_goals, r.away_goals));
        }
        if set.teams.len() < 2 {
            return Err(ModelError::InsufficientData("fewer than two teams".into()));
        }
        if set.total_weight < 1e-9 {
            return Err(ModelError::InsufficientData(
                "time-decay weights are all (numerically) zero".into(),
            ));
        }
        if set.y_home.iter().chain(&set.y_away).all(|y| *y == 0.0) {
            return Err(ModelError::InsufficientData("no goals in the data".into()));
        }
        Ok(set)
    }

    pub fn len(&self) -> usize {
        self.home.len()
    }

    /// Weighted mean goals per team per match: the starting value of `exp(μ)`.
    pub fn mean_goals(&self) -> f64 {
        let total: f64 = (0..self.len())
            .map(|m| self.weight[m] * (self.y_home[m] + self.y_away[m]))
            .sum();
        total / (2.0 * self.total_weight)
    }
}

/// League conversion rate, used to put shots on target on the goal scale.
fn goals_per_shot_on_target(records: &[MatchRecord]) -> Option<f64> {
    let (mut goals, mut shots) = (0.0, 0.0);
    for r in records {
        if let (Some(h), Some(a)) = (r.home_shots_on_target, r.away_shots_on_target) {
            goals += f64::from(r.home_goals) + f64::from(r.away_goals);
            shots += f64::from(h) + f64::from(a);
        }
    }
    (shots > 0.0).then(|| goals / shots)
}
