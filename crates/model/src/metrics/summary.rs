//! Aggregate metrics over many forecasts.

use serde::{Deserialize, Serialize};

use super::{brier_score, calibration_bins, expected_calibration_error, log_loss, ranked_probability_score};
use crate::{MatchOutcome, Outcome3};

/// Ten bins of width 0.1 for the calibration error.
const CALIBRATION_BINS: usize = 10;

/// Mean scores of a set of forecasts (all zero when there are none).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForecastMetrics {
    pub matches: usize,
    pub rps: f64,
    pub brier: f64,
    pub log_loss: f64,
    /// Share of matches whose most likely outcome happened.
    pub accuracy: f64,
    /// Expected calibration error over ten bins.
    pub ece: f64,
}

/// Collects forecasts one at a time, then summarises them.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccumulator {
    forecasts: Vec<(Outcome3, MatchOutcome)>,
}

impl MetricsAccumulator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, forecast: Outcome3, outcome: MatchOutcome) {
        self.forecasts.push((forecast, outcome));
    }

    pub fn forecasts(&self) -> &[(Outcome3, MatchOutcome)] {
        &self.forecasts
    }

    pub fn summary(&self) -> ForecastMetrics {
        let n = self.forecasts.len();
        let mean = |f: &dyn Fn(&Outcome3, MatchOutcome) -> f64| {
            if n == 0 {
                0.0
            } else {
                self.forecasts.iter().map(|(p, o)| f(p, *o)).sum::<f64>() / n as f64
            }
        };
        ForecastMetrics {
            matches: n,
            rps: mean(&ranked_probability_score),
            brier: mean(&brier_score),
            log_loss: mean(&log_loss),
            accuracy: mean(&|p, o| f64::from(u8::from(p.most_likely() == o))),
            ece: expected_calibration_error(&calibration_bins(&self.forecasts, CALIBRATION_BINS)),
        }
    }
}
