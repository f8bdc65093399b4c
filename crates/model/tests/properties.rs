#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::Duration;
use proptest::prelude::*;
use pundit_model::goals::{GoalModelConfig, fit_goal_model};
use pundit_model::markets::ScoreMatrix;
use pundit_model::metrics::ranked_probability_score;
use pundit_model::odds::{DevigMethod, implied_probabilities};
use pundit_model::uncertainty::outcome_intervals;
use pundit_model::{MatchOutcome, Outcome3};
use support::simulate::{simulate_league, team_name};

proptest! {
    #[test]
    fn score_matrix_and_markets_sum_to_one(
        home in 0.05f64..4.0, away in 0.05f64..4.0, rho in -0.2f64..0.2, line in 0usize..6,
    ) {
        let m = ScoreMatrix::from_rates(home, away, rho).unwrap();
        let total: f64 = m.cells().map(|(_, _, p)| p).sum();
        prop_assert!((total - 1.0).abs() < 1e-9);
        let o = m.outcome3().unwrap();
        prop_assert!((o.home + o.draw + o.away - 1.0).abs() < 1e-9);
        let (over, under) = m.over_under(line as f64 + 0.5).unwrap();
        prop_assert!((over + under - 1.0).abs() < 1e-9);
        for ah in m.asian_handicap_ladder().unwrap() {
            let s = ah.win + ah.half_win + ah.push + ah.half_lose + ah.lose;
            prop_assert!((s - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn rps_is_within_unit_interval(h in 0.0f64..1.0, d in 0.0f64..1.0, a in 0.0f64..1.0, k in 0usize..3) {
        prop_assume!(h + d + a > 1e-6);
        let p = Outcome3::normalized(h, d, a).unwrap();
        let outcome = [MatchOutcome::Home, MatchOutcome::Draw, MatchOutcome::Away][k];
        let rps = ranked_probability_score(&p, outcome);
        prop_assert!((0.0..=1.0).contains(&rps));
    }

    #[test]
    fn devigged_probabilities_sum_to_one(odds in proptest::collection::vec(1.01f64..30.0, 2..6)) {
        for method in [DevigMethod::Proportional, DevigMethod::Shin, DevigMethod::Power] {
            let p = implied_probabilities(&odds, method).unwrap();
            prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            prop_assert!(p.iter().all(|x| x.is_finite() && *x >= 0.0));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn fits_recover_simulated_home_advantage(seed in 0u64..1000) {
        let league = simulate_league(seed, 16, 6);
        let reference = league.matches.last().unwrap().date + Duration::days(1);
        let model = fit_goal_model(&league.matches, reference, &GoalModelConfig::dixon_coles().with_xi(0.0), None).unwrap();
        // ~1440 matches: standard error of h is about 0.035.
        prop_assert!((model.home_advantage - league.home_advantage).abs() < 0.15);
        prop_assert!((model.intercept - league.intercept).abs() < 0.15);
        let error: f64 = (0..16)
            .map(|t| {
                let r = model.rating(&team_name(t)).unwrap();
                (r.attack - league.attack[t]).abs() + (r.defence - league.defence[t]).abs()
            })
            .sum::<f64>()
            / 32.0;
        prop_assert!(error < 0.1, "mean rating error {error}");
    }
}

#[test]
fn intervals_cover_the_estimate_and_shrink_with_data() {
    let short = simulate_league(5, 20, 1);
    let long = simulate_league(5, 20, 6);
    let width = |league: &support::simulate::League| {
        let reference = league.matches.last().unwrap().date + Duration::days(1);
        let model =
            fit_goal_model(&league.matches, reference, &GoalModelConfig::dixon_coles(), None).unwrap();
        let ci = outcome_intervals(&model, &team_name(0), &team_name(1), 1.96).unwrap();
        assert!(ci.home.lower <= ci.home.estimate && ci.home.estimate <= ci.home.upper);
        assert!(ci.draw.standard_error > 0.0);
        ci.home.upper - ci.home.lower
    };
    assert!(width(&long) < width(&short));
}
