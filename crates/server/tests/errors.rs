//! Every error path answers with the same JSON shape and the right status.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{expect_error, spawn_app, spawn_with};
use reqwest::StatusCode;

#[tokio::test]
async fn unknown_routes_wrong_methods_and_bad_bodies() {
    let app = spawn_app().await;
    expect_error(
        app.get("/api/v1/nothing-here").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for path in [
        "/nothing-here",
        "/assets/nothing-here.js",
        "/assets/../Cargo.toml",
    ] {
        expect_error(
            app.get(path).send().await.unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    expect_error(
        app.delete("/api/v1/auth/login").send().await.unwrap(),
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;

    let register = |body: &'static str| {
        app.post("/api/v1/auth/register")
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    expect_error(
        register("{\"email\": ").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
    expect_error(
        register("[1,2,3]").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_error(
        register("{\"email\": 5}").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let extra =
        "{\"email\":\"a@b.io\",\"username\":\"abc\",\"password\":\"tangerine-Orbit-42\",\"role\":\"admin\"}";
    expect_error(
        register(extra).await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let no_type = app.post("/api/v1/auth/login").body("{}").send().await.unwrap();
    expect_error(
        no_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[tokio::test]
async fn oversize_bodies_are_413() {
    let app = spawn_with(|c| c.body_limit_bytes = 4096).await;
    let big = format!(
        "{{\"email\":\"{}@x.io\",\"username\":\"abc\",\"password\":\"p\"}}",
        "a".repeat(10_000)
    );
    let res = app
        .post("/api/v1/auth/register")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
}

#[tokio::test]
async fn deeply_nested_json_is_rejected_cleanly() {
    let app = spawn_app().await;
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let res = app
        .post("/api/v1/auth/login")
        .header("content-type", "application/json")
        .body(nested)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"]["code"].is_string());
}
