//! Football forecasting: pure computation, no I/O, no global state.
//!
//! # Modules
//! - [`goals`]: Poisson (Maher) and Dixon-Coles goal models fitted by maximum likelihood —
//!   analytic gradient and Hessian, damped Newton ([`optim`]), time-decay weights,
//!   optional ridge prior and shots-on-target blending. A three-season fit takes about
//!   0.6 ms cold and 0.15 ms warm-started.
//! - [`markets`]: the 0..=10 score grid of a match and what it prices: 1X2, exact scores,
//!   totals, both teams to score, Asian handicaps (quarter lines included), expected goals.
//! - [`metrics`]: RPS, Brier, log loss, accuracy, calibration bins and ECE.
//! - [`backtest`]: walk-forward replay through the [`backtest::Forecaster`] trait —
//!   refit on strictly earlier matches (a window of days or of whole seasons), predict
//!   the next block, score it (and any bookmaker probabilities supplied for the same
//!   matches). Forecasters are `Send + Sync`: fit on a worker thread, share with `Arc`.
//! - [`ModelName`]: the catalogue — `poisson`, `dixon-coles`, `dixon-coles-shots`, `elo`,
//!   `best` — building configured forecasters by name; [`MatchForecast`] is what one
//!   says about a match (1X2, score grid, expected goals, intervals where available).
//! - [`simulation`]: Monte Carlo of the rest of a season from the current table, drawing
//!   exact scores per fixture: position, title, top-N and relegation probabilities.
//! - [`elo`]: Elo with home advantage and goal-difference multiplier, mapped to 1X2 by an
//!   ordered logit fitted on rating differences.
//! - [`EnsembleForecaster`] / [`best_forecaster`]: linear pools; "best" is 70% shots-on-target
//!   Dixon-Coles with a ridge prior plus 30% Elo.
//! - [`odds`]: margin removal (proportional, Shin, power), edge, fractional Kelly, risk grade.
//! - [`inplay`]: live 1X2 from minute, score and red cards via remaining-time Poisson rates.
//! - [`uncertainty`]: delta-method intervals for a goal model's 1X2 probabilities.
//! - [`stats`]: normal CDF and the Diebold-Mariano test of equal accuracy (A/B comparisons).
//!
//! # Model choices
//! Dixon-Coles is the reference goal model: it prices every market from one score grid and
//! fits in under a millisecond, so a backtest can refit before every match date. Its two
//! weaknesses are noisy inputs (goals are rare) and little data on promoted teams; the
//! "best" model answers them with shots on target in the response, a ridge prior, and a blend
//! with Elo, whose errors are partly independent. Hyper-parameters were chosen on 2015-19
//! Premier League backtests; on 2019-23 (out of sample, daily refits, three previous seasons
//! plus the current one as history) RPS is 0.2065 for Dixon-Coles, 0.2042 for shots
//! Dixon-Coles and 0.2040 for the best model (closing odds: 0.1990).
//!
//! Every fallible function returns [`ModelError`]; no NaN is ever returned as a result.

pub mod backtest;
mod best;
mod catalogue;
pub mod elo;
mod ensemble;
mod error;
pub mod goals;
pub mod inplay;
pub mod markets;
mod match_forecast;
mod match_record;
pub mod metrics;
pub mod odds;
pub mod optim;
mod outcome;
pub mod simulation;
pub mod stats;
mod teams;
pub mod uncertainty;

pub use best::{BEST_ELO_WEIGHT, best_forecaster};
pub use catalogue::ModelName;
pub use ensemble::EnsembleForecaster;
pub use error::ModelError;
pub use match_forecast::MatchForecast;
pub use match_record::{MatchRecord, first_on_or_after, is_chronological};
pub use outcome::{MatchOutcome, Outcome3};
pub use teams::TeamIndex;
