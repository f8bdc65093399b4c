//! Monte Carlo of the rest of a season.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::fixture::ScoreSampler;
use super::table::add_result;
use super::{Fixture, FixtureDistribution, RandomSource, Standing};
use crate::ModelError;
use crate::backtest::Forecaster;

/// How many seasons to play and which places count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationConfig {
    pub seasons: usize,
    /// "Top N" places (Champions League: 4 in the Premier League).
    pub top: usize,
    /// Bottom places that go down.
    pub relegated: usize,
}

impl Default for SimulationConfig {
    /// 10,000 seasons: a 50% probability has a Monte Carlo standard error of 0.5 points.
    fn default() -> Self {
        Self {
            seasons: 10_000,
            top: 4,
            relegated: 3,
        }
    }
}

/// One team's simulated final standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamProjection {
    pub team: String,
    /// `[k]` = probability of finishing in position `k + 1`.
    pub position_probabilities: Vec<f64>,
    pub title: f64,
    pub top: f64,
    pub relegation: f64,
    pub expected_points: f64,
    /// 1 = champions.
    pub expected_position: f64,
}

/// Every team's projection, ordered by expected position (favourites first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeasonProjection {
    pub config: SimulationConfig,
    pub teams: Vec<TeamProjection>,
}

/// Plays the remaining `fixtures` `config.seasons` times from the current `table`.
///
/// Teams are ranked on points, goal difference, goals scored, then at random (the
/// Premier League goes on to head-to-head records and, for the places that matter, a
/// play-off; exact ties on all three are rare enough not to model). Teams in fixtures but
/// not in the table start from zero. Deterministic for a given generator state.
pub fn simulate_season(
    table: &[Standing],
    fixtures: &[(Fixture, FixtureDistribution)],
    config: &SimulationConfig,
    rng: &mut impl RandomSource,
) -> Result<SeasonProjection, ModelError> {
    let mut teams: Vec<Standing> = Vec::with_capacity(table.len());
    let mut index: HashMap<String, usize> = HashMap::with_capacity(table.len());
    for standing in table {
        if index.insert(standing.team.clone(), teams.len()).is_some() {
            return Err(ModelError::InvalidInput(format!(
                "{} appears twice in the table",
                standing.team
            )));
        }
        teams.push(standing.clone());
    }
    let mut samplers = Vec::with_capacity(fixtures.len());
    for (fixture, distribution) in fixtures {
        if fixture.home == fixture.away {
            return Err(ModelError::InvalidInput(format!(
                "{} cannot play itself",
                fixture.home
            )));
        }
        let mut slot = |name: &str| {
            *index.entry(name.to_owned()).or_insert_with(|| {
                teams.push(Standing::new(name));
                teams.len() - 1
            })
        };
        let pair = (slot(&fixture.home), slot(&fixture.away));
        samplers.push((pair, ScoreSampler::new(&distribution.to_score_matrix()?)));
    }
    validate(teams.len(), config)?;
    Ok(run(&teams, &samplers, config, rng))
}

/// [`simulate_season`] with each fixture priced by a fitted forecaster: its score grid
/// rescaled to its 1X2 (a no-op for goal models; for an ensemble, the goal model's
/// margins with the blended result probabilities), or its 1X2 alone if it has no grid.
pub fn simulate_with_forecaster(
    forecaster: &dyn Forecaster,
    table: &[Standing],
    fixtures: &[Fixture],
    config: &SimulationConfig,
    rng: &mut impl RandomSource,
) -> Result<SeasonProjection, ModelError> {
    let priced = fixtures
        .iter()
        .map(|f| {
            let outcome = forecaster.predict(&f.home, &f.away)?;
            let distribution = match forecaster.score_matrix(&f.home, &f.away)? {
                Some(matrix) => FixtureDistribution::Scores(matrix.with_outcome_probabilities(outcome)?),
                None => FixtureDistribution::Outcomes(outcome),
            };
            Ok((f.clone(), distribution))
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    simulate_season(table, &priced, config, rng)
}

fn validate(n_teams: usize, config: &SimulationConfig) -> Result<(), ModelError> {
    if n_teams < 2 {
        return Err(ModelError::InvalidInput(
            "a league needs at least two teams".into(),
        ));
    }
    if config.seasons == 0 {
        return Err(ModelError::InvalidInput("simulate at least one season".into()));
    }
    if config.top > n_teams || config.relegated > n_teams {
        return Err(ModelError::InvalidInput(format!(
            "top {} / relegated {} places in a {n_teams}-team league",
            config.top, config.relegated
        )));
    }
    Ok(())
}

/// The hot loop: per season, copy the table, draw every fixture, rank, count.
fn run(
    teams: &[Standing],
    samplers: &[((usize, usize), ScoreSampler)],
    config: &SimulationConfig,
    rng: &mut impl RandomSource,
) -> SeasonProjection {
    let n = teams.len();
    let base_points: Vec<i32> = teams.iter().map(|t| t.points).collect();
    let base_gd: Vec<i32> = teams.iter().map(|t| t.goal_difference).collect();
    let base_gf: Vec<i32> = teams.iter().map(|t| t.goals_for).collect();
    let (mut points, mut gd, mut gf) = (base_points.clone(), base_gd.clone(), base_gf.clone());
    let mut order: Vec<usize> = (0..n).collect();
    let mut keys: Vec<(i32, i32, i32, u64)> = vec![(0, 0, 0, 0); n];
    // position_counts[team * n + position]
    let mut position_counts = vec![0u32; n * n];
    let mut points_total = vec![0i64; n];
    for _ in 0..config.seasons {
        points.copy_from_slice(&base_points);
        gd.copy_from_slice(&base_gd);
        gf.copy_from_slice(&base_gf);
        for (pair, sampler) in samplers {
            add_result(&mut points, &mut gd, &mut gf, *pair, sampler.sample(rng));
        }
        for (t, key) in keys.iter_mut().enumerate() {
            *key = (points[t], gd[t], gf[t], rng.next_u64());
        }
        order.sort_unstable_by(|&x, &y| keys[y].cmp(&keys[x]));
        for (position, &t) in order.iter().enumerate() {
            position_counts[t * n + position] += 1;
            points_total[t] += i64::from(points[t]);
        }
    }
    summarise(teams, &position_counts, &points_total, config)
}

fn summarise(
    teams: &[Standing],
    position_counts: &[u32],
    points_total: &[i64],
    config: &SimulationConfig,
) -> SeasonProjection {
    let n = teams.len();
    let seasons = config.seasons as f64;
    let mut projections: Vec<TeamProjection> = teams
        .iter()
        .enumerate()
        .map(|(t, standing)| {
            let probabilities: Vec<f64> = position_counts[t * n..(t + 1) * n]
                .iter()
                .map(|&c| f64::from(c) / seasons)
                .collect();
            TeamProjection {
                team: standing.team.clone(),
                title: probabilities[0],
                top: probabilities[..config.top].iter().sum(),
                relegation: probabilities[n - config.relegated..].iter().sum(),
                expected_points: points_total[t] as f64 / seasons,
                expected_position: probabilities
                    .iter()
                    .enumerate()
                    .map(|(k, p)| (k + 1) as f64 * p)
                    .sum(),
                position_probabilities: probabilities,
            }
        })
        .collect();
    projections.sort_by(|x, y| x.expected_position.total_cmp(&y.expected_position));
    SeasonProjection {
        config: *config,
        teams: projections,
    }
}
