//! Value and stake sizing for a single bet.

use serde::{Deserialize, Serialize};

use crate::ModelError;

/// Expected profit per unit staked: `p · odds − 1` (positive = value bet).
pub fn edge(probability: f64, decimal_odds: f64) -> Result<f64, ModelError> {
    check(probability, decimal_odds)?;
    Ok(probability * decimal_odds - 1.0)
}

/// Fraction of bankroll to stake: `fraction` × the Kelly optimum `(p·o − 1)/(o − 1)`,
/// never negative and at most `cap`. Full Kelly is too aggressive when `p` is itself an
/// estimate, so callers usually pass a fraction of 0.25-0.5 and a cap of a few percent.
pub fn kelly_stake(probability: f64, decimal_odds: f64, fraction: f64, cap: f64) -> Result<f64, ModelError> {
    check(probability, decimal_odds)?;
    if !(0.0..=1.0).contains(&fraction) || !(0.0..=1.0).contains(&cap) {
        return Err(ModelError::InvalidInput(
            "Kelly fraction and cap must be in [0, 1]".into(),
        ));
    }
    let full = (probability * decimal_odds - 1.0) / (decimal_odds - 1.0);
    Ok((fraction * full).clamp(0.0, cap))
}

/// A coarse label for how likely a bet is to lose and how much to trust its edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RiskGrade {
    Low,
    Medium,
    High,
}

/// High: a long shot (odds > 4 or p < 0.25), or an edge so large (> 20%) it more likely
/// reflects model error than a mispriced market. Low: a likely winner (p ≥ 0.55, odds ≤ 2.2)
/// with a modest edge (≤ 10%). Medium otherwise.
pub fn risk_grade(probability: f64, decimal_odds: f64) -> Result<RiskGrade, ModelError> {
    let value = edge(probability, decimal_odds)?;
    Ok(if decimal_odds > 4.0 || probability < 0.25 || value > 0.20 {
        RiskGrade::High
    } else if probability >= 0.55 && decimal_odds <= 2.2 && value <= 0.10 {
        RiskGrade::Low
    } else {
        RiskGrade::Medium
    })
}

fn check(probability: f64, decimal_odds: f64) -> Result<(), ModelError> {
    if !(0.0..=1.0).contains(&probability) {
        return Err(ModelError::InvalidProbability(format!("{probability}")));
    }
    if !decimal_odds.is_finite() || decimal_odds <= 1.0 {
        return Err(ModelError::InvalidOdds(format!(
            "decimal odds {decimal_odds} must exceed 1"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn kelly_examples() {
        // p = 0.5 at evens: no edge, no stake.
        assert_eq!(kelly_stake(0.5, 2.0, 1.0, 1.0).unwrap(), 0.0);
        // p = 0.6 at evens: full Kelly 0.2, half Kelly 0.1, capped at 0.05.
        assert!((kelly_stake(0.6, 2.0, 0.5, 1.0).unwrap() - 0.1).abs() < 1e-12);
        assert!((kelly_stake(0.6, 2.0, 0.5, 0.05).unwrap() - 0.05).abs() < 1e-12);
        assert!((edge(0.6, 2.0).unwrap() - 0.2).abs() < 1e-12);
        assert_eq!(risk_grade(0.6, 1.8).unwrap(), RiskGrade::Low);
        assert_eq!(risk_grade(0.2, 6.0).unwrap(), RiskGrade::High);
    }
}
