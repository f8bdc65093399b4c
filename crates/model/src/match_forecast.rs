//! What the server shows for one upcoming match.

use serde::{Deserialize, Serialize};

use crate::Outcome3;
use crate::markets::ScoreMatrix;
use crate::uncertainty::Outcome3Intervals;

/// A fitted forecaster's view of one match (see [`crate::backtest::Forecaster::forecast`]).
///
/// Optional parts are absent when the model cannot provide them: Elo has no score
/// matrix (so no expected goals or score markets) and no intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchForecast {
    /// Home/draw/away: the model's headline forecast (the blended one for an ensemble).
    pub outcome: Outcome3,
    /// Joint score distribution for exact-score, totals and handicap markets.
    pub score_matrix: Option<ScoreMatrix>,
    /// Expected goals (home, away) under the score matrix.
    pub expected_goals: Option<(f64, f64)>,
    /// 95% intervals around `outcome`.
    pub intervals: Option<Outcome3Intervals>,
}
