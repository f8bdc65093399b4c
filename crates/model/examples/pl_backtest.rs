//! Walk-forward backtest on real Premier League CSVs (football-data.co.uk layout with
//! ISO dates). Dev-only: examples may do I/O, the library may not.
//!
//! `cargo run -p pundit-model --release --example pl_backtest -- <dir> [validation]
//!  [--history 3s|1100d|all] [--models dixon-coles,best]`
//!
//! Default: predict 2019/20-2022/23, refitting before every match date on the three
//! previous seasons plus the current one. `validation` replays 2015/16-2018/19 instead:
//! the period hyper-parameters were chosen on, so the default figures are out of sample.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use chrono::NaiveDate;
use pundit_model::backtest::{BacktestConfig, HistoryWindow, RefitSchedule, run_backtest};
use pundit_model::goals::{GoalModelConfig, fit_goal_model};
use pundit_model::{MatchRecord, ModelName};

mod common;

/// Three previous seasons plus the current one: the published Dixon-Coles benchmark's
/// definition, not a tuned value. On the 2015-19 validation seasons 2, 3 or 4 previous
/// seasons and a fixed 1100 days all scored within 0.0003 RPS (`pl_validation_sweep`).
const DEFAULT_HISTORY: HistoryWindow = HistoryWindow::Seasons(3);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = args
        .first()
        .ok_or("usage: pl_backtest <league dir> [validation] [--history 3s|1100d|all] [--models a,b]")?;
    let option = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let history = option("--history").map_or(Ok(DEFAULT_HISTORY), parse_history)?;
    let models = match option("--models") {
        Some(list) => list
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<ModelName>, _>>()?,
        None => ModelName::ALL.to_vec(),
    };
    let records = common::load_premier_league(dir)?;
    let validation = args.iter().any(|a| a == "validation");
    let (from_year, to_year) = if validation { (2015, 2019) } else { (2019, 2023) };
    let config = BacktestConfig {
        from: NaiveDate::from_ymd_opt(from_year, 7, 1).ok_or("date")?,
        to: NaiveDate::from_ymd_opt(to_year, 6, 30).ok_or("date")?,
        schedule: RefitSchedule::EveryMatchDate,
        history,
    };
    println!("{from_year}-{to_year}, history {history:?}");
    if option("--models").is_none() {
        time_fits(&records)?;
    }
    println!(
        "{:<24} {:>7} {:>6} {:>8} {:>7} {:>7} {:>6} {:>6} {:>8}",
        "model", "matches", "refits", "rps", "brier", "logloss", "acc", "ece", "seconds"
    );
    for model in models {
        let mut forecaster = model.forecaster();
        let started = Instant::now();
        let report = run_backtest(&records, &[], &config, forecaster.as_mut())?;
        let m = report.metrics;
        println!(
            "{:<24} {:>7} {:>6} {:>8.5} {:>7.4} {:>7.4} {:>6.3} {:>6.3} {:>8.3}",
            report.model,
            m.matches,
            report.refits,
            m.rps,
            m.brier,
            m.log_loss,
            m.accuracy,
            m.ece,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// `3s` = three previous seasons plus the current one, `1100d` = 1100 days, `all`.
fn parse_history(text: &str) -> Result<HistoryWindow, Box<dyn std::error::Error>> {
    Ok(match text {
        "all" => HistoryWindow::All,
        t if t.ends_with('s') => HistoryWindow::Seasons(t.trim_end_matches('s').parse()?),
        t if t.ends_with('d') => HistoryWindow::Days(t.trim_end_matches('d').parse()?),
        t => return Err(format!("history {t:?}: use 3s, 1100d or all").into()),
    })
}

/// Mean fit time on the three seasons before 2019/20 (1140 matches), cold and warm.
fn time_fits(records: &[MatchRecord]) -> Result<(), Box<dyn std::error::Error>> {
    const REPEATS: u32 = 200;
    let reference = NaiveDate::from_ymd_opt(2019, 8, 9).ok_or("date")?;
    let start = NaiveDate::from_ymd_opt(2016, 7, 1).ok_or("date")?;
    let history: Vec<MatchRecord> = records
        .iter()
        .filter(|r| r.date >= start && r.date < reference)
        .cloned()
        .collect();
    for (label, config) in [
        ("poisson", GoalModelConfig::poisson()),
        ("dixon-coles", GoalModelConfig::dixon_coles()),
        ("dixon-coles-shots", GoalModelConfig::dixon_coles_shots()),
    ] {
        let model = fit_goal_model(&history, reference, &config, None)?;
        let started = Instant::now();
        for _ in 0..REPEATS {
            fit_goal_model(&history, reference, &config, None)?;
        }
        let cold = started.elapsed().as_secs_f64() * 1e3 / f64::from(REPEATS);
        let started = Instant::now();
        for _ in 0..REPEATS {
            fit_goal_model(&history, reference, &config, Some(&model))?;
        }
        let warm = started.elapsed().as_secs_f64() * 1e3 / f64::from(REPEATS);
        println!(
            "fit {label:<18} {} matches {} teams: {} Newton iterations, {cold:.3} ms cold, {warm:.3} ms warm; home adv {:.3}, rho {:.3}",
            model.summary.matches,
            model.summary.teams,
            model.summary.iterations,
            model.home_advantage,
            model.rho
        );
    }
    Ok(())
}
