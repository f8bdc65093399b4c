//! A/B tests over HTTP: create, list, detail with results, stop, and assignments.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::{
    ab::{self, RUNNING, STOPPED},
    serving,
    types::{AbResultsQuery, AbTestView, AbTestsQuery, Assignment, AssignmentQuery, CreateAbTest},
    versions::slugs,
};
use crate::{
    auth::extract::AuthUser,
    db::entities::ab_test,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Path, Query, ValidJson},
    matches::handlers::find_competition,
    state::AppState,
    users::types::Role,
};

fn view(t: ab_test::Model, competition: String) -> AbTestView {
    AbTestView {
        id: t.id,
        name: t.name,
        competition_id: t.competition_id,
        competition,
        version_a: t.version_a,
        version_b: t.version_b,
        split: t.split,
        status: t.status,
        created_by: t.created_by,
        created_at: t.created_at,
        stopped_at: t.stopped_at,
        results: None,
    }
}

async fn find(state: &AppState, id: Uuid) -> ApiResult<ab_test::Model> {
    ab_test::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("A/B test"))
}

/// Start an A/B test between two versions of one competition (admin). `split` is the share of
/// matches served by B; each match's arm is fixed by a hash of the test and match ids.
#[utoipa::path(post, path = "/ab-tests", tag = "monitoring", request_body = CreateAbTest,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = AbTestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<CreateAbTest>,
) -> ApiResult<(StatusCode, Json<AbTestView>)> {
    auth.require_role(Role::Admin)?;
    if !(0.0..=1.0).contains(&req.split) {
        return Err(ApiError::invalid_field(
            "split",
            "range",
            "split must be between 0 and 1",
        ));
    }
    let c = find_competition(&state, &req.competition).await?;
    if req.version_a == req.version_b {
        return Err(ApiError::invalid_field(
            "version_b",
            "same_version",
            "compare two different versions",
        ));
    }
    for (field, id) in [("version_a", req.version_a), ("version_b", req.version_b)] {
        let v = serving::version(&state.db, id)
            .await
            .map_err(|_| ApiError::invalid_field(field, "unknown_version", "no such model version"))?;
        if v.competition_id != c.id {
            return Err(ApiError::invalid_field(
                field,
                "wrong_competition",
                &format!("version {id} belongs to another competition"),
            ));
        }
        if v.trained_through.is_none() {
            return Err(ApiError::invalid_field(
                field,
                "not_servable",
                "the version was trained on no matches",
            ));
        }
    }
    if serving::running_test(&state.db, c.id).await?.is_some() {
        return Err(ApiError::Conflict {
            code: "ab_test_running",
            message: format!("{} already has a running A/B test: stop it first", c.slug),
        });
    }
    let saved = ab_test::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(req.name.trim().to_string()),
        competition_id: Set(c.id),
        version_a: Set(req.version_a),
        version_b: Set(req.version_b),
        split: Set(req.split),
        status: Set(RUNNING.into()),
        created_by: Set(Some(auth.id())),
        created_at: Set(Utc::now()),
        stopped_at: Set(None),
    }
    .insert(&state.db)
    .await?;
    Ok((StatusCode::CREATED, Json(view(saved, c.slug))))
}

/// A/B tests, newest first.
#[utoipa::path(get, path = "/ab-tests", tag = "monitoring", params(AbTestsQuery),
    responses((status = 200, body = Vec<AbTestView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<AbTestsQuery>,
) -> ApiResult<Json<Vec<AbTestView>>> {
    let mut select = ab_test::Entity::find();
    if let Some(key) = &query.competition {
        select = select.filter(ab_test::Column::CompetitionId.eq(find_competition(&state, key).await?.id));
    }
    match query.status.as_deref() {
        None => {}
        Some(status @ (RUNNING | STOPPED)) => select = select.filter(ab_test::Column::Status.eq(status)),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "status",
                "invalid",
                "expected running or stopped",
            ));
        }
    }
    let names = slugs(&state).await?;
    let rows = select
        .order_by_desc(ab_test::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|t| {
                let slug = names.get(&t.competition_id).cloned().unwrap_or_default();
                view(t, slug)
            })
            .collect(),
    ))
}

/// An A/B test with its results: both versions scored on every finished match after both training
/// spans, mean RPS each, the Diebold-Mariano statistic and p-value, and a verdict only when the
/// difference is significant at `alpha`.
#[utoipa::path(get, path = "/ab-tests/{id}", tag = "monitoring", params(("id" = Uuid, Path), AbResultsQuery),
    responses((status = 200, body = AbTestView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<AbResultsQuery>,
) -> ApiResult<Json<AbTestView>> {
    let alpha = query.alpha.unwrap_or(state.config.monitoring.ab_alpha);
    if !(alpha > 0.0 && alpha < 1.0) {
        return Err(ApiError::invalid_field(
            "alpha",
            "range",
            "alpha must be between 0 and 1",
        ));
    }
    let test = find(&state, id).await?;
    let results = ab::results(&state, &test, alpha, state.config.monitoring.ab_min_matches).await?;
    let slug = slugs(&state)
        .await?
        .remove(&test.competition_id)
        .unwrap_or_default();
    let mut out = view(test, slug);
    out.results = Some(results);
    Ok(Json(out))
}

/// Stop an A/B test (admin): its competition goes back to the promoted or default version.
#[utoipa::path(post, path = "/ab-tests/{id}/stop", tag = "monitoring", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AbTestView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn stop(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AbTestView>> {
    auth.require_role(Role::Admin)?;
    let test = find(&state, id).await?;
    if test.status != RUNNING {
        return Err(ApiError::Conflict {
            code: "ab_test_stopped",
            message: "the A/B test is already stopped".into(),
        });
    }
    let mut active = test.into_active_model();
    active.status = Set(STOPPED.into());
    active.stopped_at = Set(Some(Utc::now()));
    let saved = active.update(&state.db).await?;
    let slug = slugs(&state)
        .await?
        .remove(&saved.competition_id)
        .unwrap_or_default();
    Ok(Json(view(saved, slug)))
}

/// The arm a match (serving) and a user (picks-facing surfaces) are assigned to.
#[utoipa::path(get, path = "/ab-tests/{id}/assignment", tag = "monitoring", params(("id" = Uuid, Path), AssignmentQuery),
    responses((status = 200, body = Assignment), (status = 404, body = ErrorBody)))]
pub async fn assignment(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
    Query(query): Query<AssignmentQuery>,
) -> ApiResult<Json<Assignment>> {
    let test = find(&state, id).await?;
    Ok(Json(Assignment {
        ab_test_id: test.id,
        match_arm: query
            .match_id
            .map(|m| ab::assign_match(&test, m).as_str().to_string()),
        user_arm: query
            .user_id
            .map(|u| ab::assign_user(&test, u).as_str().to_string()),
    }))
}
