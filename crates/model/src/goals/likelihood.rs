//! Penalised negative log-likelihood of the goal models, with analytic derivatives.
//!
//! Every match contributes a term in just three quantities — the log rates
//! `η_home`, `η_away` and `ρ` — so its gradient and 3×3 Hessian are computed locally and
//! scattered onto the ≤ 8 parameters those quantities depend on. Rates enter only through
//! `η` (never `log(exp(..))`) and `log τ` is taken only where `τ > 0`, which keeps the
//! function finite everywhere it is defined.

use super::layout::ParamLayout;
use super::training_set::{LowScore, TrainingSet};
use crate::optim::{Objective, SquareMatrix};

pub(crate) struct GoalLikelihood<'a> {
    pub data: &'a TrainingSet,
    pub layout: ParamLayout,
    pub ridge: f64,
}

/// A match's log-likelihood and its derivatives in (η_home, η_away, ρ).
struct MatchTerm {
    value: f64,
    gradient: [f64; 3],
    hessian: [[f64; 3]; 3],
}

/// Weight of the sum-to-zero penalties. Any positive value gives the same optimum,
/// because the likelihood is flat along the directions they pin down.
const IDENTIFIABILITY_WEIGHT: f64 = 1.0;

impl GoalLikelihood<'_> {
    fn rho(&self, x: &[f64]) -> f64 {
        if self.layout.has_rho {
            x[self.layout.rho()]
        } else {
            0.0
        }
    }

    /// Linear predictors of one match: (η_home, η_away).
    fn etas(&self, x: &[f64], m: usize) -> (f64, f64) {
        let l = &self.layout;
        let (i, j) = (self.data.home[m], self.data.away[m]);
        let base = x[l.intercept()];
        (
            base + x[l.home()] + x[l.attack(i)] - x[l.defence(j)],
            base + x[l.attack(j)] - x[l.defence(i)],
        )
    }

    fn penalty(&self, x: &[f64]) -> f64 {
        let n = self.layout.n_teams;
        let (attacks, defences) = (&x[..n], &x[n..2 * n]);
        let sum_a: f64 = attacks.iter().sum();
        let sum_d: f64 = defences.iter().sum();
        let squares: f64 = x[..2 * n].iter().map(|v| v * v).sum();
        0.5 * IDENTIFIABILITY_WEIGHT * (sum_a * sum_a + sum_d * sum_d) + 0.5 * self.ridge * squares
    }

    fn add_penalty_derivatives(&self, x: &[f64], gradient: &mut [f64], hessian: &mut SquareMatrix) {
        let n = self.layout.n_teams;
        for block in [0..n, n..2 * n] {
            let sum: f64 = x[block.clone()].iter().sum();
            for p in block.clone() {
                gradient[p] += IDENTIFIABILITY_WEIGHT * sum + self.ridge * x[p];
                hessian.add(p, p, self.ridge);
                for q in block.clone() {
                    hessian.add(p, q, IDENTIFIABILITY_WEIGHT);
                }
            }
        }
    }
}

impl Objective for GoalLikelihood<'_> {
    fn dim(&self) -> usize {
        self.layout.dim()
    }

    fn value(&self, x: &[f64]) -> Option<f64> {
        let rho = self.rho(x);
        let mut total = 0.0;
        for m in 0..self.data.len() {
            let (eh, ea) = self.etas(x, m);
            let term = match_term::<false>(self.data, m, eh, ea, rho)?;
            total -= self.data.weight[m] * term.value;
        }
        let value = total + self.penalty(x);
        value.is_finite().then_some(value)
    }

    fn value_gradient_hessian(
        &self,
        x: &[f64],
        gradient: &mut [f64],
        hessian: &mut SquareMatrix,
    ) -> Option<f64> {
        let l = self.layout;
        let rho = self.rho(x);
        let mut total = 0.0;
        for m in 0..self.data.len() {
            let (i, j) = (self.data.home[m], self.data.away[m]);
            let (eh, ea) = self.etas(x, m);
            let term = match_term::<true>(self.data, m, eh, ea, rho)?;
            let w = self.data.weight[m];
            total -= w * term.value;
            // Which parameters each local quantity depends on, with their signs.
            let home_eta = [
                (l.intercept(), 1.0),
                (l.home(), 1.0),
                (l.attack(i), 1.0),
                (l.defence(j), -1.0),
            ];
            let away_eta = [(l.intercept(), 1.0), (l.attack(j), 1.0), (l.defence(i), -1.0)];
            let rho_param = [(l.rho(), 1.0)];
            let groups: [&[(usize, f64)]; 3] =
                [&home_eta, &away_eta, if l.has_rho { &rho_param } else { &[] }];
            for (a, group_a) in groups.iter().enumerate() {
                for &(p, cp) in group_a.iter() {
                    gradient[p] -= w * cp * term.gradient[a];
                    for (b, group_b) in groups.iter().enumerate() {
                        let h = w * cp * term.hessian[a][b];
                        if h != 0.0 {
                            for &(q, cq) in group_b.iter() {
                                hessian.add(p, q, -h * cq);
                            }
                        }
                    }
                }
            }
        }
        self.add_penalty_derivatives(x, gradient, hessian);
        let value = total + self.penalty(x);
        (value.is_finite() && gradient.iter().all(|g| g.is_finite())).then_some(value)
    }
}

/// Log-likelihood of match `m` (without the constant `−log(x! y!)`), and, when
/// `DERIVATIVES`, its gradient and Hessian in (η_home, η_away, ρ).
fn match_term<const DERIVATIVES: bool>(
    data: &TrainingSet,
    m: usize,
    eta_home: f64,
    eta_away: f64,
    rho: f64,
) -> Option<MatchTerm> {
    let (yh, ya) = (data.y_home[m], data.y_away[m]);
    let (lh, la) = (eta_home.exp(), eta_away.exp());
    let mut term = MatchTerm {
        value: yh * eta_home - lh + ya * eta_away - la,
        gradient: [yh - lh, ya - la, 0.0],
        hessian: [[-lh, 0.0, 0.0], [0.0, -la, 0.0], [0.0, 0.0, 0.0]],
    };
    // τ and its derivatives in (η_home, η_away, ρ).
    let (tau, dt, d2t) = match data.low_score[m] {
        LowScore::Other => return Some(term),
        LowScore::NilNil => {
            let p = lh * la;
            let a = -p * rho;
            (1.0 - p * rho, [a, a, -p], [[a, a, -p], [a, a, -p], [-p, -p, 0.0]])
        }
        LowScore::NilOne => (
            1.0 + lh * rho,
            [lh * rho, 0.0, lh],
            [[lh * rho, 0.0, lh], [0.0; 3], [lh, 0.0, 0.0]],
        ),
        LowScore::OneNil => (
            1.0 + la * rho,
            [0.0, la * rho, la],
            [[0.0; 3], [0.0, la * rho, la], [0.0, la, 0.0]],
        ),
        LowScore::OneOne => (1.0 - rho, [0.0, 0.0, -1.0], [[0.0; 3]; 3]),
    };
    if !tau.is_finite() || tau <= 0.0 {
        return None;
    }
    term.value += tau.ln();
    if DERIVATIVES {
        for a in 0..3 {
            term.gradient[a] += dt[a] / tau;
            for b in 0..3 {
                term.hessian[a][b] += d2t[a][b] / tau - dt[a] * dt[b] / (tau * tau);
            }
        }
    }
    Some(term)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::MatchRecord;
    use crate::goals::GoalModelConfig;
    use chrono::NaiveDate;

    fn small_set() -> TrainingSet {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let scores = [
            (0, 0),
            (1, 0),
            (0, 1),
            (1, 1),
            (2, 1),
            (3, 0),
            (0, 2),
            (2, 2),
            (1, 3),
            (4, 1),
            (0, 0),
            (1, 0),
        ];
        let teams = ["A", "B", "C", "D"];
        let records: Vec<MatchRecord> = scores
            .iter()
            .enumerate()
            .map(|(k, (h, a))| {
                MatchRecord::new(
                    d + chrono::Duration::days(k as i64),
                    teams[k % 4],
                    teams[(k + 1 + k / 4) % 4],
                    *h,
                    *a,
                )
            })
            .collect();
        TrainingSet::build(
            &records,
            d + chrono::Duration::days(30),
            &GoalModelConfig::dixon_coles(),
        )
        .unwrap()
    }

    #[test]
    fn analytic_derivatives_match_finite_differences() {
        let data = small_set();
        let layout = ParamLayout {
            n_teams: data.teams.len(),
            has_rho: true,
        };
        let f = GoalLikelihood {
            data: &data,
            layout,
            ridge: 0.01,
        };
        let n = layout.dim();
        let x: Vec<f64> = (0..n).map(|k| 0.05 * ((k * 7 % 5) as f64 - 2.0)).collect();
        let mut g = vec![0.0; n];
        let mut h = SquareMatrix::zeros(n);
        f.value_gradient_hessian(&x, &mut g, &mut h).unwrap();
        let eps = 1e-6;
        for p in 0..n {
            let mut xp = x.clone();
            let mut xm = x.clone();
            xp[p] += eps;
            xm[p] -= eps;
            let numeric = (f.value(&xp).unwrap() - f.value(&xm).unwrap()) / (2.0 * eps);
            assert!(
                (numeric - g[p]).abs() < 1e-5,
                "gradient {p}: {numeric} vs {}",
                g[p]
            );
            let mut gp = vec![0.0; n];
            let mut gm = vec![0.0; n];
            let mut scratch = SquareMatrix::zeros(n);
            f.value_gradient_hessian(&xp, &mut gp, &mut scratch).unwrap();
            scratch.fill_zero();
            f.value_gradient_hessian(&xm, &mut gm, &mut scratch).unwrap();
            for q in 0..n {
                let numeric = (gp[q] - gm[q]) / (2.0 * eps);
                assert!(
                    (numeric - h.get(p, q)).abs() < 1e-4,
                    "hessian {p},{q}: {numeric} vs {}",
                    h.get(p, q)
                );
            }
        }
    }
}
