//! The joint distribution of a match's final score on a truncated 0..=10 grid.

use serde::{Deserialize, Serialize};

use crate::{ModelError, Outcome3};

/// Largest goal count per side kept on the grid. P(11+ goals) is ~1e-8 even for a
/// 3.5-goal favourite; the grid is renormalised so it sums to one exactly.
pub const MAX_GOALS: usize = 10;
const SIDE: usize = MAX_GOALS + 1;

/// `P(home = i, away = j)` for `i, j` in `0..=MAX_GOALS`, summing to one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreMatrix {
    probabilities: Vec<f64>,
}

impl ScoreMatrix {
    /// Independent Poisson scores with rates `home_rate`, `away_rate`, times the
    /// Dixon-Coles factor `τ(ρ)` on 0-0, 1-0, 0-1 and 1-1 (ρ = 0 for plain Poisson).
    /// A cell whose τ would be negative (ρ far outside the range the rates allow) is
    /// clamped at zero before renormalising.
    pub fn from_rates(home_rate: f64, away_rate: f64, rho: f64) -> Result<Self, ModelError> {
        if !(home_rate.is_finite() && away_rate.is_finite() && rho.is_finite())
            || home_rate < 0.0
            || away_rate < 0.0
        {
            return Err(ModelError::InvalidInput(format!(
                "rates ({home_rate}, {away_rate}) and rho {rho} must be finite, rates ≥ 0"
            )));
        }
        let (ph, pa) = (poisson_pmf(home_rate), poisson_pmf(away_rate));
        let mut probabilities = vec![0.0; SIDE * SIDE];
        for i in 0..SIDE {
            for j in 0..SIDE {
                probabilities[i * SIDE + j] = ph[i] * pa[j];
            }
        }
        let tau = [
            (0, 0, 1.0 - home_rate * away_rate * rho),
            (0, 1, 1.0 + home_rate * rho),
            (1, 0, 1.0 + away_rate * rho),
            (1, 1, 1.0 - rho),
        ];
        for (i, j, t) in tau {
            probabilities[i * SIDE + j] *= t.max(0.0);
        }
        Self::from_weights(probabilities)
    }

    /// Scores `offset + (i, j)` where `(i, j)` are independent Poisson remaining goals,
    /// folded so that totals above the grid land on the last row/column. Used in-play.
    pub fn from_rates_with_offset(
        home_rate: f64,
        away_rate: f64,
        home_offset: usize,
        away_offset: usize,
    ) -> Result<Self, ModelError> {
        let base = Self::from_rates(home_rate, away_rate, 0.0)?;
        let mut probabilities = vec![0.0; SIDE * SIDE];
        for i in 0..SIDE {
            for j in 0..SIDE {
                let (h, a) = ((i + home_offset).min(MAX_GOALS), (j + away_offset).min(MAX_GOALS));
                probabilities[h * SIDE + a] += base.probability(i, j);
            }
        }
        Self::from_weights(probabilities)
    }

    /// Renormalises non-negative cell weights (row-major `11 × 11`).
    pub fn from_weights(mut probabilities: Vec<f64>) -> Result<Self, ModelError> {
        if probabilities.len() != SIDE * SIDE {
            return Err(ModelError::InvalidInput(format!(
                "score grid needs {} cells",
                SIDE * SIDE
            )));
        }
        let total: f64 = probabilities.iter().sum();
        if !total.is_finite() || total <= 0.0 || probabilities.iter().any(|p| *p < 0.0) {
            return Err(ModelError::Numerical(format!(
                "score grid has mass {total}; rates too large for a {MAX_GOALS}-goal grid?"
            )));
        }
        probabilities.iter_mut().for_each(|p| *p /= total);
        Ok(Self { probabilities })
    }

    /// `P(home = h, away = a)`; zero outside the grid.
    pub fn probability(&self, home_goals: usize, away_goals: usize) -> f64 {
        if home_goals > MAX_GOALS || away_goals > MAX_GOALS {
            return 0.0;
        }
        self.probabilities[home_goals * SIDE + away_goals]
    }

    /// Iterates `(home_goals, away_goals, probability)` over the grid.
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.probabilities
            .iter()
            .enumerate()
            .map(|(k, p)| (k / SIDE, k % SIDE, *p))
    }

    /// Home win / draw / away win.
    pub fn outcome3(&self) -> Result<Outcome3, ModelError> {
        let (mut h, mut d, mut a) = (0.0, 0.0, 0.0);
        for (i, j, p) in self.cells() {
            match i.cmp(&j) {
                std::cmp::Ordering::Greater => h += p,
                std::cmp::Ordering::Equal => d += p,
                std::cmp::Ordering::Less => a += p,
            }
        }
        Outcome3::normalized(h, d, a)
    }

    /// Expected goals (home, away) under the (truncated, renormalised) grid.
    pub fn expected_goals(&self) -> (f64, f64) {
        self.cells().fold((0.0, 0.0), |(h, a), (i, j, p)| {
            (h + i as f64 * p, a + j as f64 * p)
        })
    }

    /// `P(home − away = diff)` for `diff` in `-MAX_GOALS..=MAX_GOALS` (index `diff + MAX_GOALS`).
    pub fn goal_difference_distribution(&self) -> Vec<f64> {
        let mut dist = vec![0.0; 2 * MAX_GOALS + 1];
        for (i, j, p) in self.cells() {
            dist[i + MAX_GOALS - j] += p;
        }
        dist
    }
}

/// Poisson probabilities of 0..=MAX_GOALS by the recurrence `p(k) = p(k−1)·λ/k`, which
/// avoids factorials; computed in log space for the first term so large rates underflow
/// gracefully instead of producing NaN.
fn poisson_pmf(rate: f64) -> [f64; SIDE] {
    let mut pmf = [0.0; SIDE];
    if rate == 0.0 {
        pmf[0] = 1.0;
        return pmf;
    }
    let ln_rate = rate.ln();
    let mut ln_factorial = 0.0;
    for (k, p) in pmf.iter_mut().enumerate() {
        if k > 0 {
            ln_factorial += (k as f64).ln();
        }
        *p = (k as f64 * ln_rate - rate - ln_factorial).exp();
    }
    pmf
}
