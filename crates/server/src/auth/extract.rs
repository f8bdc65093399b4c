//! Who is calling: a Bearer access token or an `X-API-Key`. The account is read on every request
//! so deactivation, role changes and logout take effect at once.

use axum::{
    extract::FromRequestParts,
    http::{header::AUTHORIZATION, request::Parts},
};
use uuid::Uuid;

use super::store;
use crate::{
    db::entities::user,
    error::ApiError,
    state::AppState,
    users::{store as users, types::Role},
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// An interactive session; carries the refresh-token family id.
    Session(Uuid),
    ApiKey(Uuid),
}

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: user::Model,
    pub role: Role,
    pub credential: Credential,
}

impl AuthUser {
    pub fn id(&self) -> Uuid {
        self.user.id
    }

    pub fn require_role(&self, least: Role) -> Result<(), ApiError> {
        if self.role >= least {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "requires the {} role",
                least.as_str()
            )))
        }
    }

    /// Account-management actions need a signed-in session, not an API key.
    pub fn require_session(&self) -> Result<Uuid, ApiError> {
        match self.credential {
            Credential::Session(id) => Ok(id),
            Credential::ApiKey(_) => Err(ApiError::Forbidden(
                "this action needs a signed-in session".into(),
            )),
        }
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::Unauthorized(message.into())
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(key) = parts.headers.get("x-api-key") {
            let key = key.to_str().map_err(|_| unauthorized("invalid API key"))?;
            let api_key = store::active_api_key(&state.db, key)
                .await?
                .ok_or_else(|| unauthorized("invalid or revoked API key"))?;
            let user = active_user(state, api_key.user_id).await?;
            let ip = crate::http::client_ip::client_ip(
                &parts.headers,
                &parts.extensions,
                state.config.trust_proxy,
            );
            crate::audit::api_key_used(state, api_key.id, user.id, ip.map(|ip| ip.to_string())).await;
            return Ok(Self {
                role: Role::from_db(&user.role),
                user,
                credential: Credential::ApiKey(api_key.id),
            });
        }
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| unauthorized("missing credentials: send a Bearer token or X-API-Key"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .ok_or_else(|| unauthorized("the Authorization header must be `Bearer <token>`"))?;
        authenticate_token(state, token.trim()).await
    }
}

/// The signed-in user behind an access token (also used by the real-time gateway's handshake).
pub async fn authenticate_token(state: &AppState, token: &str) -> Result<AuthUser, ApiError> {
    let claims = state.jwt.verify(token).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => unauthorized("access token expired"),
        _ => unauthorized("invalid access token"),
    })?;
    if !store::session_active(&state.db, claims.sid).await? {
        return Err(unauthorized("session ended; sign in again"));
    }
    let user = active_user(state, claims.sub).await?;
    Ok(AuthUser {
        role: Role::from_db(&user.role),
        user,
        credential: Credential::Session(claims.sid),
    })
}

/// Credentials are optional: `None` without any, a 401 for bad ones.
pub struct MaybeAuthUser(pub Option<AuthUser>);

impl FromRequestParts<AppState> for MaybeAuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(AUTHORIZATION) || parts.headers.contains_key("x-api-key") {
            Ok(Self(Some(AuthUser::from_request_parts(parts, state).await?)))
        } else {
            Ok(Self(None))
        }
    }
}

async fn active_user(state: &AppState, id: Uuid) -> Result<user::Model, ApiError> {
    match users::by_id(&state.db, id).await? {
        Some(user) if user.is_active => Ok(user),
        Some(_) => Err(unauthorized("account deactivated")),
        None => Err(unauthorized("account no longer exists")),
    }
}
