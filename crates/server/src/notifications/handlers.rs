//! `/api/v1/notifications/*` (the caller's own notifications and preferences) and
//! `/api/v1/admin/notifications` (operators' system messages).

use std::collections::BTreeMap;

use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    notify, preferences, store,
    types::{
        AdminSend, AdminSendResult, Channel, ListQuery, NotificationKind, NotificationPage, NotificationView,
        PreferencesView, UnreadCount, UpdatePreferences, Updated,
    },
};
use crate::{
    auth::extract::AuthUser,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Json as JsonBody, Path, Query, ValidJson},
        pagination::page_and_limit,
    },
    state::AppState,
    users::{store as users, types::Role},
};

/// More entries than every type × channel is certainly a mistake.
const MAX_PREFERENCE_CHANGES: usize = 100;
/// Recipients loaded at a time when an admin notifies everyone.
const BROADCAST_BATCH: u64 = 500;

/// Your notifications, newest first, optionally only the unread ones.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(ListQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = NotificationPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<NotificationPage>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let unread_only = query.unread.unwrap_or(false);
    let (items, total) = store::list(&state.db, auth.id(), unread_only, page, limit).await?;
    let unread_count = store::unread_count(&state.db, auth.id()).await?;
    Ok(Json(NotificationPage {
        items: items.into_iter().map(NotificationView::from).collect(),
        total,
        page,
        limit,
        unread_count,
    }))
}

/// How many of your notifications are unread.
#[utoipa::path(get, path = "/notifications/unread-count", tag = "notifications",
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody)))]
pub async fn unread_count(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<UnreadCount>> {
    let unread_count = store::unread_count(&state.db, auth.id()).await?;
    Ok(Json(UnreadCount { unread_count }))
}

/// Mark one of your notifications read. Someone else's is a 404.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = NotificationView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<NotificationView>> {
    let notification = store::mark_read(&state.db, auth.id(), id)
        .await?
        .ok_or_else(|| ApiError::not_found("notification"))?;
    Ok(Json(notification.into()))
}

/// Mark all your notifications read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications",
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Updated), (status = 401, body = ErrorBody)))]
pub async fn mark_all_read(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Updated>> {
    let updated = store::mark_all_read(&state.db, auth.id()).await?;
    Ok(Json(Updated { updated }))
}

/// Delete one of your notifications. Someone else's is a 404.
#[utoipa::path(delete, path = "/notifications/{id}", tag = "notifications", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    if store::delete(&state.db, auth.id(), id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("notification"))
    }
}

/// Every notification type × channel (`in_app`, `realtime`, `email`) with its effective setting.
#[utoipa::path(get, path = "/notifications/preferences", tag = "notifications",
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PreferencesView), (status = 401, body = ErrorBody)))]
pub async fn preferences(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<PreferencesView>> {
    let prefs = preferences::load(&state.db, auth.id()).await?;
    Ok(Json(PreferencesView {
        preferences: prefs.effective(),
    }))
}

/// Change some settings; the ones not listed keep their value. Returns the effective list.
#[utoipa::path(put, path = "/notifications/preferences", tag = "notifications", request_body = UpdatePreferences,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PreferencesView), (status = 401, body = ErrorBody),
        (status = 422, description = "unknown type or channel", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn update_preferences(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<UpdatePreferences>,
) -> ApiResult<Json<PreferencesView>> {
    if req.preferences.len() > MAX_PREFERENCE_CHANGES {
        return Err(ApiError::invalid_field(
            "preferences",
            "length",
            &format!("at most {MAX_PREFERENCE_CHANGES} entries"),
        ));
    }
    let mut fields = serde_json::Map::new();
    // Later entries for the same type and channel win.
    let mut changes: BTreeMap<(NotificationKind, Channel), bool> = BTreeMap::new();
    for (i, p) in req.preferences.iter().enumerate() {
        let kind = p.kind.parse::<NotificationKind>();
        let channel = p.channel.parse::<Channel>();
        if let Err(message) = &kind {
            fields.insert(
                format!("preferences[{i}].type"),
                json!([{ "code": "unknown_type", "message": message }]),
            );
        }
        if let Err(message) = &channel {
            fields.insert(
                format!("preferences[{i}].channel"),
                json!([{ "code": "unknown_channel", "message": message }]),
            );
        }
        if let (Ok(kind), Ok(channel)) = (kind, channel) {
            changes.insert((kind, channel), p.enabled);
        }
    }
    if !fields.is_empty() {
        return Err(ApiError::Validation(json!({ "fields": Value::Object(fields) })));
    }
    let changes: Vec<_> = changes
        .into_iter()
        .map(|((kind, channel), enabled)| (kind, channel, enabled))
        .collect();
    store::upsert_preferences(&state.db, auth.id(), &changes).await?;
    let prefs = preferences::load(&state.db, auth.id()).await?;
    Ok(Json(PreferencesView {
        preferences: prefs.effective(),
    }))
}

/// Send a `system` notification to one user, or to every active user when `user_id` is omitted.
#[utoipa::path(post, path = "/admin/notifications", tag = "admin", request_body = AdminSend,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AdminSendResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "no such user", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id()))]
pub async fn admin_send(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<AdminSend>,
) -> ApiResult<Json<AdminSendResult>> {
    auth.require_role(Role::Admin)?;
    let send = |user_id: Uuid| {
        notify(
            &state,
            user_id,
            NotificationKind::System,
            &req.title,
            &req.body,
            Value::Null,
        )
    };
    let mut result = AdminSendResult {
        recipients: 0,
        stored: 0,
    };
    if let Some(user_id) = req.user_id {
        users::by_id(&state.db, user_id)
            .await?
            .ok_or_else(|| ApiError::not_found("user"))?;
        result.recipients = 1;
        result.stored = u64::from(send(user_id).await?.is_some());
    } else {
        let mut after = None;
        loop {
            let ids = store::active_user_ids(&state.db, after, BROADCAST_BATCH).await?;
            for &user_id in &ids {
                result.recipients += 1;
                result.stored += u64::from(send(user_id).await?.is_some());
            }
            match ids.last() {
                Some(&last) if ids.len() as u64 == BROADCAST_BATCH => after = Some(last),
                _ => break,
            }
        }
    }
    tracing::info!(
        recipients = result.recipients,
        stored = result.stored,
        "system notification sent"
    );
    Ok(Json(result))
}
