//! The prediction game: users' own picks, scoring when results arrive, user stats,
//! leaderboards (points and "beat the model") and achievements.
//!
//! Every path that writes a match result calls [`settle`] (admin edits, live updates); results
//! imported by the CLI, which runs in its own process, are picked up by the sweep
//! ([`service::start_sweep`]). Scoring is idempotent, so both may see the same match.

pub mod achievements;
pub mod benchmark;
pub mod handlers;
pub mod leaderboard;
pub mod scoring;
pub mod service;
pub mod stats;
pub mod store;
pub mod types;

use utoipa_axum::{router::OpenApiRouter, routes};

pub use service::{score_settled, settle, start_sweep};

use crate::state::AppState;

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create, handlers::list))
        .routes(routes!(handlers::my_stats))
        .routes(routes!(handlers::get, handlers::update, handlers::withdraw))
        .routes(routes!(handlers::user_stats))
        .routes(routes!(handlers::user_achievements))
        .routes(routes!(handlers::leaderboard))
        .routes(routes!(handlers::model_leaderboard))
}
