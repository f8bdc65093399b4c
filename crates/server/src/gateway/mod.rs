//! The registry of what Pundit depends on outside the process — live-data providers, the remote
//! ML service, the LLM (Ollama), SMTP — with periodic health checks, circuit state and latency
//! (`GET /api/v1/gateway/services`, and a summary in `/health/ready`).

use std::{
    sync::{Arc, RwLock},
    time::{Duration, Instant},
};

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{outbound::BreakerState, state::AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    Up,
    /// Answering, but its circuit has recently opened or it served stale data.
    Degraded,
    Down,
    /// Not checked yet.
    Unknown,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceStatus {
    pub name: String,
    /// `live_provider`, `ml_service`, `llm`, `agent_os` or `smtp`.
    pub kind: &'static str,
    /// Where it is reached (credentials removed).
    pub endpoint: String,
    pub health: Health,
    /// Circuit breaker state, for services called through one.
    #[schema(value_type = Option<String>)]
    pub circuit: Option<BreakerState>,
    pub latency_ms: Option<f64>,
    pub last_checked: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// The latest check results, shared by the checker task and the endpoints.
#[derive(Clone, Default)]
pub struct Registry(Arc<RwLock<Vec<ServiceStatus>>>);

impl Registry {
    pub fn snapshot(&self) -> Vec<ServiceStatus> {
        self.0.read().map(|s| s.clone()).unwrap_or_default()
    }

    fn replace(&self, statuses: Vec<ServiceStatus>) {
        if let Ok(mut s) = self.0.write() {
            *s = statuses;
        }
    }
}

/// Reachability of an HTTP base URL: any HTTP answer counts as up.
async fn probe_http(url: &str, timeout: Duration) -> (Health, Option<f64>, Option<String>) {
    let started = Instant::now();
    let client = match crate::outbound::http_client(timeout) {
        Ok(c) => c,
        Err(e) => return (Health::Down, None, Some(e.to_string())),
    };
    match client.get(url).send().await {
        Ok(_) => (Health::Up, Some(started.elapsed().as_secs_f64() * 1000.0), None),
        Err(e) => (Health::Down, None, Some(e.to_string())),
    }
}

/// Reachability of a TCP endpoint (SMTP).
async fn probe_tcp(host: &str, port: u16, timeout: Duration) -> (Health, Option<f64>, Option<String>) {
    let started = Instant::now();
    match tokio::time::timeout(timeout, tokio::net::TcpStream::connect((host, port))).await {
        Ok(Ok(_)) => (Health::Up, Some(started.elapsed().as_secs_f64() * 1000.0), None),
        Ok(Err(e)) => (Health::Down, None, Some(e.to_string())),
        Err(_) => (Health::Down, None, Some("timed out".into())),
    }
}

/// Host and port of an `smtp://` or `smtps://` URL.
fn smtp_target(url: &str) -> Option<(String, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (host_port, if scheme == "smtps" { 465 } else { 25 }),
    };
    Some((host.to_string(), port))
}

/// Checks every configured dependency once.
pub async fn check_all(state: &AppState) -> Vec<ServiceStatus> {
    let timeout = Duration::from_secs(3);
    let now = Some(Utc::now());
    let mut out = Vec::new();
    for provider in state.live.providers() {
        let status = provider.status();
        let (mut health, latency, error) = probe_http(&status.base_url, timeout).await;
        if health == Health::Up && status.circuit != BreakerState::Closed {
            health = Health::Degraded;
        }
        out.push(ServiceStatus {
            name: status.name,
            kind: "live_provider",
            endpoint: status.base_url,
            health,
            circuit: Some(status.circuit),
            latency_ms: latency,
            last_checked: now,
            last_error: error.or(status.last_error),
        });
    }
    if let (Some(remote), Some(url)) = (&state.remote_model, &state.config.ml_service_url) {
        let started = Instant::now();
        let answer = remote.health().await;
        let up = answer.get("status").and_then(|s| s.as_str()) == Some("ok");
        out.push(ServiceStatus {
            name: "ml-service".into(),
            kind: "ml_service",
            endpoint: crate::db::redact(url),
            health: if up { Health::Up } else { Health::Down },
            circuit: Some(remote.breaker().state()),
            latency_ms: up.then(|| started.elapsed().as_secs_f64() * 1000.0),
            last_checked: now,
            last_error: answer.get("error").and_then(|e| e.as_str()).map(String::from),
        });
    }
    if let Some(llm) = state.insights.llm() {
        let (health, latency, error) = match llm.probe(timeout).await {
            Ok(elapsed) if llm.breaker().state() == BreakerState::Closed => {
                (Health::Up, Some(elapsed.as_secs_f64() * 1000.0), None)
            }
            Ok(elapsed) => (Health::Degraded, Some(elapsed.as_secs_f64() * 1000.0), None),
            Err(e) => (Health::Down, None, Some(e)),
        };
        out.push(ServiceStatus {
            name: "ollama".into(),
            kind: "llm",
            endpoint: crate::db::redact(llm.base_url()),
            health,
            circuit: Some(llm.breaker().state()),
            latency_ms: latency,
            last_checked: now,
            last_error: error,
        });
    }
    if let Some(os) = state.agents.remote() {
        let (mut health, latency, error) = probe_http(os.base(), timeout).await;
        if health == Health::Up && os.breaker().state() != BreakerState::Closed {
            health = Health::Degraded;
        }
        out.push(ServiceStatus {
            name: "agent-os".into(),
            kind: "agent_os",
            endpoint: crate::db::redact(os.base()),
            health,
            circuit: Some(os.breaker().state()),
            latency_ms: latency,
            last_checked: now,
            last_error: error,
        });
    }
    if let Some(url) = &state.config.smtp_url {
        let (health, latency, error) = match smtp_target(url.expose()) {
            Some((host, port)) => probe_tcp(&host, port, timeout).await,
            None => (Health::Down, None, Some("unreadable SMTP_URL".into())),
        };
        out.push(ServiceStatus {
            name: "smtp".into(),
            kind: "smtp",
            endpoint: crate::db::redact(url.expose()),
            health,
            circuit: None,
            latency_ms: latency,
            last_checked: now,
            last_error: error,
        });
    }
    out
}

/// Re-checks every dependency at the configured interval (zero: only on request).
pub fn start(state: &AppState) {
    let state = state.clone();
    let every = state.config.gateway_check_interval;
    if every.is_zero() {
        return;
    }
    tokio::spawn(async move {
        loop {
            let statuses = check_all(&state).await;
            for s in &statuses {
                let up = if s.health == Health::Up { 1.0 } else { 0.0 };
                metrics::gauge!("pundit_dependency_up", "service" => s.name.clone()).set(up);
            }
            state.gateway.replace(statuses);
            tokio::select! {
                () = state.shutdown.cancelled() => return,
                () = tokio::time::sleep(every) => {}
            }
        }
    });
}

/// Every external dependency: health, circuit state, latency, last error.
#[utoipa::path(get, path = "/gateway/services", tag = "health", responses((status = 200, body = Vec<ServiceStatus>)))]
pub async fn services(State(state): State<AppState>) -> Json<Vec<ServiceStatus>> {
    let mut statuses = state.gateway.snapshot();
    if statuses.is_empty() {
        statuses = check_all(&state).await;
        state.gateway.replace(statuses.clone());
    }
    Json(statuses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_targets() {
        assert_eq!(
            smtp_target("smtp://u:p@mail.example:2525"),
            Some(("mail.example".into(), 2525))
        );
        assert_eq!(
            smtp_target("smtps://mail.example"),
            Some(("mail.example".into(), 465))
        );
        assert_eq!(
            smtp_target("smtp://127.0.0.1:25?tls=required"),
            Some(("127.0.0.1".into(), 25))
        );
    }
}
