//! Dense square matrices with just what Newton's method needs: Cholesky solve and inverse.

use serde::{Deserialize, Serialize};

/// A dense row-major `n × n` matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SquareMatrix {
    n: usize,
    data: Vec<f64>,
}

impl SquareMatrix {
    pub fn zeros(n: usize) -> Self {
        Self {
            n,
            data: vec![0.0; n * n],
        }
    }

    pub fn dim(&self) -> usize {
        self.n
    }

    pub fn get(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.n + col]
    }

    pub fn add(&mut self, row: usize, col: usize, value: f64) {
        self.data[row * self.n + col] += value;
    }

    pub fn fill_zero(&mut self) {
        self.data.iter_mut().for_each(|v| *v = 0.0);
    }

    /// Lower-triangular Cholesky factor of `self + shift·I`, or `None` when that matrix
    /// is not (numerically) positive definite.
    pub fn cholesky(&self, shift: f64) -> Option<SquareMatrix> {
        let n = self.n;
        let mut l = SquareMatrix::zeros(n);
        for i in 0..n {
            for j in 0..=i {
                let mut sum = self.get(i, j) + if i == j { shift } else { 0.0 };
                for k in 0..j {
                    sum -= l.get(i, k) * l.get(j, k);
                }
                if i == j {
                    if !sum.is_finite() || sum <= 0.0 {
                        return None;
                    }
                    l.data[i * n + i] = sum.sqrt();
                } else {
                    l.data[i * n + j] = sum / l.get(j, j);
                }
            }
        }
        Some(l)
    }

    /// Solves `L Lᵀ x = b` where `self` is a Cholesky factor `L`.
    // Index loops mirror the textbook forward/back substitution.
    #[allow(clippy::needless_range_loop)]
    pub fn cholesky_solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut y = b.to_vec();
        for i in 0..n {
            let mut sum = y[i];
            for k in 0..i {
                sum -= self.get(i, k) * y[k];
            }
            y[i] = sum / self.get(i, i);
        }
        for i in (0..n).rev() {
            let mut sum = y[i];
            for k in i + 1..n {
                sum -= self.get(k, i) * y[k];
            }
            y[i] = sum / self.get(i, i);
        }
        y
    }

    /// Inverse of the matrix whose Cholesky factor is `self`.
    pub fn cholesky_inverse(&self) -> SquareMatrix {
        let n = self.n;
        let mut inv = SquareMatrix::zeros(n);
        let mut unit = vec![0.0; n];
        for col in 0..n {
            unit.iter_mut().for_each(|v| *v = 0.0);
            unit[col] = 1.0;
            let x = self.cholesky_solve(&unit);
            for (row, value) in x.into_iter().enumerate() {
                inv.data[row * n + col] = value;
            }
        }
        inv
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        let mut a = SquareMatrix::zeros(2);
        a.add(0, 0, 4.0);
        a.add(0, 1, 2.0);
        a.add(1, 0, 2.0);
        a.add(1, 1, 3.0);
        let l = a.cholesky(0.0).unwrap();
        let x = l.cholesky_solve(&[2.0, 1.0]);
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12);
        assert!((2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        let inv = l.cholesky_inverse();
        assert!((inv.get(0, 0) - 0.375).abs() < 1e-12);
    }

    #[test]
    fn cholesky_rejects_indefinite() {
        let mut a = SquareMatrix::zeros(2);
        a.add(0, 1, 1.0);
        a.add(1, 0, 1.0);
        assert!(a.cholesky(0.0).is_none());
    }
}
