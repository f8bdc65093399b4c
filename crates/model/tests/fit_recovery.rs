#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::Duration;
use pundit_model::goals::{GoalModelConfig, fit_goal_model};
use support::simulate::{simulate_league, team_name};

#[test]
fn poisson_fit_recovers_simulated_parameters() {
    let league = simulate_league(7, 20, 10);
    let reference = league.matches.last().unwrap().date + Duration::days(1);
    let model = fit_goal_model(&league.matches, reference, &GoalModelConfig::poisson(), None).unwrap();
    assert!((model.home_advantage - league.home_advantage).abs() < 0.06);
    assert!((model.intercept - league.intercept).abs() < 0.06);
    for t in 0..20 {
        let r = model.rating(&team_name(t)).unwrap();
        // Standard errors are about 0.05 with ten seasons: allow four of them.
        assert!((r.attack - league.attack[t]).abs() < 0.2, "attack {t}");
        assert!((r.defence - league.defence[t]).abs() < 0.2, "defence {t}");
    }
}

#[test]
fn dixon_coles_fit_converges_and_rho_is_small_on_independent_data() {
    let league = simulate_league(11, 20, 3);
    let reference = league.matches.last().unwrap().date + Duration::days(1);
    let model = fit_goal_model(&league.matches, reference, &GoalModelConfig::dixon_coles(), None).unwrap();
    assert!(model.rho.abs() < 0.15, "rho {}", model.rho);
    assert!(model.summary.iterations < 30);
    let warm = fit_goal_model(
        &league.matches,
        reference,
        &GoalModelConfig::dixon_coles(),
        Some(&model),
    )
    .unwrap();
    assert!(warm.summary.warm_started);
    assert!(warm.summary.iterations <= 1);
}
