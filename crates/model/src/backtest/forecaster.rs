//! The interface the backtest drives, and its goal-model implementation.

use chrono::NaiveDate;

use crate::goals::{GoalModel, GoalModelConfig, fit_goal_model};
use crate::{MatchRecord, ModelError, Outcome3};

/// Anything that can learn from past matches and forecast 1X2 probabilities.
pub trait Forecaster {
    /// Short label for reports.
    fn name(&self) -> String;
    /// Re-estimates from `history` (chronological, every match strictly before `as_of`).
    fn refit(&mut self, history: &[MatchRecord], as_of: NaiveDate) -> Result<(), ModelError>;
    /// Home/draw/away probabilities for a match on `as_of` or shortly after.
    fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError>;
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
        self.model
            .as_ref()
            .ok_or_else(|| ModelError::InvalidInput("predict called before refit".into()))?
            .predict(home, away)
    }
}
