//! The one error type of the crate: every fallible function returns it, so no NaN
//! or silently wrong number ever reaches a caller.

use thiserror::Error;

/// Everything that can go wrong while fitting, predicting or scoring.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    #[error("not enough data: {0}")]
    InsufficientData(String),
    #[error("optimizer did not converge after {iterations} iterations (gradient norm {gradient_norm:e})")]
    NotConverged { iterations: usize, gradient_norm: f64 },
    #[error("numerical failure: {0}")]
    Numerical(String),
    #[error("unknown team: {0}")]
    UnknownTeam(String),
    #[error("invalid probability: {0}")]
    InvalidProbability(String),
    #[error("invalid odds: {0}")]
    InvalidOdds(String),
    #[error("invalid input: {0}")]
    InvalidInput(String),
}
