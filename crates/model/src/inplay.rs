//! In-play probabilities: the final score is the current score plus independent
//! Poisson goals over the remaining time, with rates adjusted for red cards and for
//! the rise in scoring late in matches.

use serde::{Deserialize, Serialize};

use crate::markets::ScoreMatrix;
use crate::{ModelError, Outcome3};

/// Tunable assumptions of the in-play model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct InPlayConfig {
    /// Minutes actually played including stoppage time (≈ 90 + 4 on average).
    pub match_minutes: f64,
    /// Multiplier on a side's scoring rate per red card it has received
    /// (≈ 0.7: a side a man down scores about a third less).
    pub red_card_own_factor: f64,
    /// Multiplier on the opponent's rate per red card (≈ 1.2).
    pub red_card_opponent_factor: f64,
    /// Scoring intensity grows linearly through a match: relative rate at minute `t` is
    /// `1 + late_uplift · (t / match_minutes − 0.5)` (≈ 0.4: final-quarter rates are
    /// about 1.3× first-quarter ones). Averages to one over the full match.
    pub late_uplift: f64,
}

impl Default for InPlayConfig {
    fn default() -> Self {
        Self {
            match_minutes: 94.0,
            red_card_own_factor: 0.7,
            red_card_opponent_factor: 1.2,
            late_uplift: 0.4,
        }
    }
}

/// The state of a match in progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchState {
    pub minute: f64,
    pub home_goals: u8,
    pub away_goals: u8,
    pub home_red_cards: u8,
    pub away_red_cards: u8,
}

/// Expected goals still to come for each side, given pre-match expected goals.
pub fn remaining_rates(
    pre_match_home_xg: f64,
    pre_match_away_xg: f64,
    state: &MatchState,
    config: &InPlayConfig,
) -> Result<(f64, f64), ModelError> {
    let finite_non_negative = |v: f64| v.is_finite() && v >= 0.0;
    let inputs_ok = [pre_match_home_xg, pre_match_away_xg, state.minute]
        .into_iter()
        .all(finite_non_negative)
        && config.match_minutes.is_finite()
        && config.match_minutes > 0.0
        && config.red_card_own_factor > 0.0
        && config.red_card_opponent_factor > 0.0
        && (0.0..=2.0).contains(&config.late_uplift);
    if !inputs_ok {
        return Err(ModelError::InvalidInput(
            "in-play inputs must be finite and sensible".into(),
        ));
    }
    let share = remaining_share(state.minute / config.match_minutes, config.late_uplift);
    let own = |cards: u8| config.red_card_own_factor.powi(i32::from(cards));
    let other = |cards: u8| config.red_card_opponent_factor.powi(i32::from(cards));
    Ok((
        pre_match_home_xg * share * own(state.home_red_cards) * other(state.away_red_cards),
        pre_match_away_xg * share * own(state.away_red_cards) * other(state.home_red_cards),
    ))
}

/// Fraction of a match's expected goals still to come after elapsed fraction `f`:
/// `∫_f^1 (1 + u(s − ½)) ds`.
fn remaining_share(elapsed: f64, uplift: f64) -> f64 {
    let f = elapsed.clamp(0.0, 1.0);
    (1.0 - f) + uplift * ((1.0 - f * f) / 2.0 - (1.0 - f) / 2.0)
}

/// Final-score distribution given the state (current goals beyond the 10-goal grid fold
/// onto its edge, which leaves 1X2 exact while |difference| < 10).
pub fn in_play_score_matrix(
    pre_match_home_xg: f64,
    pre_match_away_xg: f64,
    state: &MatchState,
    config: &InPlayConfig,
) -> Result<ScoreMatrix, ModelError> {
    let (h, a) = remaining_rates(pre_match_home_xg, pre_match_away_xg, state, config)?;
    ScoreMatrix::from_rates_with_offset(h, a, usize::from(state.home_goals), usize::from(state.away_goals))
}

/// Home/draw/away probabilities from the current state.
pub fn in_play_outcome(
    pre_match_home_xg: f64,
    pre_match_away_xg: f64,
    state: &MatchState,
    config: &InPlayConfig,
) -> Result<Outcome3, ModelError> {
    in_play_score_matrix(pre_match_home_xg, pre_match_away_xg, state, config)?.outcome3()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn state(minute: f64, home_goals: u8, away_goals: u8, home_red: u8) -> MatchState {
        MatchState {
            minute,
            home_goals,
            away_goals,
            home_red_cards: home_red,
            away_red_cards: 0,
        }
    }

    #[test]
    fn kickoff_keeps_full_rates_and_full_time_freezes_the_score() {
        let c = InPlayConfig::default();
        let (h, a) = remaining_rates(1.6, 1.1, &state(0.0, 0, 0, 0), &c).unwrap();
        assert!((h - 1.6).abs() < 1e-12 && (a - 1.1).abs() < 1e-12);
        let p = in_play_outcome(1.6, 1.1, &state(94.0, 2, 1, 0), &c).unwrap();
        assert!((p.home - 1.0).abs() < 1e-12);
    }

    #[test]
    fn late_goals_are_likelier_and_red_cards_hurt() {
        let c = InPlayConfig::default();
        let (late, _) = remaining_rates(1.5, 1.5, &state(80.0, 0, 0, 0), &c).unwrap();
        assert!(late > 1.5 * 14.0 / 94.0);
        let even = in_play_outcome(1.5, 1.5, &state(30.0, 0, 0, 0), &c).unwrap();
        let down = in_play_outcome(1.5, 1.5, &state(30.0, 0, 0, 1), &c).unwrap();
        assert!(down.home < even.home && down.away > even.away);
    }
}
