#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::Duration;
use pundit_model::ModelName;
use pundit_model::simulation::{
    Fixture, FixtureDistribution, SeasonProjection, SimulationConfig, Standing, Xoshiro256PlusPlus,
    league_table, simulate_season, simulate_with_forecaster,
};
use pundit_model::{MatchRecord, Outcome3};
use support::simulate::simulate_league;

/// Last season plus 280 matches of this one played, 100 to go.
fn projection(model: ModelName, seed: u64, seasons: usize) -> SeasonProjection {
    let league = simulate_league(21, 20, 2);
    let (played, remaining) = league.matches.split_at(380 + 280);
    let mut forecaster = model.forecaster();
    forecaster
        .refit(played, played.last().unwrap().date + Duration::days(1))
        .unwrap();
    let fixtures: Vec<Fixture> = remaining.iter().map(|r| Fixture::new(&r.home, &r.away)).collect();
    let config = SimulationConfig {
        seasons,
        ..SimulationConfig::default()
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    simulate_with_forecaster(
        forecaster.as_ref(),
        &league_table(&played[380..]),
        &fixtures,
        &config,
        &mut rng,
    )
    .unwrap()
}

fn assert_consistent(p: &SeasonProjection) {
    let n = p.teams.len();
    assert_eq!(n, 20);
    for team in &p.teams {
        let total: f64 = team.position_probabilities.iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{} sums to {total}", team.team);
    }
    for position in 0..n {
        let total: f64 = p.teams.iter().map(|t| t.position_probabilities[position]).sum();
        assert!((total - 1.0).abs() < 1e-9, "position {position} sums to {total}");
    }
    let sum = |f: fn(&pundit_model::simulation::TeamProjection) -> f64| p.teams.iter().map(f).sum::<f64>();
    assert!((sum(|t| t.title) - 1.0).abs() < 1e-9);
    assert!((sum(|t| t.top) - 4.0).abs() < 1e-9);
    assert!((sum(|t| t.relegation) - 3.0).abs() < 1e-9);
    assert!((sum(|t| t.expected_position) - 210.0).abs() < 1e-6);
    assert!(
        p.teams
            .windows(2)
            .all(|w| w[0].expected_position <= w[1].expected_position)
    );
}

#[test]
fn probabilities_sum_to_one_by_team_and_by_position() {
    assert_consistent(&projection(ModelName::DixonColes, 1, 2_000));
    // Elo has no score grid: outcomes from its 1X2, scores from the default grid.
    assert_consistent(&projection(ModelName::Elo, 1, 500));
}

#[test]
fn a_fixed_seed_reproduces_the_projection() {
    let a = projection(ModelName::DixonColes, 7, 500);
    assert_eq!(a, projection(ModelName::DixonColes, 7, 500));
    assert_ne!(a, projection(ModelName::DixonColes, 8, 500));
}

#[test]
fn expected_points_add_the_current_total_to_the_remaining_expectation() {
    let league = simulate_league(21, 20, 2);
    let table = league_table(&league.matches[380..660]);
    let p = projection(ModelName::DixonColes, 3, 2_000);
    // Each of 100 matches hands out 2 or 3 points.
    let current: f64 = table.iter().map(|s| f64::from(s.points)).sum();
    let expected: f64 = p.teams.iter().map(|t| t.expected_points).sum();
    assert!(
        expected > current + 200.0 && expected < current + 300.0,
        "{current} {expected}"
    );
}

#[test]
fn a_thirty_point_lead_with_three_games_left_is_a_certain_title() {
    let names: Vec<String> = (0..6).map(|k| format!("T{k}")).collect();
    let table: Vec<Standing> = names
        .iter()
        .enumerate()
        .map(|(k, name)| Standing {
            points: if k == 0 { 90 } else { 60 - k as i32 },
            ..Standing::new(name.as_str())
        })
        .collect();
    // Three rounds: every team plays three more games, the leader loses them all at
    // worst, the chasers can gain at most nine points.
    let rounds = [
        [(0, 1), (2, 3), (4, 5)],
        [(2, 0), (1, 4), (5, 3)],
        [(0, 5), (3, 1), (4, 2)],
    ];
    let coin = Outcome3::new(0.1, 0.1, 0.8).unwrap();
    let fixtures: Vec<(Fixture, FixtureDistribution)> = rounds
        .iter()
        .flatten()
        .map(|&(h, a)| {
            (
                Fixture::new(&names[h], &names[a]),
                FixtureDistribution::Outcomes(coin),
            )
        })
        .collect();
    let config = SimulationConfig {
        seasons: 1_000,
        top: 2,
        relegated: 1,
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let p = simulate_season(&table, &fixtures, &config, &mut rng).unwrap();
    let leader = p.teams.iter().find(|t| t.team == "T0").unwrap();
    assert_eq!(leader.title, 1.0);
    assert_eq!(leader.expected_position, 1.0);
}

#[test]
fn bad_inputs_are_rejected() {
    let table = vec![Standing::new("A"), Standing::new("B")];
    let fixture = |h: &str, a: &str| {
        (
            Fixture::new(h, a),
            FixtureDistribution::Outcomes(Outcome3::new(0.4, 0.3, 0.3).unwrap()),
        )
    };
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0);
    let config = SimulationConfig::default();
    let twice = vec![Standing::new("A"), Standing::new("A")];
    assert!(simulate_season(&twice, &[], &config, &mut rng).is_err());
    assert!(simulate_season(&table, &[fixture("A", "A")], &config, &mut rng).is_err());
    assert!(simulate_season(&table, &[fixture("A", "B")], &config, &mut rng).is_err()); // top 4 of 2
    let small = SimulationConfig {
        seasons: 10,
        top: 1,
        relegated: 1,
    };
    // A team only in the fixtures joins the table with zero points.
    let p = simulate_season(&table, &[fixture("A", "C")], &small, &mut rng).unwrap();
    assert_eq!(p.teams.len(), 3);
}

#[test]
fn league_table_ranks_points_then_goal_difference() {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 8, 17).unwrap();
    let table = league_table(&[
        MatchRecord::new(d, "A", "B", 1, 0),
        MatchRecord::new(d, "C", "D", 3, 0),
        MatchRecord::new(d, "B", "D", 2, 2),
    ]);
    let order: Vec<&str> = table.iter().map(|s| s.team.as_str()).collect();
    assert_eq!(order, ["C", "A", "B", "D"]);
    assert_eq!(
        (table[0].points, table[0].goal_difference, table[0].goals_for),
        (3, 3, 3)
    );
    assert_eq!((table[3].points, table[3].goal_difference), (1, -3));
}
