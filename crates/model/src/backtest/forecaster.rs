//! The interface the backtest (and the server) drives, and its goal-model implementation.

use chrono::NaiveDate;

use crate::goals::{GoalModel, GoalModelConfig, fit_goal_model};
use crate::markets::ScoreMatrix;
use crate::uncertainty::{Outcome3Intervals, outcome_intervals};
use crate::{MatchForecast, MatchRecord, ModelError, Outcome3};

/// Normal quantile of the intervals [`Forecaster::intervals`] reports (95%).
pub const INTERVAL_Z: f64 = 1.96;

/// Anything that can learn from past matches and forecast 1X2 probabilities.
///
/// `Send + Sync` so a fitted forecaster can be refitted on a worker thread and then
/// shared behind an `Arc` by many concurrent requests (every query takes `&self`).
pub trait Forecaster: Send + Sync {
    /// Short label for reports.
    fn name(&self) -> String;
    /// Re-estimates from `history` (chronological, every match strictly before `as_of`).
    fn refit(&mut self, history: &[MatchRecord], as_of: NaiveDate) -> Result<(), ModelError>;
    /// Home/draw/away probabilities for a match on `as_of` or shortly after.
    fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError>;

    /// The joint score distribution, for models that have one (goal models); `None`
    /// for result-only models such as Elo.
    fn score_matrix(&self, _home: &str, _away: &str) -> Result<Option<ScoreMatrix>, ModelError> {
        Ok(None)
    }

    /// 95% intervals on the 1X2 probabilities where the model can estimate its own
    /// parameter uncertainty; `None` otherwise (or for teams it has never seen).
    fn intervals(&self, _home: &str, _away: &str) -> Result<Option<Outcome3Intervals>, ModelError> {
        Ok(None)
    }

    /// Everything a match page needs in one call. The 1X2 always comes from
    /// [`Forecaster::predict`]; the score matrix and expected goals only where the model
    /// has a matrix (for an ensemble they may disagree slightly with the blended 1X2).
    fn forecast(&self, home: &str, away: &str) -> Result<MatchForecast, ModelError> {
        let score_matrix = self.score_matrix(home, away)?;
        Ok(MatchForecast {
            outcome: self.predict(home, away)?,
            expected_goals: score_matrix.as_ref().map(ScoreMatrix::expected_goals),
            score_matrix,
            intervals: self.intervals(home, away)?,
        })
    }
}

/// A goal model refitted at each call, warm-started from the previous fit.
#[derive(Debug, Clone)]
pub struct GoalModelForecaster {
    pub label: String,
    pub config: GoalModelConfig,
    pub model: Option<GoalModel>,
    /// Newton iterations summed over all refits (a cheap performance diagnostic).
    pub total_iterations: usize,
}

impl GoalModelForecaster {
    pub fn new(label: impl Into<String>, config: GoalModelConfig) -> Self {
        Self {
            label: label.into(),
            config,
            model: None,
            total_iterations: 0,
        }
    }

    fn fitted(&self) -> Result<&GoalModel, ModelError> {
        self.model
            .as_ref()
            .ok_or_else(|| ModelError::InvalidInput("predict called before refit".into()))
    }
}

impl Forecaster for GoalModelForecaster {
    fn name(&self) -> String {
        self.label.clone()
    }

    fn refit(&mut self, history: &[MatchRecord], as_of: NaiveDate) -> Result<(), ModelError> {
        let model = fit_goal_model(history, as_of, &self.config, self.model.as_ref())?;
        self.total_iterations += model.summary.iterations;
        self.model = Some(model);
        Ok(())
    }

    fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError> {
        self.fitted()?.predict(home, away)
    }

    fn score_matrix(&self, home: &str, away: &str) -> Result<Option<ScoreMatrix>, ModelError> {
        self.fitted()?.score_matrix(home, away).map(Some)
    }

    /// Delta-method intervals; `None` when either team is a newcomer (its rating is a
    /// policy, not an estimate with a variance).
    fn intervals(&self, home: &str, away: &str) -> Result<Option<Outcome3Intervals>, ModelError> {
        let model = self.fitted()?;
        if model.teams.get(home).is_none() || model.teams.get(away).is_none() {
            return Ok(None);
        }
        outcome_intervals(model, home, away, INTERVAL_Z).map(Some)
    }
}
