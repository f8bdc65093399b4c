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

/// An HTTP client with connect and overall timeouts; TLS via rustls with the system's roots.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    install_tls_provider();
    reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .timeout(timeout)
        .user_agent(concat!("pundit/", env!("CARGO_PKG_VERSION")))
        .build()
}
