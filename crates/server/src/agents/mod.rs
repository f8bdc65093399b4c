//! Agents (the seeds' AgentsModule, with its Agent OS inside Pundit): durable background
//! workers of built-in kinds that run tasks from a database queue shared by every instance,
//! report events and insights live to `agent:<id>`, run workflows, and call webhooks.

pub mod emit;
pub mod events;
pub mod handlers;
pub mod kinds;
pub mod performance;
pub mod queue;
pub mod remote;
pub mod runners;
pub mod scheduler;
pub mod store;
pub mod types;
pub mod webhooks;
pub mod worker;
pub mod workflows;

use std::sync::Arc;

use tokio::sync::{Mutex, Notify};
use tokio_util::task::TaskTracker;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{config::Config, state::AppState};

/// Per-instance plumbing of the agent runtime.
pub struct Runtime {
    tasks_queued: Notify,
    deliveries_queued: Notify,
    /// SQLite's single-writer path: one claim at a time in this process.
    claim_lock: Mutex<()>,
    http: reqwest::Client,
    remote: Option<Arc<remote::AgentOs>>,
    /// The workers, so shutdown can wait for them to hand running tasks back.
    workers: TaskTracker,
}

impl Runtime {
    pub fn new(config: &Config) -> anyhow::Result<Self> {
        let remote = match &config.agent_os_url {
            Some(url) => Some(Arc::new(remote::AgentOs::new(url, config.agent_os_timeout)?)),
            None => None,
        };
        Ok(Self {
            tasks_queued: Notify::new(),
            deliveries_queued: Notify::new(),
            claim_lock: Mutex::new(()),
            http: crate::outbound::http_client(std::time::Duration::from_secs(10))?,
            remote,
            workers: TaskTracker::new(),
        })
    }

    /// A task was queued here: an idle worker looks at once instead of at its next poll.
    pub fn wake_workers(&self) {
        self.tasks_queued.notify_one();
    }

    pub async fn tasks_wanted(&self) {
        self.tasks_queued.notified().await;
    }

    pub fn wake_deliveries(&self) {
        self.deliveries_queued.notify_one();
    }

    pub async fn deliveries_wanted(&self) {
        self.deliveries_queued.notified().await;
    }

    pub fn claim_lock(&self) -> &Mutex<()> {
        &self.claim_lock
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn remote(&self) -> Option<&Arc<remote::AgentOs>> {
        self.remote.as_ref()
    }

    pub fn workers(&self) -> &TaskTracker {
        &self.workers
    }

    /// After shutdown was signalled: waits (up to `limit`) for the workers to release their
    /// running tasks to the queue, so another instance finishes them instead of waiting out
    /// the lease.
    pub async fn drain(&self, limit: std::time::Duration) {
        self.workers.close();
        if tokio::time::timeout(limit, self.workers.wait()).await.is_err() {
            tracing::warn!("agent workers still busy at shutdown; their tasks are retaken after the lease");
        }
    }
}

/// Starts this instance's workers, the scheduler (run by one instance at a time) and the
/// webhook sender.
pub fn start(state: &AppState) {
    worker::start(state);
    scheduler::start(state);
    webhooks::start(state);
}

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create, handlers::list))
        .routes(routes!(
            handlers::integrations::create,
            handlers::integrations::list
        ))
        .routes(routes!(handlers::get, handlers::update, handlers::delete))
        .routes(routes!(handlers::start))
        .routes(routes!(handlers::stop))
        .routes(routes!(handlers::status))
        .routes(routes!(handlers::health))
        .routes(routes!(handlers::performance))
        .routes(routes!(handlers::tasks::create, handlers::tasks::list))
        .routes(routes!(handlers::tasks::get))
        .routes(routes!(handlers::tasks::cancel))
        .routes(routes!(handlers::events::create, handlers::events::list))
        .routes(routes!(handlers::insights::create, handlers::insights::list))
        .routes(routes!(handlers::workflows::create, handlers::workflows::list))
        .routes(routes!(handlers::workflows::run))
}
