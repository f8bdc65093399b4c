//! Notifications: inbox, read state, ownership, preferences, live delivery and email.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{sync::Arc, time::Duration};

use common::{TestApp, expect_error, expect_status, spawn_app, spawn_with};
use pundit_server::{
    bus::Event,
    config::Secret,
    notifications::{NotificationKind, notify},
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::{broadcast, mpsc},
};
use uuid::Uuid;

/// Registers `username`, returning (user id, access token).
async fn user(app: &TestApp, username: &str) -> (Uuid, String) {
    let tokens = app.register(username).await;
    let id = tokens["user"]["id"].as_str().unwrap().parse().unwrap();
    (id, tokens["access_token"].as_str().unwrap().to_string())
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    expect_status(
        app.get(path).bearer_auth(token).send().await.unwrap(),
        StatusCode::OK,
    )
    .await
}

async fn put_preferences(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/notifications/preferences"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn admin_send(app: &TestApp, admin: &str, body: Value) -> Value {
    expect_status(
        app.post("/api/v1/admin/notifications")
            .bearer_auth(admin)
            .json(&body)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await
}

fn preference(prefs: &Value, kind: &str, channel: &str) -> bool {
    prefs["preferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == kind && p["channel"] == channel)
        .unwrap_or_else(|| panic!("no {kind}/{channel} in {prefs}"))["enabled"]
        .as_bool()
        .unwrap()
}

#[tokio::test]
async fn list_filters_unread_and_paginates_with_totals() {
    let app = spawn_app().await;
    let (id, token) = user(&app, "nina").await;
    for i in 0..5 {
        let stored = notify(
            &app.state,
            id,
            NotificationKind::Goal,
            &format!("Goal {i}"),
            "Saka scores",
            json!({"match_id": 42, "minute": 10 + i}),
        )
        .await
        .unwrap();
        assert!(stored.is_some());
    }

    let page = get(&app, &token, "/api/v1/notifications?page=1&limit=2").await;
    assert_eq!(page["total"], 5);
    assert_eq!(page["unread_count"], 5);
    assert_eq!(page["page"], 1);
    assert_eq!(page["limit"], 2);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["title"], "Goal 4", "newest first");
    assert_eq!(items[0]["type"], "goal");
    assert_eq!(items[0]["data"]["match_id"], 42);
    assert_eq!(items[0]["read"], false);
    let last = get(&app, &token, "/api/v1/notifications?page=3&limit=2").await;
    assert_eq!(last["items"].as_array().unwrap().len(), 1);
    assert_eq!(last["items"][0]["title"], "Goal 0");

    // Read two, then filter.
    for item in items {
        let id = item["id"].as_str().unwrap();
        let read = expect_status(
            app.post(&format!("/api/v1/notifications/{id}/read"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap(),
            StatusCode::OK,
        )
        .await;
        assert_eq!(read["read"], true);
        assert!(read["read_at"].is_string());
    }
    let unread = get(&app, &token, "/api/v1/notifications?unread=true").await;
    assert_eq!(unread["total"], 3);
    assert_eq!(unread["unread_count"], 3);
    assert!(
        unread["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["read"] == false)
    );
    let all = get(&app, &token, "/api/v1/notifications?unread=false").await;
    assert_eq!(all["total"], 5);
    assert_eq!(
        get(&app, &token, "/api/v1/notifications/unread-count").await["unread_count"],
        3
    );

    let res = app
        .get("/api/v1/notifications?limit=0")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app.get("/api/v1/notifications").send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn mark_read_read_all_and_delete() {
    let app = spawn_app().await;
    let (id, token) = user(&app, "omar").await;
    let mut ids = Vec::new();
    for kind in [
        NotificationKind::Like,
        NotificationKind::Comment,
        NotificationKind::Follow,
    ] {
        let n = notify(&app.state, id, kind, "Hello", "body", Value::Null)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(n.data, None);
        ids.push(n.id);
    }
    let path = format!("/api/v1/notifications/{}/read", ids[0]);
    let first = expect_status(
        app.post(&path).bearer_auth(&token).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    // Reading again keeps the first read time.
    let again = expect_status(
        app.post(&path).bearer_auth(&token).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["read_at"], again["read_at"]);

    let all = expect_status(
        app.post("/api/v1/notifications/read-all")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(all, json!({"updated": 2}));
    assert_eq!(
        get(&app, &token, "/api/v1/notifications/unread-count").await["unread_count"],
        0
    );

    let res = app
        .delete(&format!("/api/v1/notifications/{}", ids[1]))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    let res = app
        .delete(&format!("/api/v1/notifications/{}", ids[1]))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(get(&app, &token, "/api/v1/notifications").await["total"], 2);

    let res = app
        .post("/api/v1/notifications/not-a-uuid/read")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
}

#[tokio::test]
async fn nobody_can_read_mark_or_delete_someone_elses_notifications() {
    let app = spawn_app().await;
    let (owner, owner_token) = user(&app, "pia").await;
    let (_, other) = user(&app, "quinn").await;
    let n = notify(
        &app.state,
        owner,
        NotificationKind::Mention,
        "You were mentioned",
        "by quinn",
        Value::Null,
    )
    .await
    .unwrap()
    .unwrap();

    let theirs = get(&app, &other, "/api/v1/notifications").await;
    assert_eq!(theirs["total"], 0);
    assert_eq!(theirs["unread_count"], 0);
    let res = app
        .post(&format!("/api/v1/notifications/{}/read", n.id))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .delete(&format!("/api/v1/notifications/{}", n.id))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let all = expect_status(
        app.post("/api/v1/notifications/read-all")
            .bearer_auth(&other)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(all["updated"], 0);

    let mine = get(&app, &owner_token, "/api/v1/notifications").await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["read"], false, "still unread");
}

#[tokio::test]
async fn preferences_round_trip_and_validation() {
    let app = spawn_app().await;
    let (_, token) = user(&app, "rosa").await;
    let defaults = get(&app, &token, "/api/v1/notifications/preferences").await;
    // 12 types × 3 channels.
    assert_eq!(defaults["preferences"].as_array().unwrap().len(), 36);
    assert!(preference(&defaults, "goal", "in_app"));
    assert!(preference(&defaults, "goal", "realtime"));
    assert!(!preference(&defaults, "goal", "email"));
    assert!(preference(&defaults, "system", "email"));

    let body = json!({"preferences": [
        {"type": "goal", "channel": "email", "enabled": true},
        {"type": "like", "channel": "in_app", "enabled": false},
        {"type": "like", "channel": "in_app", "enabled": true},
        {"type": "like", "channel": "in_app", "enabled": false},
    ]});
    let updated = expect_status(put_preferences(&app, &token, body).await, StatusCode::OK).await;
    assert!(preference(&updated, "goal", "email"));
    assert!(!preference(&updated, "like", "in_app"), "the last entry wins");
    // Upsert: changing a stored choice again.
    let body = json!({"preferences": [{"type": "goal", "channel": "email", "enabled": false}]});
    expect_status(put_preferences(&app, &token, body).await, StatusCode::OK).await;
    let read_back = get(&app, &token, "/api/v1/notifications/preferences").await;
    assert!(!preference(&read_back, "goal", "email"));
    assert!(!preference(&read_back, "like", "in_app"));
    assert!(preference(&read_back, "like", "realtime"));

    let bad = json!({"preferences": [
        {"type": "goal", "channel": "email", "enabled": true},
        {"type": "weather", "channel": "pigeon", "enabled": true},
    ]});
    let err = expect_error(
        put_preferences(&app, &token, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields = &err["error"]["details"]["fields"];
    assert_eq!(fields["preferences[1].type"][0]["code"], "unknown_type");
    assert_eq!(fields["preferences[1].channel"][0]["code"], "unknown_channel");
    let unchanged = get(&app, &token, "/api/v1/notifications/preferences").await;
    assert!(
        !preference(&unchanged, "goal", "email"),
        "nothing is stored from an invalid request"
    );

    let missing = json!({"preferences": [{"type": "goal", "channel": "email"}]});
    expect_error(
        put_preferences(&app, &token, missing).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn a_disabled_type_is_not_stored() {
    let app = spawn_app().await;
    let (id, token) = user(&app, "sam").await;
    let admin = app.admin_token("root").await;
    let off = json!({"preferences": [{"type": "system", "channel": "in_app", "enabled": false}]});
    expect_status(put_preferences(&app, &token, off).await, StatusCode::OK).await;

    let sent = admin_send(
        &app,
        &admin,
        json!({"user_id": id, "title": "Maintenance", "body": "tonight"}),
    )
    .await;
    assert_eq!(sent, json!({"recipients": 1, "stored": 0}));
    assert_eq!(get(&app, &token, "/api/v1/notifications").await["total"], 0);

    // Other types are unaffected.
    let stored = notify(&app.state, id, NotificationKind::Result, "FT", "2-1", Value::Null)
        .await
        .unwrap();
    assert!(stored.is_some());

    // With every channel off the type is silent.
    let all_off = json!({"preferences": [
        {"type": "comment", "channel": "in_app", "enabled": false},
        {"type": "comment", "channel": "realtime", "enabled": false},
    ]});
    expect_status(put_preferences(&app, &token, all_off).await, StatusCode::OK).await;
    let mut events = app.state.bus.subscribe();
    let none = notify(
        &app.state,
        id,
        NotificationKind::Comment,
        "New comment",
        "hi",
        Value::Null,
    )
    .await
    .unwrap();
    assert!(none.is_none());
    let topic = format!("user:{id}");
    let live = tokio::time::timeout(Duration::from_millis(300), next_for(&mut events, &topic)).await;
    assert!(live.is_err(), "no live event either");
    assert_eq!(get(&app, &token, "/api/v1/notifications").await["total"], 1);
}

#[tokio::test]
async fn admin_notifications_need_the_admin_role_and_a_known_user() {
    let app = spawn_app().await;
    let (_, token) = user(&app, "tess").await;
    let res = app
        .post("/api/v1/admin/notifications")
        .bearer_auth(&token)
        .json(&json!({"title": "Hi", "body": "all"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    let admin = app.admin_token("boss").await;
    let res = app
        .post("/api/v1/admin/notifications")
        .bearer_auth(&admin)
        .json(&json!({"user_id": Uuid::now_v7(), "title": "Hi", "body": "you"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .post("/api/v1/admin/notifications")
        .bearer_auth(&admin)
        .json(&json!({"title": "", "body": "empty title"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    // Without user_id: every active user, the admin included.
    let sent = admin_send(&app, &admin, json!({"title": "Welcome", "body": "Season starts"})).await;
    assert_eq!(sent, json!({"recipients": 2, "stored": 2}));
    let inbox = get(&app, &token, "/api/v1/notifications").await;
    assert_eq!(inbox["items"][0]["type"], "system");
    assert_eq!(inbox["items"][0]["title"], "Welcome");
}

async fn next_for(events: &mut broadcast::Receiver<Arc<Event>>, topic: &str) -> Arc<Event> {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let event = events.recv().await.expect("bus open");
            if event.topic == topic {
                return event;
            }
        }
    })
    .await
    .expect("event within 5s")
}

#[tokio::test]
async fn a_notification_is_delivered_live() {
    let app = spawn_app().await;
    let (id, _) = user(&app, "uma").await;
    let admin = app.admin_token("chief").await;
    let mut events = app.state.bus.subscribe();
    admin_send(
        &app,
        &admin,
        json!({"user_id": id, "title": "Live", "body": "now"}),
    )
    .await;
    let event = next_for(&mut events, &format!("user:{id}")).await;
    assert_eq!(event.name, "notification:new");
    assert_eq!(event.data["type"], "system");
    assert_eq!(event.data["title"], "Live");
    assert_eq!(event.data["body"], "now");
    assert_eq!(event.data["read"], false);
    assert!(event.data["id"].is_string());
}

/// A minimal SMTP server that accepts every message and reports (recipients, raw data).
async fn smtp_sink() -> (
    std::net::SocketAddr,
    mpsc::UnboundedReceiver<(Vec<String>, String)>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                write.write_all(b"220 sink ESMTP ready\r\n").await.ok();
                let mut recipients = Vec::new();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        recipients.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        write.write_all(b"354 go ahead\r\n").await.ok();
                        let mut data = String::new();
                        while !data.ends_with("\r\n.\r\n") {
                            let mut chunk = String::new();
                            if lines.read_line(&mut chunk).await.unwrap_or(0) == 0 {
                                return;
                            }
                            data.push_str(&chunk);
                        }
                        tx.send((std::mem::take(&mut recipients), data)).ok();
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        return;
                    } else {
                        b"250 OK\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (addr, rx)
}

#[tokio::test]
async fn email_reaches_the_smtp_server_when_enabled() {
    let (addr, mut mail) = smtp_sink().await;
    let app = spawn_with(|config| {
        config.smtp_url = Some(Secret::new(format!("smtp://{addr}")));
        config.smtp_from = "Pundit <noreply@pundit.test>".into();
    })
    .await;
    let (wants, wants_token) = user(&app, "vera").await;
    let (declines, declines_token) = user(&app, "walt").await;
    let admin = app.admin_token("ops").await;
    let on = json!({"preferences": [{"type": "system", "channel": "email", "enabled": true}]});
    expect_status(put_preferences(&app, &wants_token, on).await, StatusCode::OK).await;
    let off = json!({"preferences": [{"type": "system", "channel": "email", "enabled": false}]});
    expect_status(put_preferences(&app, &declines_token, off).await, StatusCode::OK).await;

    admin_send(
        &app,
        &admin,
        json!({"user_id": declines, "title": "Not by email", "body": "quiet"}),
    )
    .await;
    admin_send(
        &app,
        &admin,
        json!({"user_id": wants, "title": "Server upgrade", "body": "Back at 6"}),
    )
    .await;

    let (recipients, data) = tokio::time::timeout(Duration::from_secs(10), mail.recv())
        .await
        .expect("an email within 10s")
        .unwrap();
    assert_eq!(recipients, vec!["vera@example.com".to_string()]);
    assert!(data.contains("Subject: Server upgrade"), "{data}");
    assert!(data.contains("To: vera@example.com"), "{data}");
    assert!(data.contains("From: Pundit <noreply@pundit.test>"), "{data}");
    assert!(data.contains("Back at 6"), "{data}");
    assert!(
        tokio::time::timeout(Duration::from_millis(500), mail.recv())
            .await
            .is_err(),
        "no email for the user who turned it off"
    );

    // Goal emails are off by default.
    notify(
        &app.state,
        wants,
        NotificationKind::Goal,
        "Goal",
        "1-0",
        Value::Null,
    )
    .await
    .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_millis(500), mail.recv())
            .await
            .is_err(),
        "email is off for other types by default"
    );
}

#[tokio::test]
async fn an_unreachable_smtp_server_does_not_delay_or_fail_the_caller() {
    // Nothing listens on this port once the listener is dropped.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let app = spawn_with(|config| config.smtp_url = Some(Secret::new(format!("smtp://{addr}")))).await;
    let (id, token) = user(&app, "xena").await;
    let admin = app.admin_token("sre").await;
    let sent = admin_send(
        &app,
        &admin,
        json!({"user_id": id, "title": "Still works", "body": "ok"}),
    )
    .await;
    assert_eq!(sent["stored"], 1);
    assert_eq!(get(&app, &token, "/api/v1/notifications").await["total"], 1);
}
