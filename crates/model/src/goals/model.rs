//! A fitted goal model: team ratings plus league parameters, and predictions from them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{FitSummary, GoalModelConfig, UnknownTeamPolicy};
use crate::markets::ScoreMatrix;
use crate::optim::SquareMatrix;
use crate::{ModelError, Outcome3, TeamIndex};

/// A team's log-scale strengths; both are "higher is better" and average zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeamRating {
    pub attack: f64,
    pub defence: f64,
}

/// The result of [`super::fit_goal_model`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GoalModel {
    pub config: GoalModelConfig,
    pub reference_date: NaiveDate,
    pub teams: TeamIndex,
    pub ratings: Vec<TeamRating>,
    /// `μ`: log goals per match of an average team away from home.
    pub intercept: f64,
    /// `h`: additive log-rate bonus of the home side.
    pub home_advantage: f64,
    /// Dixon-Coles dependence (0 for the Poisson model).
    pub rho: f64,
    /// Rating used for teams absent from the training data (per the config's policy).
    pub newcomer: Option<TeamRating>,
    pub summary: FitSummary,
    /// Cholesky factor of the penalised negative log-likelihood's Hessian at the optimum,
    /// in the fit's parameter layout (for delta-method intervals).
    pub(crate) hessian_cholesky: SquareMatrix,
}

impl GoalModel {
    /// Ratings of `team`, falling back on the newcomer rating when the policy allows.
    pub fn rating(&self, team: &str) -> Result<TeamRating, ModelError> {
        match (self.teams.get(team), self.newcomer) {
            (Some(i), _) => Ok(self.ratings[i]),
            (None, Some(r)) => Ok(r),
            (None, None) => Err(ModelError::UnknownTeam(team.to_owned())),
        }
    }

    /// Expected goals (home, away) for a match at the home side's ground.
    pub fn expected_goals(&self, home: &str, away: &str) -> Result<(f64, f64), ModelError> {
        let (h, a) = (self.rating(home)?, self.rating(away)?);
        Ok(self.rates_from_ratings(h, a))
    }

    fn rates_from_ratings(&self, home: TeamRating, away: TeamRating) -> (f64, f64) {
        (
            (self.intercept + self.home_advantage + home.attack - away.defence).exp(),
            (self.intercept + away.attack - home.defence).exp(),
        )
    }

    /// Joint distribution of the score, 0..=10 goals per side.
    pub fn score_matrix(&self, home: &str, away: &str) -> Result<ScoreMatrix, ModelError> {
        let (lh, la) = self.expected_goals(home, away)?;
        ScoreMatrix::from_rates(lh, la, self.rho)
    }

    /// Home/draw/away probabilities.
    pub fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError> {
        self.score_matrix(home, away)?.outcome3()
    }
}

/// The newcomer rating implied by `policy` for a set of fitted ratings.
pub(crate) fn newcomer_rating(policy: UnknownTeamPolicy, ratings: &[TeamRating]) -> Option<TeamRating> {
    match policy {
        UnknownTeamPolicy::Reject => None,
        UnknownTeamPolicy::LeagueAverage => Some(TeamRating {
            attack: 0.0,
            defence: 0.0,
        }),
        UnknownTeamPolicy::LikeWeakest(count) => {
            let mut sorted = ratings.to_vec();
            sorted.sort_by(|x, y| (x.attack + x.defence).total_cmp(&(y.attack + y.defence)));
            let weakest = &sorted[..count.max(1).min(sorted.len())];
            if weakest.is_empty() {
                return None;
            }
            let k = weakest.len() as f64;
            Some(TeamRating {
                attack: weakest.iter().map(|r| r.attack).sum::<f64>() / k,
                defence: weakest.iter().map(|r| r.defence).sum::<f64>() / k,
            })
        }
    }
}
