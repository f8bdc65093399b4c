//! `/agents/{id}/tasks`: queue work for an agent, watch it, cancel it.

use axum::{Json, extract::State, http::StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use uuid::Uuid;

use crate::{
    agents::{
        emit,
        kinds::{TaskType, check_params},
        queue::{self, NewTask},
        store,
        types::{CreateTask, TaskQuery, TaskView},
        workflows,
    },
    auth::extract::AuthUser,
    db::entities::agent_task,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
    users::types::Role,
};

/// Queue a task. It runs when the agent is running (at once if a worker is free), by priority.
#[utoipa::path(post, path = "/agents/{id}/tasks", tag = "agents", params(("id" = Uuid, Path)), request_body = CreateTask,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateTask>,
) -> ApiResult<(StatusCode, Json<TaskView>)> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    let kind = store::kind_of(&a)?;
    let config = store::config_of(&a)?;
    let task = TaskType::parse(req.kind.trim())
        .filter(|t| t.allowed_for(kind))
        .ok_or_else(|| {
            ApiError::invalid_field(
                "type",
                "invalid",
                &format!("not a task a {} agent runs", kind.as_str()),
            )
        })?;
    let params = req.params.unwrap_or_else(|| json!({}));
    check_params(task, &params)?;
    let queued = queue::enqueue(
        &state.db,
        NewTask {
            agent_id: a.id,
            kind: task.as_str().to_string(),
            params,
            priority: req.priority.unwrap_or(0),
            max_attempts: req
                .max_attempts
                .unwrap_or(i32::try_from(config.max_attempts).unwrap_or(3)),
            timeout_secs: req
                .timeout_secs
                .unwrap_or(i32::try_from(config.timeout_secs).unwrap_or(120)),
            execution_id: None,
            step: None,
        },
    )
    .await?;
    emit::task_update(&state, &queued).await;
    state.agents.wake_workers();
    Ok((StatusCode::CREATED, Json(queued.into())))
}

/// The agent's tasks, newest first.
#[utoipa::path(get, path = "/agents/{id}/tasks", tag = "agents", params(("id" = Uuid, Path), TaskQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<TaskView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<TaskQuery>,
) -> ApiResult<Json<Page<TaskView>>> {
    let (page, limit) = page_and_limit(q.page, q.limit)?;
    let a = store::get(&state, id).await?;
    let mut query = agent_task::Entity::find().filter(agent_task::Column::AgentId.eq(a.id));
    if let Some(status) = q.status {
        query = query.filter(agent_task::Column::Status.eq(status));
    }
    let pages = query
        .order_by_desc(agent_task::Column::CreatedAt)
        .order_by_desc(agent_task::Column::Id)
        .paginate(&state.db, limit);
    let total = pages.num_items().await?;
    let items = pages.fetch_page(page - 1).await?;
    Ok(Json(Page {
        items: items.into_iter().map(TaskView::from).collect(),
        total,
        page,
        limit,
    }))
}

async fn task_of(state: &AppState, agent_id: Uuid, task_id: Uuid) -> ApiResult<agent_task::Model> {
    agent_task::Entity::find_by_id(task_id)
        .filter(agent_task::Column::AgentId.eq(agent_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("task"))
}

#[utoipa::path(get, path = "/agents/{id}/tasks/{task_id}", tag = "agents", params(("id" = Uuid, Path), ("task_id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = TaskView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path((id, task_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<TaskView>> {
    Ok(Json(task_of(&state, id, task_id).await?.into()))
}

/// Cancel a task that has not finished (a running attempt stops at its next lease renewal).
#[utoipa::path(post, path = "/agents/{id}/tasks/{task_id}/cancel", tag = "agents", params(("id" = Uuid, Path), ("task_id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((id, task_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<Json<TaskView>> {
    auth.require_role(Role::Admin)?;
    let task = task_of(&state, id, task_id).await?;
    let cancelled = queue::cancel(&state.db, task.id)
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: "task_finished",
            message: format!("the task already ended ({})", task.status),
        })?;
    emit::task_update(&state, &cancelled).await;
    workflows::advance(&state, &cancelled).await;
    Ok(Json(cancelled.into()))
}
