//! The settings search behind the defaults, run on the 2015/16-2018/19 validation seasons
//! only (hard-coded, so 2019-23 stays out of sample): history window × unknown-team policy
//! for Dixon-Coles (ξ fixed at 0.0018, as in the published benchmark) and for the best
//! ensemble's goal model.
//!
//! `cargo run -p pundit-model --release --example pl_validation_sweep -- <dir>`
#![allow(clippy::print_stdout)]

use chrono::NaiveDate;
use pundit_model::backtest::{
    BacktestConfig, Forecaster, GoalModelForecaster, HistoryWindow, RefitSchedule, run_backtest,
};
use pundit_model::elo::{EloConfig, EloForecaster};
use pundit_model::goals::{GoalModelConfig, UnknownTeamPolicy};
use pundit_model::{BEST_ELO_WEIGHT, EnsembleForecaster};

mod common;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: pl_validation_sweep <league dir>")?;
    let records = common::load_premier_league(&dir)?;
    let windows = [
        HistoryWindow::Days(1100),
        HistoryWindow::Seasons(2),
        HistoryWindow::Seasons(3),
        HistoryWindow::Seasons(4),
    ];
    let policies = [
        UnknownTeamPolicy::LeagueAverage,
        UnknownTeamPolicy::LikeWeakest(3),
        UnknownTeamPolicy::LikeWeakest(5),
    ];
    println!(
        "{:<16} {:<16} {:>10} {:>10}",
        "window", "newcomers", "dc rps", "best rps"
    );
    for history in windows {
        let config = BacktestConfig {
            from: NaiveDate::from_ymd_opt(2015, 7, 1).ok_or("date")?,
            to: NaiveDate::from_ymd_opt(2019, 6, 30).ok_or("date")?,
            schedule: RefitSchedule::EveryMatchDate,
            history,
        };
        for policy in policies {
            let mut dc =
                GoalModelForecaster::new("dc", GoalModelConfig::dixon_coles().with_unknown_teams(policy));
            let mut best = EnsembleForecaster::new(
                "best",
                vec![
                    (
                        Box::new(GoalModelForecaster::new(
                            "dc-shots",
                            GoalModelConfig::dixon_coles_shots().with_unknown_teams(policy),
                        )) as Box<dyn Forecaster>,
                        1.0 - BEST_ELO_WEIGHT,
                    ),
                    (
                        Box::new(EloForecaster::new(EloConfig::default(), 380)),
                        BEST_ELO_WEIGHT,
                    ),
                ],
            )?;
            let dc_rps = run_backtest(&records, &[], &config, &mut dc)?.metrics.rps;
            let best_rps = run_backtest(&records, &[], &config, &mut best)?.metrics.rps;
            println!(
                "{:<16} {:<16} {dc_rps:>10.5} {best_rps:>10.5}",
                format!("{history:?}"),
                format!("{policy:?}")
            );
        }
    }
    Ok(())
}
