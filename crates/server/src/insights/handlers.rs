//! `GET` and `POST /api/v1/matches/{id}/insights`.

use axum::{Json, extract::State, http::StatusCode};

use super::{
    store::{self, InsightFilter, MAX_LIMIT},
    types::{InsightPage, InsightQuery, InsightView},
};
use crate::{
    auth::extract::AuthUser,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Path, Query},
    matches::store as matches,
    state::AppState,
    users::types::Role,
};

/// Insights about a match, newest first. A match with none yet for its current state (preview,
/// live, review) gets one written on the spot (by the LLM when configured, else
/// deterministically), so there is always something to read.
#[utoipa::path(get, path = "/matches/{id}/insights", tag = "insights", params(("id" = i32, Path), InsightQuery),
    responses((status = 200, body = InsightPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    Query(query): Query<InsightQuery>,
) -> ApiResult<Json<InsightPage>> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            "range",
            "limit must be between 1 and 100",
        ));
    }
    let m = matches::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    if query.before.is_none() {
        // Writes an insight when there is none for the match's current state (a read otherwise).
        super::latest_or_generate(&state, &m).await?;
    }
    let filter = InsightFilter {
        match_id: Some(id),
        kind: query.kind.filter(|k| !k.trim().is_empty()),
        limit: Some(limit),
        before: query.before,
        ..Default::default()
    };
    let items: Vec<InsightView> = store::list(&state.db, &filter)
        .await?
        .into_iter()
        .map(InsightView::from)
        .collect();
    let next_cursor = (items.len() as u64 == limit)
        .then(|| items.last().map(|i| i.id))
        .flatten();
    Ok(Json(InsightPage { items, next_cursor }))
}

/// Write a fresh insight for a match now (admin), e.g. after team news.
#[utoipa::path(post, path = "/matches/{id}/insights", tag = "insights", params(("id" = i32, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = InsightView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
) -> ApiResult<(StatusCode, Json<InsightView>)> {
    auth.require_role(Role::Admin)?;
    let stored = super::generate(&state, id, None).await?;
    Ok((StatusCode::CREATED, Json(stored.into())))
}
