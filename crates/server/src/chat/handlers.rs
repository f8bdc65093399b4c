//! `/api/v1/matches/{id}/chat` and the chat's reports and moderation.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::{ChatMessageView, history, send};
use crate::{
    auth::extract::{AuthUser, MaybeAuthUser},
    bus::Event,
    db::entities::{chat_message, report},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        client_ip::ClientMeta,
        extract::{Path, Query, ValidJson},
    },
    matches::store as matches,
    social::{
        moderation::{self, Target},
        types::{CreateReport, ReportView},
    },
    state::AppState,
    users::types::Role,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChatQuery {
    /// A message id: only older messages.
    pub before: Option<Uuid>,
    /// 1 to 100, default 50.
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendChat {
    /// 1 to 500 characters.
    #[validate(length(min = 1, max = 2000))]
    pub body: String,
}

/// The match's chat, newest first (hidden messages and those of users you blocked left out).
#[utoipa::path(get, path = "/matches/{id}/chat", tag = "social", params(("id" = i32, Path), ChatQuery),
    responses((status = 200, body = Vec<ChatMessageView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuthUser(viewer): MaybeAuthUser,
    Path(id): Path<i32>,
    Query(q): Query<ChatQuery>,
) -> ApiResult<Json<Vec<ChatMessageView>>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid_field("limit", "range", "1 to 100"));
    }
    if matches::football_match(&state.db, id).await?.is_none() {
        return Err(ApiError::not_found("match"));
    }
    Ok(Json(
        history(&state, id, viewer.map(|v| v.id()), q.before, limit).await?,
    ))
}

/// Send a message to the match's chat (what the Socket.IO `chat:message` event does), at most
/// 5 every 10 seconds.
#[utoipa::path(post, path = "/matches/{id}/chat", tag = "social", params(("id" = i32, Path)), request_body = SendChat,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = ChatMessageView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn post(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    ValidJson(req): ValidJson<SendChat>,
) -> ApiResult<(StatusCode, Json<ChatMessageView>)> {
    Ok((
        StatusCode::CREATED,
        Json(send(&state, &auth.user, id, &req.body).await?),
    ))
}

async fn message(state: &AppState, id: Uuid) -> ApiResult<chat_message::Model> {
    chat_message::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("chat message"))
}

/// Report a chat message to the moderators (the same queue as posts and comments).
#[utoipa::path(post, path = "/chat/{id}/report", tag = "social", params(("id" = Uuid, Path)), request_body = CreateReport,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = ReportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateReport>,
) -> ApiResult<(StatusCode, Json<ReportView>)> {
    let found = message(&state, id).await?;
    if found.hidden_at.is_some() && auth.role < Role::Moderator {
        return Err(ApiError::not_found("chat message"));
    }
    let created = moderation::insert(&state.db, auth.id(), Target::Chat(found.id), &req.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(moderation::report_view(created, auth.user.username)),
    ))
}

async fn set_hidden(
    state: &AppState,
    auth: &AuthUser,
    meta: ClientMeta,
    id: Uuid,
    hidden: bool,
) -> ApiResult<StatusCode> {
    auth.require_role(Role::Moderator)?;
    let found = message(state, id).await?;
    let match_id = found.match_id;
    let mut row = found.into_active_model();
    row.hidden_at = Set(hidden.then(Utc::now));
    row.update(&state.db).await?;
    let mut resolved = 0;
    if hidden {
        resolved = moderation::resolve(&state.db, report::Column::ChatMessageId, id).await?;
        // Clients showing the room drop it.
        state
            .bus
            .publish(Event::new(
                format!("match:{match_id}"),
                "chat:hidden",
                json!({ "id": id, "match_id": match_id }),
            ))
            .await;
    }
    tracing::info!(chat_message_id = %id, hidden, moderator = %auth.id(), "chat message moderated");
    let action = if hidden {
        "moderation.chat_hidden"
    } else {
        "moderation.chat_unhidden"
    };
    moderation::audit_action(
        state,
        auth,
        meta.ip,
        action,
        ("chat_message", id),
        moderation::resolved_details(resolved),
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Hide a chat message from everyone; its open reports are resolved and the room hears `chat:hidden`.
#[utoipa::path(post, path = "/moderation/chat/{id}/hide", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "hidden"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn hide(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    set_hidden(&state, &auth, meta, id, true).await
}

/// Show a hidden chat message again.
#[utoipa::path(delete, path = "/moderation/chat/{id}/hide", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "shown again"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unhide(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    set_hidden(&state, &auth, meta, id, false).await
}
