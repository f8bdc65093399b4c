#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;

use chrono::Duration;
use pundit_model::ModelName;
use pundit_model::backtest::Forecaster;
use support::simulate::{simulate_league, team_name};

#[test]
fn every_model_forecasts_what_it_can() {
    let league = simulate_league(11, 16, 3);
    let as_of = league.matches.last().unwrap().date + Duration::days(1);
    let (home, away) = (team_name(0), team_name(1));
    for name in ModelName::ALL {
        let mut forecaster = name.forecaster();
        forecaster.refit(&league.matches, as_of).unwrap();
        let shared: Arc<dyn Forecaster + Send> = Arc::from(forecaster);
        let forecast = shared.forecast(&home, &away).unwrap();
        assert_eq!(forecast.outcome, shared.predict(&home, &away).unwrap(), "{name}");
        assert_eq!(forecast.score_matrix.is_some(), name.has_score_matrix(), "{name}");
        assert_eq!(
            forecast.expected_goals.is_some(),
            name.has_score_matrix(),
            "{name}"
        );
        assert_eq!(forecast.intervals.is_some(), name != ModelName::Elo, "{name}");
        if let Some(ci) = forecast.intervals {
            // Centred on the headline 1X2, the blended one for the ensemble.
            assert_eq!(ci.home.estimate, forecast.outcome.home, "{name}");
            assert!(ci.home.lower < ci.home.upper);
        }
        if name != ModelName::Best
            && let Some(m) = &forecast.score_matrix
        {
            let o = m.outcome3().unwrap();
            assert!((o.home - forecast.outcome.home).abs() < 1e-12, "{name}");
        }
        // A newcomer gets a forecast but no interval.
        let newcomer = shared.forecast("Promoted FC", &away).unwrap();
        assert!(newcomer.intervals.is_none());
    }
}
