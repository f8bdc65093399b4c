//! `GET /api/v1/users/me/export` and `DELETE /api/v1/users/me`.

use axum::{
    Json,
    extract::State,
    http::{StatusCode, header::CONTENT_DISPOSITION},
};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use super::{erase::erase, export};
use crate::{
    audit::{self, Entry},
    auth::{extract::AuthUser, password},
    error::{ApiError, ApiResult, ErrorBody},
    http::{client_ip::ClientMeta, extract::ValidJson},
    state::AppState,
};

/// A JSON document served as a file to save.
type Download = ([(axum::http::HeaderName, String); 1], Json<export::AccountExport>);

/// Everything Pundit holds about you, as one JSON file (secrets such as password and key
/// hashes left out). Needs a signed-in session, not an API key.
#[utoipa::path(get, path = "/me/export", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = export::AccountExport,
            headers(("content-disposition" = String, description = "attachment; filename=\"pundit-export-<username>.json\""))),
        (status = 401, body = ErrorBody),
        (status = 403, description = "API keys cannot export an account", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn export(State(state): State<AppState>, auth: AuthUser, meta: ClientMeta) -> ApiResult<Download> {
    auth.require_session()?;
    let document = export::build(&state.db, &auth.user).await?;
    let entry = Entry::new("account.exported")
        .actor(auth.id())
        .target("user", auth.id())
        .ip(meta.ip);
    audit::record(&state.db, entry).await;
    // Usernames are letters, digits, `_`, `-` and `.`: safe inside the quotes.
    let disposition = format!(
        "attachment; filename=\"pundit-export-{}.json\"",
        auth.user.username
    );
    Ok(([(CONTENT_DISPOSITION, disposition)], Json(document)))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    /// Your current password, to confirm.
    #[validate(length(min = 1, max = 1024))]
    pub password: String,
}

/// Delete your account for good: personal data is removed or anonymised, your posts, comments,
/// chat messages, picks, likes and follows are deleted, every session and API key stops
/// working, and your username and email are free again. Needs a signed-in session.
#[utoipa::path(delete, path = "/me", tag = "users", request_body = DeleteAccount, security(("bearer" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody),
        (status = 403, description = "wrong password, or called with an API key", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn delete_me(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    ValidJson(req): ValidJson<DeleteAccount>,
) -> ApiResult<StatusCode> {
    auth.require_session()?;
    let id = auth.id();
    if !password::verify(req.password, auth.user.password_hash.clone()).await? {
        let entry = Entry::new("account.delete_failed")
            .actor(id)
            .target("user", id)
            .ip(meta.ip)
            .details(json!({"reason": "wrong_password"}));
        audit::record(&state.db, entry).await;
        return Err(ApiError::Forbidden(
            "wrong password: the account was not deleted".into(),
        ));
    }
    erase(&state, &auth.user).await?;
    let entry = Entry::new("account.deleted")
        .actor(id)
        .target("user", id)
        .ip(meta.ip)
        .details(json!({"by": "self"}));
    audit::record(&state.db, entry).await;
    tracing::info!("account deleted");
    Ok(StatusCode::NO_CONTENT)
}
