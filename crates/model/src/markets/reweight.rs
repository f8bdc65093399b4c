//! Making a score grid agree with a given 1X2.

use super::ScoreMatrix;
use crate::{ModelError, Outcome3};

impl ScoreMatrix {
    /// The grid with its home-win, draw and away-win regions each rescaled so its 1X2
    /// equals `target`, keeping the shape of scorelines within each region.
    ///
    /// Why: an ensemble's blended 1X2 has no grid of its own, and a result-only model has
    /// none at all; borrowing the margins of a goal model (or a league-average grid) gives
    /// realistic scorelines, e.g. for goal-difference tiebreaks in season simulations.
    pub fn with_outcome_probabilities(&self, target: Outcome3) -> Result<Self, ModelError> {
        let current = self.outcome3()?.as_array();
        let wanted = target.as_array();
        let mut factors = [0.0; 3];
        for k in 0..3 {
            if wanted[k] > 0.0 && current[k] <= 0.0 {
                return Err(ModelError::InvalidInput(format!(
                    "grid gives outcome {k} no mass to rescale to {}",
                    wanted[k]
                )));
            }
            factors[k] = if current[k] > 0.0 {
                wanted[k] / current[k]
            } else {
                0.0
            };
        }
        let weights = self
            .cells()
            .map(|(i, j, p)| {
                let region = match i.cmp(&j) {
                    std::cmp::Ordering::Greater => 0,
                    std::cmp::Ordering::Equal => 1,
                    std::cmp::Ordering::Less => 2,
                };
                p * factors[region]
            })
            .collect();
        Self::from_weights(weights)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn rescaled_grid_has_the_target_1x2_and_keeps_shapes() {
        let base = ScoreMatrix::from_rates(1.5, 1.2, -0.05).unwrap();
        let target = Outcome3::new(0.6, 0.25, 0.15).unwrap();
        let m = base.with_outcome_probabilities(target).unwrap();
        let o = m.outcome3().unwrap();
        assert!((o.home - 0.6).abs() < 1e-12 && (o.draw - 0.25).abs() < 1e-12);
        let ratio = |g: &ScoreMatrix| g.probability(2, 0) / g.probability(1, 0);
        assert!((ratio(&m) - ratio(&base)).abs() < 1e-12);
    }
}
