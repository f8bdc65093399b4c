//! Fit, predict and backtest timings on simulated Premier-League-sized data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/simulate.rs"]
#[allow(dead_code)]
mod simulate;

use std::hint::black_box;

use chrono::Duration;
use criterion::{Criterion, criterion_group, criterion_main};
use pundit_model::backtest::{
    BacktestConfig, Forecaster, GoalModelForecaster, HistoryWindow, RefitSchedule, run_backtest,
};
use pundit_model::goals::{GoalModelConfig, fit_goal_model};
use pundit_model::simulation::{
    Fixture, SimulationConfig, Xoshiro256PlusPlus, league_table, simulate_with_forecaster,
};
use simulate::{simulate_league, team_name};

fn fits(c: &mut Criterion) {
    for seasons in [1, 3] {
        let league = simulate_league(42, 20, seasons);
        let reference = league.matches.last().unwrap().date + Duration::days(1);
        for (label, config) in [
            ("poisson", GoalModelConfig::poisson()),
            ("dixon_coles", GoalModelConfig::dixon_coles()),
            ("dixon_coles_shots", GoalModelConfig::dixon_coles_shots()),
        ] {
            c.bench_function(&format!("fit_{label}_{seasons}_seasons"), |b| {
                b.iter(|| fit_goal_model(black_box(&league.matches), reference, &config, None).unwrap())
            });
        }
        let warm = fit_goal_model(&league.matches, reference, &GoalModelConfig::dixon_coles(), None).unwrap();
        c.bench_function(&format!("fit_dixon_coles_{seasons}_seasons_warm"), |b| {
            b.iter(|| {
                fit_goal_model(
                    black_box(&league.matches),
                    reference,
                    &GoalModelConfig::dixon_coles(),
                    Some(&warm),
                )
                .unwrap()
            })
        });
    }
}

fn predictions(c: &mut Criterion) {
    let league = simulate_league(42, 20, 3);
    let reference = league.matches.last().unwrap().date + Duration::days(1);
    let model = fit_goal_model(&league.matches, reference, &GoalModelConfig::dixon_coles(), None).unwrap();
    let (home, away) = (team_name(0), team_name(1));
    c.bench_function("predict_1x2", |b| {
        b.iter(|| model.predict(black_box(&home), black_box(&away)).unwrap())
    });
    c.bench_function("score_matrix_all_markets", |b| {
        b.iter(|| {
            let m = model.score_matrix(black_box(&home), black_box(&away)).unwrap();
            (
                m.outcome3().unwrap(),
                m.over_under(2.5).unwrap(),
                m.both_teams_to_score(),
                m.asian_handicap_ladder().unwrap(),
            )
        })
    });
}

fn backtests(c: &mut Criterion) {
    // Seven simulated seasons: four predicted with daily refits on a 1100-day window.
    let league = simulate_league(42, 20, 7);
    let records = &league.matches;
    let config = BacktestConfig {
        from: records[3 * 380].date,
        to: records.last().unwrap().date,
        schedule: RefitSchedule::EveryMatchDate,
        history: HistoryWindow::Days(1100),
    };
    let mut group = c.benchmark_group("backtest");
    group.sample_size(10);
    group.bench_function("dixon_coles_4_seasons_daily", |b| {
        b.iter(|| {
            let mut f = GoalModelForecaster::new("dc", GoalModelConfig::dixon_coles());
            run_backtest(black_box(records), &[], &config, &mut f).unwrap()
        })
    });
    group.finish();
}

fn simulations(c: &mut Criterion) {
    // Last season for the fit, then 280 of 380 matches played and 100 to go.
    let league = simulate_league(42, 20, 2);
    let (played, remaining) = league.matches.split_at(380 + 280);
    let mut forecaster = GoalModelForecaster::new("dc", GoalModelConfig::dixon_coles());
    forecaster
        .refit(played, played.last().unwrap().date + Duration::days(1))
        .unwrap();
    let table = league_table(&played[380..]);
    let fixtures: Vec<Fixture> = remaining.iter().map(|r| Fixture::new(&r.home, &r.away)).collect();
    let config = SimulationConfig::default();
    let mut group = c.benchmark_group("season_simulation");
    group.sample_size(20);
    group.bench_function("10000_seasons_100_fixtures", |b| {
        b.iter(|| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
            simulate_with_forecaster(&forecaster, black_box(&table), &fixtures, &config, &mut rng).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, fits, predictions, backtests, simulations);
criterion_main!(benches);
