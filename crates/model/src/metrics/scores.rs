//! Per-match scoring rules. Lower is better for all three.

use crate::{MatchOutcome, Outcome3};

/// Probabilities below this are clamped in the log loss, so a confident miss costs
/// about 34.5 nats instead of infinity.
const LOG_LOSS_FLOOR: f64 = 1e-15;

/// Ranked probability score for the ordered outcomes home < draw < away:
/// the mean squared difference of cumulative forecast and outcome over the first two
/// categories. In [0, 1]; it rewards putting mass *near* the result (a draw forecast is
/// a smaller miss for a home win than an away forecast).
pub fn ranked_probability_score(forecast: &Outcome3, outcome: MatchOutcome) -> f64 {
    let p = forecast.as_array();
    let o = one_hot(outcome);
    let first = p[0] - o[0];
    let second = p[0] + p[1] - o[0] - o[1];
    (first * first + second * second) / 2.0
}

/// Multi-class Brier score: sum of squared errors over the three outcomes, in [0, 2].
pub fn brier_score(forecast: &Outcome3, outcome: MatchOutcome) -> f64 {
    let o = one_hot(outcome);
    forecast
        .as_array()
        .iter()
        .zip(o)
        .map(|(p, o)| (p - o) * (p - o))
        .sum()
}

/// Negative natural log of the probability given to what happened.
pub fn log_loss(forecast: &Outcome3, outcome: MatchOutcome) -> f64 {
    -forecast.probability_of(outcome).max(LOG_LOSS_FLOOR).ln()
}

fn one_hot(outcome: MatchOutcome) -> [f64; 3] {
    let mut o = [0.0; 3];
    o[outcome.index()] = 1.0;
    o
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn known_values() {
        let p = Outcome3::new(0.5, 0.3, 0.2).unwrap();
        // cumulative (0.5, 0.8) vs (1, 1): (0.25 + 0.04) / 2
        assert!((ranked_probability_score(&p, MatchOutcome::Home) - 0.145).abs() < 1e-12);
        assert!((brier_score(&p, MatchOutcome::Draw) - (0.25 + 0.49 + 0.04)).abs() < 1e-12);
        assert!((log_loss(&p, MatchOutcome::Away) + 0.2_f64.ln()).abs() < 1e-12);
    }
}
