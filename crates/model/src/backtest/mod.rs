//! Walk-forward backtesting: refit on the past only, predict the next block, score it.

mod engine;
mod forecaster;
mod window;

pub use engine::{
    BacktestConfig, BacktestReport, BookmakerComparison, BookmakerForecasts, Prediction, RefitSchedule,
    run_backtest,
};
pub use forecaster::{Forecaster, GoalModelForecaster, INTERVAL_Z};
pub use window::{HistoryWindow, SEASON_START, season_start};
