//! Dixon-Coles fit times on real data: one Premier League season, three seasons, and the five
//! big leagues (each league fitted on its own three seasons, as the server does).
//!
//! `cargo run -p pundit-model --release --example fit_timing -- /work/shared/data/leagues`
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use pundit_model::MatchRecord;
use pundit_model::goals::{GoalModelConfig, fit_goal_model};

mod common;

const LEAGUES: [&str; 5] = ["premier-league", "la-liga", "bundesliga", "serie-a", "ligue-1"];
const RUNS: usize = 50;

fn between(records: &[MatchRecord], from: NaiveDate, to: NaiveDate) -> Vec<MatchRecord> {
    records
        .iter()
        .filter(|r| r.date >= from && r.date < to)
        .cloned()
        .collect()
}

/// Median wall time of `RUNS` cold fits of every history in `histories`, together.
fn time(histories: &[Vec<MatchRecord>], as_of: NaiveDate) -> Result<Duration, Box<dyn std::error::Error>> {
    let config = GoalModelConfig::dixon_coles();
    let mut samples = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        for history in histories {
            fit_goal_model(history, as_of, &config, None)?;
        }
        samples.push(start.elapsed());
    }
    samples.sort();
    Ok(samples[RUNS / 2])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::env::args().nth(1).ok_or("usage: fit_timing <leagues dir>")?;
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("bad date");
    let (start_1, start_3, end) = (date(2022, 7, 1)?, date(2020, 7, 1)?, date(2023, 7, 1)?);
    let leagues: Vec<Vec<MatchRecord>> = LEAGUES
        .iter()
        .map(|l| common::load_premier_league(&format!("{root}/{l}")))
        .collect::<Result<_, _>>()?;
    let pl_one = between(&leagues[0], start_1, end);
    let pl_three = between(&leagues[0], start_3, end);
    let five: Vec<Vec<MatchRecord>> = leagues.iter().map(|l| between(l, start_3, end)).collect();
    let matches: usize = five.iter().map(Vec::len).sum();
    println!("Dixon-Coles, cold fits, median of {RUNS} runs:");
    println!(
        "  Premier League, 1 season ({} matches): {:?}",
        pl_one.len(),
        time(std::slice::from_ref(&pl_one), end)?
    );
    println!(
        "  Premier League, 3 seasons ({} matches): {:?}",
        pl_three.len(),
        time(std::slice::from_ref(&pl_three), end)?
    );
    println!(
        "  five leagues, 3 seasons each ({matches} matches, 5 fits): {:?}",
        time(&five, end)?
    );
    Ok(())
}
