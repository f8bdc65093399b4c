#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::NaiveDate;
use pundit_model::backtest::{
    BacktestConfig, BookmakerForecasts, Forecaster, GoalModelForecaster, HistoryWindow, RefitSchedule,
    run_backtest,
};
use pundit_model::goals::GoalModelConfig;
use pundit_model::{MatchRecord, ModelError, Outcome3, best_forecaster};
use support::simulate::simulate_league;

/// Records what it was shown, to check the engine never leaks the future.
struct Spy {
    refits: Vec<(NaiveDate, Option<NaiveDate>)>,
    first_dates: Vec<Option<NaiveDate>>,
}

impl Forecaster for Spy {
    fn name(&self) -> String {
        "spy".into()
    }
    fn refit(&mut self, history: &[MatchRecord], as_of: NaiveDate) -> Result<(), ModelError> {
        self.refits.push((as_of, history.last().map(|r| r.date)));
        self.first_dates.push(history.first().map(|r| r.date));
        Ok(())
    }
    fn predict(&self, _: &str, _: &str) -> Result<Outcome3, ModelError> {
        Outcome3::new(0.45, 0.27, 0.28)
    }
}

fn config(records: &[MatchRecord], schedule: RefitSchedule) -> BacktestConfig {
    BacktestConfig {
        from: records[records.len() / 2].date,
        to: records.last().unwrap().date,
        schedule,
        history: HistoryWindow::Days(700),
    }
}

#[test]
fn history_is_strictly_before_each_refit() {
    let league = simulate_league(3, 12, 4);
    let mut spy = Spy {
        refits: vec![],
        first_dates: vec![],
    };
    let daily = run_backtest(
        &league.matches,
        &[],
        &config(&league.matches, RefitSchedule::EveryMatchDate),
        &mut spy,
    )
    .unwrap();
    assert!(
        spy.refits
            .iter()
            .all(|(as_of, last)| last.is_none_or(|d| d < *as_of))
    );
    let mut weekly_spy = Spy {
        refits: vec![],
        first_dates: vec![],
    };
    let weekly = run_backtest(
        &league.matches,
        &[],
        &config(&league.matches, RefitSchedule::Weekly),
        &mut weekly_spy,
    )
    .unwrap();
    assert_eq!(daily.metrics.matches, weekly.metrics.matches);
    assert!(weekly.refits < daily.refits);
}

#[test]
fn models_beat_a_constant_forecast_and_bookmakers_are_scored() {
    let league = simulate_league(9, 16, 4);
    let records = &league.matches;
    let constant = Outcome3::new(0.45, 0.27, 0.28).unwrap();
    let books = [BookmakerForecasts {
        name: "constant".into(),
        probabilities: records
            .iter()
            .enumerate()
            .map(|(k, _)| (k % 2 == 0).then_some(constant))
            .collect(),
    }];
    let cfg = config(records, RefitSchedule::EveryMatchDate);
    let mut dc = GoalModelForecaster::new("dc", GoalModelConfig::dixon_coles());
    let report = run_backtest(records, &books, &cfg, &mut dc).unwrap();
    let book = &report.bookmakers[0];
    assert!(book.bookmaker.matches > 0 && book.bookmaker.matches < report.metrics.matches);
    assert!(report.metrics.rps < book.bookmaker.rps + 0.01);
    let mut best = best_forecaster().unwrap();
    let best_report = run_backtest(records, &books, &cfg, &mut best).unwrap();
    assert_eq!(best_report.metrics.matches, report.metrics.matches);
    assert!(best_report.metrics.rps.is_finite());
}

#[test]
fn unsorted_records_are_rejected() {
    let mut records = simulate_league(1, 8, 2).matches;
    records.reverse();
    let mut spy = Spy {
        refits: vec![],
        first_dates: vec![],
    };
    let cfg = BacktestConfig {
        from: records[0].date,
        to: records[0].date,
        schedule: RefitSchedule::Weekly,
        history: HistoryWindow::All,
    };
    assert!(run_backtest(&records, &[], &cfg, &mut spy).is_err());
}

#[test]
fn season_windows_fix_the_first_match_within_a_season() {
    let league = simulate_league(4, 10, 4);
    let records = &league.matches;
    let mut spy = Spy {
        refits: vec![],
        first_dates: vec![],
    };
    let cfg = BacktestConfig {
        history: HistoryWindow::Seasons(1),
        ..config(records, RefitSchedule::EveryMatchDate)
    };
    run_backtest(records, &[], &cfg, &mut spy).unwrap();
    for ((as_of, _), first) in spy.refits.iter().zip(&spy.first_dates) {
        let start = cfg.history.start(*as_of).unwrap();
        let first = first.unwrap();
        assert!(first >= start);
        // Nothing between the window start and the first match shown was withheld.
        assert!(records.iter().all(|r| r.date < start || r.date >= first));
    }
}
