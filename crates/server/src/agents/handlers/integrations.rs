//! `/agents/integrations`: outgoing webhooks for agent events. The signing secret is shown once.

use axum::{Json, extract::State, http::StatusCode};
use base64::Engine;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde_json::json;
use uuid::Uuid;

use crate::{
    agents::{
        emit,
        types::{CreateIntegration, DeliveryView, IntegrationView},
    },
    auth::extract::AuthUser,
    db::entities::{integration, webhook_delivery},
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::ValidJson,
    state::AppState,
    users::types::Role,
};

/// Deliveries listed with each integration.
const RECENT_DELIVERIES: u64 = 20;

fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "whsec_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Register a webhook. Events are POSTed as `{ "event", "data", "sent_at" }` with
/// `X-Pundit-Signature: sha256=HMAC(secret, "<X-Pundit-Timestamp>.<body>")`, retried with
/// backoff up to 6 times. Admins only.
#[utoipa::path(post, path = "/agents/integrations", tag = "agents", request_body = CreateIntegration,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = IntegrationView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<CreateIntegration>,
) -> ApiResult<(StatusCode, Json<IntegrationView>)> {
    auth.require_role(Role::Admin)?;
    let url = req.url.trim();
    let parsed =
        reqwest::Url::parse(url).map_err(|_| ApiError::invalid_field("url", "invalid", "an absolute URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ApiError::invalid_field(
            "url",
            "invalid",
            "an http:// or https:// URL",
        ));
    }
    let mut events: Vec<String> = req.events.iter().map(|e| e.trim().to_string()).collect();
    if let Some(bad) = events
        .iter()
        .find(|e| *e != "*" && !emit::ALL.contains(&e.as_str()))
    {
        return Err(ApiError::invalid_field(
            "events",
            "invalid",
            &format!("unknown event `{bad}`; use {} or *", emit::ALL.join(", ")),
        ));
    }
    events.sort();
    events.dedup();
    let secret = req.secret.unwrap_or_else(new_secret);
    let created = integration::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_id: Set(auth.id()),
        name: Set(req.name.trim().to_string()),
        url: Set(url.to_string()),
        events: Set(json!(events)),
        secret: Set(secret.clone()),
        active: Set(true),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await?;
    let mut view = IntegrationView::from(created);
    view.secret = Some(secret);
    Ok((StatusCode::CREATED, Json(view)))
}

/// Webhooks with their latest deliveries (secrets are never shown again). Admins only.
#[utoipa::path(get, path = "/agents/integrations", tag = "agents",
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<IntegrationView>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Vec<IntegrationView>>> {
    auth.require_role(Role::Admin)?;
    let all = integration::Entity::find()
        .order_by_asc(integration::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let mut out = Vec::with_capacity(all.len());
    for i in all {
        let deliveries = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::IntegrationId.eq(i.id))
            .order_by_desc(webhook_delivery::Column::CreatedAt)
            .limit(RECENT_DELIVERIES)
            .all(&state.db)
            .await?;
        let mut view = IntegrationView::from(i);
        view.deliveries = deliveries.into_iter().map(DeliveryView::from).collect();
        out.push(view);
    }
    Ok(Json(out))
}
