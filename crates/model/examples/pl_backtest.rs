//! Walk-forward backtest on real Premier League CSVs (football-data.co.uk layout with
//! ISO dates). Dev-only: examples may do I/O, the library may not.
//!
//! `cargo run -p pundit-model --release --example pl_backtest -- <dir> [validation]`
//!
//! Default: predict 2019/20-2022/23, refitting before every match date on the previous
//! ~3 seasons. `validation` replays 2015/16-2018/19 instead: the period hyper-parameters
//! were chosen on, so the default figures are out of sample.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use chrono::NaiveDate;
use pundit_model::backtest::{BacktestConfig, Forecaster, GoalModelForecaster, RefitSchedule, run_backtest};
use pundit_model::elo::{EloConfig, EloForecaster};
use pundit_model::goals::{GoalModelConfig, fit_goal_model};
use pundit_model::{MatchRecord, best_forecaster};

const SEASONS: [&str; 11] = [
    "1213", "1314", "1415", "1516", "1617", "1718", "1819", "1920", "2021", "2122", "2223",
];
/// Three seasons of history, as in the penaltyblog comparison.
const HISTORY_DAYS: i64 = 1100;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: pl_backtest <league dir> [validation]")?;
    let mut records = Vec::new();
    for season in SEASONS {
        let text = std::fs::read_to_string(format!("{dir}/season-{season}.csv"))?;
        records.extend(parse_csv(&text)?);
    }
    records.sort_by_key(|r| r.date);
    let validation = std::env::args().nth(2).as_deref() == Some("validation");
    let (from_year, to_year) = if validation { (2015, 2019) } else { (2019, 2023) };
    let config = BacktestConfig {
        from: NaiveDate::from_ymd_opt(from_year, 7, 1).ok_or("date")?,
        to: NaiveDate::from_ymd_opt(to_year, 6, 30).ok_or("date")?,
        schedule: RefitSchedule::EveryMatchDate,
        history_days: Some(HISTORY_DAYS),
    };
    time_fits(&records)?;
    let mut forecasters: Vec<Box<dyn Forecaster>> = vec![
        Box::new(GoalModelForecaster::new("poisson", GoalModelConfig::poisson())),
        Box::new(GoalModelForecaster::new(
            "dixon-coles",
            GoalModelConfig::dixon_coles(),
        )),
        Box::new(EloForecaster::new(EloConfig::default(), 380)),
        Box::new(GoalModelForecaster::new(
            "dixon-coles-shots",
            GoalModelConfig::dixon_coles_shots(),
        )),
        Box::new(best_forecaster()?),
    ];
    println!(
        "{:<24} {:>7} {:>6} {:>8} {:>7} {:>7} {:>6} {:>6} {:>8}",
        "model", "matches", "refits", "rps", "brier", "logloss", "acc", "ece", "seconds"
    );
    for forecaster in &mut forecasters {
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

/// Plain string splitting: the files have no quoted fields.
fn parse_csv(text: &str) -> Result<Vec<MatchRecord>, Box<dyn std::error::Error>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let (date, home, away) = (column("Date"), column("HomeTeam"), column("AwayTeam"));
    let (home_goals, away_goals) = (column("FTHG"), column("FTAG"));
    let (home_shots, away_shots) = (column("HS"), column("AS"));
    let (home_sot, away_sot) = (column("HST"), column("AST"));
    let mut out = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let get = |i: Option<usize>| {
            i.and_then(|i| fields.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let (Some(d), Some(h), Some(a), Some(hg), Some(ag)) =
            (get(date), get(home), get(away), get(home_goals), get(away_goals))
        else {
            continue;
        };
        let date = NaiveDate::parse_from_str(d, "%Y-%m-%d")?;
        let mut r = MatchRecord::new(date, h, a, hg.parse()?, ag.parse()?);
        r.home_shots = get(home_shots).and_then(|s| s.parse().ok());
        r.away_shots = get(away_shots).and_then(|s| s.parse().ok());
        r.home_shots_on_target = get(home_sot).and_then(|s| s.parse().ok());
        r.away_shots_on_target = get(away_sot).and_then(|s| s.parse().ok());
        out.push(r);
    }
    Ok(out)
}
