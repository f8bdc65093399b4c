//! Damped Newton minimisation.
//!
//! Each step solves `(H + δI) p = -g`; δ grows only when `H` is not positive definite
//! (Levenberg-style damping), and an Armijo backtracking line search keeps every step
//! inside the objective's domain (an objective signals "outside" by returning `None`).

use super::SquareMatrix;
use crate::ModelError;

/// A twice-differentiable function to minimise.
pub trait Objective {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// Value at `x`, or `None` when `x` is outside the domain or the value is not finite.
    fn value(&self, x: &[f64]) -> Option<f64>;
    /// Value, gradient and Hessian at `x` (buffers are zeroed by the caller).
    fn value_gradient_hessian(
        &self,
        x: &[f64],
        gradient: &mut [f64],
        hessian: &mut SquareMatrix,
    ) -> Option<f64>;
}

/// Stopping rules for [`minimize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NewtonOptions {
    pub max_iterations: usize,
    /// Converged when half the Newton decrement `-gᵀp / 2` (the predicted decrease) is below this.
    pub decrement_tolerance: f64,
}

impl Default for NewtonOptions {
    fn default() -> Self {
        Self {
            max_iterations: 100,
            decrement_tolerance: 1e-10,
        }
    }
}

/// The minimiser found, with the Cholesky factor of the Hessian there (for covariances).
#[derive(Debug, Clone)]
pub struct Solution {
    pub x: Vec<f64>,
    pub value: f64,
    pub iterations: usize,
    pub gradient_norm: f64,
    pub hessian_cholesky: SquareMatrix,
}

const ARMIJO: f64 = 1e-4;
const MAX_HALVINGS: usize = 60;

/// Minimises `objective` from `start`; errors if the start is infeasible or it fails to converge.
pub fn minimize(
    objective: &impl Objective,
    start: Vec<f64>,
    options: NewtonOptions,
) -> Result<Solution, ModelError> {
    let n = objective.dim();
    if start.len() != n {
        return Err(ModelError::InvalidInput(format!(
            "start has {} values, objective expects {n}",
            start.len()
        )));
    }
    let mut x = start;
    let mut gradient = vec![0.0; n];
    let mut hessian = SquareMatrix::zeros(n);
    let mut gradient_norm = f64::INFINITY;
    for iteration in 0..options.max_iterations {
        gradient.iter_mut().for_each(|g| *g = 0.0);
        hessian.fill_zero();
        let value = objective
            .value_gradient_hessian(&x, &mut gradient, &mut hessian)
            .ok_or_else(|| ModelError::Numerical("objective not finite at iterate".into()))?;
        gradient_norm = gradient.iter().fold(0.0_f64, |m, g| m.max(g.abs()));
        let (factor, direction) = newton_direction(&hessian, &gradient)?;
        let slope: f64 = gradient.iter().zip(&direction).map(|(g, p)| g * p).sum();
        if -slope / 2.0 < options.decrement_tolerance {
            return Ok(Solution {
                x,
                value,
                iterations: iteration,
                gradient_norm,
                hessian_cholesky: factor,
            });
        }
        x = line_search(objective, &x, value, &direction, slope)?;
    }
    Err(ModelError::NotConverged {
        iterations: options.max_iterations,
        gradient_norm,
    })
}

/// Solves for the Newton step, adding the smallest diagonal shift that makes the
/// Hessian positive definite.
fn newton_direction(
    hessian: &SquareMatrix,
    gradient: &[f64],
) -> Result<(SquareMatrix, Vec<f64>), ModelError> {
    let scale = (0..hessian.dim())
        .map(|i| hessian.get(i, i).abs())
        .fold(1e-12_f64, f64::max);
    let mut shift = 0.0;
    for _ in 0..40 {
        if let Some(factor) = hessian.cholesky(shift) {
            let neg: Vec<f64> = gradient.iter().map(|g| -g).collect();
            let direction = factor.cholesky_solve(&neg);
            return Ok((factor, direction));
        }
        shift = if shift == 0.0 { scale * 1e-8 } else { shift * 10.0 };
    }
    Err(ModelError::Numerical("Hessian could not be regularised".into()))
}

fn line_search(
    objective: &impl Objective,
    x: &[f64],
    value: f64,
    direction: &[f64],
    slope: f64,
) -> Result<Vec<f64>, ModelError> {
    let mut step = 1.0;
    let mut candidate = vec![0.0; x.len()];
    for _ in 0..MAX_HALVINGS {
        for ((c, xi), pi) in candidate.iter_mut().zip(x).zip(direction) {
            *c = xi + step * pi;
        }
        if let Some(v) = objective.value(&candidate)
            && v <= value + ARMIJO * step * slope
        {
            return Ok(candidate);
        }
        step *= 0.5;
    }
    Err(ModelError::Numerical("line search found no decrease".into()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// Rosenbrock: non-convex, a classic test for damping and line search.
    struct Rosenbrock;

    impl Objective for Rosenbrock {
        fn dim(&self) -> usize {
            2
        }
        fn value(&self, x: &[f64]) -> Option<f64> {
            Some((1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2))
        }
        fn value_gradient_hessian(&self, x: &[f64], g: &mut [f64], h: &mut SquareMatrix) -> Option<f64> {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            h.add(0, 0, 2.0 - 400.0 * (b - a * a) + 800.0 * a * a);
            h.add(0, 1, -400.0 * a);
            h.add(1, 0, -400.0 * a);
            h.add(1, 1, 200.0);
            self.value(x)
        }
    }

    #[test]
    fn minimises_rosenbrock() {
        let s = minimize(&Rosenbrock, vec![-1.2, 1.0], NewtonOptions::default()).unwrap();
        assert!((s.x[0] - 1.0).abs() < 1e-5 && (s.x[1] - 1.0).abs() < 1e-5);
    }
}
