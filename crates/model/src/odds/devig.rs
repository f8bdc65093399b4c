//! Implied probabilities with the bookmaker's margin (overround) removed.

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// How to spread the margin over the outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DevigMethod {
    /// Divide each `1/odds` by their sum: margin spread in proportion to probability.
    Proportional,
    /// Shin (1993): the margin protects against insiders, so it loads more on long shots.
    Shin,
    /// Find `k` with `Σ (1/odds)^k = 1`; also shades long shots more than favourites.
    Power,
}

const BISECTION_STEPS: usize = 200;

/// `Σ 1/odds − 1`: the bookmaker's margin (0.05 = 5%).
pub fn overround(decimal_odds: &[f64]) -> Result<f64, ModelError> {
    Ok(raw_implied(decimal_odds)?.iter().sum::<f64>() - 1.0)
}

/// Margin-free probabilities for a complete market (e.g. home/draw/away), summing to one.
pub fn implied_probabilities(decimal_odds: &[f64], method: DevigMethod) -> Result<Vec<f64>, ModelError> {
    let raw = raw_implied(decimal_odds)?;
    let total: f64 = raw.iter().sum();
    let probabilities = match method {
        DevigMethod::Proportional => raw.iter().map(|p| p / total).collect(),
        DevigMethod::Power => power(&raw),
        DevigMethod::Shin => shin(&raw, total),
    };
    // Renormalise the solver's last ulp so sums are exact.
    let sum: f64 = probabilities.iter().sum();
    Ok(probabilities.iter().map(|p| p / sum).collect())
}

fn raw_implied(decimal_odds: &[f64]) -> Result<Vec<f64>, ModelError> {
    if decimal_odds.len() < 2 {
        return Err(ModelError::InvalidOdds(
            "a market needs at least two outcomes".into(),
        ));
    }
    if let Some(o) = decimal_odds.iter().find(|o| !o.is_finite() || **o <= 1.0) {
        return Err(ModelError::InvalidOdds(format!("decimal odds {o} must exceed 1")));
    }
    Ok(decimal_odds.iter().map(|o| 1.0 / o).collect())
}

/// Bisection on the exponent: `Σ p^k` falls as `k` rises (all p < 1).
fn power(raw: &[f64]) -> Vec<f64> {
    let sum_at = |k: f64| raw.iter().map(|p| p.powf(k)).sum::<f64>();
    let (mut lo, mut hi) = (1e-3, 1e3);
    for _ in 0..BISECTION_STEPS {
        let mid = 0.5 * (lo + hi);
        if sum_at(mid) > 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let k = 0.5 * (lo + hi);
    raw.iter().map(|p| p.powf(k)).collect()
}

/// Shin's probabilities for insider share `z`, found by bisection so they sum to one.
fn shin(raw: &[f64], total: f64) -> Vec<f64> {
    let at = |z: f64| -> Vec<f64> {
        raw.iter()
            .map(|p| ((z * z + 4.0 * (1.0 - z) * p * p / total).sqrt() - z) / (2.0 * (1.0 - z)))
            .collect()
    };
    // At z = 0 the sum is sqrt(total) > 1 for a book with a margin; it falls as z grows.
    let (mut lo, mut hi) = (0.0, 0.999);
    for _ in 0..BISECTION_STEPS {
        let mid = 0.5 * (lo + hi);
        if at(mid).iter().sum::<f64>() > 1.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    at(0.5 * (lo + hi))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn shin_and_power_shade_long_shots() {
        let odds = [1.5, 4.2, 7.0];
        let prop = implied_probabilities(&odds, DevigMethod::Proportional).unwrap();
        for method in [DevigMethod::Shin, DevigMethod::Power] {
            let p = implied_probabilities(&odds, method).unwrap();
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(p[2] < prop[2] && p[0] > prop[0], "{method:?} {p:?}");
        }
        assert!((overround(&odds).unwrap() - (1.0 / 1.5 + 1.0 / 4.2 + 1.0 / 7.0 - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_odds() {
        assert!(implied_probabilities(&[1.0, 2.0], DevigMethod::Shin).is_err());
        assert!(implied_probabilities(&[f64::NAN, 2.0], DevigMethod::Power).is_err());
    }
}
