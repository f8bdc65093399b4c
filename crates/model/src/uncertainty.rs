//! Confidence intervals for a goal model's 1X2 probabilities by the delta method:
//! `Var(p) ≈ ∇pᵀ Σ ∇p`, with `Σ` the inverse Hessian of the penalised negative
//! log-likelihood at the optimum. With time-decay weights this is a pseudo-likelihood,
//! so intervals are indicative (weights < 1 already widen them).

use serde::{Deserialize, Serialize};

use crate::goals::GoalModel;
use crate::markets::ScoreMatrix;
use crate::{ModelError, Outcome3};

/// A probability with a symmetric normal-approximation interval, clipped to [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
    pub standard_error: f64,
}

/// Intervals for home, draw and away.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Outcome3Intervals {
    pub home: Interval,
    pub draw: Interval,
    pub away: Interval,
}

/// Step for the central differences of the probabilities in the parameters.
const STEP: f64 = 1e-5;

/// Delta-method intervals at normal quantile `z` (1.96 for 95%). Both teams must be in
/// the fit: a newcomer's rating is a policy, not an estimate with a variance.
pub fn outcome_intervals(
    model: &GoalModel,
    home: &str,
    away: &str,
    z: f64,
) -> Result<Outcome3Intervals, ModelError> {
    if !z.is_finite() || z <= 0.0 {
        return Err(ModelError::InvalidInput(format!("z = {z} must be positive")));
    }
    let index = |team: &str| {
        model
            .teams
            .get(team)
            .ok_or_else(|| ModelError::UnknownTeam(team.to_owned()))
    };
    let (i, j) = (index(home)?, index(away)?);
    let n = model.teams.len();
    // Parameters the prediction depends on, in the fit's layout (see goals::layout).
    let mut params = vec![i, n + i, j, n + j, 2 * n, 2 * n + 1];
    let has_rho = model.hessian_cholesky.dim() > 2 * n + 2;
    if has_rho {
        params.push(2 * n + 2);
    }
    let base = [
        model.ratings[i].attack,
        model.ratings[i].defence,
        model.ratings[j].attack,
        model.ratings[j].defence,
        model.intercept,
        model.home_advantage,
        model.rho,
    ];
    // Same rate formula as GoalModel::expected_goals, on the perturbed values.
    let predict = |v: &[f64]| -> Result<Outcome3, ModelError> {
        let home_rate = (v[4] + v[5] + v[0] - v[3]).exp();
        let away_rate = (v[4] + v[2] - v[1]).exp();
        ScoreMatrix::from_rates(home_rate, away_rate, v[6])?.outcome3()
    };
    let estimate = predict(&base)?;
    let mut gradients = vec![[0.0; 3]; params.len()];
    for (k, g) in gradients.iter_mut().enumerate() {
        let (mut up, mut down) = (base, base);
        up[k] += STEP;
        down[k] -= STEP;
        let (pu, pd) = (predict(&up)?.as_array(), predict(&down)?.as_array());
        for c in 0..3 {
            g[c] = (pu[c] - pd[c]) / (2.0 * STEP);
        }
    }
    let covariance = model.hessian_cholesky.cholesky_inverse();
    let interval = |c: usize| -> Result<Interval, ModelError> {
        let mut variance = 0.0;
        for (a, &pa) in params.iter().enumerate() {
            for (b, &pb) in params.iter().enumerate() {
                variance += gradients[a][c] * covariance.get(pa, pb) * gradients[b][c];
            }
        }
        if !variance.is_finite() {
            return Err(ModelError::Numerical("non-finite variance".into()));
        }
        let se = variance.max(0.0).sqrt();
        let p = estimate.as_array()[c];
        Ok(Interval {
            estimate: p,
            lower: (p - z * se).max(0.0),
            upper: (p + z * se).min(1.0),
            standard_error: se,
        })
    };
    Ok(Outcome3Intervals {
        home: interval(0)?,
        draw: interval(1)?,
        away: interval(2)?,
    })
}
