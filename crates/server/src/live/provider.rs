//! One external data provider: base URL, timeouts, retries with jittered backoff, a minimum gap
//! between calls (its rate limit), a circuit breaker, a TTL cache, and the last good answer
//! served marked `stale` when the provider fails.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tokio::sync::Mutex;
use tracing::Instrument;
use utoipa::ToSchema;

use crate::outbound::{
    BreakerState, CircuitBreaker, RetryPolicy, call_span, http_client, retry, send_traced,
};

#[derive(Debug, Clone)]
pub struct Fetched {
    pub body: Bytes,
    pub fetched_at: DateTime<Utc>,
    /// The provider failed; this is the last good answer.
    pub stale: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("{provider} is unavailable: {reason}")]
    Unavailable { provider: String, reason: String },
}

#[derive(Clone)]
struct Cached {
    body: Bytes,
    fetched_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProviderStatus {
    pub name: String,
    pub base_url: String,
    /// `closed` (healthy), `open` (failing, calls skipped) or `half_open`.
    #[schema(value_type = String)]
    pub circuit: BreakerState,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

pub struct Provider {
    name: String,
    base_url: String,
    client: reqwest::Client,
    breaker: CircuitBreaker,
    min_gap: Duration,
    next_call: Mutex<Instant>,
    fresh: moka::future::Cache<String, Cached>,
    last_good: moka::future::Cache<String, Cached>,
    health: std::sync::Mutex<(Option<DateTime<Utc>>, Option<String>)>,
}

impl Provider {
    /// `min_gap`: the provider's rate limit as the least time between two calls.
    pub fn new(
        name: &str,
        base_url: &str,
        timeout: Duration,
        min_gap: Duration,
    ) -> anyhow::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            name: name.to_string(),
            base_url: base_url.trim_end_matches('/').to_string(),
            client: http_client(timeout)?,
            breaker: CircuitBreaker::new(name, 3, Duration::from_secs(30)),
            min_gap,
            next_call: Mutex::new(Instant::now()),
            fresh: moka::future::Cache::builder().max_capacity(2_000).build(),
            last_good: moka::future::Cache::builder()
                .max_capacity(2_000)
                .time_to_live(Duration::from_secs(24 * 3600))
                .build(),
            health: std::sync::Mutex::new((None, None)),
        }))
    }

    pub fn status(&self) -> ProviderStatus {
        let (last_success, last_error) = self.health.lock().map(|h| h.clone()).unwrap_or_default();
        ProviderStatus {
            name: self.name.clone(),
            base_url: self.base_url.clone(),
            circuit: self.breaker.state(),
            last_success,
            last_error,
        }
    }

    /// The answer to `path` already held (fresh, else the last good one), without calling the
    /// provider: for callers that want provider data only when it costs nothing.
    pub async fn cached(&self, path: &str) -> Option<Fetched> {
        let key = path.to_string();
        if let Some(hit) = self.fresh.get(&key).await {
            return Some(Fetched {
                body: hit.body,
                fetched_at: hit.fetched_at,
                stale: false,
            });
        }
        self.last_good.get(&key).await.map(|old| Fetched {
            body: old.body,
            fetched_at: old.fetched_at,
            stale: true,
        })
    }

    /// GETs `path` (with its query), fresh for `ttl`.
    pub async fn get(&self, path: &str, ttl: Duration) -> Result<Fetched, ProviderError> {
        let key = path.to_string();
        if let Some(hit) = self.fresh.get(&key).await
            && Utc::now() - hit.fetched_at < chrono::Duration::from_std(ttl).unwrap_or_default()
        {
            return Ok(Fetched {
                body: hit.body,
                fetched_at: hit.fetched_at,
                stale: false,
            });
        }
        match self.fetch(path).await {
            Ok(body) => {
                let cached = Cached {
                    body: body.clone(),
                    fetched_at: Utc::now(),
                };
                self.fresh.insert(key.clone(), cached.clone()).await;
                self.last_good.insert(key, cached.clone()).await;
                self.note(Ok(()));
                Ok(Fetched {
                    body,
                    fetched_at: cached.fetched_at,
                    stale: false,
                })
            }
            Err(reason) => {
                self.note(Err(reason.clone()));
                match self.last_good.get(&key).await {
                    Some(old) => Ok(Fetched {
                        body: old.body,
                        fetched_at: old.fetched_at,
                        stale: true,
                    }),
                    None => Err(ProviderError::Unavailable {
                        provider: self.name.clone(),
                        reason,
                    }),
                }
            }
        }
    }

    async fn fetch(&self, path: &str) -> Result<Bytes, String> {
        self.breaker.allow().map_err(|e| e.to_string())?;
        let url = format!("{}{}", self.base_url, path);
        let result = retry(
            RetryPolicy::default(),
            |_: &String| true,
            || async {
                self.wait_turn().await;
                let response = send_traced(self.client.get(&url))
                    .instrument(call_span("GET", &url))
                    .await
                    .map_err(|e| e.to_string())?;
                let status = response.status();
                if !status.is_success() {
                    return Err(format!("status {status}"));
                }
                response.bytes().await.map_err(|e| e.to_string())
            },
        )
        .await;
        match &result {
            Ok(_) => self.breaker.record_success(),
            Err(_) => self.breaker.record_failure(),
        }
        metrics::counter!("pundit_provider_requests_total", "provider" => self.name.clone(),
            "outcome" => if result.is_ok() { "ok" } else { "error" })
        .increment(1);
        result
    }

    /// Keeps calls at least `min_gap` apart.
    async fn wait_turn(&self) {
        let mut next = self.next_call.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep(*next - now).await;
        }
        *next = Instant::now() + self.min_gap;
    }

    fn note(&self, outcome: Result<(), String>) {
        if let Ok(mut health) = self.health.lock() {
            match outcome {
                Ok(()) => health.0 = Some(Utc::now()),
                Err(e) => health.1 = Some(e),
            }
        }
    }
}
