//! The audit log: security-relevant actions (sign-ins, role changes, API keys, moderation,
//! account export and deletion), written through [`record`] and read by admins at
//! `GET /api/v1/admin/audit`. Recording never fails the request that triggered it.

pub mod handlers;
pub mod store;
pub mod types;

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};
use serde_json::Value;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{db::entities::audit_log, state::AppState};

/// `api_key.used` is written at most this often per key, across instances.
const KEY_USE_INTERVAL: Duration = Duration::from_secs(600);

/// Mounted at `/api/v1/admin`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handlers::list))
}

/// One entry to record; build it with the methods below.
#[derive(Debug, Clone)]
pub struct Entry {
    action: &'static str,
    actor: Option<Uuid>,
    target: Option<(&'static str, String)>,
    ip: Option<String>,
    details: Option<Value>,
}

impl Entry {
    pub fn new(action: &'static str) -> Self {
        Self {
            action,
            actor: None,
            target: None,
            ip: None,
            details: None,
        }
    }

    pub fn actor(mut self, actor: impl Into<Option<Uuid>>) -> Self {
        self.actor = actor.into();
        self
    }

    pub fn target(mut self, kind: &'static str, id: impl ToString) -> Self {
        self.target = Some((kind, id.to_string()));
        self
    }

    pub fn ip(mut self, ip: Option<String>) -> Self {
        self.ip = ip;
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }
}

/// Writes the entry. A failure is logged, never returned: the action itself already happened.
pub async fn record(db: &DatabaseConnection, entry: Entry) {
    let action = entry.action;
    let (target_type, target_id) = entry
        .target
        .map_or((None, None), |(kind, id)| (Some(kind.to_string()), Some(id)));
    let row = audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        actor_id: Set(entry.actor),
        action: Set(action.to_string()),
        target_type: Set(target_type),
        target_id: Set(target_id),
        ip: Set(entry.ip),
        details: Set(entry.details),
    };
    if let Err(e) = row.insert(db).await {
        tracing::warn!(error = %e, action, "audit entry not recorded");
    }
}

/// Records that an API key authenticated a request, once per key per interval: the shared
/// cache's counter decides, so several instances still write one row.
pub async fn api_key_used(state: &AppState, key_id: Uuid, user_id: Uuid, ip: Option<String>) {
    let key = format!("audit:api-key-used:{key_id}");
    match state.cache.incr(&key, KEY_USE_INTERVAL).await {
        Ok((1, _)) => {}
        Ok(_) => return,
        Err(e) => {
            // Without the cache there is no throttle; skipping beats a row per request.
            tracing::warn!(error = %e, "api key use not audited");
            return;
        }
    }
    let entry = Entry::new("api_key.used")
        .actor(user_id)
        .target("api_key", key_id)
        .ip(ip);
    record(&state.db, entry).await;
}
