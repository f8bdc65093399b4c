//! Season simulation: Monte Carlo over a season's remaining fixtures with the current model.

use std::time::{Duration, Instant};

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use pundit_model::simulation::{
    Fixture, SimulationConfig, Xoshiro256PlusPlus, league_table, simulate_with_forecaster,
};

use super::{
    training,
    types::{SimulationQuery, SimulationResponse, TeamOutlook, model_name},
};
use crate::{
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Path, Query},
    matches::{
        handlers::{find_competition, find_season},
        store,
    },
    state::AppState,
};

/// Probability of every final position, the title, the top places and relegation, and expected
/// points, from 10,000 simulated finishes of the season (results before `as_of` are kept).
#[utoipa::path(get, path = "/competitions/{competition}/simulation", tag = "forecasts",
    params(("competition" = String, Path, description = "id or slug"), SimulationQuery),
    responses((status = 200, body = SimulationResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn simulate(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<SimulationQuery>,
) -> ApiResult<Response> {
    let json = project_json(&state, &key, &query).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

/// The projection as JSON, cached by everything that determines it.
async fn project_json(state: &AppState, key: &str, query: &SimulationQuery) -> ApiResult<Vec<u8>> {
    let model = model_name(query.model.as_deref())?;
    let runs = query.runs.unwrap_or(10_000);
    if !(100..=100_000).contains(&runs) {
        return Err(ApiError::invalid_field(
            "runs",
            "range",
            "runs must be between 100 and 100000",
        ));
    }
    let competition = find_competition(state, key).await?;
    let season = find_season(state, competition.id, query.season.as_deref()).await?;
    let today = Utc::now().date_naive();
    let as_of = query.as_of.unwrap_or(today);
    let matches = store::season_matches(&state.db, season.id).await?;
    let team_ids = matches
        .iter()
        .flat_map(|m| [m.home_team_id, m.away_team_id])
        .collect();
    let teams = store::teams_by_id(&state.db, team_ids).await?;
    let (played, remaining): (Vec<_>, Vec<_>) = matches
        .into_iter()
        .filter(|m| m.status != "cancelled")
        .partition(|m| m.status == "finished" && m.match_date < as_of);
    let table = league_table(&training::from_matches(&played, &teams).records);
    let fixtures: Vec<Fixture> = remaining
        .iter()
        .filter_map(|m| {
            Some(Fixture::new(
                teams.get(&m.home_team_id)?.name.clone(),
                teams.get(&m.away_team_id)?.name.clone(),
            ))
        })
        .collect();
    let fit_date = (as_of < today).then_some(as_of);
    let fitted = state
        .forecasts
        .fitted(&state.db, competition.id, model, fit_date)
        .await?;

    let config = SimulationConfig {
        seasons: runs as usize,
        top: query.top.unwrap_or(4),
        relegated: query.relegated.unwrap_or(3),
    };
    let cache_key = format!(
        "sim:{}:{}:{}:{}:{}:{}:{}",
        season.id, as_of, model, fitted.fingerprint, runs, config.top, config.relegated
    );
    if let Some(json) = state.cache.get(&cache_key).await {
        return Ok(json);
    }
    let forecaster = fitted.forecaster.clone();
    let started = Instant::now();
    let remaining_fixtures = fixtures.len();
    // Seeded by what is simulated, so the same question gets the same answer.
    let seed = u64::from(season.id.unsigned_abs()) << 32 ^ u64::try_from(as_of.to_epoch_days()).unwrap_or(0);
    let projection = tokio::task::spawn_blocking(move || {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        simulate_with_forecaster(forecaster.as_ref(), &table, &fixtures, &config, &mut rng)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(|e| ApiError::Unprocessable {
        code: "cannot_simulate",
        message: e.to_string(),
    })?;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;

    let current: std::collections::HashMap<String, i32> =
        league_table(&training::from_matches(&played, &teams).records)
            .into_iter()
            .map(|s| (s.team, s.points))
            .collect();
    let mut outlooks: Vec<TeamOutlook> = projection
        .teams
        .into_iter()
        .map(|t| TeamOutlook {
            current_points: current.get(&t.team).copied().unwrap_or(0),
            team: t.team,
            expected_points: t.expected_points,
            expected_position: t.expected_position,
            title: t.title,
            top: t.top,
            relegation: t.relegation,
            positions: t.position_probabilities,
        })
        .collect();
    outlooks.sort_by(|a, b| a.expected_position.total_cmp(&b.expected_position));
    let response = SimulationResponse {
        competition: competition.slug,
        season: season.name,
        as_of,
        model: model.as_str().into(),
        runs,
        remaining_fixtures,
        elapsed_ms,
        teams: outlooks,
    };
    let json = serde_json::to_vec(&response).map_err(|e| ApiError::Internal(e.into()))?;
    state
        .cache
        .set(&cache_key, json.clone(), Duration::from_secs(600))
        .await;
    Ok(json)
}

/// Runs (or reuses) a projection for the CLI and other callers.
pub async fn project(state: &AppState, key: &str, query: &SimulationQuery) -> ApiResult<SimulationResponse> {
    let json = project_json(state, key, query).await?;
    serde_json::from_slice(&json).map_err(|e| ApiError::Internal(e.into()))
}
