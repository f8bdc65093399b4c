//! Ordered logit: `P(away) = σ(θ₁ − βx)`, `P(away or draw) = σ(θ₂ − βx)` with
//! `x` the rating difference in units of 400 points and `θ₂ = θ₁ + e^δ > θ₁`.
//! Elo alone gives only an expected score; this maps it to three probabilities
//! with a draw rate learnt from data.

use serde::{Deserialize, Serialize};

use crate::optim::{NewtonOptions, Objective, SquareMatrix, minimize};
use crate::{MatchOutcome, ModelError, Outcome3};

/// Fitted ordered-logit coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OrderedLogit {
    pub beta: f64,
    pub theta_away: f64,
    pub theta_draw: f64,
}

/// Too few results to separate draws from decisive results.
const MIN_OBSERVATIONS: usize = 30;

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl OrderedLogit {
    /// Probabilities for a rating difference (points, home advantage included).
    pub fn predict(&self, rating_difference: f64) -> Result<Outcome3, ModelError> {
        let x = rating_difference / 400.0;
        let away = sigmoid(self.theta_away - self.beta * x);
        let away_or_draw = sigmoid(self.theta_draw - self.beta * x);
        Outcome3::normalized(1.0 - away_or_draw, (away_or_draw - away).max(0.0), away)
    }

    /// Maximum likelihood on (rating difference, outcome) pairs.
    pub fn fit(observations: &[(f64, MatchOutcome)]) -> Result<Self, ModelError> {
        if observations.len() < MIN_OBSERVATIONS {
            return Err(ModelError::InsufficientData(format!(
                "{} results, need {MIN_OBSERVATIONS} for the draw model",
                observations.len()
            )));
        }
        let objective = LogitLikelihood { observations };
        let solution = minimize(&objective, vec![1.0, -1.0, 0.0], NewtonOptions::default())?;
        let [beta, theta_away, delta] = [solution.x[0], solution.x[1], solution.x[2]];
        Ok(Self {
            beta,
            theta_away,
            theta_draw: theta_away + delta.exp(),
        })
    }
}

struct LogitLikelihood<'a> {
    observations: &'a [(f64, MatchOutcome)],
}

impl LogitLikelihood<'_> {
    /// Negative log-likelihood and its gradient in (β, θ₁, δ).
    fn value_and_gradient(&self, p: &[f64]) -> Option<(f64, [f64; 3])> {
        let (beta, theta, delta) = (p[0], p[1], p[2]);
        let gap = delta.exp();
        let (mut value, mut g) = (0.0, [0.0; 3]);
        for &(diff, outcome) in self.observations {
            let x = diff / 400.0;
            let (z1, z2) = (theta - beta * x, theta + gap - beta * x);
            let (s1, s2) = (sigmoid(z1), sigmoid(z2));
            // d(-ℓ)/dz1 and d(-ℓ)/dz2
            let (d1, d2, ll) = match outcome {
                MatchOutcome::Away => (-(1.0 - s1), 0.0, s1.ln()),
                MatchOutcome::Home => (0.0, s2, (1.0 - s2).ln()),
                MatchOutcome::Draw => {
                    let mass = s2 - s1;
                    if mass.is_nan() || mass <= 0.0 {
                        return None;
                    }
                    (s1 * (1.0 - s1) / mass, -s2 * (1.0 - s2) / mass, mass.ln())
                }
            };
            value -= ll;
            g[0] += -x * (d1 + d2);
            g[1] += d1 + d2;
            g[2] += d2 * gap;
        }
        (value.is_finite()).then_some((value, g))
    }
}

impl Objective for LogitLikelihood<'_> {
    fn dim(&self) -> usize {
        3
    }

    fn value(&self, x: &[f64]) -> Option<f64> {
        self.value_and_gradient(x).map(|(v, _)| v)
    }

    /// Three parameters: the Hessian by central differences of the analytic gradient
    /// is exact enough for Newton and costs six gradient passes.
    fn value_gradient_hessian(
        &self,
        x: &[f64],
        gradient: &mut [f64],
        hessian: &mut SquareMatrix,
    ) -> Option<f64> {
        let (value, g) = self.value_and_gradient(x)?;
        gradient.copy_from_slice(&g);
        let h = 1e-5;
        for col in 0..3 {
            let (mut up, mut down) = (x.to_vec(), x.to_vec());
            up[col] += h;
            down[col] -= h;
            let (_, gu) = self.value_and_gradient(&up)?;
            let (_, gd) = self.value_and_gradient(&down)?;
            for row in 0..3 {
                // Symmetrise half of each pair to keep Cholesky happy.
                hessian.add(row, col, (gu[row] - gd[row]) / (4.0 * h));
                hessian.add(col, row, (gu[row] - gd[row]) / (4.0 * h));
            }
        }
        Some(value)
    }
}
