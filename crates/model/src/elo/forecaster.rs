//! Elo as a backtestable forecaster.

use chrono::NaiveDate;

use super::{EloConfig, EloRatings, OrderedLogit};
use crate::backtest::Forecaster;
use crate::{MatchRecord, ModelError, Outcome3};

/// Replays the history through Elo at each refit, then fits the draw model on the
/// pre-match rating differences after a burn-in (early ratings are still noise).
#[derive(Debug, Clone)]
pub struct EloForecaster {
    pub config: EloConfig,
    /// Matches at the start of each history used only to warm the ratings up.
    pub burn_in: usize,
    state: Option<(EloRatings, OrderedLogit)>,
}

impl EloForecaster {
    pub fn new(config: EloConfig, burn_in: usize) -> Self {
        Self {
            config,
            burn_in,
            state: None,
        }
    }
}

impl Forecaster for EloForecaster {
    fn name(&self) -> String {
        "elo".into()
    }

    fn refit(&mut self, history: &[MatchRecord], _as_of: NaiveDate) -> Result<(), ModelError> {
        let mut ratings = EloRatings::new(self.config);
        let mut observations = Vec::with_capacity(history.len().saturating_sub(self.burn_in));
        for (k, record) in history.iter().enumerate() {
            let diff = ratings.update(record);
            if k >= self.burn_in {
                observations.push((diff, record.outcome()));
            }
        }
        let logit = OrderedLogit::fit(&observations)?;
        self.state = Some((ratings, logit));
        Ok(())
    }

    fn predict(&self, home: &str, away: &str) -> Result<Outcome3, ModelError> {
        let (ratings, logit) = self
            .state
            .as_ref()
            .ok_or_else(|| ModelError::InvalidInput("predict called before refit".into()))?;
        logit.predict(ratings.rating_difference(home, away))
    }
}
