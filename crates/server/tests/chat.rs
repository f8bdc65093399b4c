//! Live match chat: sent over Socket.IO to the match room, stored, rate-limited, reported and
//! hidden like comments, and filtered by blocks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chrono::Utc;
use common::{TestApp, expect_error, expect_status, seed, socketio::SocketClient, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn match_id(app: &TestApp) -> i64 {
    seed(app, &["premier-league/season-2324.csv"]).await;
    let admin = app.admin_token("boss").await;
    let (home, away) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
    app.create_fixture(&admin, home, away, Utc::now() + chrono::Duration::hours(1))
        .await
}

async fn in_room(app: &TestApp, token: Option<&str>, id: i64) -> SocketClient {
    let auth = token.map(|t| json!({ "token": t }));
    let mut socket = SocketClient::connected(app.addr, auth).await;
    let ack = socket
        .emit_with_ack("join:match", json!({ "match_id": id }))
        .await;
    assert_eq!(ack["ok"], true, "{ack}");
    socket
}

async fn history(app: &TestApp, token: &str, id: i64) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/matches/{id}/chat"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK)
        .await
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn chat_messages_reach_the_room_are_stored_and_rate_limited() {
    let app = spawn_app().await;
    let id = match_id(&app).await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let mut ann_socket = in_room(&app, Some(&ann), id).await;
    let mut bob_socket = in_room(&app, Some(&bob), id).await;
    let mut anonymous = in_room(&app, None, id).await;

    let ack = ann_socket
        .emit_with_ack(
            "chat:message",
            json!({ "match_id": id, "body": "  Come on you Gunners <b>!</b> " }),
        )
        .await;
    assert_eq!(ack["ok"], true, "{ack}");
    assert_eq!(
        ack["message"]["body"], "Come on you Gunners <b>!</b>",
        "stored as text, trimmed"
    );
    let heard = bob_socket.expect_event("chat:message").await;
    assert_eq!(heard["username"], "ann");
    assert_eq!(heard["id"], ack["message"]["id"]);
    let watched = anonymous.expect_event("chat:message").await;
    assert_eq!(
        watched["id"], ack["message"]["id"],
        "anonymous viewers read the chat"
    );

    // Anonymous sockets cannot write; bad input is refused in the ack.
    let refused = anonymous
        .emit_with_ack("chat:message", json!({ "match_id": id, "body": "hi" }))
        .await;
    assert_eq!(refused["error"]["code"], "unauthorized");
    let refused = ann_socket
        .emit_with_ack("chat:message", json!({ "match_id": id, "body": "x".repeat(501) }))
        .await;
    assert_eq!(refused["error"]["code"], "validation_failed");
    let refused = ann_socket
        .emit_with_ack("chat:message", json!({ "match_id": 999_999, "body": "hello?" }))
        .await;
    assert_eq!(refused["error"]["code"], "not_found");
    let refused = ann_socket
        .emit_with_ack("chat:message", json!({ "body": "no match" }))
        .await;
    assert_eq!(refused["error"]["code"], "bad_request");

    // Over HTTP too; the sixth message inside ten seconds is refused with Retry-After.
    for n in 0..4 {
        let res = app
            .post(&format!("/api/v1/matches/{id}/chat"))
            .bearer_auth(&bob)
            .json(&json!({ "body": format!("msg {n}") }))
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::CREATED).await;
    }
    let res = app
        .post(&format!("/api/v1/matches/{id}/chat"))
        .bearer_auth(&bob)
        .json(&json!({ "body": "msg 4" }))
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::CREATED).await;
    let res = app
        .post(&format!("/api/v1/matches/{id}/chat"))
        .bearer_auth(&bob)
        .json(&json!({ "body": "one too many" }))
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("retry-after").is_some());
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "chat_rate_limited").await;
    let res = app
        .post(&format!("/api/v1/matches/{id}/chat"))
        .json(&json!({ "body": "anon" }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let stored = history(&app, &ann, id).await;
    let bodies: Vec<&str> = stored.iter().map(|m| m["body"].as_str().unwrap()).collect();
    assert_eq!(
        bodies,
        [
            "msg 4",
            "msg 3",
            "msg 2",
            "msg 1",
            "msg 0",
            "Come on you Gunners <b>!</b>"
        ]
    );
    let res = app
        .get(&format!(
            "/api/v1/matches/{id}/chat?limit=2&before={}",
            stored[1]["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    let older = expect_status(res, StatusCode::OK).await;
    let bodies: Vec<&str> = older
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["msg 2", "msg 1"]);
    let res = app.get("/api/v1/matches/999999/chat").send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn chat_is_moderated_like_comments_and_blocks_apply() {
    let app = spawn_app().await;
    let id = match_id(&app).await;
    let moderator = app.admin_token("mod").await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let mut bob_socket = in_room(&app, Some(&bob), id).await;
    let mut ann_socket = in_room(&app, Some(&ann), id).await;
    let rude = ann_socket
        .emit_with_ack(
            "chat:message",
            json!({ "match_id": id, "body": "something rude" }),
        )
        .await["message"]
        .clone();
    let kind = ann_socket
        .emit_with_ack("chat:message", json!({ "match_id": id, "body": "good game" }))
        .await["message"]
        .clone();
    bob_socket.expect_event("chat:message").await;

    // Bob reports the rude one; reporting twice files one report.
    let report = |token: &str| {
        app.post(&format!("/api/v1/chat/{}/report", rude["id"].as_str().unwrap()))
            .bearer_auth(token.to_string())
            .json(&json!({ "reason": "abuse" }))
    };
    let first = expect_status(report(&bob).send().await.unwrap(), StatusCode::CREATED).await;
    let again = expect_status(report(&bob).send().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(first["id"], again["id"]);
    assert_eq!(first["target"], "chat");
    let queue = expect_status(
        app.get("/api/v1/social/moderation/reports")
            .bearer_auth(&moderator)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["chat_message_id"], rude["id"]);

    // Only moderators hide; the room hears it and the history drops it; the report is resolved.
    let hide = format!("/api/v1/moderation/chat/{}/hide", rude["id"].as_str().unwrap());
    expect_error(
        app.post(&hide).bearer_auth(&bob).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let res = app.post(&hide).bearer_auth(&moderator).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let hidden = bob_socket.expect_event("chat:hidden").await;
    assert_eq!(hidden["id"], rude["id"]);
    let ids: Vec<Value> = history(&app, &bob, id)
        .await
        .iter()
        .map(|m| m["id"].clone())
        .collect();
    assert_eq!(ids, [kind["id"].clone()]);
    let queue = expect_status(
        app.get("/api/v1/social/moderation/reports")
            .bearer_auth(&moderator)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(queue["total"], 0, "resolved");

    // Bob blocks Ann: her messages leave his history (not Ann's own).
    let res = app
        .post("/api/v1/social/users/ann/block")
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert!(history(&app, &bob, id).await.is_empty());
    assert_eq!(history(&app, &ann, id).await.len(), 1);

    // Shown again by a moderator.
    let res = app.delete(&hide).bearer_auth(&moderator).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(history(&app, &ann, id).await.len(), 2);
    assert!(
        bob_socket
            .maybe_event("chat:hidden", Duration::from_millis(200))
            .await
            .is_none()
    );
}
