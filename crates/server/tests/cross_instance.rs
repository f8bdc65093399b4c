//! Two instances sharing one database (and Redis when configured), as a scaled-out deployment runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::Duration;

use common::{expect_status, spawn_app, spawn_sibling};
use pundit_server::bus::Event;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn an_event_published_on_one_instance_reaches_the_other() {
    if std::env::var("REDIS_URL").is_err() {
        eprintln!("REDIS_URL not set: cross-instance events run in the PostgreSQL + Redis pass");
        return;
    }
    let one = spawn_app().await;
    let two = spawn_sibling(&one).await;
    let mut on_two = two.state.bus.subscribe();
    let event = Event::new("match:42", "match:update", json!({"minute": 63, "score": [2, 1]}));
    one.state.bus.publish(event.clone()).await;
    let received = tokio::time::timeout(Duration::from_secs(5), on_two.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(*received, event);
}

#[tokio::test]
async fn a_session_started_on_one_instance_works_on_the_other() {
    let one = spawn_app().await;
    let two = spawn_sibling(&one).await;
    let tokens = one.register("olga").await;
    let access = tokens["access_token"].as_str().unwrap();
    let me = expect_status(
        two.get("/api/v1/users/me")
            .bearer_auth(access)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["username"], "olga");
    let refresh = tokens["refresh_token"].as_str().unwrap();
    expect_status(
        two.post("/api/v1/auth/refresh")
            .json(&json!({"refresh_token": refresh}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    // The spent token is refused on the first instance too.
    let replay = one
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn instances_starting_together_share_one_migration() {
    let (mut config, dir) = common::test_config().await;
    if config.database_url.is_none() {
        config.database_url = Some(pundit_server::config::Secret::new(
            pundit_server::db::database_url(&config).unwrap(),
        ));
    }
    let (one, two) = tokio::join!(
        common::start(config.clone(), dir),
        common::start(config, tempfile::tempdir().unwrap())
    );
    let tokens = one.register("pia").await;
    let access = tokens["access_token"].as_str().unwrap();
    expect_status(
        two.get("/api/v1/users/me")
            .bearer_auth(access)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
}
