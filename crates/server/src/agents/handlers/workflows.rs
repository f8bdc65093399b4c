//! `/agents/{id}/workflows`: define step sequences, run them, and follow their executions.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::{
    agents::{
        store,
        types::{CreateWorkflow, ExecutionView, WorkflowView},
        workflows,
    },
    auth::extract::AuthUser,
    db::entities::{agent_workflow, workflow_execution},
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Path, ValidJson},
    state::AppState,
    users::types::Role,
};

/// Executions shown with each workflow.
const RECENT_EXECUTIONS: u64 = 10;

async fn view(state: &AppState, w: agent_workflow::Model) -> ApiResult<WorkflowView> {
    let executions = workflow_execution::Entity::find()
        .filter(workflow_execution::Column::WorkflowId.eq(w.id))
        .order_by_desc(workflow_execution::Column::StartedAt)
        .limit(RECENT_EXECUTIONS)
        .all(&state.db)
        .await?;
    Ok(WorkflowView::new(w, executions))
}

/// Define a workflow; `run: true` starts it now, `schedule_secs` repeats it while the agent runs.
#[utoipa::path(post, path = "/agents/{id}/workflows", tag = "agents", params(("id" = Uuid, Path)), request_body = CreateWorkflow,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = WorkflowView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateWorkflow>,
) -> ApiResult<(StatusCode, Json<WorkflowView>)> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    workflows::validate(&a, &req.steps)?;
    let now = Utc::now();
    let steps = serde_json::to_value(&req.steps).map_err(|e| ApiError::Internal(e.into()))?;
    let w = agent_workflow::ActiveModel {
        id: Set(Uuid::now_v7()),
        agent_id: Set(a.id),
        name: Set(req.name.trim().to_string()),
        steps: Set(steps),
        schedule_secs: Set(req.schedule_secs),
        next_run_at: Set(req.schedule_secs.map(|s| now + Duration::seconds(i64::from(s)))),
        created_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    if req.run {
        workflows::start(&state, &w).await?;
    }
    Ok((StatusCode::CREATED, Json(view(&state, w).await?)))
}

/// The agent's workflows with their latest executions.
#[utoipa::path(get, path = "/agents/{id}/workflows", tag = "agents", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<WorkflowView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Vec<WorkflowView>>> {
    let a = store::get(&state, id).await?;
    let list = agent_workflow::Entity::find()
        .filter(agent_workflow::Column::AgentId.eq(a.id))
        .order_by_asc(agent_workflow::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let mut out = Vec::with_capacity(list.len());
    for w in list {
        out.push(view(&state, w).await?);
    }
    Ok(Json(out))
}

/// Start an execution of the workflow now.
#[utoipa::path(post, path = "/agents/{id}/workflows/{workflow_id}/run", tag = "agents",
    params(("id" = Uuid, Path), ("workflow_id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = ExecutionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    auth: AuthUser,
    Path((id, workflow_id)): Path<(Uuid, Uuid)>,
) -> ApiResult<(StatusCode, Json<ExecutionView>)> {
    auth.require_role(Role::Admin)?;
    let w = agent_workflow::Entity::find_by_id(workflow_id)
        .filter(agent_workflow::Column::AgentId.eq(id))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("workflow"))?;
    let execution = workflows::start(&state, &w).await?;
    Ok((StatusCode::CREATED, Json(execution.into())))
}
