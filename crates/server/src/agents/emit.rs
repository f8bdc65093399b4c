//! Everything agents tell the world goes out here: to Socket.IO/SSE clients in `agent:<id>`
//! (through the bus, so every instance's clients hear it) and to the webhooks subscribed to it.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{types::TaskView, webhooks};
use crate::{bus::Event, db::entities::agent_task, state::AppState};

/// The seeds' Socket.IO event names.
pub const STATUS_UPDATE: &str = "agentStatusUpdate";
pub const TASK_UPDATE: &str = "agentTaskUpdate";
pub const EVENT: &str = "agentEvent";
pub const INSIGHT: &str = "agentInsight";
pub const PERFORMANCE_UPDATE: &str = "agentPerformanceUpdate";
pub const ERROR: &str = "agentError";

pub const ALL: [&str; 6] = [
    STATUS_UPDATE,
    TASK_UPDATE,
    EVENT,
    INSIGHT,
    PERFORMANCE_UPDATE,
    ERROR,
];

/// Publishes `name` with `data` (which gets the agent id) to the agent's room and its webhooks.
pub async fn publish(state: &AppState, agent_id: Uuid, name: &str, data: Value) {
    let mut data = data;
    if let Some(map) = data.as_object_mut() {
        map.insert("agent_id".into(), json!(agent_id));
    }
    webhooks::enqueue(state, name, &data).await;
    state
        .bus
        .publish(Event::new(format!("agent:{agent_id}"), name, data))
        .await;
}

pub async fn task_update(state: &AppState, task: &agent_task::Model) {
    let view = TaskView::from(task.clone());
    publish(state, task.agent_id, TASK_UPDATE, json!({ "task": view })).await;
}
