//! A JSON-over-HTTP dependency (the remote ML service, the Agent OS): calls with a timeout,
//! retries of outages, and a circuit breaker; each caller turns failures into its own errors.

use std::time::Duration;

use serde_json::Value;
use tracing::Instrument;

use super::{CircuitBreaker, RetryPolicy, call_span, http_client, retry, send_traced};

pub struct JsonService {
    client: reqwest::Client,
    base: String,
    breaker: CircuitBreaker,
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("{0}")]
    CircuitOpen(#[from] super::CircuitOpen),
    #[error("{0}")]
    Transport(#[from] reqwest::Error),
    #[error("status {0}")]
    Status(reqwest::StatusCode),
}

impl CallError {
    /// Client errors are answers, not outages: they are not retried or counted against the service.
    pub fn is_outage(&self) -> bool {
        match self {
            Self::CircuitOpen(_) | Self::Transport(_) => true,
            Self::Status(s) => s.is_server_error() || *s == reqwest::StatusCode::TOO_MANY_REQUESTS,
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Status(s) if *s == reqwest::StatusCode::NOT_FOUND)
    }
}

impl JsonService {
    /// `name` labels the breaker; three outages in a row open it for 30 seconds.
    pub fn new(name: &str, base: &str, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            client: http_client(timeout)?,
            base: base.trim_end_matches('/').to_string(),
            breaker: CircuitBreaker::new(name, 3, Duration::from_secs(30)),
        })
    }

    pub fn breaker(&self) -> &CircuitBreaker {
        &self.breaker
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// GET `path`, or POST `body` to it; the answer as JSON.
    pub async fn call(&self, path: &str, body: Option<&Value>) -> Result<Value, CallError> {
        self.breaker.allow()?;
        let url = format!("{}{}", self.base, path);
        let policy = RetryPolicy {
            attempts: 2,
            ..RetryPolicy::default()
        };
        let result = retry(policy, CallError::is_outage, || async {
            let (method, request) = match body {
                Some(b) => ("POST", self.client.post(&url).json(b)),
                None => ("GET", self.client.get(&url)),
            };
            let response = send_traced(request).instrument(call_span(method, &url)).await?;
            if !response.status().is_success() {
                return Err(CallError::Status(response.status()));
            }
            Ok(response.json::<Value>().await?)
        })
        .await;
        match &result {
            Ok(_) => self.breaker.record_success(),
            Err(e) if e.is_outage() => self.breaker.record_failure(),
            Err(_) => {}
        }
        result
    }
}
