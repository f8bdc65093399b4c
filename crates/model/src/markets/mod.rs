//! Betting markets derived from a joint score distribution.

mod asian_handicap;
mod reweight;
mod score_matrix;
mod totals;

pub use asian_handicap::AsianHandicap;
pub use score_matrix::{MAX_GOALS, ScoreMatrix};
