//! Private leagues of the prediction game: a league has an owner, members who joined with its
//! invite code, and a leaderboard that is the picks board restricted to them (and to its
//! competition, if it has one) — the ranking is `picks::leaderboard`, not a second one.

pub mod handlers;
pub mod store;
pub mod types;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Members a league may have; one page of the league board holds them all.
pub const MAX_MEMBERS: u64 = 500;

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create, handlers::list))
        .routes(routes!(handlers::join))
        .routes(routes!(handlers::get, handlers::delete))
        .routes(routes!(handlers::leave))
        .routes(routes!(handlers::rotate_code))
        .routes(routes!(handlers::leaderboard))
        .routes(routes!(handlers::winners))
}
