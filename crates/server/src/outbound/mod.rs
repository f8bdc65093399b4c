//! Calling other services: one HTTP client setup, retries with backoff and jitter, and circuit
//! breakers so a failing dependency is skipped quickly instead of tying up requests.

mod breaker;
mod json_service;
mod retry;

use std::time::Duration;

pub use breaker::{BreakerState, CircuitBreaker, CircuitOpen};
pub use json_service::{CallError, JsonService};
pub use retry::{RetryPolicy, retry};

/// Installs the process-wide TLS crypto provider (ring). Safe to call more than once.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The span of one call to another service (OpenTelemetry's HTTP client conventions); the query
/// string is left out, since it may carry keys.
pub fn call_span(method: &str, url: &str) -> tracing::Span {
    let url = url.split_once('?').map_or(url, |(base, _)| base);
    tracing::info_span!(
        "outbound",
        otel.kind = "client",
        http.request.method = method,
        url.full = url,
        http.response.status_code = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

/// Sends `request` within a `call_span`: passes the trace on in `traceparent` (when the caller is
/// traced) and records the outcome on the span.
pub async fn send_traced(request: reqwest::RequestBuilder) -> reqwest::Result<reqwest::Response> {
    let request = match crate::telemetry::current_traceparent() {
        Some(parent) => request.header("traceparent", parent),
        None => request,
    };
    let result = request.send().await;
    let span = tracing::Span::current();
    match &result {
        Ok(response) => span.record("http.response.status_code", response.status().as_u16()),
        Err(e) if e.is_timeout() => span.record("error.type", "timeout"),
        Err(_) => span.record("error.type", "transport"),
    };
    result
}

/// An HTTP client with connect and overall timeouts; TLS via rustls with the system's roots.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    install_tls_provider();
    reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .timeout(timeout)
        .user_agent(concat!("pundit/", env!("CARGO_PKG_VERSION")))
        .build()
}
