//! `/api/v1/users/me/api-keys`: create (shown once), list, revoke.

use axum::{Json, extract::State, http::StatusCode};
use serde_json::json;
use uuid::Uuid;

use super::{
    extract::AuthUser,
    store,
    types::{ApiKeyView, CreateApiKey, CreatedApiKey},
};
use crate::{
    audit::{self, Entry},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        client_ip::ClientMeta,
        extract::{Path, ValidJson},
    },
    state::AppState,
};

/// Keys one account may hold at once.
const MAX_ACTIVE_KEYS: u64 = 20;

/// Create an API key. The key is in this response only; store it now.
#[utoipa::path(post, path = "/api-keys", tag = "api-keys", request_body = CreateApiKey,
    security(("bearer" = [])),
    responses((status = 201, body = CreatedApiKey), (status = 401, body = ErrorBody),
        (status = 403, description = "API keys cannot create API keys", body = ErrorBody),
        (status = 409, description = "too many active keys", body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    ValidJson(req): ValidJson<CreateApiKey>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    auth.require_session()?;
    if store::count_active_api_keys(&state.db, auth.id()).await? >= MAX_ACTIVE_KEYS {
        return Err(ApiError::Conflict {
            code: "too_many_api_keys",
            message: format!("at most {MAX_ACTIVE_KEYS} active keys; revoke one first"),
        });
    }
    let (model, key) = store::create_api_key(&state.db, auth.id(), req.name.trim()).await?;
    tracing::info!(api_key_id = %model.id, "api key created");
    let entry = Entry::new("api_key.created")
        .actor(auth.id())
        .target("api_key", model.id)
        .ip(meta.ip)
        .details(json!({"name": model.name}));
    audit::record(&state.db, entry).await;
    Ok((
        StatusCode::CREATED,
        Json(CreatedApiKey {
            info: model.into(),
            key,
        }),
    ))
}

/// The caller's API keys, newest first (the keys themselves are never shown again).
#[utoipa::path(get, path = "/api-keys", tag = "api-keys", security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<ApiKeyView>), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: AuthUser) -> ApiResult<Json<Vec<ApiKeyView>>> {
    let keys = store::api_keys_of(&state.db, auth.id()).await?;
    Ok(Json(keys.into_iter().map(ApiKeyView::from).collect()))
}

/// Revoke one of the caller's API keys; it stops working at once.
#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api-keys", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "API key id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), api_key_id = %id))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    auth.require_session()?;
    if store::revoke_api_key(&state.db, auth.id(), id).await? {
        tracing::info!("api key revoked");
        let entry = Entry::new("api_key.revoked")
            .actor(auth.id())
            .target("api_key", id)
            .ip(meta.ip);
        audit::record(&state.db, entry).await;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("API key"))
    }
}
