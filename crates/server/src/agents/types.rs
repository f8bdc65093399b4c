//! Agent request bodies, queries, and the views sent to clients.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::db::entities::{
    agent, agent_event, agent_task, agent_workflow, integration, webhook_delivery, workflow_execution,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAgent {
    #[validate(length(min = 1, max = 80))]
    pub name: String,
    /// `forecaster`, `analyst`, `monitor`, `ingestor`, `notifier` or `remote`.
    pub kind: String,
    #[validate(length(max = 500))]
    pub description: Option<String>,
    /// `interval_secs` (0: no schedule, else 5 s to 7 days), `max_attempts` (1-10, default 3),
    /// `timeout_secs` (1-3600, default 120), and `params` for the kind's routine task.
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAgent {
    #[validate(length(min = 1, max = 80))]
    pub name: Option<String>,
    #[validate(length(max = 500))]
    pub description: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgentView {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    #[schema(value_type = Object)]
    pub config: Value,
    /// `stopped`, `running` or `error`.
    pub status: String,
    pub remote_id: Option<String>,
    pub next_run_at: Option<DateTime<Utc>>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<agent::Model> for AgentView {
    fn from(a: agent::Model) -> Self {
        Self {
            id: a.id,
            name: a.name,
            kind: a.kind,
            description: a.description,
            config: a.config,
            status: a.status,
            remote_id: a.remote_id,
            next_run_at: a.next_run_at,
            last_run_at: a.last_run_at,
            last_error: a.last_error,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    /// Task type: `refresh_forecasts`, `write_insights`, `check_drift`, `ingest_live`,
    /// `send_digest`; on remote agents `remote_task` or `remote_insights`.
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
    /// -100 to 100, higher first; default 0.
    #[validate(range(min = -100, max = 100))]
    pub priority: Option<i32>,
    #[validate(range(min = 1, max = 10))]
    pub max_attempts: Option<i32>,
    #[validate(range(min = 1, max = 3600))]
    pub timeout_secs: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub id: Uuid,
    pub agent_id: Uuid,
    #[serde(rename = "type")]
    pub kind: String,
    #[schema(value_type = Object)]
    pub params: Value,
    pub priority: i32,
    /// `pending`, `running`, `completed`, `failed` or `cancelled`.
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub timeout_secs: i32,
    /// Not started before this (retry backoff).
    pub run_at: DateTime<Utc>,
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    pub error: Option<String>,
    pub execution_id: Option<Uuid>,
    pub step: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<agent_task::Model> for TaskView {
    fn from(t: agent_task::Model) -> Self {
        Self {
            id: t.id,
            agent_id: t.agent_id,
            kind: t.kind,
            params: t.params,
            priority: t.priority,
            status: t.status,
            attempts: t.attempts,
            max_attempts: t.max_attempts,
            timeout_secs: t.timeout_secs,
            run_at: t.run_at,
            result: t.result,
            error: t.error,
            execution_id: t.execution_id,
            step: t.step,
            created_at: t.created_at,
            started_at: t.started_at,
            finished_at: t.finished_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// Only tasks with this status.
    pub status: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvent {
    /// What happened, e.g. `deploy`, `note`.
    #[validate(length(min = 1, max = 60))]
    #[serde(rename = "type")]
    pub kind: String,
    /// `debug`, `info` (default), `warning`, `error` or `critical`.
    pub severity: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    pub message: String,
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: Uuid,
    pub agent_id: Uuid,
    #[serde(rename = "type")]
    pub kind: String,
    pub severity: String,
    pub message: String,
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    pub created_at: DateTime<Utc>,
}

impl From<agent_event::Model> for EventView {
    fn from(e: agent_event::Model) -> Self {
        Self {
            id: e.id,
            agent_id: e.agent_id,
            kind: e.kind,
            severity: e.severity,
            message: e.message,
            data: e.data,
            created_at: e.created_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// This severity or worse.
    pub min_severity: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Only events at or after this time.
    pub since: Option<DateTime<Utc>>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkflowStep {
    /// A task type the agent may run.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
    /// Run only when an earlier step's result matches; otherwise the step is skipped.
    #[serde(default)]
    pub when: Option<StepCondition>,
}

/// `results[step].field <op> value`, e.g. `{ "step": 0, "field": "refreshed", "op": "gt", "value": 0 }`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepCondition {
    pub step: usize,
    /// A key of that step's result object (dots reach nested keys).
    pub field: String,
    /// `eq`, `ne`, `gt`, `gte`, `lt` or `lte`.
    pub op: String,
    #[schema(value_type = Object)]
    pub value: Value,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWorkflow {
    #[validate(length(min = 1, max = 80))]
    pub name: String,
    #[validate(length(min = 1, max = 20))]
    pub steps: Vec<WorkflowStep>,
    /// Run every this many seconds (60 s to 7 days); absent: only on request.
    #[validate(range(min = 60, max = 604800))]
    pub schedule_secs: Option<i32>,
    /// Start an execution now.
    #[serde(default)]
    pub run: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExecutionView {
    pub id: Uuid,
    pub workflow_id: Uuid,
    /// `running`, `completed`, `failed` or `cancelled`.
    pub status: String,
    pub current_step: i32,
    /// Per step: `{ "status": "completed" | "skipped" | "failed" | ..., "result", "error" }`.
    #[schema(value_type = Object)]
    pub data: Value,
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<workflow_execution::Model> for ExecutionView {
    fn from(e: workflow_execution::Model) -> Self {
        Self {
            id: e.id,
            workflow_id: e.workflow_id,
            status: e.status,
            current_step: e.current_step,
            data: e.data,
            error: e.error,
            started_at: e.started_at,
            finished_at: e.finished_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkflowView {
    pub id: Uuid,
    pub agent_id: Uuid,
    pub name: String,
    pub steps: Vec<WorkflowStep>,
    pub schedule_secs: Option<i32>,
    pub next_run_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The latest executions, newest first.
    pub executions: Vec<ExecutionView>,
}

impl WorkflowView {
    pub fn new(w: agent_workflow::Model, executions: Vec<workflow_execution::Model>) -> Self {
        Self {
            id: w.id,
            agent_id: w.agent_id,
            name: w.name,
            steps: serde_json::from_value(w.steps).unwrap_or_default(),
            schedule_secs: w.schedule_secs,
            next_run_at: w.next_run_at,
            created_at: w.created_at,
            executions: executions.into_iter().map(ExecutionView::from).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusView {
    pub id: Uuid,
    pub status: String,
    pub pending_tasks: u64,
    pub running_tasks: u64,
    pub last_run_at: Option<DateTime<Utc>>,
    pub next_run_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// What the remote Agent OS says (kind `remote`).
    #[schema(value_type = Option<Object>)]
    pub remote: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthView {
    pub id: Uuid,
    /// `healthy`, `degraded` or `unhealthy`.
    pub health: String,
    /// Why it is not healthy.
    pub problems: Vec<String>,
    /// Failures since the last success.
    pub consecutive_failures: u32,
    /// Running tasks whose lease expired (their worker stopped).
    pub stalled_tasks: u64,
    pub last_success_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PerformanceQuery {
    /// Hours to look back, 1 to 720 (default 24).
    pub hours: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Latency {
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PerformanceBucket {
    pub hour: DateTime<Utc>,
    pub completed: u64,
    pub failed: u64,
    pub p50_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PerformanceView {
    pub agent_id: Uuid,
    pub hours: u32,
    pub completed: u64,
    pub failed: u64,
    pub cancelled: u64,
    /// Completed over finished (completed + failed); null before anything finished.
    pub success_rate: Option<f64>,
    /// Completed tasks per hour over the window.
    pub throughput_per_hour: f64,
    /// Start-to-finish of completed attempts; null before any.
    pub latency: Option<Latency>,
    /// Retries spent: attempts beyond the first, over finished tasks.
    pub retries: u64,
    pub series: Vec<PerformanceBucket>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIntegration {
    #[validate(length(min = 1, max = 80))]
    pub name: String,
    /// `http://` or `https://` URL the events are POSTed to.
    #[validate(length(min = 8, max = 500))]
    pub url: String,
    /// Event names (`agentTaskUpdate`, `agentEvent`, `agentInsight`, `agentStatusUpdate`,
    /// `agentPerformanceUpdate`, `agentError`), or `["*"]` for all.
    #[validate(length(min = 1, max = 20))]
    pub events: Vec<String>,
    /// At least 16 characters; generated when absent. Returned only in this response.
    #[validate(length(min = 16, max = 128))]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntegrationView {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Only in the creation response: keep it to verify `X-Pundit-Signature`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The latest deliveries, newest first (not in the creation response).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<DeliveryView>,
}

impl From<integration::Model> for IntegrationView {
    fn from(i: integration::Model) -> Self {
        Self {
            id: i.id,
            name: i.name,
            url: i.url,
            events: serde_json::from_value(i.events).unwrap_or_default(),
            active: i.active,
            created_at: i.created_at,
            secret: None,
            deliveries: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    pub event: String,
    /// `pending`, `sending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub response_status: Option<i32>,
    pub error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<webhook_delivery::Model> for DeliveryView {
    fn from(d: webhook_delivery::Model) -> Self {
        Self {
            id: d.id,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            response_status: d.response_status,
            error: d.error,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}
