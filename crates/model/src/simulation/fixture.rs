//! Remaining fixtures and how their scores are drawn.

use serde::{Deserialize, Serialize};

use super::RandomSource;
use crate::markets::{MAX_GOALS, ScoreMatrix};
use crate::{ModelError, Outcome3};

const SIDE: usize = MAX_GOALS + 1;
const CELLS: usize = SIDE * SIDE;

/// Goal rates of the default grid for fixtures priced by 1X2 only: roughly the
/// Premier League's 2012-23 averages (1.5 home, 1.2 away goals per match).
pub const DEFAULT_HOME_RATE: f64 = 1.5;
pub const DEFAULT_AWAY_RATE: f64 = 1.2;

/// A match still to be played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixture {
    pub home: String,
    pub away: String,
}

impl Fixture {
    pub fn new(home: impl Into<String>, away: impl Into<String>) -> Self {
        Self {
            home: home.into(),
            away: away.into(),
        }
    }
}

/// What a fixture's score is drawn from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FixtureDistribution {
    /// Exact scores from a model's grid.
    Scores(ScoreMatrix),
    /// Only a 1X2: scores come from the league-average grid rescaled to it
    /// ([`ScoreMatrix::with_outcome_probabilities`]), so winners still win by realistic
    /// margins and goal difference stays a meaningful tiebreak.
    Outcomes(Outcome3),
}

impl FixtureDistribution {
    /// The grid the simulation samples from.
    pub fn to_score_matrix(&self) -> Result<ScoreMatrix, ModelError> {
        match self {
            Self::Scores(matrix) => Ok(matrix.clone()),
            Self::Outcomes(outcome) => ScoreMatrix::from_rates(DEFAULT_HOME_RATE, DEFAULT_AWAY_RATE, 0.0)?
                .with_outcome_probabilities(*outcome),
        }
    }
}

/// A fixture's cumulative score distribution over the row-major grid, built once so each
/// draw is one uniform number and a binary search over 121 cells.
pub(crate) struct ScoreSampler {
    cumulative: [f64; CELLS],
}

impl ScoreSampler {
    pub fn new(matrix: &ScoreMatrix) -> Self {
        let mut cumulative = [0.0; CELLS];
        let mut total = 0.0;
        for (k, (_, _, p)) in matrix.cells().enumerate() {
            total += p;
            cumulative[k] = total;
        }
        // Rounding may leave the last entry a hair under one; a uniform draw in [0, 1)
        // must always land inside the grid. Zero-mass tail cells share the value 1 and are
        // never chosen, as the search returns the first cell whose bound exceeds the draw.
        for c in cumulative.iter_mut().rev() {
            if *c >= total {
                *c = 1.0;
            } else {
                break;
            }
        }
        Self { cumulative }
    }

    /// (home goals, away goals).
    pub fn sample(&self, rng: &mut impl RandomSource) -> (i32, i32) {
        let u = rng.next_f64();
        let k = self.cumulative.partition_point(|c| *c <= u).min(CELLS - 1);
        ((k / SIDE) as i32, (k % SIDE) as i32)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::simulation::Xoshiro256PlusPlus;

    #[test]
    fn samples_follow_the_grid() {
        let matrix = ScoreMatrix::from_rates(1.7, 0.9, -0.08).unwrap();
        let sampler = ScoreSampler::new(&matrix);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let n = 200_000;
        let mut counts = vec![0u32; CELLS];
        for _ in 0..n {
            let (h, a) = sampler.sample(&mut rng);
            counts[h as usize * SIDE + a as usize] += 1;
        }
        for (k, (_, _, p)) in matrix.cells().enumerate() {
            let freq = f64::from(counts[k]) / f64::from(n);
            // Five binomial standard errors.
            assert!(
                (freq - p).abs() <= 5.0 * (p * (1.0 - p) / f64::from(n)).sqrt() + 1e-9,
                "cell {k}"
            );
        }
    }

    #[test]
    fn outcome_only_fixtures_keep_their_1x2() {
        let target = Outcome3::new(0.5, 0.3, 0.2).unwrap();
        let m = FixtureDistribution::Outcomes(target).to_score_matrix().unwrap();
        let o = m.outcome3().unwrap();
        assert!((o.draw - 0.3).abs() < 1e-12);
    }
}
