//! Agent rows and their lifecycle (start, stop), each change announced as `agentStatusUpdate`.

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::json;
use uuid::Uuid;

use super::{
    emit, events,
    kinds::{AgentConfig, AgentKind},
    queue::NewTask,
    types::AgentView,
};
use crate::{
    db::entities::{agent, agent_task},
    error::{ApiError, ApiResult},
    state::AppState,
};

pub const STOPPED: &str = "stopped";
pub const RUNNING: &str = "running";
pub const ERROR: &str = "error";

pub async fn get(state: &AppState, id: Uuid) -> ApiResult<agent::Model> {
    agent::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("agent"))
}

pub fn kind_of(a: &agent::Model) -> ApiResult<AgentKind> {
    AgentKind::parse(&a.kind)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("agent {} has unknown kind {}", a.id, a.kind)))
}

pub fn config_of(a: &agent::Model) -> ApiResult<AgentConfig> {
    AgentConfig::parse(kind_of(a)?, &a.config)
}

/// The task the scheduler queues for the agent.
pub fn routine_task(a: &agent::Model) -> ApiResult<NewTask> {
    let config = config_of(a)?;
    Ok(NewTask {
        agent_id: a.id,
        kind: kind_of(a)?.routine().as_str().to_string(),
        params: config.params,
        priority: 0,
        max_attempts: i32::try_from(config.max_attempts).unwrap_or(3),
        timeout_secs: i32::try_from(config.timeout_secs).unwrap_or(120),
        execution_id: None,
        step: None,
    })
}

async fn announce(state: &AppState, a: &agent::Model) {
    let view = AgentView::from(a.clone());
    emit::publish(
        state,
        a.id,
        emit::STATUS_UPDATE,
        json!({ "status": a.status, "agent": view }),
    )
    .await;
}

/// Starts the agent: remote agents are registered with the Agent OS first; scheduled agents
/// get their first routine task at once.
pub async fn start(state: &AppState, a: agent::Model) -> ApiResult<agent::Model> {
    let kind = kind_of(&a)?;
    let config = config_of(&a)?;
    let mut remote_id = a.remote_id.clone();
    if kind == AgentKind::Remote && remote_id.is_none() {
        let os = state
            .agents
            .remote()
            .ok_or_else(|| ApiError::Unavailable("no Agent OS is configured (AGENT_OS_URL)".into()))?;
        remote_id = Some(os.create_agent(&a).await.map_err(ApiError::Unavailable)?);
    }
    let now = Utc::now();
    let mut row = a.into_active_model();
    row.status = Set(RUNNING.into());
    row.remote_id = Set(remote_id);
    row.next_run_at = Set((config.interval_secs > 0).then_some(now));
    row.last_error = Set(None);
    row.updated_at = Set(now);
    let started = row.update(&state.db).await?;
    announce(state, &started).await;
    events::note(state, started.id, "started", "info", "agent started", json!({})).await;
    state.agents.wake_workers();
    Ok(started)
}

pub async fn stop(state: &AppState, a: agent::Model) -> ApiResult<agent::Model> {
    let mut row = a.into_active_model();
    row.status = Set(STOPPED.into());
    row.next_run_at = Set(None);
    row.updated_at = Set(Utc::now());
    let stopped = row.update(&state.db).await?;
    announce(state, &stopped).await;
    events::note(
        state,
        stopped.id,
        "stopped",
        "info",
        "agent stopped; queued tasks wait until it starts again",
        json!({}),
    )
    .await;
    Ok(stopped)
}

/// Queues the agent's routine task now, outside its schedule.
pub async fn run_now(state: &AppState, a: &agent::Model) -> ApiResult<agent_task::Model> {
    let task = super::queue::enqueue(&state.db, routine_task(a)?).await?;
    emit::task_update(state, &task).await;
    state.agents.wake_workers();
    Ok(task)
}

/// `agentCommand` from a Socket.IO client: `start`, `stop` or `run` (queue the routine task).
pub async fn command(state: &AppState, agent_id: Uuid, command: &str) -> ApiResult<serde_json::Value> {
    let a = get(state, agent_id).await?;
    Ok(match command {
        "start" => json!({ "agent": AgentView::from(start(state, a).await?) }),
        "stop" => json!({ "agent": AgentView::from(stop(state, a).await?) }),
        "run" => json!({ "task": super::types::TaskView::from(run_now(state, &a).await?) }),
        _ => return Err(ApiError::BadRequest("command is start, stop or run".into())),
    })
}

/// After a routine task: when the next one is due.
pub fn next_run(config: &AgentConfig) -> Option<chrono::DateTime<Utc>> {
    (config.interval_secs > 0).then(|| Utc::now() + Duration::seconds(i64::from(config.interval_secs)))
}

/// Records the outcome of a task on the agent (last run, last error), and flags an agent whose
/// task failed for good as `error` until a later task succeeds.
pub async fn record_run(state: &AppState, agent_id: Uuid, error: Option<String>) {
    let Ok(Some(a)) = agent::Entity::find_by_id(agent_id).one(&state.db).await else {
        return;
    };
    let was = a.status.clone();
    let mut row = a.into_active_model();
    row.last_run_at = Set(Some(Utc::now()));
    let status = match (&error, was.as_str()) {
        (Some(_), RUNNING) => ERROR,
        (None, ERROR) => RUNNING,
        _ => was.as_str(),
    }
    .to_string();
    let changed = status != was;
    row.status = Set(status);
    row.last_error = Set(error);
    row.updated_at = Set(Utc::now());
    match row.update(&state.db).await {
        Ok(updated) if changed => announce(state, &updated).await,
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, %agent_id, "agent run not recorded"),
    }
}
