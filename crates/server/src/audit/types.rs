//! What the audit endpoint accepts and returns.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::entities::audit_log;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// A user id or username: entries that user caused.
    pub actor: Option<String>,
    /// An action (`auth.login_failed`), or a prefix ending in a dot (`auth.`).
    pub action: Option<String>,
    /// What was acted on: `user`, `api_key`, `post`, `comment`, `chat_message`, ...
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// RFC 3339 time: entries at or after it.
    pub since: Option<String>,
    /// RFC 3339 time: entries before it.
    pub until: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    /// Who did it: none for the system or a failed sign-in to an unknown account.
    pub actor_id: Option<Uuid>,
    /// The actor's current username (deleted accounts show their anonymised one).
    pub actor: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    /// Action-specific facts, or an empty object.
    #[schema(value_type = Object)]
    pub details: Value,
}

impl AuditEntryView {
    pub fn new(row: audit_log::Model, actor: Option<String>) -> Self {
        Self {
            id: row.id,
            at: row.at,
            actor_id: row.actor_id,
            actor,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            ip: row.ip,
            details: row.details.unwrap_or_else(|| Value::Object(Default::default())),
        }
    }
}

/// Newest first; pass `next_cursor` as `cursor` for the next page (null at the end).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryView>,
    pub next_cursor: Option<String>,
}
