//! Drift alerts over HTTP: run the checks, list alerts, acknowledge one.

use axum::{Json, extract::State};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::{
    drift::{self, Severity},
    types::{AlertsQuery, DriftAlertView, DriftCheckRequest},
};
use crate::{
    auth::extract::AuthUser,
    db::entities::drift_alert,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Json as JsonBody, Path, Query},
        pagination::{Page, page_and_limit},
    },
    matches::handlers::find_competition,
    state::AppState,
    users::types::Role,
};

/// Run the drift checks now (admin), for one competition or all; returns the alerts raised or
/// updated by this run.
#[utoipa::path(post, path = "/drift/check", tag = "monitoring", request_body = DriftCheckRequest,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<DriftAlertView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn run_check(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<DriftCheckRequest>,
) -> ApiResult<Json<Vec<DriftAlertView>>> {
    auth.require_role(Role::Admin)?;
    let raised = match &req.competition {
        Some(key) => drift::check(&state, find_competition(&state, key).await?.id).await?,
        None => drift::check_all(&state).await?,
    };
    Ok(Json(raised))
}

/// Drift alerts, newest first.
#[utoipa::path(get, path = "/alerts", tag = "monitoring", params(AlertsQuery),
    responses((status = 200, body = Page<DriftAlertView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_alerts(
    State(state): State<AppState>,
    Query(query): Query<AlertsQuery>,
) -> ApiResult<Json<Page<DriftAlertView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let mut select = drift_alert::Entity::find();
    if let Some(key) = &query.competition {
        select =
            select.filter(drift_alert::Column::CompetitionId.eq(find_competition(&state, key).await?.id));
    }
    if let Some(severity) = &query.severity {
        let severity = Severity::parse(severity).ok_or_else(|| {
            ApiError::invalid_field("severity", "invalid", "expected info, warning or critical")
        })?;
        select = select.filter(drift_alert::Column::Severity.eq(severity.as_str()));
    }
    match query.status.as_deref() {
        None => {}
        Some("open") => select = select.filter(drift_alert::Column::AcknowledgedAt.is_null()),
        Some("acknowledged") => select = select.filter(drift_alert::Column::AcknowledgedAt.is_not_null()),
        Some(_) => {
            return Err(ApiError::invalid_field(
                "status",
                "invalid",
                "expected open or acknowledged",
            ));
        }
    }
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_desc(drift_alert::Column::CreatedAt)
        .order_by_desc(drift_alert::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(&state.db)
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for a in rows {
        items.push(drift::view(&state, a).await?);
    }
    Ok(Json(Page {
        items,
        total,
        page,
        limit,
    }))
}

/// Acknowledge an alert (admin): it stops being open; a later check opens a new one if the drift
/// persists.
#[utoipa::path(post, path = "/alerts/{id}/acknowledge", tag = "monitoring", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = DriftAlertView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn acknowledge(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<DriftAlertView>> {
    auth.require_role(Role::Admin)?;
    let alert = drift_alert::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("alert"))?;
    let saved = if alert.acknowledged_at.is_some() {
        alert
    } else {
        let mut active = alert.into_active_model();
        active.acknowledged_at = Set(Some(Utc::now()));
        active.update(&state.db).await?
    };
    Ok(Json(drift::view(&state, saved).await?))
}
