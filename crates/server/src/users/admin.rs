//! `/api/v1/admin/users/*`: list accounts, change roles, deactivate and reactivate.

use axum::{Json, extract::State};
use chrono::Utc;
use sea_orm::{IntoActiveModel, Set};
use uuid::Uuid;

use super::{
    store::{self, UserFilter},
    types::{ChangeRole, ListUsersQuery, Role, UserView},
};
use crate::{
    auth::{extract::AuthUser, store as sessions},
    db::entities::user,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
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
    store::by_id(&state.db, id)
        .await?
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
    Path(id): Path<Uuid>,
    JsonBody(req): JsonBody<ChangeRole>,
) -> ApiResult<Json<UserView>> {
    let user = target(&state, &auth, id).await?;
    let mut active = user.into_active_model();
    active.role = Set(req.role.as_str().to_string());
    active.updated_at = Set(Utc::now());
    let user = store::save(&state.db, active).await?;
    tracing::info!(role = req.role.as_str(), "role changed");
    Ok(Json(UserView::new(user, None)))
}

async fn set_active(
    state: &AppState,
    auth: &AuthUser,
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
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_active(&state, &auth, id, false).await
}

/// Reactivate an account.
#[utoipa::path(post, path = "/users/{id}/activate", tag = "admin", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(admin_id = %auth.id(), user_id = %id))]
pub async fn activate(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<UserView>> {
    set_active(&state, &auth, id, true).await
}
