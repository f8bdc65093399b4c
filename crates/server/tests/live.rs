//! Live data against local fakes replaying recorded provider payloads; nothing touches the internet.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{Router, http::StatusCode as AxumStatus, routing};
use common::{TestApp, expect_error, expect_status, seed, socketio::SocketClient, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../data/tests/fixtures/live")
        .join(name);
    std::fs::read(path).unwrap()
}

/// ESPN, Open-Meteo and an RSS feed on loopback; `failing` makes every answer a 503.
async fn fake_providers() -> (String, Arc<AtomicBool>) {
    let failing = Arc::new(AtomicBool::new(false));
    let serve = |name: &'static str, failing: Arc<AtomicBool>| {
        move || {
            let failing = failing.clone();
            async move {
                if failing.load(Ordering::SeqCst) {
                    Err(AxumStatus::SERVICE_UNAVAILABLE)
                } else {
                    Ok(fixture(name))
                }
            }
        }
    };
    let app = Router::new()
        .route(
            "/espn/eng.1/scoreboard",
            routing::get(serve("espn_scoreboard_epl.json", failing.clone())),
        )
        .route(
            "/espn/eng.1/summary",
            routing::get(serve("espn_summary_live.json", failing.clone())),
        )
        .route(
            "/meteo/forecast",
            routing::get(serve("open_meteo_forecast.json", failing.clone())),
        )
        .route(
            "/news.xml",
            routing::get(serve("bbc_football_rss.xml", failing.clone())),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, failing)
}

async fn live_app() -> (TestApp, Arc<AtomicBool>, String) {
    let (base, failing) = fake_providers().await;
    let app = spawn_with(|c| {
        c.espn_base_url = format!("{base}/espn");
        c.open_meteo_base_url = format!("{base}/meteo");
        c.news_feeds = vec![format!("{base}/news.xml")];
        c.live_cache_ttl = Duration::ZERO;
        c.provider_timeout = Duration::from_secs(2);
    })
    .await;
    seed(
        &app,
        &["premier-league/season-2324.csv", "premier-league/season-2425.csv"],
    )
    .await;
    let admin = app.admin_token("boss").await;
    (app, failing, admin)
}

async fn poll(app: &TestApp, admin: &str) -> Value {
    let res = app
        .post("/api/v1/live/poll?league=eng.1&date=2025-08-16")
        .bearer_auth(admin)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await[0].clone()
}

fn find<'a>(matches: &'a Value, home: &str) -> &'a Value {
    matches["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["home_team"]["name"] == home)
        .unwrap()
}

#[tokio::test]
async fn scoreboard_polls_create_and_update_fixtures_and_serve_stale_data_when_the_provider_fails() {
    let (app, failing, admin) = live_app().await;
    let report = poll(&app, &admin).await;
    assert_eq!(
        (report["events"].as_u64(), report["matched"].as_u64()),
        (Some(5), Some(5)),
        "{report}"
    );
    assert_eq!(report["created"], 5);

    let day = app.get_ok("/api/v1/matches?from=2025-08-16&to=2025-08-16").await;
    assert_eq!(day["total"], 5);
    let arsenal = find(&day, "Arsenal");
    assert_eq!(
        (arsenal["status"].as_str(), arsenal["minute"].as_i64()),
        (Some("live"), Some(93))
    );
    assert_eq!(arsenal["score"], json!({"home": 2, "away": 1}));
    assert_eq!(find(&day, "Aston Villa")["status"], "finished");
    assert_eq!(find(&day, "Nott'm Forest")["status"], "scheduled");
    assert_eq!(find(&day, "Brighton")["status"], "postponed");

    let id = arsenal["id"].as_i64().unwrap();
    let live = app.get_ok(&format!("/api/v1/matches/{id}/live")).await;
    assert_eq!(
        (
            live["source"].as_str(),
            live["stale"].as_bool(),
            live["simulated"].as_bool()
        ),
        (Some("espn"), Some(false), Some(false))
    );
    assert!(live["red_cards"]["home"].as_i64().unwrap() + live["red_cards"]["away"].as_i64().unwrap() >= 1);
    assert!(!live["key_events"].as_array().unwrap().is_empty());
    assert!(
        live["lineups"]["home"]["starters"].as_array().unwrap().len() >= 11,
        "line-ups from the summary: {live}"
    );
    assert!(
        live["stats"]["home"]["shots"].as_u64().is_some(),
        "box score from the summary: {live}"
    );
    let forecast = app.get_ok(&format!("/api/v1/matches/{id}/forecast")).await;
    assert_eq!(forecast["kind"], "in_play");

    // The same scoreboard again changes nothing.
    assert_eq!(poll(&app, &admin).await["updated"], 0);

    // The provider goes down: the last good answer is used, marked stale; the circuit opens.
    failing.store(true, Ordering::SeqCst);
    let report = poll(&app, &admin).await;
    assert_eq!(report["stale"], true);
    for _ in 0..3 {
        poll(&app, &admin).await;
    }
    let providers = app.get_ok("/api/v1/live/providers").await;
    let espn = providers
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "espn")
        .unwrap();
    assert_eq!(espn["circuit"], "open", "{espn}");
    assert!(espn["last_error"].is_string());
    assert_eq!(
        app.get_ok(&format!("/api/v1/matches/{id}/live")).await["stale"],
        true
    );
}

#[tokio::test]
async fn weather_at_kickoff_and_team_news() {
    let (app, _, admin) = live_app().await;
    poll(&app, &admin).await;
    let day = app.get_ok("/api/v1/matches?from=2025-08-16&to=2025-08-16").await;
    let arsenal = find(&day, "Arsenal");
    let (match_id, team_id) = (
        arsenal["id"].as_i64().unwrap(),
        arsenal["home_team"]["id"].as_i64().unwrap(),
    );

    let res = app
        .get(&format!("/api/v1/matches/{match_id}/weather"))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "no_venue_coordinates").await;
    let venue = json!({"venue": "Emirates Stadium", "latitude": 51.555, "longitude": -0.108});
    let res = app
        .patch(&format!("/api/v1/teams/{team_id}"))
        .bearer_auth(&admin)
        .json(&venue)
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_status(res, StatusCode::OK).await["venue"],
        "Emirates Stadium"
    );
    let bad = json!({"latitude": 123.0});
    let res = app
        .patch(&format!("/api/v1/teams/{team_id}"))
        .bearer_auth(&admin)
        .json(&bad)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let weather = app.get_ok(&format!("/api/v1/matches/{match_id}/weather")).await;
    assert!(
        weather["report"]["summary"].as_str().unwrap().contains("°C"),
        "{weather}"
    );

    let news = app.get_ok(&format!("/api/v1/teams/{team_id}/news")).await;
    let items = news["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{news}");
    assert!(
        items
            .iter()
            .all(|i| i["teams"].as_array().unwrap().iter().any(|t| t == "Arsenal"))
    );
    let about_match = app.get_ok(&format!("/api/v1/matches/{match_id}/news")).await;
    assert!(about_match["items"].as_array().unwrap().len() >= items.len());
}

#[tokio::test]
async fn a_replay_plays_a_finished_match_live_with_in_play_forecasts() {
    let (app, _, admin) = live_app().await;
    let source = app
        .get_ok("/api/v1/matches?competition=premier-league&season=2024-25&sort=kickoff_desc&limit=1")
        .await;
    let source = &source["items"][0];
    let res = app
        .post("/api/v1/live/replays")
        .bearer_auth(&admin)
        .json(&json!({"match_id": 999_999}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let body = json!({"match_id": source["id"], "speed": 30});
    let started = expect_status(
        app.post("/api/v1/live/replays")
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap(),
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["simulated"], true);
    let id = started["match"]["id"].as_i64().unwrap();

    let mut socket = SocketClient::connected(app.addr, None).await;
    socket.emit_with_ack("join:match", json!({"match_id": id})).await;
    let prediction = socket.expect_event("prediction:update").await;
    assert_eq!(prediction["match_id"], id);
    let mut last = Value::Null;
    for _ in 0..400 {
        let update = socket.expect_event("match:update").await;
        if update["status"] == "finished" {
            last = update;
            break;
        }
    }
    assert_eq!(
        last["score"], source["score"],
        "the replay ends with the real result"
    );
    let live = app.get_ok(&format!("/api/v1/matches/{id}/live")).await;
    assert_eq!(
        (live["source"].as_str(), live["simulated"].as_bool()),
        (Some("replay"), Some(true))
    );
    // Replays never train the models: the next fit is the same version as before.
    let detail = app.get_ok(&format!("/api/v1/matches/{id}")).await;
    assert_eq!(detail["source"], "replay");
}

#[tokio::test]
async fn the_gateway_lists_dependencies_with_health_and_circuit_state() {
    let (app, failing, admin) = live_app().await;
    let services = app.get_ok("/api/v1/gateway/services").await;
    let names: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["espn", "open-meteo", "news"]);
    assert!(
        services.as_array().unwrap().iter().all(|s| s["health"] == "up"),
        "{services}"
    );

    poll(&app, &admin).await;
    failing.store(true, Ordering::SeqCst);
    for _ in 0..3 {
        poll(&app, &admin).await;
    }
    let ready = expect_status(app.get("/health/ready").send().await.unwrap(), StatusCode::OK).await;
    assert_eq!(
        ready["status"], "ready",
        "external dependencies never make the instance unready"
    );
    let services = pundit_server::gateway::check_all(&app.state).await;
    let espn = services.iter().find(|s| s.name == "espn").unwrap();
    assert_eq!(espn.circuit, Some(pundit_server::outbound::BreakerState::Open));
}
