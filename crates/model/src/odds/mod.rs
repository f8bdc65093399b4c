//! Bookmaker odds: removing the margin, value and stake sizing.

mod devig;
mod staking;

pub use devig::{DevigMethod, implied_probabilities, overround};
pub use staking::{RiskGrade, edge, kelly_stake, risk_grade};
