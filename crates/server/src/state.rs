//! Shared application state handed to every handler.

use std::{ops::Deref, sync::Arc};

use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

use crate::{auth::tokens::JwtKeys, bus::Bus, cache::Cache, config::Config, forecasts};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: DatabaseConnection,
    pub cache: Cache,
    pub bus: Bus,
    pub jwt: JwtKeys,
    /// Fitted forecasting models, per competition, model and date.
    pub forecasts: forecasts::Registry,
    /// Health of external dependencies, refreshed in the background.
    pub gateway: crate::gateway::Registry,
    /// Match insights: the LLM client (when configured) and its writers.
    pub insights: crate::insights::Insights,
    /// Live-data providers.
    pub live: std::sync::Arc<crate::live::Live>,
    /// Recent events, for SSE clients that reconnect.
    pub replay: crate::realtime::ReplayBuffer,
    /// The external ML service, when `ML_SERVICE_URL` is set.
    pub remote_model: Option<std::sync::Arc<forecasts::remote::RemoteModel>>,
    /// The agent runtime's per-instance plumbing (wake-ups, the Agent OS client).
    pub agents: crate::agents::Runtime,
    /// Trace export to an OTLP collector, when `PUNDIT_OTLP_ENDPOINT` is set.
    pub traces: Option<crate::telemetry::Exporter>,
    /// Cancelled when the server begins shutting down; background tasks watch it.
    pub shutdown: CancellationToken,
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
