//! The span of each HTTP request, with OpenTelemetry's HTTP server field names so logs and
//! exported traces say the same thing.

use std::time::Duration;

use axum::{
    extract::MatchedPath,
    http::{Request, Response},
};
use tower_http::trace::{DefaultOnResponse, OnResponse};
use tracing::{Span, field::Empty};

use super::{Exporter, attach, context::parse_traceparent};

/// A new root span for `req`; with an exporter it is exported, joining the caller's trace when
/// the request carries a valid `traceparent`.
pub fn request_span<B>(req: &Request<B>, traces: Option<&Exporter>) -> Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Routing runs before this layer, so the route template is known (none for unmatched paths).
    let route = req.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
    let span = tracing::info_span!(
        parent: None,
        "http",
        otel.kind = "server",
        http.request.method = %req.method(),
        url.path = %req.uri().path(),
        http.route = route,
        http.response.status_code = Empty,
        request_id,
    );
    if let Some(exporter) = traces {
        let remote = req
            .headers()
            .get("traceparent")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_traceparent);
        attach(&span, exporter, remote);
    }
    span
}

/// Records the status on the request span, then logs like tower-http's default.
pub fn record_response<B>(res: &Response<B>, latency: Duration, span: &Span) {
    span.record("http.response.status_code", res.status().as_u16());
    DefaultOnResponse::default().on_response(res, latency, span);
}
