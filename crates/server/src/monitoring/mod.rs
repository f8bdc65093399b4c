//! Model monitoring: model versions and which one serves each competition (promote, roll back),
//! live accuracy of frozen versions on the matches after their training data, drift detection
//! with stored and broadcast alerts, and A/B tests compared with the Diebold-Mariano test.

pub mod ab;
pub mod ab_handlers;
pub mod accuracy;
pub mod alerts;
pub mod drift;
pub mod evaluate;
pub mod serving;
pub mod types;
pub mod versions;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// The bus topic (and Socket.IO room, joined by admins) of monitoring events.
pub const TOPIC: &str = "monitoring";
/// Published on [`TOPIC`] when a drift alert is raised or escalates.
pub const EVENT_ALERT: &str = "monitoring:alert";

/// Mounted at `/api/v1/monitoring`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(versions::list_versions))
        .routes(routes!(versions::get_version))
        .routes(routes!(versions::promote))
        .routes(routes!(versions::rollback))
        .routes(routes!(versions::list_serving))
        .routes(routes!(accuracy::accuracy))
        .routes(routes!(alerts::run_check))
        .routes(routes!(alerts::list_alerts))
        .routes(routes!(alerts::acknowledge))
        .routes(routes!(ab_handlers::create, ab_handlers::list))
        .routes(routes!(ab_handlers::get))
        .routes(routes!(ab_handlers::stop))
        .routes(routes!(ab_handlers::assignment))
}
