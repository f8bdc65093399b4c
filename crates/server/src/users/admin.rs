//! `/api/v1/admin/users/*`: list accounts, change roles, deactivate, reactivate and delete.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{IntoActiveModel, Set};
use serde_json::json;
use uuid::Uuid;

use super::{
    store::{self, UserFilter},
    types::{ChangeRole, ListUsersQuery, Role, UserView},
};
use crate::{
    audit::{self, Entry},
    auth::{extract::AuthUser, store as sessions},
    db::entities::user,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        client_ip::ClientMeta,
        extract::{Json as JsonBody, Path, Query},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
};

/// All accounts, newest first, filtered by text and role.
#[utoipa::path(get, path = "/users", tag = "admin", params(ListUsersQuery), security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<ListUsersQuery>,
) -> ApiResult<Json<Page<UserView>>> {
    auth.require_role(Role::Admin)?;
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let filter = UserFilter {
        query: query.q,
        role: query.role,
        page,
        limit,
    };
    let (users, total) = store::list(&state.db, &filter).await?;
    let items = users.into_iter().map(|u| UserView::new(u, None)).collect();
    Ok(Json(Page {
        items,
        total,
        page,
        limit,
    }))
}

async fn target(state: &AppState, auth: &AuthUser, id: Uuid) -> ApiResult<user::Model> {
    auth.require_role(Role::Admin)?;
    if id == auth.id() {
        // Keeps the last admin from locking everyone out by accident.
        return Err(ApiError::invalid_field(
            "id",
            "self",
            "admins cannot change their own role or status",
        ));
    }
    // A deleted account is only a tombstone: nothing left to manage.
    store::by_id(&state.db, id)
        .await?
        .filter(|u| !crate::account::is_erased(u))
        .ok_or_else(|| ApiError::not_found("user"))
}

/// Set a user's role.
#[utoipa::path(patch, path = "/users/{id}/role", tag = "admin", request_body = ChangeRole,
    params(("id" = Uuid, Path)), security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), user_id = %id))]
pub async fn change_role(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
    JsonBody(req): JsonBody<ChangeRole>,
) -> ApiResult<Json<UserView>> {
    let user = target(&state, &auth, id).await?;
    let from = user.role.clone();
    let mut active = user.into_active_model();
    active.role = Set(req.role.as_str().to_string());
    active.updated_at = Set(Utc::now());
    let user = store::save(&state.db, active).await?;
    tracing::info!(role = req.role.as_str(), "role changed");
    let entry = Entry::new("user.role_changed")
        .actor(auth.id())
        .target("user", id)
        .ip(meta.ip)
        .details(json!({"from": from, "to": req.role.as_str()}));
    audit::record(&state.db, entry).await;
    Ok(Json(UserView::new(user, None)))
}

async fn set_active(
    state: &AppState,
    auth: &AuthUser,
    meta: ClientMeta,
    id: Uuid,
    is_active: bool,
) -> ApiResult<Json<UserView>> {
    let user = target(state, auth, id).await?;
    let mut active = user.into_active_model();
    active.is_active = Set(is_active);
    active.updated_at = Set(Utc::now());
    let user = store::save(&state.db, active).await?;
    if !is_active {
        sessions::revoke_all_sessions(&state.db, id, "account deactivated").await?;
    }
    tracing::info!(is_active, "account status changed");
    let action = if is_active {
        "user.activated"
    } else {
        "user.deactivated"
    };
    let entry = Entry::new(action).actor(auth.id()).target("user", id).ip(meta.ip);
    audit::record(&state.db, entry).await;
    Ok(Json(UserView::new(user, None)))
}

/// Deactivate an account: its sessions end and it can no longer sign in or use API keys.
#[utoipa::path(post, path = "/users/{id}/deactivate", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), user_id = %id))]
pub async fn deactivate(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_active(&state, &auth, meta, id, false).await
}

/// Reactivate an account.
#[utoipa::path(post, path = "/users/{id}/activate", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), user_id = %id))]
pub async fn activate(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_active(&state, &auth, meta, id, true).await
}

/// Delete an account the way its owner would (no password needed): personal data removed or
/// anonymised, content deleted, sessions and API keys revoked.
#[utoipa::path(delete, path = "/users/{id}", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, description = "your own account", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), user_id = %id))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let user = target(&state, &auth, id).await?;
    crate::account::erase::erase(&state, &user).await?;
    let entry = Entry::new("account.deleted")
        .actor(auth.id())
        .target("user", id)
        .ip(meta.ip)
        .details(json!({"by": "admin"}));
    audit::record(&state.db, entry).await;
    tracing::info!("account deleted by an admin");
    Ok(StatusCode::NO_CONTENT)
}
