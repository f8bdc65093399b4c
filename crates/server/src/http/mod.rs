//! HTTP plumbing shared by every module: extractors, middleware, pagination, fallbacks.

pub mod client_ip;
pub mod extract;
pub mod fallback;
pub mod metrics;
pub mod pagination;
pub mod rate_limit;
pub mod security_headers;
