#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use common::{PASSWORD, expect_error, expect_status, spawn_app};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn profile_updates_and_public_view() {
    let app = spawn_app().await;
    let token = app.token_for("ivan").await;
    let body = json!({"display_name": "Ivan P", "bio": "Spurs, sadly", "website": "https://ivan.example"});
    let updated = expect_status(
        app.patch("/api/v1/users/me")
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(updated["profile"]["display_name"], "Ivan P");

    let public = expect_status(
        app.get("/api/v1/users/IVAN").send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(public["username"], "ivan");
    assert_eq!(public["profile"]["bio"], "Spurs, sadly");
    assert!(public.get("email").is_none(), "public view hides the email");

    let res = app.get("/api/v1/users/nobody-here").send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn users_cannot_grant_themselves_a_role_or_take_a_username() {
    let app = spawn_app().await;
    app.register("judy").await;
    let token = app.token_for("ken").await;
    let res = app
        .patch("/api/v1/users/me")
        .bearer_auth(&token)
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .patch("/api/v1/users/me")
        .bearer_auth(&token)
        .json(&json!({"username": "Judy"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::CONFLICT, "username_taken").await;
    let res = app
        .patch("/api/v1/users/me")
        .bearer_auth(&token)
        .json(&json!({"website": "javascript:alert(1)"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
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
}

#[tokio::test]
async fn changing_the_password_ends_sessions_and_the_new_one_works() {
    let app = spawn_app().await;
    let token = app.token_for("liam").await;
    let wrong = json!({"current_password": "nope-nope-nope", "new_password": "violet-Harbour-77"});
    let res = app
        .post("/api/v1/users/me/password")
        .bearer_auth(&token)
        .json(&wrong)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let change = json!({"current_password": PASSWORD, "new_password": "violet-Harbour-77"});
    let res = app
        .post("/api/v1/users/me/password")
        .bearer_auth(&token)
        .json(&change)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    let res = app
        .get("/api/v1/users/me")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let old = json!({"username": "liam", "password": PASSWORD});
    expect_error(
        app.post("/api/v1/auth/login").json(&old).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let new = json!({"username": "liam", "password": "violet-Harbour-77"});
    expect_status(
        app.post("/api/v1/auth/login").json(&new).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
}

#[tokio::test]
async fn admin_lists_changes_roles_and_deactivates() {
    let app = spawn_app().await;
    let admin = app.admin_token("root").await;
    let user = app.register("mia").await;
    let user_token = user["access_token"].as_str().unwrap();
    let user_id = user["user"]["id"].as_str().unwrap();

    // Role checks: a plain user gets 403 on admin routes.
    let res = app
        .get("/api/v1/admin/users")
        .bearer_auth(user_token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    let page = expect_status(
        app.get("/api/v1/admin/users?limit=1&page=1")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let found = expect_status(
        app.get("/api/v1/admin/users?q=mi")
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["total"], 1);
    let res = app
        .get("/api/v1/admin/users?limit=1000")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let res = app
        .patch(&format!("/api/v1/admin/users/{user_id}/role"))
        .bearer_auth(&admin)
        .json(&json!({"role": "moderator"}))
        .send()
        .await
        .unwrap();
    assert_eq!(expect_status(res, StatusCode::OK).await["role"], "moderator");
    // The change applies to the user's existing token at once.
    let me = expect_status(
        app.get("/api/v1/users/me")
            .bearer_auth(user_token)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(me["role"], "moderator");
    let res = app
        .patch(&format!("/api/v1/admin/users/{user_id}/role"))
        .bearer_auth(&admin)
        .json(&json!({"role": "emperor"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let res = app
        .post(&format!("/api/v1/admin/users/{user_id}/deactivate"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(expect_status(res, StatusCode::OK).await["is_active"], false);
    let res = app
        .get("/api/v1/users/me")
        .bearer_auth(user_token)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let login = json!({"username": "mia", "password": PASSWORD});
    expect_error(
        app.post("/api/v1/auth/login").json(&login).send().await.unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    let res = app
        .post(&format!("/api/v1/admin/users/{user_id}/activate"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    expect_status(
        app.post("/api/v1/auth/login").json(&login).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;

    let res = app
        .post("/api/v1/admin/users/not-a-uuid/deactivate")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let ghost = uuid::Uuid::new_v4();
    let res = app
        .post(&format!("/api/v1/admin/users/{ghost}/deactivate"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}
