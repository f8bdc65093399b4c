//! Agent events: stored, then sent live as `agentEvent`.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{emit, types::EventView};
use crate::{db::entities::agent_event, error::ApiError, state::AppState};

pub const SEVERITIES: [&str; 5] = ["debug", "info", "warning", "error", "critical"];

/// 0 (`debug`) to 4 (`critical`); `None` for anything else.
pub fn severity_rank(severity: &str) -> Option<usize> {
    SEVERITIES.iter().position(|s| *s == severity)
}

/// Stores the event and broadcasts it.
pub async fn record(
    state: &AppState,
    agent_id: Uuid,
    kind: &str,
    severity: &str,
    message: &str,
    data: Option<Value>,
) -> Result<agent_event::Model, ApiError> {
    if severity_rank(severity).is_none() {
        return Err(ApiError::invalid_field(
            "severity",
            "invalid",
            "debug, info, warning, error or critical",
        ));
    }
    let event = agent_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        agent_id: Set(agent_id),
        kind: Set(kind.to_string()),
        severity: Set(severity.to_string()),
        message: Set(message.to_string()),
        data: Set(data),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await?;
    let view = EventView::from(event.clone());
    emit::publish(state, agent_id, emit::EVENT, json!({ "event": view })).await;
    Ok(event)
}

/// Like `record`, for the runtime's own reports: a failure to store one is logged, not raised.
pub async fn note(state: &AppState, agent_id: Uuid, kind: &str, severity: &str, message: &str, data: Value) {
    if let Err(e) = record(state, agent_id, kind, severity, message, Some(data)).await {
        tracing::warn!(error = %e, %agent_id, kind, "agent event not stored");
    }
}
