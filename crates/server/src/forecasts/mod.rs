//! Forecasts: fitted models per competition, match forecasts and markets, value bets, model
//! versions and training runs, accuracy of served forecasts, season simulation.

pub mod handlers;
pub mod models;
pub mod registry;
pub mod remote;
pub mod render;
pub mod service;
pub mod simulation;
pub mod train;
pub mod training;
pub mod types;
pub mod value_bets;

pub use registry::Registry;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::match_forecast))
        .routes(routes!(handlers::forecast_history))
        .routes(routes!(value_bets::value_bets))
        .routes(routes!(handlers::predict))
        .routes(routes!(handlers::batch_predict))
        .routes(routes!(models::list_versions))
        .routes(routes!(models::status))
        .routes(routes!(models::start_training))
        .routes(routes!(models::accuracy))
        .routes(routes!(simulation::simulate))
        .routes(routes!(crate::jobs::get))
}

/// Name of the bus event that says a competition's results changed.
pub const RESULTS_CHANGED: &str = "results:changed";

/// Keeps current fits fresh on every instance: a `results:changed` event (published locally or
/// relayed from another instance) makes the next request refit that competition's models.
pub fn listen_for_new_results(state: &AppState) {
    let mut events = state.bus.subscribe();
    let registry = state.forecasts.clone();
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                received = events.recv() => match received {
                    Ok(event) if event.name == RESULTS_CHANGED => {
                        if let Some(id) = event.data.get("competition_id").and_then(serde_json::Value::as_i64) {
                            registry.invalidate(i32::try_from(id).unwrap_or_default());
                        }
                    }
                    Ok(_) => {}
                    // Missed events: refit everything to be safe.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => registry.invalidate_all(),
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    });
}

/// Tells every instance that a competition's results changed.
pub async fn publish_results_changed(state: &AppState, competition_id: i32) {
    state.forecasts.invalidate(competition_id);
    let event = crate::bus::Event::new(
        format!("competition:{competition_id}"),
        RESULTS_CHANGED,
        serde_json::json!({ "competition_id": competition_id }),
    );
    state.bus.publish(event).await;
}
