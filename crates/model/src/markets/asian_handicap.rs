//! Asian handicap settlement, including quarter lines (split stakes).

use serde::{Deserialize, Serialize};

use super::{MAX_GOALS, ScoreMatrix};
use crate::ModelError;

/// Settlement probabilities of a bet on the home side at a handicap line
/// (the line is added to the home side's goals; -0.75 = home gives three quarters).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AsianHandicap {
    pub line: f64,
    pub win: f64,
    /// Quarter lines: half the stake wins, half is returned.
    pub half_win: f64,
    pub push: f64,
    /// Quarter lines: half the stake is returned, half loses.
    pub half_lose: f64,
    pub lose: f64,
}

impl AsianHandicap {
    /// Decimal odds at which the bet has zero expected profit, or `None` if it cannot win.
    pub fn fair_odds(&self) -> Option<f64> {
        let winning = self.win + self.half_win / 2.0;
        let losing = self.lose + self.half_lose / 2.0;
        (winning > 0.0).then(|| 1.0 + losing / winning)
    }
}

/// Outcome of one whole or half line on one goal difference.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Settle {
    Win,
    Push,
    Lose,
}

/// Settles a whole/half line given in quarter-goal units.
fn settle(diff: i64, line_quarters: i64) -> Settle {
    match (4 * diff + line_quarters).cmp(&0) {
        std::cmp::Ordering::Greater => Settle::Win,
        std::cmp::Ordering::Equal => Settle::Push,
        std::cmp::Ordering::Less => Settle::Lose,
    }
}

impl ScoreMatrix {
    /// Home-side Asian handicap at `line` (a multiple of 0.25, |line| ≤ 5).
    pub fn asian_handicap(&self, line: f64) -> Result<AsianHandicap, ModelError> {
        let quarters = (line * 4.0).round();
        if !line.is_finite() || (line * 4.0 - quarters).abs() > 1e-9 || line.abs() > 5.0 {
            return Err(ModelError::InvalidInput(format!(
                "handicap {line} must be a multiple of 0.25 within ±5"
            )));
        }
        let q = quarters as i64;
        // A quarter line is half the stake on each neighbouring half/whole line.
        let parts = if q.rem_euclid(2) == 1 {
            [q - 1, q + 1]
        } else {
            [q, q]
        };
        let mut result = AsianHandicap {
            line,
            win: 0.0,
            half_win: 0.0,
            push: 0.0,
            half_lose: 0.0,
            lose: 0.0,
        };
        for (k, p) in self.goal_difference_distribution().into_iter().enumerate() {
            let diff = k as i64 - MAX_GOALS as i64;
            let slot = match (settle(diff, parts[0]), settle(diff, parts[1])) {
                (Settle::Win, Settle::Win) => &mut result.win,
                (Settle::Lose, Settle::Lose) => &mut result.lose,
                (Settle::Push, Settle::Push) => &mut result.push,
                (Settle::Win, _) | (_, Settle::Win) => &mut result.half_win,
                _ => &mut result.half_lose,
            };
            *slot += p;
        }
        Ok(result)
    }

    /// All lines from -2.5 to +2.5 in quarter steps.
    pub fn asian_handicap_ladder(&self) -> Result<Vec<AsianHandicap>, ModelError> {
        (-10..=10)
            .map(|q| self.asian_handicap(f64::from(q) * 0.25))
            .collect()
    }
}
