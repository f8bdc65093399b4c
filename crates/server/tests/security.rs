//! Attacks by a signed-in user on what belongs to someone else (IDOR), and on their own privileges.
//! Token forgery, refresh replay, lockout, revoked keys, CORS and hostile bodies have their own
//! tests in auth.rs, rate_limit.rs, operations.rs and errors.rs; docs/SECURITY.md lists them all.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{TestApp, expect_status, seed, spawn_app};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn send(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let body = res.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app
        .post(path)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::CREATED).await
}

#[tokio::test]
async fn nobody_reads_changes_or_deletes_what_another_user_owns() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2425.csv"]).await;
    let admin = app.admin_token("root").await;
    let kickoff = chrono::Utc::now() + chrono::Duration::days(3);
    let fixture = app
        .create_fixture(
            &admin,
            app.team_id("Arsenal").await,
            app.team_id("Chelsea").await,
            kickoff,
        )
        .await;
    let alice = app.token_for("alice").await;
    let mallory = app.token_for("mallory").await;

    // Alice's things.
    let pick = created(
        &app,
        &alice,
        "/api/v1/predictions",
        json!({"match_id": fixture, "type": "result", "outcome": "home"}),
    )
    .await;
    let post = created(
        &app,
        &alice,
        "/api/v1/social/posts",
        json!({"content": "Arsenal to win"}),
    )
    .await;
    let private = created(
        &app,
        &alice,
        "/api/v1/social/posts",
        json!({"content": "for my followers only", "visibility": "followers"}),
    )
    .await;
    let comment = created(
        &app,
        &alice,
        &format!("/api/v1/social/posts/{}/comments", post["id"].as_str().unwrap()),
        json!({"content": "agreed"}),
    )
    .await;
    let league = created(&app, &alice, "/api/v1/leagues", json!({"name": "Alice's league"})).await;
    let key = created(
        &app,
        &alice,
        "/api/v1/users/me/api-keys",
        json!({"name": "script"}),
    )
    .await;
    // A notification for Alice: a fan follows her (Mallory does not, so her followers-only post
    // is not Mallory's to read).
    let fan = app.token_for("fan").await;
    let (status, _) = send(
        &app,
        &fan,
        Method::POST,
        "/api/v1/social/users/alice/follow",
        None,
    )
    .await;
    assert!(status.is_success(), "{status}");
    let notifications = expect_status(
        app.get("/api/v1/notifications")
            .bearer_auth(&alice)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let notification = notifications["items"][0]["id"].as_str().unwrap().to_string();

    let id = |v: &Value| {
        v["id"]
            .as_str()
            .map_or_else(|| v["id"].to_string(), str::to_string)
    };
    let (pick, post, private, comment, league, key) = (
        id(&pick),
        id(&post),
        id(&private),
        id(&comment),
        id(&league),
        id(&key),
    );
    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/predictions/{pick}"), None),
        (
            Method::PATCH,
            format!("/api/v1/predictions/{pick}"),
            Some(json!({"outcome": "away"})),
        ),
        (Method::DELETE, format!("/api/v1/predictions/{pick}"), None),
        (
            Method::PUT,
            format!("/api/v1/social/posts/{post}"),
            Some(json!({"content": "hacked"})),
        ),
        (Method::DELETE, format!("/api/v1/social/posts/{post}"), None),
        (Method::GET, format!("/api/v1/social/posts/{private}"), None),
        (
            Method::PUT,
            format!("/api/v1/social/comments/{comment}"),
            Some(json!({"content": "hacked"})),
        ),
        (Method::DELETE, format!("/api/v1/social/comments/{comment}"), None),
        (Method::DELETE, format!("/api/v1/leagues/{league}"), None),
        (
            Method::POST,
            format!("/api/v1/leagues/{league}/invite-code"),
            None,
        ),
        (Method::GET, format!("/api/v1/leagues/{league}"), None),
        (Method::DELETE, format!("/api/v1/users/me/api-keys/{key}"), None),
        (
            Method::POST,
            format!("/api/v1/notifications/{notification}/read"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/notifications/{notification}"),
            None,
        ),
        (Method::GET, "/api/v1/admin/users".to_string(), None),
        (
            Method::POST,
            "/api/v1/admin/notifications".to_string(),
            Some(json!({"title": "x", "body": "y"})),
        ),
    ];
    for (method, path, body) in attempts {
        let (status, answer) = send(&app, &mallory, method.clone(), &path, body).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
            "{method} {path} as another user answered {status}: {answer}"
        );
        assert!(answer["error"]["code"].is_string(), "{method} {path}: {answer}");
    }

    // Everything of Alice's is as she left it.
    let (_, mine) = send(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/predictions/{pick}"),
        None,
    )
    .await;
    assert_eq!(mine["outcome"], "home", "{mine}");
    let (_, mine) = send(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/social/posts/{post}"),
        None,
    )
    .await;
    assert_eq!(mine["content"], "Arsenal to win");
    let (status, _) = send(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/social/posts/{private}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        &app,
        &alice,
        Method::GET,
        &format!("/api/v1/leagues/{league}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, keys) = send(&app, &alice, Method::GET, "/api/v1/users/me/api-keys", None).await;
    assert_eq!(keys.as_array().map_or(0, Vec::len), 1, "{keys}");
    let (_, unread) = send(
        &app,
        &alice,
        Method::GET,
        "/api/v1/notifications/unread-count",
        None,
    )
    .await;
    assert!(unread["unread_count"].as_u64().unwrap_or(0) >= 1, "{unread}");
}

#[tokio::test]
async fn nobody_makes_themselves_an_admin() {
    let app = spawn_app().await;
    // Extra fields at sign-up are not obeyed.
    let res = app
        .post("/api/v1/auth/register")
        .json(&json!({"username": "sneaky", "email": "sneaky@example.com", "password": common::PASSWORD, "role": "admin", "is_admin": true}))
        .send()
        .await
        .unwrap();
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    if status == StatusCode::CREATED {
        let token = body["access_token"].as_str().unwrap();
        let me = expect_status(
            app.get("/api/v1/users/me")
                .bearer_auth(token)
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        assert_eq!(me["role"], "user", "{me}");
    } else {
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    // Nor through the profile, nor the admin endpoint for roles.
    let token = app.token_for("plain").await;
    let me = expect_status(
        app.get("/api/v1/users/me")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let my_id = me["id"].as_str().unwrap();
    for (method, path, body) in [
        (
            Method::PATCH,
            "/api/v1/users/me".to_string(),
            json!({"role": "admin"}),
        ),
        (
            Method::PATCH,
            "/api/v1/users/me".to_string(),
            json!({"profile": {"role": "admin"}}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/admin/users/{my_id}/role"),
            json!({"role": "admin"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/admin/users/{my_id}/role"),
            json!({"role": "admin"}),
        ),
    ] {
        let (status, answer) = send(&app, &token, method.clone(), &path, Some(body)).await;
        assert!(status.is_client_error(), "{method} {path}: {status} {answer}");
    }
    let me = expect_status(
        app.get("/api/v1/users/me")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["role"], "user");
    let (status, _) = send(&app, &token, Method::GET, "/api/v1/admin/users", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
