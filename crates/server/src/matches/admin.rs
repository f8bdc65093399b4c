//! Admin writes: create, correct and delete fixtures, with the rules a league secretary would apply.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use super::{
    fixtures, store,
    types::{CreateMatch, MatchDetail, MatchStatus, UpdateMatch},
};
use crate::{
    auth::extract::AuthUser,
    db::entities::football_match as fm,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Json as JsonBody, Path},
    state::AppState,
    users::types::Role,
};

/// Create a fixture.
#[utoipa::path(post, path = "/matches", tag = "matches", request_body = CreateMatch,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = MatchDetail), (status = 403, body = ErrorBody),
        (status = 409, description = "the same pairing on the same day exists", body = ErrorBody),
        (status = 422, description = "same teams, unknown team or competition", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id()))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<CreateMatch>,
) -> ApiResult<(StatusCode, Json<MatchDetail>)> {
    auth.require_role(Role::Admin)?;
    if req.home_team_id == req.away_team_id {
        return Err(ApiError::invalid_field(
            "away_team_id",
            "same_team",
            "a team cannot play itself",
        ));
    }
    let competition = store::competition(&state.db, &req.competition)
        .await?
        .ok_or_else(|| {
            ApiError::invalid_field("competition", "unknown_competition", "no such competition")
        })?;
    for (field, id) in [
        ("home_team_id", req.home_team_id),
        ("away_team_id", req.away_team_id),
    ] {
        if store::team(&state.db, id).await?.is_none() {
            return Err(ApiError::invalid_field(field, "unknown_team", "no such team"));
        }
    }
    let fixture = fixtures::Fixture {
        competition_id: competition.id,
        season: req.season.clone(),
        home_team_id: req.home_team_id,
        away_team_id: req.away_team_id,
        kickoff_at: req.kickoff_at,
        neutral: req.neutral.unwrap_or(false),
        source: "admin",
    };
    let created = fixtures::create(&state.db, fixture).await?;
    tracing::info!(match_id = created.id, "match created");
    Ok((
        StatusCode::CREATED,
        Json(store::match_detail(&state.db, created).await?),
    ))
}

/// Update kick-off, status, minute, score or referee. Status moves must make sense
/// (a finished match cannot go back to scheduled) and a finished match needs a score.
#[utoipa::path(patch, path = "/matches/{id}", tag = "matches", request_body = UpdateMatch, params(("id" = i32, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = MatchDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), match_id = id))]
pub async fn update(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    JsonBody(req): JsonBody<UpdateMatch>,
) -> ApiResult<Json<MatchDetail>> {
    auth.require_role(Role::Admin)?;
    let current = store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let from = MatchStatus::from_db(&current.status);
    let to = req.status.unwrap_or(from);
    if !from.can_become(to) {
        return Err(ApiError::invalid_field(
            "status",
            "invalid_transition",
            &format!("a {} match cannot become {}", from.as_str(), to.as_str()),
        ));
    }
    for score in [req.score, req.half_time_score].into_iter().flatten() {
        if score.home < 0 || score.away < 0 || score.home > 99 || score.away > 99 {
            return Err(ApiError::invalid_field(
                "score",
                "range",
                "goals must be between 0 and 99",
            ));
        }
    }
    if let Some(minute) = req.minute
        && !(0..=130).contains(&minute)
    {
        return Err(ApiError::invalid_field(
            "minute",
            "range",
            "minute must be between 0 and 130",
        ));
    }
    let has_score = req.score.is_some() || current.home_goals.is_some();
    if to == MatchStatus::Finished && !has_score {
        return Err(ApiError::invalid_field(
            "score",
            "required",
            "a finished match needs a score",
        ));
    }
    let mut active = current.into_active_model();
    if let Some(kickoff) = req.kickoff_at {
        active.kickoff_at = Set(kickoff);
        active.match_date = Set(kickoff.date_naive());
    }
    active.status = Set(to.as_str().into());
    if let Some(minute) = req.minute {
        active.minute = Set(Some(minute));
    }
    if to == MatchStatus::Finished {
        active.minute = Set(None);
    }
    if let Some(score) = req.score {
        active.home_goals = Set(Some(score.home));
        active.away_goals = Set(Some(score.away));
    }
    if let Some(score) = req.half_time_score {
        active.home_half_time_goals = Set(Some(score.home));
        active.away_half_time_goals = Set(Some(score.away));
    }
    if let Some(referee) = req.referee {
        active.referee = Set(Some(referee.trim().to_string()).filter(|r| !r.is_empty()));
    }
    active.updated_at = Set(Utc::now());
    let result_changed = active.home_goals.is_set() || active.away_goals.is_set() || active.status.is_set();
    let updated = active.update(&state.db).await?;
    if result_changed && to == MatchStatus::Finished {
        crate::forecasts::publish_results_changed(&state, updated.competition_id).await;
    }
    crate::picks::settle(&state, &updated).await;
    crate::realtime::broadcast::match_changed(&state, &updated).await?;
    let detail = store::match_detail(&state.db, updated).await?;
    Ok(Json(detail))
}

/// Delete a match.
#[utoipa::path(delete, path = "/matches/{id}", tag = "matches", params(("id" = i32, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), match_id = id))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
) -> ApiResult<StatusCode> {
    auth.require_role(Role::Admin)?;
    // Its picks go with it (cascade); their players' stats must follow.
    let players = crate::picks::store::players_of(&state.db, id).await?;
    let result = fm::Entity::delete_by_id(id).exec(&state.db).await?;
    if result.rows_affected == 0 {
        return Err(ApiError::not_found("match"));
    }
    crate::picks::service::refresh_stats(&state, &players).await;
    tracing::info!("match deleted");
    Ok(StatusCode::NO_CONTENT)
}
