//! Maximum-likelihood fitting of the goal models.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::layout::ParamLayout;
use super::likelihood::GoalLikelihood;
use super::model::newcomer_rating;
use super::training_set::TrainingSet;
use super::{GoalModel, GoalModelConfig, GoalModelKind, TeamRating};
use crate::optim::{NewtonOptions, Objective, minimize};
use crate::{MatchRecord, ModelError};

/// How the optimisation went.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitSummary {
    pub iterations: usize,
    /// Penalised negative log-likelihood at the optimum (without `log x!` constants).
    pub objective: f64,
    pub gradient_norm: f64,
    pub matches: usize,
    pub teams: usize,
    pub warm_started: bool,
}

/// A typical home advantage, a good starting point for Newton.
const START_HOME_ADVANTAGE: f64 = 0.25;

/// Fits a goal model to `records`, all dated on or before `reference_date` (the date
/// predictions are for; time-decay weights count days back from it).
///
/// `warm_start`: a previous fit whose parameters seed the optimizer (matched by team
/// name) — a refit after one more match day then converges in 2-3 Newton steps.
pub fn fit_goal_model(
    records: &[MatchRecord],
    reference_date: NaiveDate,
    config: &GoalModelConfig,
    warm_start: Option<&GoalModel>,
) -> Result<GoalModel, ModelError> {
    if !config.ridge.is_finite() || config.ridge < 0.0 {
        return Err(ModelError::InvalidInput("ridge must be finite and ≥ 0".into()));
    }
    let data = TrainingSet::build(records, reference_date, config)?;
    let layout = ParamLayout {
        n_teams: data.teams.len(),
        has_rho: config.kind == GoalModelKind::DixonColes,
    };
    let objective = GoalLikelihood {
        data: &data,
        layout,
        ridge: config.ridge,
    };
    let cold = cold_start(&data, layout);
    let warm = warm_start
        .map(|previous| warm_start_vector(&data, layout, previous, &cold))
        .filter(|x| objective.value(x).is_some());
    let warm_started = warm.is_some();
    let solution = match warm {
        Some(x) => minimize(&objective, x, NewtonOptions::default())
            .or_else(|_| minimize(&objective, cold, NewtonOptions::default()))?,
        None => minimize(&objective, cold, NewtonOptions::default())?,
    };
    let x = &solution.x;
    let ratings: Vec<TeamRating> = (0..layout.n_teams)
        .map(|t| TeamRating {
            attack: x[layout.attack(t)],
            defence: x[layout.defence(t)],
        })
        .collect();
    Ok(GoalModel {
        config: *config,
        reference_date,
        newcomer: newcomer_rating(config.unknown_teams, &ratings),
        ratings,
        intercept: x[layout.intercept()],
        home_advantage: x[layout.home()],
        rho: if layout.has_rho { x[layout.rho()] } else { 0.0 },
        summary: FitSummary {
            iterations: solution.iterations,
            objective: solution.value,
            gradient_norm: solution.gradient_norm,
            matches: data.len(),
            teams: layout.n_teams,
            warm_started,
        },
        teams: data.teams,
        hessian_cholesky: solution.hessian_cholesky,
    })
}

fn cold_start(data: &TrainingSet, layout: ParamLayout) -> Vec<f64> {
    let mut x = vec![0.0; layout.dim()];
    x[layout.intercept()] = data.mean_goals().max(1e-3).ln();
    x[layout.home()] = START_HOME_ADVANTAGE;
    x
}

fn warm_start_vector(
    data: &TrainingSet,
    layout: ParamLayout,
    previous: &GoalModel,
    cold: &[f64],
) -> Vec<f64> {
    let mut x = cold.to_vec();
    for (t, name) in data.teams.names().iter().enumerate() {
        if let Some(r) = previous.teams.get(name).map(|i| previous.ratings[i]) {
            x[layout.attack(t)] = r.attack;
            x[layout.defence(t)] = r.defence;
        }
    }
    x[layout.intercept()] = previous.intercept;
    x[layout.home()] = previous.home_advantage;
    if layout.has_rho {
        x[layout.rho()] = previous.rho;
    }
    x
}
