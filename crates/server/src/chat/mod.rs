//! Live match chat: messages sent in a match room (Socket.IO `chat:message`, or HTTP), stored,
//! rate-limited per user, and moderated like comments (reports, hiding; blocked users' messages
//! are not shown to the blocker).

pub mod handlers;

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    bus::Event,
    db::entities::{chat_message, user},
    error::{ApiError, ApiResult},
    matches::store as matches,
    social::graph,
    state::AppState,
};

/// Longest message, in characters.
pub const MAX_CHARS: usize = 500;
/// Messages one user may send in `WINDOW`.
pub const MAX_PER_WINDOW: u64 = 5;
pub const WINDOW: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChatMessageView {
    pub id: Uuid,
    pub match_id: i32,
    pub username: String,
    /// Plain text: never render it as HTML.
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Sends `body` from `author` to the match's room, after the length and rate checks.
pub async fn send(
    state: &AppState,
    author: &user::Model,
    match_id: i32,
    body: &str,
) -> ApiResult<ChatMessageView> {
    let body = body.trim();
    let chars = body.chars().count();
    if chars == 0 || chars > MAX_CHARS {
        return Err(ApiError::invalid_field("body", "length", "1 to 500 characters"));
    }
    if matches::football_match(&state.db, match_id).await?.is_none() {
        return Err(ApiError::not_found("match"));
    }
    // A shared counter, so the limit holds across instances when Redis is configured.
    let (count, resets_in) = state
        .cache
        .incr(&format!("chat-rate:{}", author.id), WINDOW)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    if count > MAX_PER_WINDOW {
        return Err(ApiError::TooManyRequests {
            code: "chat_rate_limited",
            message: format!(
                "at most {MAX_PER_WINDOW} messages every {} seconds",
                WINDOW.as_secs()
            ),
            retry_after_secs: resets_in.as_secs().max(1),
        });
    }
    let stored = chat_message::ActiveModel {
        id: Set(Uuid::now_v7()),
        match_id: Set(match_id),
        user_id: Set(author.id),
        body: Set(body.to_string()),
        hidden_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await?;
    let view = ChatMessageView {
        id: stored.id,
        match_id,
        username: author.username.clone(),
        body: stored.body,
        created_at: stored.created_at,
    };
    metrics::counter!("pundit_chat_messages_total").increment(1);
    state
        .bus
        .publish(Event::new(
            format!("match:{match_id}"),
            "chat:message",
            json!(view),
        ))
        .await;
    Ok(view)
}

/// The match's visible messages, newest first: not hidden, not from users `viewer` blocked.
pub async fn history(
    state: &AppState,
    match_id: i32,
    viewer: Option<Uuid>,
    before: Option<Uuid>,
    limit: u64,
) -> ApiResult<Vec<ChatMessageView>> {
    let mut select = chat_message::Entity::find()
        .filter(chat_message::Column::MatchId.eq(match_id))
        .filter(chat_message::Column::HiddenAt.is_null());
    if let Some(viewer) = viewer {
        select = select
            .filter(chat_message::Column::UserId.not_in_subquery(crate::social::store::blocked_by(viewer)));
    }
    if let Some(before) = before {
        // UUIDv7 ids grow with time: older messages have smaller ids.
        select = select.filter(chat_message::Column::Id.lt(before));
    }
    let rows = select
        .order_by_desc(chat_message::Column::Id)
        .limit(limit)
        .all(&state.db)
        .await?;
    let authors: Vec<Uuid> = rows.iter().map(|m| m.user_id).collect();
    let names = graph::summaries(&state.db, &authors).await?;
    Ok(rows
        .into_iter()
        .map(|m| ChatMessageView {
            id: m.id,
            match_id: m.match_id,
            username: names
                .get(&m.user_id)
                .map(|s| s.username.clone())
                .unwrap_or_default(),
            body: m.body,
            created_at: m.created_at,
        })
        .collect())
}

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list, handlers::post))
        .routes(routes!(handlers::report))
        .routes(routes!(handlers::hide, handlers::unhide))
}
