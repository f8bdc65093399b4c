//! The recommended forecaster.

use crate::backtest::GoalModelForecaster;
use crate::elo::{EloConfig, EloForecaster};
use crate::goals::GoalModelConfig;
use crate::{EnsembleForecaster, ModelError};

/// Weight of Elo in [`best_forecaster`], chosen on the 2015-19 validation seasons
/// (0.3, 0.4 and 0.5 were within 0.0002 RPS of each other; 0.3 was best).
pub const BEST_ELO_WEIGHT: f64 = 0.3;

/// Elo's burn-in: one season of a 20-team league.
pub(crate) const ELO_BURN_IN_MATCHES: usize = 380;

/// "Best" model: 70% shots-on-target Dixon-Coles with a ridge prior
/// ([`GoalModelConfig::dixon_coles_shots`]) + 30% Elo with an ordered-logit draw model.
pub fn best_forecaster() -> Result<EnsembleForecaster, ModelError> {
    Ok(best_ensemble())
}

/// [`best_forecaster`] without the `Result`: its weights are constants known valid, so
/// the catalogue can build it infallibly.
pub(crate) fn best_ensemble() -> EnsembleForecaster {
    EnsembleForecaster {
        label: "best (dc-shots + elo)".into(),
        members: vec![
            (
                Box::new(GoalModelForecaster::new(
                    "dixon-coles-shots",
                    GoalModelConfig::dixon_coles_shots(),
                )),
                1.0 - BEST_ELO_WEIGHT,
            ),
            (
                Box::new(EloForecaster::new(EloConfig::default(), ELO_BURN_IN_MATCHES)),
                BEST_ELO_WEIGHT,
            ),
        ],
    }
}
