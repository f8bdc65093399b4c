//! Live endpoints: match state, weather at kick-off, team news, provider health, manual polls,
//! replays, and team venue details (admin).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{NaiveDate, Utc};
use pundit_data::live::{NewsItem, WeatherReport, news, weather};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    espn,
    provider::ProviderStatus,
    replay,
    snapshot::{self, LiveSnapshot},
};
use crate::{
    auth::extract::AuthUser,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Json as JsonBody, Path, Query},
    matches::{
        store,
        types::{MatchStatus, MatchView, ScoreView, TeamView},
    },
    state::AppState,
    users::types::Role,
};

/// The live state of a match: from the last provider poll or replay step, else from the database.
#[utoipa::path(get, path = "/matches/{id}/live", tag = "live", params(("id" = i32, Path)),
    responses((status = 200, body = LiveSnapshot), (status = 404, body = ErrorBody)))]
pub async fn match_live(State(state): State<AppState>, Path(id): Path<i32>) -> ApiResult<Json<LiveSnapshot>> {
    if let Some(snapshot) = snapshot::load(&state, id).await {
        return Ok(Json(snapshot));
    }
    let m = store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let (home_reds, away_reds) = super::sync::red_cards_of(&m);
    Ok(Json(LiveSnapshot {
        match_id: m.id,
        source: "database".into(),
        simulated: m.source == "replay",
        status: MatchStatus::from_db(&m.status),
        minute: m.minute,
        score: m
            .home_goals
            .zip(m.away_goals)
            .map(|(home, away)| ScoreView { home, away }),
        red_cards: ScoreView {
            home: i16::try_from(home_reds).unwrap_or(0),
            away: i16::try_from(away_reds).unwrap_or(0),
        },
        stats: m.stats.clone(),
        key_events: Vec::new(),
        lineups: None,
        venue: None,
        fetched_at: m.updated_at,
        stale: false,
    }))
}

/// The Open-Meteo request for one day at a venue (also the key its answer is cached under).
pub fn weather_path(latitude: f64, longitude: f64, day: NaiveDate) -> String {
    format!(
        "/forecast?latitude={latitude:.4}&longitude={longitude:.4}&hourly=temperature_2m,precipitation,precipitation_probability,wind_speed_10m,weather_code&timezone=UTC&start_date={day}&end_date={day}"
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchWeather {
    pub match_id: i32,
    pub latitude: f64,
    pub longitude: f64,
    #[schema(value_type = Object)]
    pub report: WeatherReport,
    pub stale: bool,
}

/// Weather at the venue around kick-off (Open-Meteo), from the home team's venue coordinates.
#[utoipa::path(get, path = "/matches/{id}/weather", tag = "live", params(("id" = i32, Path)),
    responses((status = 200, body = MatchWeather), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn match_weather(
    State(state): State<AppState>,
    Path(id): Path<i32>,
) -> ApiResult<Json<MatchWeather>> {
    let m = store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let home = store::team(&state.db, m.home_team_id)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))?;
    let (Some(latitude), Some(longitude)) = (home.latitude, home.longitude) else {
        return Err(ApiError::Unprocessable {
            code: "no_venue_coordinates",
            message: format!(
                "{} has no venue coordinates; an admin can set them with PATCH /api/v1/teams/{}",
                home.name, home.id
            ),
        });
    };
    let path = weather_path(latitude, longitude, m.kickoff_at.date_naive());
    let fetched = state
        .live
        .weather
        .get(&path, std::time::Duration::from_secs(1800))
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let hours = weather::parse_forecast(&fetched.body).map_err(|e| ApiError::Unprocessable {
        code: "provider_payload",
        message: e.to_string(),
    })?;
    let report = weather::weather_at(&hours, m.kickoff_at).ok_or_else(|| ApiError::Unprocessable {
        code: "no_forecast",
        message: "the weather service has no forecast near this kick-off".into(),
    })?;
    Ok(Json(MatchWeather {
        match_id: id,
        latitude,
        longitude,
        report,
        stale: fetched.stale,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewsFeed {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<NewsItem>,
    /// Feeds that failed and were served from their last good copy.
    pub stale: bool,
}

/// News from the configured feeds about `teams`, newest first.
async fn news_about(state: &AppState, teams: &[String]) -> ApiResult<NewsFeed> {
    let mut items = Vec::new();
    let mut stale = false;
    for feed in &state.live.news {
        match feed.get("", std::time::Duration::from_secs(600)).await {
            Ok(fetched) => {
                stale |= fetched.stale;
                if let Ok(parsed) = news::parse_feed(&fetched.body) {
                    items.extend(
                        parsed
                            .into_iter()
                            .filter(|i| teams.iter().any(|t| i.teams.contains(t))),
                    );
                }
            }
            Err(e) => tracing::debug!(error = %e, "news feed unavailable"),
        }
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.published));
    items.dedup_by(|a, b| a.link == b.link && a.title == b.title);
    Ok(NewsFeed { items, stale })
}

/// Team news (injuries, line-ups, transfers, suspensions) about either side of a match.
#[utoipa::path(get, path = "/matches/{id}/news", tag = "live", params(("id" = i32, Path)),
    responses((status = 200, body = NewsFeed), (status = 404, body = ErrorBody)))]
pub async fn match_news(State(state): State<AppState>, Path(id): Path<i32>) -> ApiResult<Json<NewsFeed>> {
    let m = store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let teams = store::teams_by_id(&state.db, [m.home_team_id, m.away_team_id].into()).await?;
    let names: Vec<String> = teams.into_values().map(|t| t.name).collect();
    Ok(Json(news_about(&state, &names).await?))
}

/// News about one team.
#[utoipa::path(get, path = "/teams/{id}/news", tag = "live", params(("id" = i32, Path)),
    responses((status = 200, body = NewsFeed), (status = 404, body = ErrorBody)))]
pub async fn team_news(State(state): State<AppState>, Path(id): Path<i32>) -> ApiResult<Json<NewsFeed>> {
    let team = store::team(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))?;
    Ok(Json(news_about(&state, &[team.name]).await?))
}

/// Health of each live-data provider: circuit state, last success, last error.
#[utoipa::path(get, path = "/live/providers", tag = "live", responses((status = 200, body = Vec<ProviderStatus>)))]
pub async fn providers(State(state): State<AppState>) -> Json<Vec<ProviderStatus>> {
    Json(state.live.providers().into_iter().map(|p| p.status()).collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PollQuery {
    /// ESPN league code (`eng.1`, ...); every league when omitted.
    pub league: Option<String>,
    /// Day to fetch (default today).
    pub date: Option<NaiveDate>,
}

/// Poll the scoreboard now (admin), instead of waiting for the scheduler.
#[utoipa::path(post, path = "/live/poll", tag = "live", params(PollQuery), security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<espn::PollReport>), (status = 403, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn poll_now(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<PollQuery>,
) -> ApiResult<Json<Vec<espn::PollReport>>> {
    auth.require_role(Role::Admin)?;
    let date = query.date.unwrap_or_else(|| Utc::now().date_naive());
    let leagues: Vec<&str> = match query.league.as_deref() {
        Some(league) => vec![league],
        None => espn::LEAGUES.iter().map(|(code, _)| *code).collect(),
    };
    let mut reports = Vec::new();
    for league in leagues {
        reports.push(espn::poll(&state, &state.live, league, date).await?);
    }
    Ok(Json(reports))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplayRequest {
    /// A finished match to play back.
    pub match_id: i32,
    /// Match minutes per second (default 1: a match takes 90 seconds).
    pub speed: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayStarted {
    /// The simulated fixture being played (follow `match:<id>`).
    #[serde(rename = "match")]
    pub replay: MatchView,
    pub simulated: bool,
}

/// Replay a finished match as a simulated live match (admin): a new fixture kicks off now and
/// is played minute by minute through the live path.
#[utoipa::path(post, path = "/live/replays", tag = "live", request_body = ReplayRequest,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 202, body = ReplayStarted), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_replay(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<ReplayRequest>,
) -> ApiResult<(StatusCode, Json<ReplayStarted>)> {
    auth.require_role(Role::Admin)?;
    let m = replay::start(&state, req.match_id, req.speed.unwrap_or(1.0)).await?;
    let view = store::match_views(&state.db, std::slice::from_ref(&m))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("match"))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ReplayStarted {
            replay: view,
            simulated: true,
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTeam {
    pub venue: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Set a team's venue and coordinates (admin), used for weather at kick-off.
#[utoipa::path(patch, path = "/teams/{id}", tag = "matches", params(("id" = i32, Path)), request_body = UpdateTeam,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_team(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    JsonBody(req): JsonBody<UpdateTeam>,
) -> ApiResult<Json<TeamView>> {
    auth.require_role(Role::Admin)?;
    if req.latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
        return Err(ApiError::invalid_field("latitude", "range", "between -90 and 90"));
    }
    if req.longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
        return Err(ApiError::invalid_field(
            "longitude",
            "range",
            "between -180 and 180",
        ));
    }
    let team = store::team(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))?;
    let mut active = team.into_active_model();
    if let Some(v) = req.venue {
        active.venue = Set(Some(v.trim().to_string()).filter(|s| !s.is_empty()));
    }
    if let Some(v) = req.country {
        active.country = Set(Some(v.trim().to_string()).filter(|s| !s.is_empty()));
    }
    if req.latitude.is_some() {
        active.latitude = Set(req.latitude);
    }
    if req.longitude.is_some() {
        active.longitude = Set(req.longitude);
    }
    Ok(Json(active.update(&state.db).await?.into()))
}
