//! The dashboard in a real browser: Debian's headless Chromium driven by playwright-core
//! (tests/node/dashboard.mjs) against a server with seeded data. Screenshots of each page land in
//! ci-artifacts/screenshots. Needs `npm ci --prefix tests/node` and /usr/bin/chromium (both done by
//! .ci/run, which sets PUNDIT_REQUIRE_BROWSER_TESTS so a missing browser fails instead of skipping).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};

use chrono::Utc;
use common::{seed, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_works_in_headless_chromium() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let installed = root.join("tests/node/node_modules/playwright-core").exists();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !(installed && Path::new(&chromium).exists()) {
        assert!(
            std::env::var("PUNDIT_REQUIRE_BROWSER_TESTS").is_err(),
            "chromium or tests/node/node_modules missing: apt-get install chromium; npm ci --prefix tests/node"
        );
        eprintln!("skipped: chromium or tests/node/node_modules missing");
        return;
    }
    let app = spawn_app().await;
    // Three seasons: the Models page's backtest replays the latest with the two before it.
    seed(
        &app,
        &[
            "premier-league/season-2122.csv",
            "premier-league/season-2223.csv",
            "premier-league/season-2324.csv",
        ],
    )
    .await;
    let admin = app.admin_token("boss").await;
    let (home, away) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
    let match_id = app
        .create_fixture(&admin, home, away, Utc::now() + chrono::Duration::days(2))
        .await;
    // A finished match with goals in both halves, for the replay.
    let finished = app
        .get_ok("/api/v1/matches?competition=premier-league&season=2023-24&status=finished&limit=100")
        .await;
    let replay_source = finished["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            let goals =
                |s: &serde_json::Value| s["home"].as_i64().unwrap_or(0) + s["away"].as_i64().unwrap_or(0);
            goals(&m["half_time_score"]) >= 1 && goals(&m["score"]) >= goals(&m["half_time_score"]) + 2
        })
        .expect("a match with goals in both halves")["id"]
        .as_i64()
        .unwrap();

    let output = tokio::process::Command::new("node")
        .arg(root.join("tests/node/dashboard.mjs"))
        .env("BASE", app.url(""))
        .env("ADMIN_TOKEN", &admin)
        .env("MATCH_ID", match_id.to_string())
        .env("REPLAY_SOURCE_ID", replay_source.to_string())
        .env("SHOTS", root.join("ci-artifacts/screenshots"))
        .env("CHROMIUM", &chromium)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}");
    // .ci/run prints the browser runner's summary line from here.
    let _ = std::fs::write(root.join("ci-artifacts/browser.log"), stdout.as_bytes());
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
