//! Liveness and readiness.

use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
#[schema(as = Liveness)]
pub struct Health {
    pub status: &'static str,
    pub version: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`; `degraded` (still 200) when the cache or bus is down; `unavailable` (503) when the
    /// database is.
    pub status: &'static str,
    pub checks: Vec<Check>,
    /// External dependencies (live providers, ML service, SMTP) from the last background check.
    /// For information: they never make the instance unready.
    pub dependencies: Vec<crate::gateway::ServiceStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct Check {
    /// `database`, `cache` or `bus`.
    pub name: &'static str,
    /// `sqlite`, `postgres`, `memory` or `redis`.
    pub backend: &'static str,
    pub ok: bool,
    pub error: Option<String>,
}

/// The process is up.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
pub async fn live() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// The database, cache and event bus answer. 503 when the database is down; `degraded` (200) when only
/// Redis is, since the instance still serves requests without it.
#[utoipa::path(get, path = "/health/ready", tag = "health",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let limit = Duration::from_secs(3);
    let timed_out = || "timed out".to_string();
    let (db, cache, bus) = tokio::join!(
        tokio::time::timeout(limit, crate::db::ping(&state.db)),
        tokio::time::timeout(limit, state.cache.ping()),
        tokio::time::timeout(limit, state.bus.ping()),
    );
    let checks = vec![
        Check {
            name: "database",
            backend: crate::db::backend_name(&state.db),
            ok: matches!(db, Ok(Ok(()))),
            error: db.map_or_else(|_| Some(timed_out()), |r| r.err().map(|e| e.to_string())),
        },
        Check {
            name: "cache",
            backend: state.cache.kind(),
            ok: matches!(cache, Ok(Ok(()))),
            error: cache.map_or_else(|_| Some(timed_out()), |r| r.err().map(|e| e.to_string())),
        },
        Check {
            name: "bus",
            backend: state.bus.kind(),
            ok: matches!(bus, Ok(Ok(()))),
            error: bus.map_or_else(|_| Some(timed_out()), |r| r.err().map(|e| e.to_string())),
        },
    ];
    // Only the database is required: without Redis an instance still serves reads and writes
    // (cache misses, rate limits not enforced, no cross-instance events), so a Redis outage must not
    // take every instance out of the load balancer at once.
    let database_ok = checks[0].ok;
    let (status, word) = match (database_ok, checks.iter().all(|c| c.ok)) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        (true, false) => (StatusCode::OK, "degraded"),
        (true, true) => (StatusCode::OK, "ready"),
    };
    let dependencies = state.gateway.snapshot();
    (
        status,
        Json(Readiness {
            status: word,
            checks,
            dependencies,
        }),
    )
}
