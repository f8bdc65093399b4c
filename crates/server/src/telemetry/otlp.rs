//! OTLP/JSON encoding of an `ExportTraceServiceRequest` (opentelemetry-proto): ids are lowercase
//! hex, 64-bit integers are strings and enums are numbers.

use serde_json::{Value, json};

use super::layer::{AttrValue, FinishedSpan, SpanKind};

/// Who sends the spans: the same for every batch of this process.
pub struct Resource {
    service_name: String,
    instance_id: String,
}

impl Resource {
    pub fn new(service_name: &str) -> Self {
        Self {
            service_name: service_name.to_string(),
            instance_id: uuid::Uuid::new_v4().to_string(),
        }
    }
}

pub fn export_request(resource: &Resource, spans: &[FinishedSpan]) -> Value {
    let string = |s: &str| AttrValue::Str(s.to_string());
    json!({"resourceSpans": [{
        "resource": {"attributes": [
            attribute("service.name", &string(&resource.service_name)),
            attribute("service.instance.id", &string(&resource.instance_id)),
            attribute("service.version", &string(env!("CARGO_PKG_VERSION"))),
        ]},
        "scopeSpans": [{
            "scope": {"name": "pundit", "version": env!("CARGO_PKG_VERSION")},
            "spans": spans.iter().map(span).collect::<Vec<_>>(),
        }],
    }]})
}

fn span(s: &FinishedSpan) -> Value {
    let mut out = json!({
        "traceId": s.trace_id.hex(),
        "spanId": s.span_id.hex(),
        "name": name(s),
        "kind": s.kind as u8,
        "startTimeUnixNano": s.start_unix_nanos.to_string(),
        "endTimeUnixNano": s.end_unix_nanos.to_string(),
        "attributes": s.attributes.iter().map(|(k, v)| attribute(k, v)).collect::<Vec<_>>(),
        "status": {"code": if is_error(s) { 2 } else { 0 }},
    });
    if let Some(parent) = s.parent {
        out["parentSpanId"] = parent.hex().into();
    }
    out
}

fn find<'a>(s: &'a FinishedSpan, key: &str) -> Option<&'a AttrValue> {
    s.attributes.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// HTTP spans are named `METHOD /route` (OpenTelemetry's HTTP conventions); others keep their name.
fn name(s: &FinishedSpan) -> String {
    match (find(s, "http.request.method"), find(s, "http.route")) {
        (Some(AttrValue::Str(method)), Some(AttrValue::Str(route))) => format!("{method} {route}"),
        (Some(AttrValue::Str(method)), None) if s.kind != SpanKind::Internal => method.clone(),
        _ => s.name.to_string(),
    }
}

/// A server span fails on 5xx (a 4xx is the client's mistake); a client call on any 4xx/5xx or
/// when it got no answer (`error.type`).
fn is_error(s: &FinishedSpan) -> bool {
    if find(s, "error.type").is_some() {
        return true;
    }
    match (s.kind, find(s, "http.response.status_code")) {
        (SpanKind::Server, Some(AttrValue::Int(code))) => *code >= 500,
        (SpanKind::Client, Some(AttrValue::Int(code))) => *code >= 400,
        _ => false,
    }
}

fn attribute(key: &str, value: &AttrValue) -> Value {
    let value = match value {
        AttrValue::Str(s) => json!({"stringValue": s}),
        AttrValue::Int(i) => json!({"intValue": i.to_string()}),
        AttrValue::Bool(b) => json!({"boolValue": b}),
        AttrValue::Float(f) => json!({"doubleValue": f}),
    };
    json!({"key": key, "value": value})
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::telemetry::context::{SpanId, TraceId};

    fn server_span(status: i64) -> FinishedSpan {
        FinishedSpan {
            name: Cow::Borrowed("http"),
            kind: SpanKind::Server,
            trace_id: TraceId::random(),
            span_id: SpanId::random(),
            parent: None,
            start_unix_nanos: 1_700_000_000_000_000_000,
            end_unix_nanos: 1_700_000_000_002_000_000,
            attributes: vec![
                ("http.request.method", AttrValue::Str("GET".into())),
                ("http.route", AttrValue::Str("/api/v1/matches/{id}".into())),
                ("http.response.status_code", AttrValue::Int(status)),
            ],
        }
    }

    #[test]
    fn spans_encode_as_otlp_json() {
        let mut child = server_span(200);
        child.kind = SpanKind::Internal;
        child.name = Cow::Borrowed("get_match");
        child.attributes.clear();
        child.parent = Some(SpanId::random());
        let body = export_request(&Resource::new("pundit-test"), &[server_span(503), child]);
        let resource = &body["resourceSpans"][0]["resource"]["attributes"][0];
        assert_eq!(resource["key"], "service.name");
        assert_eq!(resource["value"]["stringValue"], "pundit-test");
        let spans = &body["resourceSpans"][0]["scopeSpans"][0]["spans"];
        let server = &spans[0];
        assert_eq!(server["name"], "GET /api/v1/matches/{id}");
        assert_eq!(server["kind"], 2);
        assert_eq!(server["traceId"].as_str().map(str::len), Some(32));
        assert_eq!(server["spanId"].as_str().map(str::len), Some(16));
        assert!(server.get("parentSpanId").is_none());
        assert_eq!(server["startTimeUnixNano"], "1700000000000000000");
        assert_eq!(server["attributes"][2]["value"]["intValue"], "503");
        assert_eq!(server["status"]["code"], 2);
        let child = &spans[1];
        assert_eq!(child["name"], "get_match");
        assert_eq!(child["kind"], 1);
        assert_eq!(child["parentSpanId"].as_str().map(str::len), Some(16));
        assert_eq!(child["status"]["code"], 0);
    }

    #[test]
    fn a_4xx_fails_a_client_call_but_not_a_server_span() {
        let mut span = server_span(404);
        assert!(!is_error(&span));
        span.kind = SpanKind::Client;
        assert!(is_error(&span));
    }
}
