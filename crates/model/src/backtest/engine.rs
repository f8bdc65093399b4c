//! The walk-forward loop.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Forecaster, HistoryWindow};
use crate::metrics::{ForecastMetrics, MetricsAccumulator};
use crate::{MatchRecord, ModelError, Outcome3, first_on_or_after, is_chronological};

/// When to refit during the backtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefitSchedule {
    /// Before every distinct match date (the most faithful replay of live use).
    EveryMatchDate,
    /// At the first match date of each 7-day block.
    Weekly,
}

/// What to replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacktestConfig {
    /// First and last match dates to predict (inclusive).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub schedule: RefitSchedule,
    /// Which earlier matches each refit sees.
    pub history: HistoryWindow,
}

/// One bookmaker's (de-vigged) probabilities, aligned with the records slice;
/// `None` where it offered no price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookmakerForecasts {
    pub name: String,
    pub probabilities: Vec<Option<Outcome3>>,
}

/// A forecast the backtest made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Index into the records slice.
    pub record_index: usize,
    pub forecast: Outcome3,
}

/// A bookmaker scored on the matches it priced, next to the model on the same matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookmakerComparison {
    pub name: String,
    pub bookmaker: ForecastMetrics,
    pub model_on_same_matches: ForecastMetrics,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestReport {
    pub model: String,
    pub refits: usize,
    pub metrics: ForecastMetrics,
    pub bookmakers: Vec<BookmakerComparison>,
    pub predictions: Vec<Prediction>,
}

/// Replays `records` (chronological) from `config.from` to `config.to`: before each
/// refit date the forecaster sees only matches strictly earlier, then predicts every
/// match until the next refit.
pub fn run_backtest(
    records: &[MatchRecord],
    bookmakers: &[BookmakerForecasts],
    config: &BacktestConfig,
    forecaster: &mut dyn Forecaster,
) -> Result<BacktestReport, ModelError> {
    validate(records, bookmakers, config)?;
    let end = records.partition_point(|r| r.date <= config.to);
    let mut next = first_on_or_after(records, config.from);
    let mut predictions = Vec::with_capacity(end.saturating_sub(next));
    let mut refits = 0;
    while next < end {
        let refit_date = records[next].date;
        let block_end = match config.schedule {
            RefitSchedule::EveryMatchDate => first_after(records, refit_date),
            RefitSchedule::Weekly => first_on_or_after(records, refit_date + Duration::days(7)),
        }
        .min(end);
        let history_start = config
            .history
            .start(refit_date)
            .map_or(0, |start| first_on_or_after(records, start));
        forecaster.refit(&records[history_start..next], refit_date)?;
        refits += 1;
        for (offset, record) in records[next..block_end].iter().enumerate() {
            predictions.push(Prediction {
                record_index: next + offset,
                forecast: forecaster.predict(&record.home, &record.away)?,
            });
        }
        next = block_end;
    }
    Ok(score(forecaster.name(), refits, records, bookmakers, predictions))
}

fn validate(
    records: &[MatchRecord],
    bookmakers: &[BookmakerForecasts],
    config: &BacktestConfig,
) -> Result<(), ModelError> {
    if !is_chronological(records) {
        return Err(ModelError::InvalidInput("records must be sorted by date".into()));
    }
    if config.from > config.to {
        return Err(ModelError::InvalidInput("backtest range is empty".into()));
    }
    config.history.validate()?;
    if let Some(b) = bookmakers.iter().find(|b| b.probabilities.len() != records.len()) {
        return Err(ModelError::InvalidInput(format!(
            "bookmaker {} has {} entries for {} records",
            b.name,
            b.probabilities.len(),
            records.len()
        )));
    }
    Ok(())
}

fn first_after(records: &[MatchRecord], date: NaiveDate) -> usize {
    records.partition_point(|r| r.date <= date)
}

fn score(
    model: String,
    refits: usize,
    records: &[MatchRecord],
    bookmakers: &[BookmakerForecasts],
    predictions: Vec<Prediction>,
) -> BacktestReport {
    let mut overall = MetricsAccumulator::new();
    for p in &predictions {
        overall.push(p.forecast, records[p.record_index].outcome());
    }
    let bookmakers = bookmakers
        .iter()
        .map(|b| {
            let (mut book, mut ours) = (MetricsAccumulator::new(), MetricsAccumulator::new());
            for p in &predictions {
                if let Some(q) = b.probabilities[p.record_index] {
                    let outcome = records[p.record_index].outcome();
                    book.push(q, outcome);
                    ours.push(p.forecast, outcome);
                }
            }
            BookmakerComparison {
                name: b.name.clone(),
                bookmaker: book.summary(),
                model_on_same_matches: ours.summary(),
            }
        })
        .collect();
    BacktestReport {
        model,
        refits,
        metrics: overall.summary(),
        bookmakers,
        predictions,
    }
}
