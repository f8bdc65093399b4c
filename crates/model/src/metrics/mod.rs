//! Scoring rules for probabilistic 1X2 forecasts and their aggregation.

mod calibration;
mod scores;
mod summary;

pub use calibration::{CalibrationBin, calibration_bins, expected_calibration_error};
pub use scores::{brier_score, log_loss, ranked_probability_score};
pub use summary::{ForecastMetrics, MetricsAccumulator};
