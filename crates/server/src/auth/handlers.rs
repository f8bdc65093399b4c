//! `/api/v1/auth/*`: register, login, refresh, logout.

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use validator::Validate;

use super::{
    service,
    store::SessionMeta,
    types::{LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest, TokenResponse},
};
use crate::{
    auth::extract::{AuthUser, Credential},
    error::{ApiError, ApiResult, ErrorBody},
    http::{client_ip::ClientMeta, extract::ValidJson},
    state::AppState,
};

fn session_meta(meta: ClientMeta) -> SessionMeta {
    SessionMeta {
        user_agent: meta.user_agent,
        ip: meta.ip,
    }
}

/// Create an account and sign in.
#[utoipa::path(post, path = "/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, body = TokenResponse),
        (status = 409, description = "email or username taken", body = ErrorBody),
        (status = 422, description = "invalid fields or weak password", body = ErrorBody),
        (status = 429, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(state): State<AppState>,
    meta: ClientMeta,
    ValidJson(req): ValidJson<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    let tokens = service::register(&state, req, session_meta(meta)).await?;
    Ok((StatusCode::CREATED, Json(tokens)))
}

/// Sign in with email or username; repeated failures lock the account for a while.
#[utoipa::path(post, path = "/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "wrong credentials", body = ErrorBody),
        (status = 403, description = "account deactivated", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "rate limited or account locked", body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    meta: ClientMeta,
    ValidJson(req): ValidJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(service::login(&state, req, session_meta(meta)).await?))
}

/// Exchange a refresh token for a new pair. Each refresh token works once: presenting a used one
/// revokes the whole session.
#[utoipa::path(post, path = "/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn refresh(
    State(state): State<AppState>,
    meta: ClientMeta,
    ValidJson(req): ValidJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    Ok(Json(service::refresh(&state, &req.refresh_token, meta.ip).await?))
}

/// End a session: the one the given refresh token belongs to, or the caller's current one.
#[utoipa::path(post, path = "/logout", tag = "auth", request_body(content = Option<LogoutRequest>),
    security(("bearer" = [])),
    responses((status = 204, description = "signed out"), (status = 401, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn logout(State(state): State<AppState>, auth: AuthUser, body: Bytes) -> ApiResult<StatusCode> {
    // The body is optional: an empty one means "this session".
    let req: LogoutRequest = if body.iter().all(u8::is_ascii_whitespace) {
        LogoutRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::BadRequest(format!("malformed JSON body: {e}")))?
    };
    req.validate()?;
    let session = match auth.credential {
        Credential::Session(id) => Some(id),
        Credential::ApiKey(_) => None,
    };
    let token = req.refresh_token.as_deref();
    service::logout(&state, auth.id(), session, token).await?;
    Ok(StatusCode::NO_CONTENT)
}
