//! Trace export: request spans reach an OTLP/HTTP collector (a fake one here) as OTLP JSON,
//! joining the caller's trace when it sends `traceparent`, and passing the trace on to services
//! Pundit calls. A collector that is down changes nothing for clients.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{
    sync::{Arc, Mutex, Once},
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    http::{HeaderMap, header::CONTENT_TYPE},
    routing::{get, post},
};
use common::{TestApp, expect_status, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN: &str = "00f067aa0ba902b7";

/// The export layer in this process's subscriber (the binary installs it when configured).
fn install_layer() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt};
        tracing_subscriber::registry()
            .with(pundit_server::telemetry::layer())
            .try_init()
            .expect("no other subscriber in this test binary");
    });
}

/// What a fake collector received: each export's Content-Type and JSON body.
#[derive(Clone, Default)]
struct Collector(Arc<Mutex<Vec<(String, Value)>>>);

impl Collector {
    async fn start() -> (String, Self) {
        let collector = Self::default();
        let store = collector.clone();
        let app = Router::new().route(
            "/v1/traces",
            post(move |headers: HeaderMap, body: String| async move {
                let content_type = headers
                    .get(CONTENT_TYPE)
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default();
                store
                    .0
                    .lock()
                    .unwrap()
                    .push((content_type, serde_json::from_str(&body).unwrap()));
                Json(json!({}))
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url, collector)
    }

    fn spans(&self) -> Vec<Value> {
        let exports = self.0.lock().unwrap();
        exports
            .iter()
            .flat_map(|(_, body)| body["resourceSpans"].as_array().unwrap().clone())
            .flat_map(|resource| resource["scopeSpans"].as_array().unwrap().clone())
            .flat_map(|scope| scope["spans"].as_array().unwrap().clone())
            .collect()
    }

    /// The first span `matches` picks, waiting for the exporter's next flush.
    async fn span(&self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(span) = self.spans().into_iter().find(&matches) {
                return span;
            }
            assert!(
                Instant::now() < deadline,
                "no span {what}; got {:#?}",
                self.spans()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn request_span(&self, path: &str) -> Value {
        self.span(path, |s| s["kind"] == 2 && attr(s, "url.path") == json!(path))
            .await
    }
}

/// The value of attribute `key`, unwrapped from its OTLP type (`Null` when absent).
fn attr(span: &Value, key: &str) -> Value {
    span["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == key)
        .and_then(|a| a["value"].as_object()?.values().next().cloned())
        .unwrap_or(Value::Null)
}

async fn traced_app(
    collector_url: String,
    tweak: impl FnOnce(&mut pundit_server::config::Config),
) -> TestApp {
    install_layer();
    spawn_with(|c| {
        c.otlp_endpoint = Some(collector_url);
        c.otlp_flush_interval = Duration::from_millis(100);
        c.service_name = "pundit-test".into();
        tweak(c);
    })
    .await
}

#[tokio::test]
async fn each_request_is_a_span_in_the_callers_trace_or_a_new_one() {
    let (url, collector) = Collector::start().await;
    let app = traced_app(url, |_| {}).await;

    let res = app
        .get("/health")
        .header("traceparent", format!("00-{TRACE}-{CALLER_SPAN}-01"))
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    let res = app.get("/api/v1/matches/999999").send().await.unwrap();
    expect_status(res, StatusCode::NOT_FOUND).await;
    let res = app
        .get("/api/v1/competitions")
        .header("traceparent", "00-not-a-trace-01")
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    app.register("tracy").await;

    let health = collector.request_span("/health").await;
    assert_eq!(health["name"], "GET /health");
    assert_eq!(health["traceId"], TRACE, "joins the caller's trace");
    assert_eq!(health["parentSpanId"], CALLER_SPAN);
    assert_eq!(health["spanId"].as_str().unwrap().len(), 16);
    assert_eq!(attr(&health, "http.request.method"), "GET");
    assert_eq!(attr(&health, "http.route"), "/health");
    assert_eq!(attr(&health, "http.response.status_code"), "200");
    assert_eq!(health["status"]["code"], 0);
    let (start, end) = (&health["startTimeUnixNano"], &health["endTimeUnixNano"]);
    let (start, end): (u64, u64) = (
        start.as_str().unwrap().parse().unwrap(),
        end.as_str().unwrap().parse().unwrap(),
    );
    assert!(start > 1_600_000_000_000_000_000 && start <= end);

    let missing = collector.request_span("/api/v1/matches/999999").await;
    assert_eq!(attr(&missing, "http.route"), "/api/v1/matches/{id}");
    assert_eq!(attr(&missing, "http.response.status_code"), "404");
    assert_eq!(missing["status"]["code"], 0, "a 4xx is not a server error");
    assert_eq!(missing["traceId"].as_str().unwrap().len(), 32);
    assert_ne!(missing["traceId"], TRACE, "no traceparent: a new trace");
    assert!(missing.get("parentSpanId").is_none());

    let malformed = collector.request_span("/api/v1/competitions").await;
    assert_ne!(malformed["traceId"], TRACE);
    assert_ne!(malformed["traceId"], missing["traceId"]);
    assert!(malformed.get("parentSpanId").is_none());

    // A handler's own span is a child of the request span, in the same trace.
    let register = collector.request_span("/api/v1/auth/register").await;
    assert_eq!(attr(&register, "http.response.status_code"), "201");
    let handler = collector
        .span("register", |s| s["name"] == "register" && s["kind"] == 1)
        .await;
    assert_eq!(handler["traceId"], register["traceId"]);
    assert_eq!(handler["parentSpanId"], register["spanId"]);

    let exports = collector.0.lock().unwrap().clone();
    for (content_type, body) in &exports {
        assert_eq!(content_type, "application/json");
        let resource = &body["resourceSpans"][0]["resource"];
        assert_eq!(attr(resource, "service.name"), "pundit-test");
        assert_eq!(attr(resource, "service.version"), env!("CARGO_PKG_VERSION"));
        assert!(attr(resource, "service.instance.id").is_string());
        assert_eq!(
            body["resourceSpans"][0]["scopeSpans"][0]["scope"]["name"],
            "pundit"
        );
    }
}

#[tokio::test]
async fn calls_to_other_services_carry_the_trace_on() {
    let (url, collector) = Collector::start().await;
    // A fake ML service that remembers the traceparent of each call.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let store = seen.clone();
    let ml = Router::new()
        .route("/health", get(|| async { Json(json!({"status": "healthy"})) }))
        .route(
            "/models/info",
            get(move |headers: HeaderMap| async move {
                if let Some(parent) = headers.get("traceparent") {
                    store.lock().unwrap().push(parent.to_str().unwrap().to_string());
                }
                Json(json!({"models": []}))
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ml_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, ml).await });
    let app = traced_app(url, |c| c.ml_service_url = Some(ml_url.clone())).await;

    let res = app
        .get("/api/v1/predictions/ml/models/status")
        .header("traceparent", format!("00-{TRACE}-{CALLER_SPAN}-01"))
        .send()
        .await
        .unwrap();
    let status = expect_status(res, StatusCode::OK).await;
    assert_eq!(status["remote"]["status"], "ok");

    let request = collector
        .request_span("/api/v1/predictions/ml/models/status")
        .await;
    let call = collector
        .span("outbound call", |s| {
            s["kind"] == 3 && attr(s, "url.full") == json!(format!("{ml_url}/models/info"))
        })
        .await;
    assert_eq!(call["traceId"], TRACE);
    assert_eq!(call["name"], "GET");
    assert_eq!(attr(&call, "http.response.status_code"), "200");
    // The call is a child of the request's span, and the ML service was told which span called.
    assert_eq!(request["traceId"], TRACE);
    assert_eq!(call["parentSpanId"], request["spanId"]);
    let parents = seen.lock().unwrap().clone();
    let expected = format!("00-{TRACE}-{}-01", call["spanId"].as_str().unwrap());
    assert!(parents.contains(&expected), "{parents:?} lacks {expected}");
}

#[tokio::test]
async fn a_collector_that_is_down_does_not_affect_requests() {
    // A port nobody listens on any more.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let app = traced_app(url, |_| {}).await;

    for _ in 0..20 {
        let res = app.get("/health").send().await.unwrap();
        expect_status(res, StatusCode::OK).await;
    }
    let res = app.get("/api/v1/matches/999999").send().await.unwrap();
    expect_status(res, StatusCode::NOT_FOUND).await;
    // Exports keep failing in the background; the app keeps serving.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = app.get("/health").send().await.unwrap();
    expect_status(res, StatusCode::OK).await;
}

#[tokio::test]
async fn spans_still_queued_are_sent_at_shutdown() {
    let (url, collector) = Collector::start().await;
    // No flush before shutdown: only the final one can deliver the span.
    let app = traced_app(url, |c| c.otlp_flush_interval = Duration::from_secs(3600)).await;
    let res = app.get("/api/v1/competitions").send().await.unwrap();
    expect_status(res, StatusCode::OK).await;
    assert!(collector.spans().is_empty());

    drop(app);
    let span = collector.request_span("/api/v1/competitions").await;
    assert_eq!(attr(&span, "http.response.status_code"), "200");
}
