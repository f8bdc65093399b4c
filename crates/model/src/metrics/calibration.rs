//! Reliability: do events forecast at p happen a fraction p of the time?

use serde::{Deserialize, Serialize};

use crate::{MatchOutcome, Outcome3};

/// One probability bin, pooling all three outcomes one-vs-rest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    pub mean_forecast: f64,
    pub observed_frequency: f64,
}

/// Equal-width bins over [0, 1]; every (match, outcome) pair is one forecast.
/// Empty bins are kept (count 0) so bin positions are stable.
pub fn calibration_bins(forecasts: &[(Outcome3, MatchOutcome)], bin_count: usize) -> Vec<CalibrationBin> {
    let bins = bin_count.max(1);
    let mut sums = vec![(0usize, 0.0, 0.0); bins];
    for (forecast, outcome) in forecasts {
        for (k, p) in forecast.as_array().into_iter().enumerate() {
            let b = ((p * bins as f64) as usize).min(bins - 1);
            sums[b].0 += 1;
            sums[b].1 += p;
            sums[b].2 += f64::from(u8::from(k == outcome.index()));
        }
    }
    sums.into_iter()
        .enumerate()
        .map(|(b, (count, p_sum, hits))| {
            let n = count.max(1) as f64;
            CalibrationBin {
                lower: b as f64 / bins as f64,
                upper: (b + 1) as f64 / bins as f64,
                count,
                mean_forecast: p_sum / n,
                observed_frequency: hits / n,
            }
        })
        .collect()
}

/// Expected calibration error: the count-weighted mean |forecast − frequency| over bins.
pub fn expected_calibration_error(bins: &[CalibrationBin]) -> f64 {
    let total: usize = bins.iter().map(|b| b.count).sum();
    if total == 0 {
        return 0.0;
    }
    bins.iter()
        .map(|b| b.count as f64 * (b.mean_forecast - b.observed_frequency).abs())
        .sum::<f64>()
        / total as f64
}
