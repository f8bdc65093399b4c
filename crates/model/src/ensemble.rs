//! Weighted averages of forecasters. Goal models and Elo make partly independent
//! errors (one reads scorelines, the other results only), so a blend scores better
//! than either.

use chrono::NaiveDate;

use crate::backtest::Forecaster;
use crate::{MatchRecord, ModelError, Outcome3};

/// A linear pool of member forecasts.
pub struct EnsembleForecaster {
    pub label: String,
    pub members: Vec<(Box<dyn Forecaster>, f64)>,
}

impl EnsembleForecaster {
    /// Weights must be finite, non-negative and not all zero.
    pub fn new(
        label: impl Into<String>,
        members: Vec<(Box<dyn Forecaster>, f64)>,
    ) -> Result<Self, ModelError> {
        let total: f64 = members.iter().map(|(_, w)| *w).sum();
        if members.iter().any(|(_, w)| !w.is_finite() || *w < 0.0) || !total.is_finite() || total <= 0.0 {
            return Err(ModelError::InvalidInput(
                "ensemble weights must be non-negative with a positive sum".into(),
            ));
        }
        Ok(Self {
            label: label.into(),
            members,
        })
    }
}

impl Forecaster for EnsembleForecaster {
    fn name(&self) -> String {
        self.label.clone()
    }

    fn refit(&mut self, history: &[MatchRecord], as_of: NaiveDate) -> Result<(), ModelError> {
        self.members
            .iter_mut()
            .try_for_each(|(member, _)| member.refit(history, as_of))
    }

    fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError> {
        let parts = self
            .members
            .iter()
            .map(|(member, w)| Ok((member.predict(home, away)?, *w)))
            .collect::<Result<Vec<_>, ModelError>>()?;
        Outcome3::weighted_mean(&parts)
    }
}
