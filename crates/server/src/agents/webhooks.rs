//! Outgoing webhooks (the seeds' `/agents/integrations`): events are queued as delivery rows,
//! POSTed with an HMAC-SHA256 signature, retried with backoff, and logged.

use chrono::{Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use serde_json::{Value, json};
use sha2::Sha256;
use uuid::Uuid;

use crate::{
    db::entities::{integration, webhook_delivery},
    state::AppState,
};

pub const PENDING: &str = "pending";
const SENDING: &str = "sending";
const DELIVERED: &str = "delivered";
const FAILED: &str = "failed";

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i32 = 6;
/// How long a claimed delivery is held before another instance may send it.
const SEND_LEASE_SECS: i64 = 60;

/// `sha256=<hex>` over `"<timestamp>.<body>"`, the value of `X-Pundit-Signature`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

fn subscribed(events: &Value, event: &str) -> bool {
    events.as_array().is_some_and(|list| {
        list.iter()
            .any(|e| e.as_str().is_some_and(|e| e == "*" || e == event))
    })
}

/// Queues `event` for every active integration subscribed to it. Failures are logged: a
/// webhook never stops the work that raised the event.
pub async fn enqueue(state: &AppState, event: &str, data: &Value) {
    let integrations = match integration::Entity::find()
        .filter(integration::Column::Active.eq(true))
        .all(&state.db)
        .await
    {
        Ok(list) => list,
        Err(e) => {
            tracing::warn!(error = %e, "webhook integrations not loaded");
            return;
        }
    };
    let mut queued = false;
    for i in integrations.into_iter().filter(|i| subscribed(&i.events, event)) {
        let now = Utc::now();
        let payload = json!({ "event": event, "data": data, "sent_at": now });
        let row = webhook_delivery::ActiveModel {
            id: Set(Uuid::now_v7()),
            integration_id: Set(i.id),
            event: Set(event.to_string()),
            payload: Set(payload),
            status: Set(PENDING.into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            response_status: Set(None),
            error: Set(None),
            created_at: Set(now),
            delivered_at: Set(None),
        };
        match row.insert(&state.db).await {
            Ok(_) => queued = true,
            Err(e) => tracing::warn!(error = %e, integration = %i.id, "webhook delivery not queued"),
        }
    }
    if queued {
        state.agents.wake_deliveries();
    }
}

/// Sends every due delivery this instance can claim; returns how many were attempted.
pub async fn deliver_due(state: &AppState) -> Result<usize, sea_orm::DbErr> {
    let now = Utc::now();
    let due = webhook_delivery::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(webhook_delivery::Column::Status.eq(PENDING))
                .add(webhook_delivery::Column::Status.eq(SENDING)),
        )
        .filter(webhook_delivery::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .limit(20)
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for d in due {
        // Claim: only the instance whose conditional update wins sends it.
        let claimed = webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::Status, Expr::value(SENDING))
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(now + Duration::seconds(SEND_LEASE_SECS)),
            )
            .col_expr(webhook_delivery::Column::Attempts, Expr::value(d.attempts + 1))
            .filter(webhook_delivery::Column::Id.eq(d.id))
            .filter(webhook_delivery::Column::Status.eq(d.status.clone()))
            .filter(webhook_delivery::Column::Attempts.eq(d.attempts))
            .exec(&state.db)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let Some(target) = integration::Entity::find_by_id(d.integration_id)
            .one(&state.db)
            .await?
        else {
            continue;
        };
        send(state, &target, &d, d.attempts + 1).await?;
        sent += 1;
    }
    Ok(sent)
}

async fn send(
    state: &AppState,
    target: &integration::Model,
    d: &webhook_delivery::Model,
    attempt: i32,
) -> Result<(), sea_orm::DbErr> {
    let body = serde_json::to_vec(&d.payload).unwrap_or_default();
    let timestamp = Utc::now().timestamp();
    let response = state
        .agents
        .http()
        .post(&target.url)
        .header("content-type", "application/json")
        .header("x-pundit-event", &d.event)
        .header("x-pundit-delivery", d.id.to_string())
        .header("x-pundit-timestamp", timestamp.to_string())
        .header("x-pundit-signature", signature(&target.secret, timestamp, &body))
        .body(body)
        .send()
        .await;
    let (status, error) = match response {
        Ok(r) if r.status().is_success() => (Some(i32::from(r.status().as_u16())), None),
        Ok(r) => (
            Some(i32::from(r.status().as_u16())),
            Some(format!("answered {}", r.status())),
        ),
        Err(e) => (None, Some(format!("request failed: {e}"))),
    };
    metrics::counter!("pundit_webhook_deliveries_total", "outcome" => if error.is_none() { "delivered" } else { "failed" })
        .increment(1);
    let now = Utc::now();
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::ResponseStatus, Expr::value(status))
        .col_expr(webhook_delivery::Column::Error, Expr::value(error.clone()));
    update = match error {
        None => update
            .col_expr(webhook_delivery::Column::Status, Expr::value(DELIVERED))
            .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now)),
        Some(_) if attempt >= MAX_ATTEMPTS => {
            update.col_expr(webhook_delivery::Column::Status, Expr::value(FAILED))
        }
        Some(_) => update
            .col_expr(webhook_delivery::Column::Status, Expr::value(PENDING))
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(now + super::queue::backoff(attempt)),
            ),
    };
    update
        .filter(webhook_delivery::Column::Id.eq(d.id))
        .exec(&state.db)
        .await
        .map(|_| ())
}

/// Delivers due webhooks on every instance until shutdown.
pub fn start(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&state).await {
                tracing::warn!(error = %e, "webhook deliveries failed");
            }
            tokio::select! {
                () = state.shutdown.cancelled() => return,
                () = state.agents.deliveries_wanted() => {}
                () = tokio::time::sleep(state.config.agent_poll_interval.max(std::time::Duration::from_millis(200))) => {}
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_of_timestamp_dot_body() {
        // `printf '1700000000.{}' | openssl dgst -sha256 -hmac key`
        let sig = signature("key", 1_700_000_000, b"{}");
        assert_eq!(
            sig,
            "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
        assert_ne!(sig, signature("other", 1_700_000_000, b"{}"));
        assert_ne!(sig, signature("key", 1_700_000_001, b"{}"));
    }

    #[test]
    fn subscription_matching() {
        assert!(subscribed(&json!(["*"]), "agentEvent"));
        assert!(subscribed(&json!(["agentEvent", "agentError"]), "agentError"));
        assert!(!subscribed(&json!(["agentEvent"]), "agentTaskUpdate"));
    }
}
