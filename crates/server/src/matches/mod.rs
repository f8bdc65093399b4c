//! Competitions, seasons, teams, fixtures and results: imports, queries and the matches API.

pub mod admin;
pub mod demo;
pub mod fixtures;
pub mod handlers;
pub mod import;
pub mod rows;
pub mod sources;
pub mod standings;
pub mod store;
pub mod types;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list_competitions))
        .routes(routes!(handlers::get_competition))
        .routes(routes!(handlers::get_standings))
        .routes(routes!(handlers::list_teams))
        .routes(routes!(handlers::get_team))
        .routes(routes!(handlers::head_to_head))
        .routes(routes!(handlers::list_matches, admin::create))
        .routes(routes!(handlers::get_match, admin::update, admin::delete))
}

/// Imports the bundled demo seasons when the database has no matches yet.
pub async fn import_demo_if_empty(db: &sea_orm::DatabaseConnection) -> anyhow::Result<bool> {
    if store::count_matches(db).await? > 0 {
        return Ok(false);
    }
    let loaded = tokio::task::spawn_blocking(demo::rows).await?;
    let counts = import::import(db, &loaded.rows, &|_| {}).await?;
    tracing::info!(
        inserted = counts.inserted,
        "demo data imported (recent seasons of five leagues)"
    );
    Ok(true)
}
