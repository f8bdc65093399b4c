//! Authentication: passwords, JWT access tokens, rotating refresh tokens, API keys, lockout.

pub mod api_keys;
pub mod extract;
pub mod handlers;
pub mod password;
pub mod service;
pub mod store;
pub mod tokens;
pub mod types;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Mounted at `/api/v1/auth`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::register))
        .routes(routes!(handlers::login))
        .routes(routes!(handlers::refresh))
        .routes(routes!(handlers::logout))
}

/// Mounted at `/api/v1/users/me`.
pub fn api_key_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api_keys::create, api_keys::list))
        .routes(routes!(api_keys::revoke))
}
