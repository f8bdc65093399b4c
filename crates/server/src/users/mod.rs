//! Accounts: the caller's own account, public profiles, and admin management.

pub mod admin;
pub mod handlers;
pub mod store;
pub mod types;
pub mod validate;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Mounted at `/api/v1/users`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            handlers::me,
            handlers::update_me,
            crate::account::handlers::delete_me
        ))
        .routes(routes!(crate::account::handlers::export))
        .routes(routes!(handlers::change_password))
        .routes(routes!(handlers::by_username))
        .nest("/me", crate::auth::api_key_router())
}

/// Mounted at `/api/v1/admin`.
pub fn admin_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(admin::list))
        .routes(routes!(admin::change_role))
        .routes(routes!(admin::deactivate))
        .routes(routes!(admin::activate))
        .routes(routes!(admin::delete))
}
