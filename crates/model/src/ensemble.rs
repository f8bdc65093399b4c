//! Weighted averages of forecasters. Goal models and Elo make partly independent
//! errors (one reads scorelines, the other results only), so a blend scores better
//! than either.

use chrono::NaiveDate;

use crate::backtest::{Forecaster, INTERVAL_Z};
use crate::markets::ScoreMatrix;
use crate::uncertainty::{Interval, Outcome3Intervals};
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

    fn total_weight(&self) -> f64 {
        self.members.iter().map(|(_, w)| *w).sum()
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

    /// The first member's matrix that has one (the goal model). Result-only members
    /// cannot be pooled into a score grid, so score markets come from the goal model
    /// alone while [`Forecaster::predict`] gives the blended 1X2: the two can differ by
    /// the blend's shift (about a point of probability for "best").
    fn score_matrix(&self, home: &str, away: &str) -> Result<Option<ScoreMatrix>, ModelError> {
        for (member, _) in &self.members {
            if let Some(matrix) = member.score_matrix(home, away)? {
                return Ok(Some(matrix));
            }
        }
        Ok(None)
    }

    /// Delta method through the pool: `p = Σ wₖ pₖ / Σ wₖ`, so with only one member
    /// reporting a standard error (the goal model; Elo's draw model has no covariance)
    /// the blend's error is that member's times its weight share, centred on the
    /// blended estimate. It understates uncertainty by ignoring the other members'.
    fn intervals(&self, home: &str, away: &str) -> Result<Option<Outcome3Intervals>, ModelError> {
        let total = self.total_weight();
        for (member, weight) in &self.members {
            if let Some(member_intervals) = member.intervals(home, away)? {
                let blend = self.predict(home, away)?;
                let share = weight / total;
                let scaled = |estimate: f64, member: Interval| {
                    let se = share * member.standard_error;
                    Interval {
                        estimate,
                        lower: (estimate - INTERVAL_Z * se).max(0.0),
                        upper: (estimate + INTERVAL_Z * se).min(1.0),
                        standard_error: se,
                    }
                };
                return Ok(Some(Outcome3Intervals {
                    home: scaled(blend.home, member_intervals.home),
                    draw: scaled(blend.draw, member_intervals.draw),
                    away: scaled(blend.away, member_intervals.away),
                }));
            }
        }
        Ok(None)
    }
}
