#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{PASSWORD, expect_error, expect_status, spawn_app, spawn_with};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn register_login_me_refresh_and_reuse_detection() {
    let app = spawn_app().await;
    let registered = app.register("alice").await;
    assert_eq!(registered["token_type"], "Bearer");
    assert_eq!(registered["expires_in"], 900);
    assert_eq!(registered["user"]["username"], "alice");
    assert_eq!(registered["user"]["role"], "user");
    assert!(registered["user"].get("password_hash").is_none(), "no hash leaks");

    // Login by email (any case) and by username.
    let by_email = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "ALICE@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let login = expect_status(by_email, StatusCode::OK).await;
    let by_name = app
        .post("/api/v1/auth/login")
        .json(&json!({"username": "alice", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_status(by_name, StatusCode::OK).await;

    let access = login["access_token"].as_str().unwrap();
    let me = expect_status(
        app.get("/api/v1/users/me")
            .bearer_auth(access)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["email"], "alice@example.com");
    assert_eq!(me["username"], "alice");
    assert!(me["id"].is_string());

    // Rotate: old refresh token → new pair.
    let first = login["refresh_token"].as_str().unwrap();
    let rotated = expect_status(
        app.post("/api/v1/auth/refresh")
            .json(&json!({"refresh_token": first}))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    let second = rotated["refresh_token"].as_str().unwrap();
    assert_ne!(first, second);
    let new_access = rotated["access_token"].as_str().unwrap();
    expect_status(
        app.get("/api/v1/users/me")
            .bearer_auth(new_access)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;

    // Replaying the spent token is refused and revokes the whole family...
    let replay = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": first}))
        .send()
        .await
        .unwrap();
    expect_error(replay, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // ...so the newest token of that family stops working too, and so do its access tokens.
    let newest = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": second}))
        .send()
        .await
        .unwrap();
    expect_error(newest, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let me = app
        .get("/api/v1/users/me")
        .bearer_auth(new_access)
        .send()
        .await
        .unwrap();
    expect_error(me, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Other sessions of the same user are untouched.
    let other = registered["access_token"].as_str().unwrap();
    expect_status(
        app.get("/api/v1/users/me")
            .bearer_auth(other)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn duplicate_email_or_username_is_409() {
    let app = spawn_app().await;
    app.register("bob").await;
    let same_email = json!({"email": "BOB@example.com", "username": "bobby", "password": PASSWORD});
    let res = app
        .post("/api/v1/auth/register")
        .json(&same_email)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::CONFLICT, "email_taken").await;
    let same_name = json!({"email": "other@example.com", "username": "BOB", "password": PASSWORD});
    let res = app
        .post("/api/v1/auth/register")
        .json(&same_name)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::CONFLICT, "username_taken").await;
}

#[tokio::test]
async fn weak_password_and_bad_fields_are_422_with_field_details() {
    let app = spawn_app().await;
    for password in ["short", "password123", "carol-carol-carol"] {
        let body = json!({"email": "carol@example.com", "username": "carol", "password": password});
        let res = app
            .post("/api/v1/auth/register")
            .json(&body)
            .send()
            .await
            .unwrap();
        let err = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(err["error"]["details"]["fields"]["password"].is_array(), "{err}");
    }
    let body = json!({"email": "not-an-email", "username": "x", "password": PASSWORD});
    let res = app
        .post("/api/v1/auth/register")
        .json(&body)
        .send()
        .await
        .unwrap();
    let err = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields = &err["error"]["details"]["fields"];
    assert!(
        fields["email"].is_array() && fields["username"].is_array(),
        "{err}"
    );
}

#[tokio::test]
async fn wrong_password_is_401_and_repeated_failures_lock_the_account() {
    let app = spawn_with(|c| c.rate_limits.lockout_failures = 3).await;
    app.register("dave").await;
    let wrong = json!({"username": "dave", "password": "not-the-password"});
    for _ in 0..3 {
        let res = app.post("/api/v1/auth/login").json(&wrong).send().await.unwrap();
        expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // Now even the right password is refused until the lock expires.
    let right = json!({"username": "dave", "password": PASSWORD});
    let res = app.post("/api/v1/auth/login").json(&right).send().await.unwrap();
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 0 && retry_after <= 900);
    expect_error(res, StatusCode::TOO_MANY_REQUESTS, "account_locked").await;

    // Unknown accounts answer exactly like wrong passwords.
    let ghost = json!({"username": "nobody", "password": PASSWORD});
    let res = app.post("/api/v1/auth/login").json(&ghost).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let tokens = app.register("erin").await;
    let access = tokens["access_token"].as_str().unwrap();
    let refresh = tokens["refresh_token"].as_str().unwrap();
    let res = app
        .post("/api/v1/auth/logout")
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    let res = app
        .get("/api/v1/users/me")
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": refresh}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn expired_tampered_and_foreign_tokens_are_401() {
    let app = spawn_with(|c| c.access_token_ttl = std::time::Duration::from_secs(0)).await;
    let expired = app.token_for("frank").await;
    // Leeway is 5 s; wait it out.
    tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    let res = app
        .get("/api/v1/users/me")
        .bearer_auth(&expired)
        .send()
        .await
        .unwrap();
    let err = expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert!(err["error"]["message"].as_str().unwrap().contains("expired"));

    let app = spawn_app().await;
    let token = app.token_for("grace").await;
    let mut tampered = token.clone();
    tampered.pop();
    tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
    for bad in [tampered.as_str(), "not.a.jwt", ""] {
        let res = app.get("/api/v1/users/me").bearer_auth(bad).send().await.unwrap();
        expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // A token signed by another deployment's secret.
    let other = spawn_app().await;
    let foreign = other.token_for("grace").await;
    let res = app
        .get("/api/v1/users/me")
        .bearer_auth(&foreign)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // alg: none.
    let payload = token.split('.').nth(1).unwrap();
    let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
    let res = app
        .get("/api/v1/users/me")
        .bearer_auth(&none)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // No credentials at all.
    let res = app.get("/api/v1/users/me").send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn api_keys_work_until_revoked_and_are_shown_once() {
    let app = spawn_app().await;
    let token = app.token_for("heidi").await;
    let created = expect_status(
        app.post("/api/v1/users/me/api-keys")
            .bearer_auth(&token)
            .json(&json!({"name": "scraper"}))
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let key = created["key"].as_str().unwrap();
    assert!(key.starts_with("pk_"));
    assert!(key.starts_with(created["prefix"].as_str().unwrap()));

    let me = app
        .get("/api/v1/users/me")
        .header("x-api-key", key)
        .send()
        .await
        .unwrap();
    assert_eq!(expect_status(me, StatusCode::OK).await["username"], "heidi");

    let list = expect_status(
        app.get("/api/v1/users/me/api-keys")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0].get("key").is_none(), "the key is never shown again");

    // An API key cannot mint more keys.
    let res = app
        .post("/api/v1/users/me/api-keys")
        .header("x-api-key", key)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    // Another user cannot revoke it.
    let mallory = app.token_for("mallory").await;
    let id = created["id"].as_str().unwrap();
    let res = app
        .delete(&format!("/api/v1/users/me/api-keys/{id}"))
        .bearer_auth(&mallory)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;

    let res = app
        .delete(&format!("/api/v1/users/me/api-keys/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    let res = app
        .get("/api/v1/users/me")
        .header("x-api-key", key)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let res = app
        .get("/api/v1/users/me")
        .header("x-api-key", "pk_made_up")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
