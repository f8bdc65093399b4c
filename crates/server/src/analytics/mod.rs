//! Analytics (the seeds' AnalyticsModule): computed from the existing tables on request, no
//! tables of its own. A user's performance, served-forecast performance by month, system
//! totals (cached five minutes) and admin reports with CSV export.

pub mod csv;
pub mod handlers;
pub mod performance;
pub mod queries;
pub mod reports;
pub mod types;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::user_performance))
        .routes(routes!(handlers::model_performance))
        .routes(routes!(handlers::system))
        .routes(routes!(handlers::report))
}
