//! `/api/v1/agents`: the agent registry and lifecycle. Anyone signed in may look; running and
//! changing agents is for admins, since agents act for the whole platform.

pub mod events;
pub mod insights;
pub mod integrations;
pub mod tasks;
pub mod workflows;

use axum::{Json, extract::State, http::StatusCode};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    kinds::{AgentConfig, AgentKind},
    performance, queue, store,
    types::{AgentView, CreateAgent, HealthView, PerformanceQuery, PerformanceView, StatusView, UpdateAgent},
};
use crate::{
    auth::extract::AuthUser,
    db::entities::{agent, agent_task},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
    users::types::Role,
};

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgentQuery {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// Create an agent (stopped until started). Admins only.
#[utoipa::path(post, path = "/agents", tag = "agents", request_body = CreateAgent,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = AgentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<CreateAgent>,
) -> ApiResult<(StatusCode, Json<AgentView>)> {
    auth.require_role(Role::Admin)?;
    let kind = AgentKind::parse(req.kind.trim()).ok_or_else(|| {
        ApiError::invalid_field(
            "kind",
            "invalid",
            "forecaster, analyst, monitor, ingestor, notifier or remote",
        )
    })?;
    let config = req.config.unwrap_or_else(|| json!({}));
    AgentConfig::parse(kind, &config)?;
    if kind == AgentKind::Remote && state.agents.remote().is_none() {
        return Err(ApiError::Unprocessable {
            code: "agent_os_not_configured",
            message: "remote agents need an Agent OS (set AGENT_OS_URL)".into(),
        });
    }
    let name = req.name.trim();
    if name.is_empty() {
        return Err(ApiError::invalid_field("name", "length", "1 to 80 characters"));
    }
    let now = Utc::now();
    let created = agent::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.to_string()),
        kind: Set(kind.as_str().to_string()),
        description: Set(req
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())),
        config: Set(config),
        status: Set(store::STOPPED.into()),
        remote_id: Set(None),
        owner_id: Set(auth.id()),
        next_run_at: Set(None),
        last_run_at: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Agents, newest first, filtered by kind and status.
#[utoipa::path(get, path = "/agents", tag = "agents", params(AgentQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<AgentView>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _auth: AuthUser,
    Query(q): Query<AgentQuery>,
) -> ApiResult<Json<Page<AgentView>>> {
    let (page, limit) = page_and_limit(q.page, q.limit)?;
    let mut query = agent::Entity::find();
    if let Some(kind) = q.kind {
        query = query.filter(agent::Column::Kind.eq(kind));
    }
    if let Some(status) = q.status {
        query = query.filter(agent::Column::Status.eq(status));
    }
    let pages = query
        .order_by_desc(agent::Column::CreatedAt)
        .paginate(&state.db, limit);
    let total = pages.num_items().await?;
    let items = pages.fetch_page(page - 1).await?;
    Ok(Json(Page {
        items: items.into_iter().map(AgentView::from).collect(),
        total,
        page,
        limit,
    }))
}

#[utoipa::path(get, path = "/agents/{id}", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AgentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AgentView>> {
    Ok(Json(store::get(&state, id).await?.into()))
}

/// Rename, describe or reconfigure an agent (the config is checked for its kind). Admins only.
#[utoipa::path(patch, path = "/agents/{id}", tag = "agents", params(("id" = Uuid, Path)), request_body = UpdateAgent,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AgentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<UpdateAgent>,
) -> ApiResult<Json<AgentView>> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    let kind = store::kind_of(&a)?;
    let new_config = match &req.config {
        Some(c) => Some(AgentConfig::parse(kind, c)?),
        None => None,
    };
    let running = a.status != store::STOPPED;
    let mut row = a.into_active_model();
    if let Some(name) = req.name.as_deref().map(str::trim) {
        if name.is_empty() {
            return Err(ApiError::invalid_field("name", "length", "1 to 80 characters"));
        }
        row.name = Set(name.to_string());
    }
    if let Some(d) = req.description {
        row.description = Set(Some(d.trim().to_string()).filter(|d| !d.is_empty()));
    }
    if let (Some(raw), Some(config)) = (req.config, new_config) {
        row.config = Set(raw);
        // A new interval applies from now.
        if running {
            row.next_run_at = Set((config.interval_secs > 0).then(Utc::now));
        }
    }
    row.updated_at = Set(Utc::now());
    Ok(Json(row.update(&state.db).await?.into()))
}

/// Delete an agent with its tasks, events and workflows. Admins only.
#[utoipa::path(delete, path = "/agents/{id}", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    agent::Entity::delete_by_id(a.id).exec(&state.db).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Start the agent: its routine task is queued now and then every `interval_secs`.
#[utoipa::path(post, path = "/agents/{id}/start", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AgentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AgentView>> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    Ok(Json(store::start(&state, a).await?.into()))
}

/// Stop the agent: nothing new is scheduled and queued tasks wait; a running task finishes.
#[utoipa::path(post, path = "/agents/{id}/stop", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AgentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn stop(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<AgentView>> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    Ok(Json(store::stop(&state, a).await?.into()))
}

async fn count_tasks(state: &AppState, id: Uuid, status: &str) -> ApiResult<u64> {
    Ok(agent_task::Entity::find()
        .filter(agent_task::Column::AgentId.eq(id))
        .filter(agent_task::Column::Status.eq(status))
        .count(&state.db)
        .await?)
}

#[utoipa::path(get, path = "/agents/{id}/status", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = StatusView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<StatusView>> {
    let a = store::get(&state, id).await?;
    let remote = match (&a.remote_id, state.agents.remote()) {
        (Some(rid), Some(os)) => Some(match os.status(rid).await {
            Ok(v) => v,
            Err(e) => json!({ "error": e, "circuit": os.breaker().state() }),
        }),
        _ => None,
    };
    Ok(Json(StatusView {
        id: a.id,
        pending_tasks: count_tasks(&state, id, queue::PENDING).await?,
        running_tasks: count_tasks(&state, id, queue::RUNNING).await?,
        status: a.status,
        last_run_at: a.last_run_at,
        next_run_at: a.next_run_at,
        last_error: a.last_error,
        remote,
    }))
}

/// Health: recent failures in a row, tasks stalled past their lease, a routine task overdue.
#[utoipa::path(get, path = "/agents/{id}/health", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = HealthView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn health(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<HealthView>> {
    let a = store::get(&state, id).await?;
    let now = Utc::now();
    let recent = agent_task::Entity::find()
        .filter(agent_task::Column::AgentId.eq(id))
        .filter(agent_task::Column::Status.is_in([queue::COMPLETED, queue::FAILED]))
        .order_by_desc(agent_task::Column::FinishedAt)
        .paginate(&state.db, 50)
        .fetch_page(0)
        .await?;
    let consecutive_failures = recent.iter().take_while(|t| t.status == queue::FAILED).count();
    let last_success_at = recent
        .iter()
        .find(|t| t.status == queue::COMPLETED)
        .and_then(|t| t.finished_at);
    let stalled_tasks = agent_task::Entity::find()
        .filter(agent_task::Column::AgentId.eq(id))
        .filter(agent_task::Column::Status.eq(queue::RUNNING))
        .filter(agent_task::Column::LeaseExpiresAt.lt(now))
        .count(&state.db)
        .await?;
    let mut problems = Vec::new();
    if consecutive_failures > 0 {
        problems.push(format!("the last {consecutive_failures} finished task(s) failed"));
    }
    if stalled_tasks > 0 {
        problems.push(format!("{stalled_tasks} running task(s) lost their worker"));
    }
    if a.status != store::STOPPED
        && a.next_run_at
            .is_some_and(|next| next < now - Duration::minutes(5))
    {
        problems.push("the routine task is more than 5 minutes overdue (is a scheduler running?)".into());
    }
    if let Some(os) = state.agents.remote().filter(|_| a.remote_id.is_some())
        && os.breaker().state() != crate::outbound::BreakerState::Closed
    {
        problems.push("the Agent OS circuit is open".into());
    }
    let health = match (consecutive_failures, problems.len()) {
        (_, 0) => "healthy",
        (n, _) if n >= 3 => "unhealthy",
        _ => "degraded",
    };
    Ok(Json(HealthView {
        id: a.id,
        health: health.into(),
        problems,
        consecutive_failures: u32::try_from(consecutive_failures).unwrap_or(u32::MAX),
        stalled_tasks,
        last_success_at,
    }))
}

/// Success rate, latency percentiles, throughput and an hourly series over the last hours.
#[utoipa::path(get, path = "/agents/{id}/performance", tag = "agents", params(("id" = Uuid, Path), PerformanceQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PerformanceView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn performance(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<PerformanceQuery>,
) -> ApiResult<Json<PerformanceView>> {
    let hours = q.hours.unwrap_or(24);
    if !(1..=720).contains(&hours) {
        return Err(ApiError::invalid_field("hours", "range", "1 to 720"));
    }
    let a = store::get(&state, id).await?;
    Ok(Json(performance::compute(&state, a.id, hours).await?))
}
