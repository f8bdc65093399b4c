//! `/api/v1/analytics/...`: a user's performance, model performance, system totals, reports.

use std::time::Duration;

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use uuid::Uuid;

use super::{
    csv, performance, queries, reports,
    types::{
        DateRange, ModelPerformance, ModelQuery, RangeQuery, ReportQuery, ReportView, SystemTotals,
        UserPerformance,
    },
};
use crate::{
    auth::extract::AuthUser,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Path, Query},
    matches::handlers::find_competition,
    state::AppState,
    users::{store as users, types::Role},
};

/// Twelve weeks, the default window of a user's performance.
const USER_DEFAULT_DAYS: u64 = 84;
const SYSTEM_CACHE_KEY: &str = "analytics:system";
const SYSTEM_CACHE_TTL: Duration = Duration::from_secs(300);

fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// A user's picks and points per week over `from..=to` (default the last 12 weeks, by match
/// kick-off), accuracy, mean RPS, the edge over the model, best and worst competitions.
/// The user themself or an admin.
#[utoipa::path(get, path = "/analytics/users/{id}/performance", tag = "analytics",
    params(("id" = Uuid, Path), RangeQuery), security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserPerformance), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn user_performance(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<RangeQuery>,
) -> ApiResult<Json<UserPerformance>> {
    if auth.id() != id {
        auth.require_role(Role::Admin)?;
    }
    let range = DateRange::parse(
        query.from.as_deref(),
        query.to.as_deref(),
        USER_DEFAULT_DAYS,
        today(),
    )?;
    let who = users::by_id(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(Json(performance::user_performance(&state.db, &who, range).await?))
}

/// RPS, Brier score, log loss and accuracy of the forecasts served before kick-off, per model
/// version and month of kick-off (default the last year). Public.
#[utoipa::path(get, path = "/analytics/models/performance", tag = "analytics", params(ModelQuery),
    responses((status = 200, body = ModelPerformance), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn model_performance(
    State(state): State<AppState>,
    Query(query): Query<ModelQuery>,
) -> ApiResult<Json<ModelPerformance>> {
    let range = DateRange::parse(query.from.as_deref(), query.to.as_deref(), 365, today())?;
    let competition = match &query.competition {
        Some(key) => Some(find_competition(&state, key).await?),
        None => None,
    };
    let rows = queries::model_months(&state.db, range, competition.as_ref().map(|c| c.id)).await?;
    Ok(Json(ModelPerformance {
        from: range.from,
        to: range.to,
        competition: competition.map(|c| c.slug),
        rows,
    }))
}

/// Platform totals (admin). Computed at most every five minutes (shared through the cache
/// across instances); `cached_at` says when.
#[utoipa::path(get, path = "/analytics/system", tag = "analytics", security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = SystemTotals), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn system(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<SystemTotals>> {
    auth.require_role(Role::Admin)?;
    if let Some(bytes) = state.cache.get(SYSTEM_CACHE_KEY).await
        && let Ok(cached) = serde_json::from_slice::<SystemTotals>(&bytes)
    {
        return Ok(Json(cached));
    }
    let totals = queries::system_totals(&state.db).await?;
    // A value that does not serialize is simply not cached.
    if let Ok(bytes) = serde_json::to_vec(&totals) {
        state.cache.set(SYSTEM_CACHE_KEY, bytes, SYSTEM_CACHE_TTL).await;
    }
    Ok(Json(totals))
}

/// A report of the rows created in `from..=to` (default the last 30 days; admin): `picks`,
/// `users`, `forecasts` or `posts`. `format=csv` answers `text/csv` as an attachment.
#[utoipa::path(get, path = "/analytics/reports/{kind}", tag = "analytics",
    params(("kind" = String, Path, description = "picks, users, forecasts or posts"), ReportQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, content((ReportView = "application/json"), (String = "text/csv"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(kind): Path<String>,
    Query(query): Query<ReportQuery>,
) -> ApiResult<Response> {
    auth.require_role(Role::Admin)?;
    let csv_format = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(ApiError::invalid_field(
                "format",
                "invalid_format",
                "expected json or csv",
            ));
        }
    };
    let range = DateRange::parse(query.from.as_deref(), query.to.as_deref(), 30, today())?;
    let table = reports::build(&state.db, &kind, range).await?.ok_or_else(|| {
        ApiError::NotFound(format!("no report `{kind}`: try {}", reports::KINDS.join(", ")))
    })?;
    if csv_format {
        // `kind` is one of the known names here, so the filename needs no escaping.
        let filename = format!(
            "attachment; filename=\"pundit-{kind}-{}-{}.csv\"",
            range.from, range.to
        );
        let disposition = HeaderValue::from_str(&filename)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("content-disposition: {e}")))?;
        let body = csv::write(&table.columns, &table.rows);
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            body,
        )
            .into_response());
    }
    let rows = table
        .rows
        .into_iter()
        .map(|row| table.columns.iter().cloned().zip(row).collect())
        .collect();
    Ok(Json(ReportView {
        kind,
        from: range.from,
        to: range.to,
        columns: table.columns,
        rows,
        truncated: table.truncated,
    })
    .into_response())
}
