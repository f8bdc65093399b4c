//! Health, readiness, metrics, API docs and cross-cutting headers.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{expect_status, spawn_app, spawn_with};
use reqwest::StatusCode;

#[tokio::test]
async fn health_and_readiness_name_each_dependency() {
    let app = spawn_app().await;
    let health = expect_status(app.get("/health").send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(health["status"], "ok");
    let ready = expect_status(app.get("/health/ready").send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(ready["status"], "ready");
    let names: Vec<&str> = ready["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["database", "cache", "bus"]);
    let backend = ready["checks"][0]["backend"].as_str().unwrap();
    let expected = if std::env::var("DATABASE_URL").is_ok() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(backend, expected);
}

#[tokio::test]
async fn readiness_is_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.state.db.clone().close().await.unwrap();
    let ready = expect_status(
        app.get("/health/ready").send().await.unwrap(),
        StatusCode::SERVICE_UNAVAILABLE,
    )
    .await;
    assert_eq!(ready["status"], "unavailable");
    assert_eq!(ready["checks"][0]["ok"], false);
    assert!(ready["checks"][0]["error"].is_string());
}

#[tokio::test]
async fn metrics_are_prometheus_text_with_routes_and_latency() {
    let app = spawn_app().await;
    app.get("/health").send().await.unwrap();
    app.get("/api/v1/users/someone").send().await.unwrap();
    let res = app.get("/metrics").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.unwrap();
    assert!(text.contains("pundit_http_requests_total"), "{text}");
    assert!(
        text.contains("route=\"/api/v1/users/{username}\""),
        "labels use route templates: {text}"
    );
    assert!(
        text.contains("pundit_http_request_duration_seconds_bucket"),
        "latency histogram: {text}"
    );
    assert!(text.contains("pundit_db_pool_connections"), "pool gauge: {text}");
}

#[tokio::test]
async fn openapi_is_3_1_and_docs_are_served_offline() {
    let app = spawn_app().await;
    let spec = expect_status(app.get("/openapi.json").send().await.unwrap(), StatusCode::OK).await;
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/users/me",
        "/health/ready",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());

    // Every schema reference resolves, so clients and fuzzers see every parameter's type.
    let text = spec.to_string();
    for name in text.split("#/components/schemas/").skip(1) {
        let name: String = name
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        assert!(
            spec["components"]["schemas"].get(&name).is_some(),
            "{name} is defined"
        );
    }
    // Errors raised by shared layers are documented on each operation they can come from.
    let list = &spec["paths"]["/api/v1/matches"]["get"]["responses"];
    for status in ["400", "422", "429", "503"] {
        assert!(
            list.get(status).is_some(),
            "GET /api/v1/matches documents {status}"
        );
    }
    let me = &spec["paths"]["/api/v1/users/me"]["patch"]["responses"];
    for status in ["401", "413", "415"] {
        assert!(
            me.get(status).is_some(),
            "PATCH /api/v1/users/me documents {status}"
        );
    }

    let docs = app.get("/docs/").send().await.unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
    let html = docs.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "Swagger UI page");
    // Its scripts come from this server, not a CDN.
    assert!(!html.contains("https://"), "no external assets: {html}");
    let bundle = app.get("/docs/swagger-ui-bundle.js").send().await.unwrap();
    assert_eq!(bundle.status(), StatusCode::OK);
}

#[tokio::test]
async fn request_ids_and_security_headers() {
    let app = spawn_app().await;
    let res = app.get("/health").send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a generated UUID");
    for header in [
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
    ] {
        assert!(res.headers().contains_key(header), "{header}");
    }
    let res = app
        .get("/health")
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["x-request-id"],
        "trace-me-123",
        "a caller's id is echoed"
    );
    let res = app.get("/nowhere").send().await.unwrap();
    assert!(res.headers().contains_key("x-request-id"), "errors carry it too");
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let app = spawn_with(|c| c.cors_origins = vec!["https://dashboard.example".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/users/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight("https://dashboard.example").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://dashboard.example"
    );
    let foreign = preflight("https://evil.example").await.unwrap();
    assert!(!foreign.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test]
async fn the_dashboard_is_served_from_the_binary_with_a_strict_csp_and_etags() {
    let app = spawn_app().await;
    let page = app.get("/").send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self';") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<script type="module" src="/assets/js/app.js">"#));

    let script = app.get("/assets/js/app.js").send().await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let etag = script.headers()["etag"].clone();
    let again = app
        .get("/assets/js/app.js")
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}
