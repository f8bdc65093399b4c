//! `/api/v1/users/*`: the caller's own account and public profiles.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{IntoActiveModel, Set};

use super::{
    store,
    types::{ChangePassword, PublicUserView, UpdateMe, UserView},
};
use crate::{
    audit::{self, Entry},
    auth::{extract::AuthUser, password, store as sessions},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        client_ip::ClientMeta,
        extract::{Path, ValidJson},
    },
    state::AppState,
};

/// The signed-in account.
#[utoipa::path(get, path = "/me", tag = "users", security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<UserView>> {
    let profile = store::profile_of(&state.db, auth.id()).await?;
    Ok(Json(UserView::new(auth.user, profile)))
}

/// Change the username or profile fields. Role, email and password have their own endpoints.
#[utoipa::path(patch, path = "/me", tag = "users", request_body = UpdateMe, security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody),
        (status = 409, description = "username taken", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn update_me(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<UpdateMe>,
) -> ApiResult<Json<UserView>> {
    let mut user = auth.user.clone();
    let (username, changes) = req.split();
    if let Some(username) = username.as_deref().map(str::trim)
        && username != user.username
    {
        if store::by_username(&state.db, username)
            .await?
            .is_some_and(|other| other.id != user.id)
        {
            return Err(ApiError::Conflict {
                code: "username_taken",
                message: "that username is taken".into(),
            });
        }
        let mut active = user.into_active_model();
        active.username = Set(username.to_string());
        active.username_key = Set(username.to_lowercase());
        active.updated_at = Set(Utc::now());
        user = store::save(&state.db, active).await?;
    }
    let profile = store::update_profile(&state.db, user.id, changes)
        .await?
        .ok_or_else(|| ApiError::not_found("profile"))?;
    Ok(Json(UserView::new(user, Some(profile))))
}

/// Change the password. Every session of the account ends; sign in again with the new password.
#[utoipa::path(post, path = "/me/password", tag = "users", request_body = ChangePassword, security(("bearer" = [])),
    responses((status = 204, description = "changed; all sessions ended"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn change_password(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    ValidJson(req): ValidJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    auth.require_session()?;
    if !password::verify(req.current_password, auth.user.password_hash.clone()).await? {
        return Err(ApiError::invalid_field(
            "current_password",
            "wrong_password",
            "the current password is wrong",
        ));
    }
    password::check_policy(&req.new_password, &auth.user.username, &auth.user.email)?;
    let hash = password::hash(req.new_password).await?;
    let user_id = auth.id();
    let mut active = auth.user.into_active_model();
    let now = Utc::now();
    active.password_hash = Set(hash);
    active.password_changed_at = Set(now);
    active.updated_at = Set(now);
    store::save(&state.db, active).await?;
    sessions::revoke_all_sessions(&state.db, user_id, "password changed").await?;
    tracing::info!("password changed");
    let entry = Entry::new("auth.password_changed")
        .actor(user_id)
        .target("user", user_id)
        .ip(meta.ip);
    audit::record(&state.db, entry).await;
    Ok(StatusCode::NO_CONTENT)
}

/// Anyone's public profile by username.
#[utoipa::path(get, path = "/{username}", tag = "users",
    params(("username" = String, Path, description = "case-insensitive")),
    responses((status = 200, body = PublicUserView), (status = 404, body = ErrorBody)))]
pub async fn by_username(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> ApiResult<Json<PublicUserView>> {
    let user = store::by_username(&state.db, &username)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(|| ApiError::not_found("user"))?;
    let profile = store::profile_of(&state.db, user.id).await?;
    Ok(Json(PublicUserView::new(user, profile)))
}
