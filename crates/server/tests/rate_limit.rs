#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{expect_error, spawn_sibling, spawn_with};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn auth_endpoints_are_limited_per_ip_with_retry_after() {
    let app = spawn_with(|c| c.rate_limits.auth_per_ip = 3).await;
    let body = json!({"username": "nobody", "password": "whatever-it-is"});
    for _ in 0..3 {
        let res = app.post("/api/v1/auth/login").json(&body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(res.headers().contains_key("x-ratelimit-remaining"));
    }
    let res = app.post("/api/v1/auth/login").json(&body).send().await.unwrap();
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Health checks are never limited.
    assert_eq!(app.get("/health").send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn api_is_limited_per_user() {
    let app = spawn_with(|c| c.rate_limits.api_per_client = 4).await;
    let token = app.token_for("nina").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            app.get("/api/v1/users/me")
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status(),
        );
    }
    assert_eq!(&statuses[..4], [StatusCode::OK; 4]);
    assert_eq!(&statuses[4..], [StatusCode::TOO_MANY_REQUESTS; 2]);
}

#[tokio::test]
async fn limits_hold_across_instances_sharing_redis() {
    if std::env::var("REDIS_URL").is_err() {
        eprintln!("REDIS_URL not set: cross-instance rate limits run in the PostgreSQL + Redis pass");
        return;
    }
    let one = spawn_with(|c| c.rate_limits.auth_per_ip = 4).await;
    let two = spawn_sibling(&one).await;
    let body = json!({"username": "nobody", "password": "whatever-it-is"});
    for app in [&one, &two, &one, &two] {
        assert_eq!(
            app.post("/api/v1/auth/login")
                .json(&body)
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // The budget of 4 was spent across both instances.
    let res = two.post("/api/v1/auth/login").json(&body).send().await.unwrap();
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let res = one.post("/api/v1/auth/login").json(&body).send().await.unwrap();
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn a_route_can_have_its_own_tighter_budget() {
    let app = spawn_with(|c| c.rate_limits.routes = vec![("/api/v1/competitions".into(), 2)]).await;
    for _ in 0..2 {
        assert_eq!(
            app.get("/api/v1/competitions").send().await.unwrap().status(),
            StatusCode::OK
        );
    }
    let res = app.get("/api/v1/competitions").send().await.unwrap();
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Other routes still use the general budget.
    assert_eq!(
        app.get("/api/v1/matches").send().await.unwrap().status(),
        StatusCode::OK
    );
}
