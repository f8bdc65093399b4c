//! Errors for payloads that cannot be used at all; partial payloads are not errors.

/// A live payload with nothing usable in it.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("payload is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The payload parsed but lacks the part everything else hangs on.
    #[error("payload has no {0}")]
    Missing(&'static str),
    /// The provider answered with its own error object instead of data.
    #[error("provider error: {0}")]
    Provider(String),
    #[error("cannot parse feed: {0}")]
    Feed(#[from] feed_rs::parser::ParseFeedError),
}
