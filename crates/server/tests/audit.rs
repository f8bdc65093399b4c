//! Accountability: the admins' audit log, the account export and account deletion.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chrono::{Duration, Utc};
use common::{PASSWORD, TestApp, expect_error, expect_status, seed, spawn_app, spawn_with};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

async fn call(app: &TestApp, method: Method, token: &str, path: &str, body: Option<Value>) -> Response {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

async fn ok(app: &TestApp, method: Method, token: &str, path: &str, body: Option<Value>) -> Value {
    let res = call(app, method, token, path, body).await;
    let status = res.status();
    assert!(
        status.is_success(),
        "{path}: {status} {}",
        res.text().await.unwrap()
    );
    let text = res.text().await.unwrap();
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// The audit entries an admin sees for a query string.
async fn audit(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    let page = ok(
        app,
        Method::GET,
        admin,
        &format!("/api/v1/admin/audit?{query}"),
        None,
    )
    .await;
    page["items"].as_array().unwrap().clone()
}

fn actions(entries: &[Value]) -> Vec<&str> {
    entries.iter().map(|e| e["action"].as_str().unwrap()).collect()
}

async fn login(app: &TestApp, username: &str, password: &str) -> Response {
    app.post("/api/v1/auth/login")
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn user_id(app: &TestApp, token: &str) -> String {
    ok(app, Method::GET, token, "/api/v1/users/me", None).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn create_key(app: &TestApp, token: &str) -> (String, String) {
    let body = json!({"name": "scripts"});
    let created = ok(app, Method::POST, token, "/api/v1/users/me/api-keys", Some(body)).await;
    (
        created["id"].as_str().unwrap().to_string(),
        created["key"].as_str().unwrap().to_string(),
    )
}

async fn with_key(app: &TestApp, key: &str, path: &str) -> Response {
    app.get(path).header("x-api-key", key).send().await.unwrap()
}

async fn staff_token(app: &TestApp, username: &str) -> String {
    pundit_server::auth::service::create_user(
        &app.state.db,
        &format!("{username}@example.com"),
        username,
        PASSWORD,
        pundit_server::users::types::Role::Moderator,
    )
    .await
    .unwrap();
    expect_status(login(app, username, PASSWORD).await, StatusCode::OK).await["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn sign_ins_failures_and_lockouts_are_audited_for_admins_only() {
    let app = spawn_with(|c| c.rate_limits.lockout_failures = 3).await;
    let ann = app.token_for("ann").await;
    let ann_id = user_id(&app, &ann).await;
    for _ in 0..3 {
        expect_error(
            login(&app, "ann", "wrong-password-1").await,
            StatusCode::UNAUTHORIZED,
            "unauthorized",
        )
        .await;
    }
    expect_error(
        login(&app, "ann", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
        "account_locked",
    )
    .await;
    expect_error(
        login(&app, "ghost", "wrong-password-1").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let admin = app.admin_token("root").await;

    let entries = audit(&app, &admin, "action=auth.").await;
    assert_eq!(
        actions(&entries),
        [
            "auth.login",
            "auth.login_failed",
            "auth.locked",
            "auth.login_failed",
            "auth.login_failed",
            "auth.login_failed"
        ],
        "newest first: {entries:?}"
    );
    assert_eq!(entries[0]["actor"], "root");
    let ghost = &entries[1];
    assert!(ghost["actor_id"].is_null());
    assert_eq!(ghost["details"]["identifier"], "ghost");
    for e in &entries[2..] {
        assert_eq!(e["actor_id"], ann_id.as_str());
        assert_eq!(e["target_type"], "user");
        assert_eq!(e["target_id"], ann_id.as_str());
        assert!(
            e["details"].get("identifier").is_none(),
            "known accounts are named by id: {e}"
        );
        assert_eq!(e["ip"], "127.0.0.1");
    }
    let exact = audit(&app, &admin, "action=auth.login").await;
    assert_eq!(actions(&exact), ["auth.login"]);
    let by_ann = audit(&app, &admin, "actor=ann&action=auth.locked").await;
    assert_eq!(by_ann.len(), 1);
    assert!(audit(&app, &admin, "actor=nobody-at-all").await.is_empty());
    let later = (Utc::now() + Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert!(audit(&app, &admin, &format!("since={later}")).await.is_empty());
    assert_eq!(
        audit(&app, &admin, &format!("until={later}&action=auth."))
            .await
            .len(),
        6
    );

    // Pages follow the cursor, newest first, without repeats.
    let first = ok(&app, Method::GET, &admin, "/api/v1/admin/audit?limit=4", None).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = ok(
        &app,
        Method::GET,
        &admin,
        &format!("/api/v1/admin/audit?limit=4&cursor={cursor}"),
        None,
    )
    .await;
    assert_eq!(first["items"][3]["action"], "auth.login_failed");
    assert_eq!(second["items"][0]["action"], "auth.login_failed");
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    assert!(second["next_cursor"].is_null());

    for (query, field) in [
        ("since=yesterday", "since"),
        ("action=AUTH*", "action"),
        ("cursor=nope", "cursor"),
        ("limit=0", "limit"),
        ("since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "until"),
    ] {
        let res = call(
            &app,
            Method::GET,
            &admin,
            &format!("/api/v1/admin/audit?{query}"),
            None,
        )
        .await;
        let body = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(
            body["error"]["details"]["fields"].get(field).is_some(),
            "{query}: {body}"
        );
    }
    let bob = app.token_for("bob").await;
    let res = call(&app, Method::GET, &bob, "/api/v1/admin/audit", None).await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.get("/api/v1/admin/audit").send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn role_changes_and_deactivation_name_the_admin_and_the_account() {
    let app = spawn_app().await;
    let admin = app.admin_token("root").await;
    let admin_id = user_id(&app, &admin).await;
    let bob = app.token_for("bob").await;
    let bob_id = user_id(&app, &bob).await;
    let base = format!("/api/v1/admin/users/{bob_id}");
    ok(
        &app,
        Method::PATCH,
        &admin,
        &format!("{base}/role"),
        Some(json!({"role": "moderator"})),
    )
    .await;
    ok(&app, Method::POST, &admin, &format!("{base}/deactivate"), None).await;
    ok(&app, Method::POST, &admin, &format!("{base}/activate"), None).await;

    let entries = audit(&app, &admin, &format!("target_type=user&target_id={bob_id}")).await;
    assert_eq!(
        actions(&entries),
        ["user.activated", "user.deactivated", "user.role_changed"]
    );
    for e in &entries {
        assert_eq!(e["actor_id"], admin_id.as_str());
        assert_eq!(e["actor"], "root");
    }
    assert_eq!(entries[2]["details"], json!({"from": "user", "to": "moderator"}));
    let by_admin = audit(&app, &admin, &format!("actor={admin_id}&action=user.")).await;
    assert_eq!(by_admin.len(), 3);
}

#[tokio::test]
async fn api_key_use_is_recorded_once_and_revocation_is_audited() {
    let app = spawn_app().await;
    let carl = app.token_for("carl").await;
    let (key_id, key) = create_key(&app, &carl).await;
    for _ in 0..5 {
        expect_status(with_key(&app, &key, "/api/v1/users/me").await, StatusCode::OK).await;
    }
    let admin = app.admin_token("root").await;
    let used = audit(&app, &admin, "action=api_key.used").await;
    assert_eq!(used.len(), 1, "one row, not one per request: {used:?}");
    assert_eq!(used[0]["target_id"], key_id.as_str());
    assert_eq!(used[0]["actor"], "carl");
    let created = audit(&app, &admin, "action=api_key.created").await;
    assert_eq!(created[0]["details"]["name"], "scripts");

    let path = format!("/api/v1/users/me/api-keys/{key_id}");
    expect_status(
        call(&app, Method::DELETE, &carl, &path, None).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    expect_error(
        with_key(&app, &key, "/api/v1/users/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let revoked = audit(
        &app,
        &admin,
        &format!("action=api_key.revoked&target_id={key_id}"),
    )
    .await;
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0]["actor"], "carl");
}

#[tokio::test]
async fn moderation_is_audited() {
    let app = spawn_app().await;
    let dan = app.token_for("dan").await;
    let eve = app.token_for("eve").await;
    let post = ok(
        &app,
        Method::POST,
        &dan,
        "/api/v1/social/posts",
        Some(json!({"content": "buy my pills"})),
    )
    .await;
    let post_id = post["id"].as_str().unwrap();
    let reason = json!({"reason": "spam"});
    ok(
        &app,
        Method::POST,
        &eve,
        &format!("/api/v1/social/posts/{post_id}/report"),
        Some(reason),
    )
    .await;
    let moderator = staff_token(&app, "mod").await;
    let hide = format!("/api/v1/social/moderation/posts/{post_id}/hide");
    ok(&app, Method::POST, &moderator, &hide, None).await;
    ok(&app, Method::DELETE, &moderator, &hide, None).await;
    ok(
        &app,
        Method::DELETE,
        &moderator,
        &format!("/api/v1/social/posts/{post_id}"),
        None,
    )
    .await;

    let admin = app.admin_token("root").await;
    let entries = audit(&app, &admin, "action=moderation.").await;
    assert_eq!(
        actions(&entries),
        [
            "moderation.post_deleted",
            "moderation.post_unhidden",
            "moderation.post_hidden"
        ]
    );
    let hidden = &entries[2];
    assert_eq!(hidden["actor"], "mod");
    assert_eq!(hidden["target_type"], "post");
    assert_eq!(hidden["target_id"], post_id);
    assert_eq!(hidden["details"]["reports_resolved"], 1);
}

/// A future Premier League fixture (teams come from one seeded season).
async fn fixture(app: &TestApp, admin: &str) -> i64 {
    seed(app, &["premier-league/season-2324.csv"]).await;
    let (home, away) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
    app.create_fixture(admin, home, away, Utc::now() + Duration::days(3))
        .await
}

#[tokio::test]
async fn the_export_holds_the_users_data_and_no_secrets() {
    let app = spawn_app().await;
    let admin = app.admin_token("root").await;
    let match_id = fixture(&app, &admin).await;
    let tokens = app.register("fay").await;
    let fay = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let gus = app.token_for("gus").await;
    let gus_id = user_id(&app, &gus).await;
    ok(
        &app,
        Method::POST,
        &fay,
        "/api/v1/social/users/gus/follow",
        Some(json!({})),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &fay,
        "/api/v1/social/posts",
        Some(json!({"content": "north london is red"})),
    )
    .await;
    let pick = json!({"match_id": match_id, "type": "result", "outcome": "home"});
    ok(&app, Method::POST, &fay, "/api/v1/predictions", Some(pick)).await;
    let (_, key) = create_key(&app, &fay).await;

    let res = call(&app, Method::GET, &fay, "/api/v1/users/me/export", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert_eq!(disposition, "attachment; filename=\"pundit-export-fay.json\"");
    let text = res.text().await.unwrap();
    let export: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["account"]["username"], "fay");
    assert_eq!(export["account"]["email"], "fay@example.com");
    assert_eq!(export["posts"][0]["body"], "north london is red");
    assert_eq!(export["picks"].as_array().unwrap().len(), 1);
    assert_eq!(export["picks"][0]["match_id"], match_id);
    assert_eq!(export["follows"][0]["followee_id"], gus_id.as_str());
    assert_eq!(export["api_keys"][0]["name"], "scripts");
    assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
    assert!(actions(export["audit_log"].as_array().unwrap()).contains(&"api_key.created"));
    for secret in [
        "password_hash",
        "$argon2",
        "key_hash",
        "token_hash",
        key.as_str(),
        refresh.as_str(),
    ] {
        assert!(!text.contains(secret), "the export leaks {secret}");
    }

    // API keys cannot take the whole account away; the export itself is audited.
    let res = with_key(&app, &key, "/api/v1/users/me/export").await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let exported = audit(&app, &admin, "action=account.exported").await;
    assert_eq!(exported[0]["actor"], "fay");
}

#[tokio::test]
async fn deleting_an_account_ends_access_and_removes_its_content() {
    let app = spawn_app().await;
    let admin = app.admin_token("root").await;
    let match_id = fixture(&app, &admin).await;
    let tokens = app.register("hal").await;
    let hal = tokens["access_token"].as_str().unwrap().to_string();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_string();
    let hal_id = user_id(&app, &hal).await;
    let ivy = app.token_for("ivy").await;
    let (_, key) = create_key(&app, &hal).await;

    // hal's footprint: a post ivy likes and answers, a comment and like on ivy's post,
    // follows both ways, a pick, and a league hal owns with ivy in it.
    let social = "/api/v1/social";
    let hal_post = ok(
        &app,
        Method::POST,
        &hal,
        &format!("{social}/posts"),
        Some(json!({"content": "hal was here"})),
    )
    .await;
    let hal_post = hal_post["id"].as_str().unwrap().to_string();
    let ivy_post = ok(
        &app,
        Method::POST,
        &ivy,
        &format!("{social}/posts"),
        Some(json!({"content": "ivy speaks"})),
    )
    .await;
    let ivy_post = ivy_post["id"].as_str().unwrap().to_string();
    ok(
        &app,
        Method::POST,
        &ivy,
        &format!("{social}/posts/{hal_post}/like"),
        None,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &ivy,
        &format!("{social}/posts/{hal_post}/comments"),
        Some(json!({"content": "hi hal"})),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &hal,
        &format!("{social}/posts/{ivy_post}/comments"),
        Some(json!({"content": "hi ivy"})),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &hal,
        &format!("{social}/posts/{ivy_post}/like"),
        None,
    )
    .await;
    ok(
        &app,
        Method::POST,
        &hal,
        &format!("{social}/users/ivy/follow"),
        Some(json!({})),
    )
    .await;
    ok(
        &app,
        Method::POST,
        &ivy,
        &format!("{social}/users/hal/follow"),
        Some(json!({})),
    )
    .await;
    let pick = json!({"match_id": match_id, "type": "result", "outcome": "home"});
    ok(&app, Method::POST, &hal, "/api/v1/predictions", Some(pick)).await;
    let league = ok(
        &app,
        Method::POST,
        &hal,
        "/api/v1/leagues",
        Some(json!({"name": "Hal's Lot"})),
    )
    .await;
    let league_id = league["id"].as_str().unwrap().to_string();
    let code = json!({"code": league["invite_code"]});
    ok(&app, Method::POST, &ivy, "/api/v1/leagues/join", Some(code)).await;

    // A wrong password (or an API key) deletes nothing.
    let wrong = Some(json!({"password": "not-my-password-9"}));
    let res = call(&app, Method::DELETE, &hal, "/api/v1/users/me", wrong).await;
    let body = expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("wrong password")
    );
    let res = app
        .delete("/api/v1/users/me")
        .header("x-api-key", &key)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = call(
        &app,
        Method::DELETE,
        &hal,
        "/api/v1/users/me",
        Some(json!({"password": PASSWORD})),
    )
    .await;
    expect_status(res, StatusCode::NO_CONTENT).await;

    // Nothing hal held works any more.
    let res = call(&app, Method::GET, &hal, "/api/v1/users/me", None).await;
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_error(
        with_key(&app, &key, "/api/v1/users/me").await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let res = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_error(
        login(&app, "hal", PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let deleted_name = format!("deleted-{}", hal_id.replace('-', ""));
    expect_error(
        login(&app, &deleted_name, PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    // hal is gone from public view; everything else still answers, consistently.
    for path in [
        "/api/v1/users/hal",
        "/api/v1/social/profiles/hal",
        "/api/v1/social/users/hal/posts",
    ] {
        expect_error(
            app.get(path).send().await.unwrap(),
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let feed = ok(&app, Method::GET, &ivy, &format!("{social}/feed"), None).await;
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only ivy's post is left: {feed}");
    assert_eq!(items[0]["id"], ivy_post.as_str());
    assert_eq!(items[0]["comment_count"], 0);
    assert_eq!(items[0]["like_count"], 0);
    let comments = ok(
        &app,
        Method::GET,
        &ivy,
        &format!("{social}/posts/{ivy_post}/comments"),
        None,
    )
    .await;
    assert!(comments["items"].as_array().unwrap().is_empty(), "{comments}");
    let res = call(
        &app,
        Method::GET,
        &ivy,
        &format!("{social}/posts/{hal_post}"),
        None,
    )
    .await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let profile = ok(&app, Method::GET, &ivy, &format!("{social}/profiles/ivy"), None).await;
    assert_eq!(profile["follower_count"], 0, "{profile}");
    assert_eq!(profile["following_count"], 0, "{profile}");
    let board = app.get_ok("/api/v1/leaderboards").await;
    assert!(!board.to_string().contains(&hal_id));
    let league = ok(
        &app,
        Method::GET,
        &ivy,
        &format!("/api/v1/leagues/{league_id}"),
        None,
    )
    .await;
    assert_eq!(league["owner"], "ivy");
    assert_eq!(league["member_count"], 1);
    ok(
        &app,
        Method::GET,
        &ivy,
        &format!("/api/v1/leagues/{league_id}/leaderboard"),
        None,
    )
    .await;
    let notes = ok(&app, Method::GET, &ivy, "/api/v1/notifications", None).await;
    assert!(
        !notes.to_string().contains("hal "),
        "notifications naming hal are gone: {notes}"
    );
    app.get_ok("/api/v1/social/hashtags/trending").await;
    app.get_ok("/api/v1/social/search/posts?q=hal").await;

    // The name and email are free again; the audit log keeps the id, not the person.
    let again = app.register("hal").await;
    assert_ne!(again["user"]["id"], hal_id.as_str());
    let entries = audit(&app, &admin, &format!("action=account.&target_id={hal_id}")).await;
    assert_eq!(actions(&entries), ["account.deleted", "account.delete_failed"]);
    assert_eq!(entries[0]["actor_id"], hal_id.as_str());
    assert_eq!(entries[0]["actor"], deleted_name.as_str());
    assert_eq!(entries[0]["details"], json!({"by": "self"}));
    assert!(
        !entries[0].to_string().contains("hal@"),
        "no personal data: {}",
        entries[0]
    );
}

#[tokio::test]
async fn admins_delete_accounts_through_the_same_path() {
    let app = spawn_app().await;
    let admin = app.admin_token("root").await;
    let jo = app.token_for("joe").await;
    let jo_id = user_id(&app, &jo).await;
    let path = format!("/api/v1/admin/users/{jo_id}");
    let res = call(&app, Method::DELETE, &jo, &path, None).await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    expect_status(
        call(&app, Method::DELETE, &admin, &path, None).await,
        StatusCode::NO_CONTENT,
    )
    .await;
    let res = call(&app, Method::GET, &jo, "/api/v1/users/me", None).await;
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // A tombstone cannot be deleted twice or brought back.
    let res = call(&app, Method::DELETE, &admin, &path, None).await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = call(&app, Method::POST, &admin, &format!("{path}/activate"), None).await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let entries = audit(&app, &admin, "action=account.deleted").await;
    assert_eq!(entries[0]["actor"], "root");
    assert_eq!(entries[0]["target_id"], jo_id.as_str());
    assert_eq!(entries[0]["details"], json!({"by": "admin"}));
    app.register("joe").await;
}

#[tokio::test]
async fn the_new_routes_are_documented() {
    let app = spawn_app().await;
    let spec = app.get_ok("/openapi.json").await;
    for (path, method) in [
        ("/api/v1/admin/audit", "get"),
        ("/api/v1/users/me/export", "get"),
        ("/api/v1/users/me", "delete"),
        ("/api/v1/admin/users/{id}", "delete"),
    ] {
        let op = &spec["paths"][path][method];
        assert!(op.is_object(), "{method} {path} documented");
        assert!(
            op["responses"]["401"].is_object(),
            "{method} {path} documents 401"
        );
    }
    let export = &spec["paths"]["/api/v1/users/me/export"]["get"]["responses"]["200"];
    assert!(export["headers"]["content-disposition"].is_object(), "{export}");
    for schema in ["AuditPage", "AuditEntryView", "AccountExport", "DeleteAccount"] {
        assert!(
            spec["components"]["schemas"][schema].is_object(),
            "{schema} in components"
        );
    }
    let params = spec["paths"]["/api/v1/admin/audit"]["get"]["parameters"].to_string();
    for name in [
        "actor",
        "action",
        "target_type",
        "target_id",
        "since",
        "until",
        "cursor",
        "limit",
    ] {
        assert!(
            params.contains(&format!("\"{name}\"")),
            "{name} documented: {params}"
        );
    }
}
