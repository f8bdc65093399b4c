//! The standard Node `socket.io-client` (tests/node): it connects with a JWT, joins a match room, and
//! must hear an admin update made through the HTTP API — of a second instance when Redis is configured.
//! Needs `npm ci --prefix tests/node` (done by .ci/run, which also sets PUNDIT_REQUIRE_NODE_TESTS).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{path::PathBuf, process::Command};

use chrono::Utc;
use common::{seed, spawn_app, spawn_sibling};

#[tokio::test]
async fn socket_io_client_hears_updates_made_on_another_instance() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/node");
    let installed = dir.join("node_modules/socket.io-client").exists();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !(installed && node) {
        assert!(
            std::env::var("PUNDIT_REQUIRE_NODE_TESTS").is_err(),
            "node or tests/node/node_modules missing: run npm ci --prefix tests/node"
        );
        eprintln!("skipped: node or tests/node/node_modules missing (npm ci --prefix tests/node)");
        return;
    }
    let one = spawn_app().await;
    seed(
        &one,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;
    // Across instances needs the Redis bus; the embedded default is one process.
    let two = if std::env::var("REDIS_URL").is_ok() {
        Some(spawn_sibling(&one).await)
    } else {
        None
    };
    let listener = two.as_ref().unwrap_or(&one);
    let admin = one.admin_token("boss").await;
    let user = one.token_for("fan").await;
    let teams = one.get_ok("/api/v1/teams?limit=2").await;
    let (home, away) = (
        teams["items"][0]["id"].as_i64().unwrap(),
        teams["items"][1]["id"].as_i64().unwrap(),
    );
    let match_id = one
        .create_fixture(&admin, home, away, Utc::now() + chrono::Duration::hours(1))
        .await;

    let output = tokio::process::Command::new("node")
        .arg(dir.join("socketio_client.mjs"))
        .env("BASE_A", one.url(""))
        .env("BASE_B", listener.url(""))
        .env("TOKEN", &user)
        .env("ADMIN_TOKEN", &admin)
        .env("MATCH_ID", match_id.to_string())
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}");
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
