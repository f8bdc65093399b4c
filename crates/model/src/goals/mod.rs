//! Goal models: independent Poisson (Maher 1982) and Dixon-Coles (1997), fitted by
//! maximum likelihood with analytic gradients/Hessians and damped Newton.
//!
//! Rates: `log λ_home = μ + h + attack[home] − defence[away]`,
//! `log λ_away = μ + attack[away] − defence[home]`. Attacks and defences each sum to
//! zero (identifiability), so `μ` is the league's log scoring rate and `h` the home
//! advantage. Dixon-Coles multiplies the four low scores by `τ(x, y; ρ)` and weights
//! each match by `exp(−ξ · days before the reference date)`.

mod config;
mod fit;
mod layout;
mod likelihood;
mod model;
mod training_set;

pub use config::{GoalModelConfig, GoalModelKind, UnknownTeamPolicy};
pub use fit::{FitSummary, fit_goal_model};
pub use model::{GoalModel, TeamRating};
