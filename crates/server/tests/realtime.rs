#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::{Duration, Instant};

use chrono::Utc;
use common::{
    TestApp, expect_error, expect_status, seed,
    socketio::{Connected, SocketClient},
    spawn_app, spawn_sibling, spawn_with,
};
use pundit_server::bus::Event;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn first_match(app: &TestApp) -> i64 {
    app.get_ok("/api/v1/matches?sort=kickoff_desc&limit=1").await["items"][0]["id"]
        .as_i64()
        .unwrap()
}

/// An upcoming fixture between the two first teams, created by an admin.
async fn upcoming(app: &TestApp, admin: &str) -> i64 {
    let teams = app
        .get_ok("/api/v1/teams?competition=premier-league&limit=2")
        .await;
    let (home, away) = (
        teams["items"][0]["id"].as_i64().unwrap(),
        teams["items"][1]["id"].as_i64().unwrap(),
    );
    app.create_fixture(admin, home, away, Utc::now() + chrono::Duration::hours(2))
        .await
}

#[tokio::test]
async fn anonymous_clients_follow_matches_and_ask_for_forecasts() {
    let app = spawn_app().await;
    seed(
        &app,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;
    let id = first_match(&app).await;
    let mut socket = SocketClient::connected(app.addr, None).await;

    let ack = socket.emit_with_ack("join:match", json!({"match_id": id})).await;
    assert_eq!(ack, json!({"ok": true, "room": format!("match:{id}")}));
    let snapshot = socket.expect_event("match:update").await;
    assert_eq!(snapshot["id"], id);

    socket
        .emit(
            "request:prediction",
            json!({"match_id": id, "model": "dixon-coles"}),
        )
        .await;
    let update = socket.expect_event("prediction:update").await;
    assert_eq!(update["match_id"], id);
    assert_eq!(update["forecast"]["model"], "dixon-coles");

    socket
        .emit("request:prediction", json!({"match_id": 999_999}))
        .await;
    let error = socket.expect_event("prediction:error").await;
    assert_eq!(error["error"]["code"], "not_found");

    let ack = socket
        .emit_with_ack("join:match", json!({"match_id": 999_999}))
        .await;
    assert_eq!(ack["ok"], false);
    let ack = socket.emit_with_ack("joinAgent", json!({"agent_id": "a1"})).await;
    assert_eq!(
        ack["error"]["code"], "unauthorized",
        "anonymous sockets are read-only"
    );
}

#[tokio::test]
async fn bad_tokens_are_refused_with_a_reason() {
    let app = spawn_with(|c| c.access_token_ttl = Duration::from_secs(0)).await;
    match SocketClient::connect(app.addr, Some(json!({"token": "not-a-jwt"}))).await {
        Connected::Refused(message) => assert!(message.contains("invalid access token"), "{message}"),
        Connected::Ok(_) => panic!("a forged token must be refused"),
    }
    let expired = app.token_for("old").await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    match SocketClient::connect(app.addr, Some(json!({"token": expired}))).await {
        Connected::Refused(message) => assert!(message.contains("expired"), "{message}"),
        Connected::Ok(_) => panic!("an expired token must be refused"),
    }
}

#[tokio::test]
async fn signed_in_users_get_their_own_notifications() {
    let app = spawn_app().await;
    let tokens = app.register("nora").await;
    let user_id = tokens["user"]["id"].as_str().unwrap().to_string();
    let mut socket = SocketClient::connected(app.addr, Some(json!({"token": tokens["access_token"]}))).await;
    let mut stranger = SocketClient::connected(app.addr, None).await;
    // Joining happens during connect; give the server a moment to register the room.
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.state
        .bus
        .publish(Event::new(
            format!("user:{user_id}"),
            "notification:new",
            json!({"title": "Hello"}),
        ))
        .await;
    assert_eq!(socket.expect_event("notification:new").await["title"], "Hello");
    assert!(
        stranger
            .maybe_event("notification:new", Duration::from_millis(300))
            .await
            .is_none()
    );
}

#[tokio::test]
async fn live_updates_reach_the_match_room_with_in_play_forecasts_within_a_second() {
    let app = spawn_app().await;
    seed(
        &app,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;
    let admin = app.admin_token("boss").await;
    let id = upcoming(&app, &admin).await;
    let mut socket = SocketClient::connected(app.addr, None).await;
    socket.emit_with_ack("join:match", json!({"match_id": id})).await;
    socket.expect_event("match:update").await;
    let mut bystander = SocketClient::connected(app.addr, None).await;

    let started = Instant::now();
    let live = json!({"status": "live", "minute": 75, "score": {"home": 2, "away": 0}});
    let res = app
        .patch(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .json(&live)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    let update = socket.expect_event("match:update").await;
    assert_eq!(
        (update["status"].as_str(), update["minute"].as_i64()),
        (Some("live"), Some(75))
    );
    let prediction = socket.expect_event("prediction:update").await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(prediction["forecast"]["kind"], "in_play");
    assert!(prediction["forecast"]["probabilities"]["home"].as_f64().unwrap() > 0.8);
    assert!(
        bystander
            .maybe_event("match:update", Duration::from_millis(300))
            .await
            .is_none(),
        "only sockets in the match room hear it"
    );
}

/// Reads SSE frames until `count` events arrived; returns (id, event, data) triples.
async fn read_sse(res: &mut reqwest::Response, count: usize) -> Vec<(String, String, Value)> {
    let mut buffer = String::new();
    let mut events = Vec::new();
    while events.len() < count {
        let chunk = tokio::time::timeout(Duration::from_secs(5), res.chunk())
            .await
            .expect("sse data")
            .unwrap()
            .expect("open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            let field = |name: &str| {
                frame
                    .lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map(|v| v.trim().to_string())
            };
            if let (Some(event), Some(data)) = (field("event:"), field("data:")) {
                events.push((
                    field("id:").unwrap_or_default(),
                    event,
                    serde_json::from_str(&data).unwrap_or(Value::Null),
                ));
            }
        }
    }
    events
}

#[tokio::test]
async fn sse_streams_topics_and_resumes_from_last_event_id() {
    let app = spawn_app().await;
    let publish = |n: i64| {
        app.state
            .bus
            .publish(Event::new("match:5", "match:update", json!({"n": n})))
    };
    let mut res = app
        .get("/api/v1/stream?topics=match:5,match:6")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    tokio::time::sleep(Duration::from_millis(100)).await;
    publish(1).await;
    app.state
        .bus
        .publish(Event::new("match:7", "match:update", json!({"n": "other"})))
        .await;
    publish(2).await;
    let got = read_sse(&mut res, 2).await;
    assert_eq!(got[0].1, "match:update");
    assert_eq!(
        (got[0].2["data"]["n"].as_i64(), got[1].2["data"]["n"].as_i64()),
        (Some(1), Some(2))
    );
    drop(res);

    // Missed while disconnected: replayed after the last seen id.
    publish(3).await;
    publish(4).await;
    let mut resumed = app
        .get("/api/v1/stream?topics=match:5")
        .header("last-event-id", &got[1].0)
        .send()
        .await
        .unwrap();
    let missed = read_sse(&mut resumed, 2).await;
    assert_eq!(
        (
            missed[0].2["data"]["n"].as_i64(),
            missed[1].2["data"]["n"].as_i64()
        ),
        (Some(3), Some(4))
    );

    let res = app.get("/api/v1/stream?topics=user:123").send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app.get("/api/v1/stream?topics=secrets:1").send().await.unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn sockets_on_another_instance_hear_the_update() {
    if std::env::var("REDIS_URL").is_err() {
        eprintln!("REDIS_URL not set: cross-instance real-time runs in the PostgreSQL + Redis pass");
        return;
    }
    let one = spawn_app().await;
    seed(
        &one,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;
    let two = spawn_sibling(&one).await;
    let admin = one.admin_token("boss").await;
    let id = upcoming(&one, &admin).await;
    let mut socket = SocketClient::connected(two.addr, None).await;
    socket.emit_with_ack("join:match", json!({"match_id": id})).await;
    socket.expect_event("match:update").await;
    let live = json!({"status": "live", "minute": 10, "score": {"home": 0, "away": 1}});
    let res = one
        .patch(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .json(&live)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    let update = socket.expect_event("match:update").await;
    assert_eq!(update["minute"], 10);
    assert_eq!(
        socket.expect_event("prediction:update").await["forecast"]["kind"],
        "in_play"
    );
}
