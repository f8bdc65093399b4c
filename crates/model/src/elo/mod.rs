//! Elo ratings with home advantage and a goal-difference multiplier, turned into
//! home/draw/away probabilities by an ordered-logit model fitted on rating differences.

mod draw_model;
mod forecaster;
mod ratings;

pub use draw_model::OrderedLogit;
pub use forecaster::EloForecaster;
pub use ratings::{EloConfig, EloRatings, goal_difference_multiplier};
