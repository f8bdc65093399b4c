//! `/api/v1/predictions` (your picks and stats), `/api/v1/users/{username}/stats|achievements`
//! and `/api/v1/leaderboards`.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use uuid::Uuid;

use super::{
    achievements, benchmark,
    leaderboard::{self, Scope},
    service, store,
    types::{
        AchievementView, CreatePick, Leaderboard, LeaderboardEntry, LeaderboardQuery, ModelLeaderboard,
        ModelLeaderboardEntry, PickFields, PickQuery, PickView, StatsView, ratio,
    },
};
use crate::{
    auth::extract::{AuthUser, MaybeAuthUser},
    db::entities::user,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Json as JsonBody, Path, Query},
        pagination::{Page, page_and_limit},
    },
    matches::handlers::find_competition,
    state::AppState,
    users::store as users,
};

/// Make a pick for a match: `result` (`outcome`), `exact_score` (`home_goals`, `away_goals`),
/// `over_under` (`line`, `side`) or `probabilities` (`home`, `draw`, `away`). One per type per
/// match; open until kick-off.
#[utoipa::path(post, path = "/predictions", tag = "picks", request_body = CreatePick,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = PickView), (status = 401, body = ErrorBody),
        (status = 404, description = "no such match", body = ErrorBody),
        (status = 409, description = "`pick_locked` after kick-off, `pick_exists` for a second pick of a type", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<CreatePick>,
) -> ApiResult<(StatusCode, Json<PickView>)> {
    let created = service::create(&state, auth.id(), &req).await?;
    Ok((StatusCode::CREATED, Json(service::view(&state, created).await?)))
}

/// Your picks, newest first.
#[utoipa::path(get, path = "/predictions", tag = "picks", params(PickQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<PickView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<PickQuery>,
) -> ApiResult<Json<Page<PickView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let (picks, total) = store::list(&state.db, auth.id(), query.match_id, query.status, page, limit).await?;
    Ok(Json(Page {
        items: service::views(&state, picks).await?,
        total,
        page,
        limit,
    }))
}

/// One of your picks. Someone else's is a 404.
#[utoipa::path(get, path = "/predictions/{id}", tag = "picks", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PickView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<PickView>> {
    let pick = store::of_user(&state.db, auth.id(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("pick"))?;
    Ok(Json(service::view(&state, pick).await?))
}

/// Change one of your picks before kick-off: send the fields of its type that change.
#[utoipa::path(patch, path = "/predictions/{id}", tag = "picks", params(("id" = Uuid, Path)), request_body = PickFields,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PickView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`pick_locked`: the match has kicked off", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), pick_id = %id))]
pub async fn update(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    JsonBody(change): JsonBody<PickFields>,
) -> ApiResult<Json<PickView>> {
    let updated = service::update(&state, auth.id(), id, &change).await?;
    Ok(Json(service::view(&state, updated).await?))
}

/// Withdraw one of your picks before kick-off.
#[utoipa::path(delete, path = "/predictions/{id}", tag = "picks", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "withdrawn"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "`pick_locked`: the match has kicked off", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), pick_id = %id))]
pub async fn withdraw(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    service::withdraw(&state, auth.id(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn stats_of(state: &AppState, user: user::Model) -> ApiResult<StatsView> {
    let row = store::stats(&state.db, user.id).await?;
    let scope = Scope {
        user_ids: Some(vec![user.id]),
        ..Scope::default()
    };
    let versus = leaderboard::versus_model(&state.db, &scope)
        .await?
        .first()
        .map(leaderboard::ModelRow::versus)
        .unwrap_or_default();
    Ok(StatsView::new(user.username, row, versus))
}

async fn active_user(state: &AppState, username: &str) -> ApiResult<user::Model> {
    users::by_username(&state.db, username)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| ApiError::not_found("user"))
}

/// Your prediction-game stats.
#[utoipa::path(get, path = "/predictions/stats", tag = "picks",
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = StatsView), (status = 401, body = ErrorBody)))]
pub async fn my_stats(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<StatsView>> {
    Ok(Json(stats_of(&state, auth.user).await?))
}

/// Anyone's prediction-game stats.
#[utoipa::path(get, path = "/users/{username}/stats", tag = "picks",
    params(("username" = String, Path, description = "case-insensitive")),
    responses((status = 200, body = StatsView), (status = 404, body = ErrorBody)))]
pub async fn user_stats(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> ApiResult<Json<StatsView>> {
    let user = active_user(&state, &username).await?;
    Ok(Json(stats_of(&state, user).await?))
}

/// Anyone's achievements, oldest first.
#[utoipa::path(get, path = "/users/{username}/achievements", tag = "picks",
    params(("username" = String, Path, description = "case-insensitive")),
    responses((status = 200, body = Vec<AchievementView>), (status = 404, body = ErrorBody)))]
pub async fn user_achievements(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> ApiResult<Json<Vec<AchievementView>>> {
    let user = active_user(&state, &username).await?;
    let earned = store::achievements(&state.db, user.id).await?;
    Ok(Json(
        earned
            .into_iter()
            .filter_map(|a| {
                let known = achievements::find(&a.code)?;
                Some(AchievementView {
                    code: a.code,
                    name: known.name.into(),
                    description: known.description.into(),
                    granted_at: a.granted_at,
                })
            })
            .collect(),
    ))
}

/// The scope, days and competition slug a leaderboard query asks for.
async fn scope_of(
    state: &AppState,
    query: &LeaderboardQuery,
) -> ApiResult<(
    Scope,
    Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    Option<String>,
)> {
    let period = query.period.unwrap_or_default();
    let days = leaderboard::period_days(period, query.date.unwrap_or_else(|| Utc::now().date_naive()));
    let competition = match &query.competition {
        Some(key) => Some(find_competition(state, key).await?),
        None => None,
    };
    let scope = Scope {
        competition_id: competition.as_ref().map(|c| c.id),
        ..Scope::default()
    }
    .days(days);
    Ok((scope, days, competition.map(|c| c.slug)))
}

fn period_name(query: &LeaderboardQuery) -> String {
    query.period.unwrap_or_default().as_str().into()
}

/// Players ranked by points from scored picks: all time, one week (Monday–Sunday, UTC) or one
/// month by kick-off, optionally in one competition.
#[utoipa::path(get, path = "/leaderboards", tag = "picks", params(LeaderboardQuery),
    responses((status = 200, body = Leaderboard), (status = 404, description = "no such competition", body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leaderboard(
    State(state): State<AppState>,
    MaybeAuthUser(caller): MaybeAuthUser,
    Query(query): Query<LeaderboardQuery>,
) -> ApiResult<Json<Leaderboard>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let (mut scope, days, competition) = scope_of(&state, &query).await?;
    if query.following == Some(true) {
        let me = caller
            .ok_or_else(|| ApiError::Unauthorized("sign in to see the board of people you follow".into()))?;
        let mut ids = crate::social::graph::followee_ids(&state.db, me.id()).await?;
        ids.push(me.id());
        scope.user_ids = Some(ids);
    }
    let (rows, total) = leaderboard::points(&state.db, &scope, page, limit).await?;
    let first = (page - 1) * limit;
    let items = rows
        .into_iter()
        .zip(first + 1..)
        .map(|(r, rank)| LeaderboardEntry {
            rank,
            accuracy: ratio(r.total_correct as f64, r.total_graded as f64),
            username: r.username,
            points: r.total_points,
            picks: r.total_scored,
            correct: r.total_correct,
            mean_rps: r.mean_rps,
        })
        .collect();
    Ok(Json(Leaderboard {
        period: period_name(&query),
        from: days.map(|d| d.0),
        to: days.map(|d| d.1),
        competition,
        items,
        total,
        page,
        limit,
    }))
}

/// "Beat the model": each player's probability picks (mean RPS) and result picks (accuracy)
/// against the platform's `best` forecast for the same matches — the one served before kick-off.
#[utoipa::path(get, path = "/leaderboards/model", tag = "picks", params(LeaderboardQuery),
    responses((status = 200, body = ModelLeaderboard), (status = 404, description = "no such competition", body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn model_leaderboard(
    State(state): State<AppState>,
    Query(query): Query<LeaderboardQuery>,
) -> ApiResult<Json<ModelLeaderboard>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let (scope, days, competition) = scope_of(&state, &query).await?;
    let mut rows = leaderboard::versus_model(&state.db, &scope).await?;
    // One row per player with a benchmarked pick: sorting in memory is fine at that size.
    leaderboard::sort_versus(&mut rows);
    let total = rows.len() as u64;
    let first = (page - 1) * limit;
    let items = rows
        .iter()
        .zip(1u64..)
        .skip(usize::try_from(first).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|(r, rank)| ModelLeaderboardEntry {
            rank,
            username: r.username.clone(),
            versus: r.versus(),
        })
        .collect();
    Ok(Json(ModelLeaderboard {
        period: period_name(&query),
        from: days.map(|d| d.0),
        to: days.map(|d| d.1),
        competition,
        model: benchmark::MODEL.as_str().into(),
        items,
        total,
        page,
        limit,
    }))
}
