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

#[tokio::test]
async fn absurd_page_numbers_are_422_not_a_crash() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/leaderboards?page=9223372036854775808",
        "/api/v1/leaderboards?page=9223372036854775807",
        "/api/v1/teams?page=4000000000&limit=100",
        "/api/v1/matches?page=18446744073709551615",
    ] {
        let res = app.get(path).send().await.unwrap();
        let status = res.status();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST,
            "{path}: {status}"
        );
        let body: serde_json::Value = res.json().await.unwrap();
        assert!(body["error"]["code"].is_string(), "{path}: {body}");
    }
}

#[tokio::test]
async fn nul_characters_in_text_are_a_client_error_on_every_backend() {
    let app = spawn_app().await;
    let token = app.token_for("nul").await;
    let res = app
        .get("/api/v1/monitoring/ab-tests?competition=a%00b")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_client_error() || res.status().is_success(),
        "{}",
        res.status()
    );
    let res = app
        .post("/api/v1/social/posts")
        .bearer_auth(&token)
        .json(&serde_json::json!({"content": "kick\u{0}off"}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert!(status.is_client_error() || status.is_success(), "{status}");
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body.is_object(), "{body}");
}
