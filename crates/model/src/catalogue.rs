//! The models the platform offers, by name, so the server and CLI can choose one from a
//! request or flag without knowing any configuration.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ModelError;
use crate::backtest::{Forecaster, GoalModelForecaster};
use crate::best::{ELO_BURN_IN_MATCHES, best_ensemble};
use crate::elo::{EloConfig, EloForecaster};
use crate::goals::GoalModelConfig;

/// A named, fully configured forecaster. Serialised (and parsed, displayed) in kebab case:
/// `poisson`, `dixon-coles`, `dixon-coles-shots`, `elo`, `best`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelName {
    Poisson,
    DixonColes,
    DixonColesShots,
    Elo,
    Best,
}

impl ModelName {
    /// Every model, simplest first.
    pub const ALL: [ModelName; 5] = [
        Self::Poisson,
        Self::DixonColes,
        Self::DixonColesShots,
        Self::Elo,
        Self::Best,
    ];

    /// The kebab-case name used in URLs, flags and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Poisson => "poisson",
            Self::DixonColes => "dixon-coles",
            Self::DixonColesShots => "dixon-coles-shots",
            Self::Elo => "elo",
            Self::Best => "best",
        }
    }

    /// One line for model pickers and `--help`.
    pub fn description(self) -> &'static str {
        match self {
            Self::Poisson => "Independent Poisson goals per side (Maher), no time decay.",
            Self::DixonColes => "Dixon-Coles goal model with low-score correction and time decay.",
            Self::DixonColesShots => "Dixon-Coles on goals blended with shots on target, with a ridge prior.",
            Self::Elo => "Elo ratings with home advantage, 1X2 from an ordered logit (no scores).",
            Self::Best => "Recommended: 70% shots Dixon-Coles + 30% Elo; score markets from the goal model.",
        }
    }

    /// Whether [`Forecaster::score_matrix`] returns a grid (score markets, expected goals).
    pub fn has_score_matrix(self) -> bool {
        self != Self::Elo
    }

    /// A fresh, unfitted forecaster with the model's configuration; call
    /// [`Forecaster::refit`] before predicting. Boxed as `Send` so it can be fitted on a
    /// blocking worker thread and then shared (`Arc::from`) across requests.
    pub fn forecaster(&self) -> Box<dyn Forecaster + Send> {
        match self {
            Self::Poisson => Box::new(GoalModelForecaster::new(
                self.as_str(),
                GoalModelConfig::poisson(),
            )),
            Self::DixonColes => Box::new(GoalModelForecaster::new(
                self.as_str(),
                GoalModelConfig::dixon_coles(),
            )),
            Self::DixonColesShots => Box::new(GoalModelForecaster::new(
                self.as_str(),
                GoalModelConfig::dixon_coles_shots(),
            )),
            Self::Elo => Box::new(EloForecaster::new(EloConfig::default(), ELO_BURN_IN_MATCHES)),
            Self::Best => Box::new(best_ensemble()),
        }
    }
}

impl fmt::Display for ModelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ModelName {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|m| m.as_str()).collect();
                ModelError::InvalidInput(format!(
                    "unknown model {s:?}; expected one of {}",
                    known.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for model in ModelName::ALL {
            assert_eq!(model.to_string().parse::<ModelName>().unwrap(), model);
            assert!(!model.description().is_empty());
            assert!(!model.forecaster().name().is_empty());
        }
        assert_eq!(ModelName::DixonColesShots.to_string(), "dixon-coles-shots");
        assert!("xgboost".parse::<ModelName>().is_err());
    }

    #[test]
    fn boxed_forecasters_can_cross_threads() {
        fn assert_send_sync<T: Send + Sync + ?Sized>() {}
        assert_send_sync::<dyn Forecaster>();
        let f: std::sync::Arc<dyn Forecaster + Send> = ModelName::Best.forecaster().into();
        std::thread::spawn(move || f.name()).join().unwrap();
    }
}
