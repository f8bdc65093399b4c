//! Match insights against a local fake Ollama speaking its streaming chat protocol: an LLM answer
//! is stored and reused; a dead, stalled or erroring LLM gives the deterministic insight instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    body::Body,
    response::Response,
    routing::{get, post},
};
use chrono::Utc;
use common::{TestApp, expect_error, expect_status, seed, spawn_with};
use futures_util::StreamExt;
use pundit_server::config::Config;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// A normal answer in several pieces with small pauses.
    Stream,
    /// One piece, then silence far beyond the timeout.
    Stall,
    /// A piece, then an `{"error": ...}` line.
    ErrorLine,
    /// Far more pieces than the token cap allows.
    Endless,
}

const PIECES: [&str; 5] = [
    "Arsenal ",
    "start as clear ",
    "favourites at home. ",
    "Burnley's recent form ",
    "gives little reason to expect an upset.",
];

fn piece(content: &str) -> String {
    format!(
        "{}\n",
        json!({"model": "gemma3:4b", "created_at": "2026-11-22T03:00:00Z",
            "message": {"role": "assistant", "content": content}, "done": false})
    )
}

fn done() -> String {
    format!(
        "{}\n",
        json!({"model": "gemma3:4b", "done": true, "done_reason": "stop", "eval_count": PIECES.len()})
    )
}

struct FakeOllama {
    url: String,
    calls: Arc<AtomicU32>,
    requests: Arc<Mutex<Vec<Value>>>,
}

/// A fake Ollama on loopback: `/api/chat` records the request and streams NDJSON by `mode`.
async fn fake_ollama(mode: Mode) -> FakeOllama {
    let calls = Arc::new(AtomicU32::new(0));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (counter, seen) = (calls.clone(), requests.clone());
    let chat = move |Json(body): Json<Value>| {
        let (counter, seen) = (counter.clone(), seen.clone());
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            seen.lock().unwrap().push(body);
            let lines: Vec<(u64, String)> = match mode {
                Mode::Stream => PIECES
                    .iter()
                    .map(|p| (30, piece(p)))
                    .chain([(10, done())])
                    .collect(),
                Mode::Stall => vec![(0, piece("Arsenal ")), (30_000, done())],
                Mode::ErrorLine => vec![
                    (0, piece("Arsenal ")),
                    (
                        10,
                        format!("{}\n", json!({"error": "model runner has unexpectedly stopped"})),
                    ),
                ],
                Mode::Endless => (0..50).map(|_| (5, piece("Goals. "))).collect(),
            };
            let stream = futures_util::stream::iter(lines).then(|(pause, line)| async move {
                tokio::time::sleep(Duration::from_millis(pause)).await;
                Ok::<_, std::convert::Infallible>(line)
            });
            Response::builder()
                .header("content-type", "application/x-ndjson")
                .body(Body::from_stream(stream))
                .unwrap()
        }
    };
    let app = Router::new().route("/api/chat", post(chat)).route(
        "/api/tags",
        get(|| async { Json(json!({"models": [{"name": "gemma3:4b"}]})) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    FakeOllama { url, calls, requests }
}

/// A URL where nothing listens.
async fn closed_port() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// An app with three Premier League seasons and an upcoming Arsenal v Burnley, configured by
/// `tweak`; returns the app, an admin token and the fixture's id.
async fn app_with_fixture(tweak: impl FnOnce(&mut Config)) -> (TestApp, String, i64) {
    let app = spawn_with(tweak).await;
    // Three seasons: the best model's draw component needs a warmed-up rating history.
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
    let (home, away) = (app.team_id("Arsenal").await, app.team_id("Burnley").await);
    let id = app
        .create_fixture(&admin, home, away, Utc::now() + chrono::Duration::days(3))
        .await;
    (app, admin, id)
}

/// An app whose LLM is at `url`, with this timeout and token cap.
async fn app_with_llm(url: String, timeout: Duration, max_tokens: u32) -> (TestApp, String, i64) {
    app_with_fixture(|c| {
        c.ollama_url = Some(url);
        c.ollama_timeout = timeout;
        c.insight_max_tokens = max_tokens;
    })
    .await
}

async fn insights(app: &TestApp, id: i64) -> Value {
    app.get_ok(&format!("/api/v1/matches/{id}/insights")).await
}

fn only(page: &Value) -> &Value {
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{page}");
    &items[0]
}

fn assert_deterministic(insight: &Value, reason: &str) {
    assert_eq!(insight["source"], "deterministic", "{insight}");
    assert_eq!(insight["model"], Value::Null);
    assert_eq!(insight["kind"], "match_preview");
    let title = insight["title"].as_str().unwrap();
    assert!(title.contains("Arsenal favoured"), "names the favourite: {title}");
    let content = insight["content"].as_str().unwrap();
    assert!(
        content.contains("makes Arsenal favourites"),
        "names the favourite: {content}"
    );
    let fallback = insight["facts"]["fallback_reason"].as_str().unwrap();
    assert!(
        fallback.contains(reason),
        "{fallback:?} should mention {reason:?}"
    );
    assert!(insight["facts"]["forecast"]["home"].as_f64().unwrap() > 0.5);
}

#[tokio::test]
async fn a_streamed_llm_answer_is_stored_broadcast_and_reused() {
    let fake = fake_ollama(Mode::Stream).await;
    let (app, admin, id) = app_with_llm(fake.url.clone(), Duration::from_secs(10), 120).await;
    let mut events = app.state.bus.subscribe();

    let page = insights(&app, id).await;
    let first = only(&page).clone();
    assert_eq!(first["source"], "llm", "{first}");
    assert_eq!(first["model"], "gemma3:4b");
    assert_eq!(first["content"], PIECES.concat());
    assert_eq!(first["match_id"], id);
    assert_eq!(first["kind"], "match_preview");
    assert!(first["title"].as_str().unwrap().starts_with("Arsenal v Burnley"));
    let confidence = first["confidence"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&confidence));
    assert!(first["facts"]["fallback_reason"].is_null());
    assert!(first["facts"]["home_form"]["results"].as_str().unwrap().len() == 5);

    // What Ollama was asked: the configured model, streamed, capped, with the facts.
    let request = fake.requests.lock().unwrap()[0].clone();
    assert_eq!(request["model"], "gemma3:4b");
    assert_eq!(request["stream"], true);
    assert_eq!(request["options"]["num_predict"], 120);
    assert_eq!(request["messages"][0]["role"], "system");
    assert_eq!(request["messages"][1]["role"], "user");
    let user = request["messages"][1]["content"].as_str().unwrap();
    assert!(user.contains("Arsenal") && user.contains("Burnley") && user.contains("forecast"));

    // Published to the match's room.
    let event = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let e = events.recv().await.unwrap();
            if e.name == "insight:new" {
                return e;
            }
        }
    })
    .await
    .expect("insight:new on the bus");
    assert_eq!(event.topic, format!("match:{id}"));
    assert_eq!(event.data["id"], first["id"]);

    // Stored: the next view reads it back without asking the LLM again.
    let again = insights(&app, id).await;
    assert_eq!(only(&again)["id"], first["id"]);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 1);

    // Only admins force a fresh one.
    let path = format!("/api/v1/matches/{id}/insights");
    let res = app.post(&path).send().await.unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let ann = app.token_for("ann").await;
    let res = app.post(&path).bearer_auth(&ann).send().await.unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.post(&path).bearer_auth(&admin).send().await.unwrap();
    let fresh = expect_status(res, StatusCode::CREATED).await;
    assert_eq!(fresh["source"], "llm");
    assert_ne!(fresh["id"], first["id"]);
    assert_eq!(fake.calls.load(Ordering::SeqCst), 2);

    // Newest first, with a cursor for older ones.
    let page = app.get_ok(&format!("{path}?limit=1")).await;
    assert_eq!(only(&page)["id"], fresh["id"]);
    let older = app
        .get_ok(&format!(
            "{path}?limit=1&before={}",
            page["next_cursor"].as_str().unwrap()
        ))
        .await;
    assert_eq!(only(&older)["id"], first["id"]);
    let none = app.get_ok(&format!("{path}?kind=live")).await;
    assert_eq!(none["items"], json!([]));
}

#[tokio::test]
async fn with_ollama_down_the_deterministic_insight_appears() {
    let (app, admin, id) = app_with_llm(closed_port().await, Duration::from_secs(5), 300).await;
    let page = insights(&app, id).await;
    assert_deterministic(only(&page), "cannot reach Ollama");

    // After three failures the breaker opens: Ollama is not asked again for a while.
    let path = format!("/api/v1/matches/{id}/insights");
    let mut last = Value::Null;
    for _ in 0..3 {
        let res = app.post(&path).bearer_auth(&admin).send().await.unwrap();
        last = expect_status(res, StatusCode::CREATED).await;
        assert_eq!(last["source"], "deterministic");
    }
    let reason = last["facts"]["fallback_reason"].as_str().unwrap();
    assert!(reason.contains("circuit open"), "{reason}");

    // The gateway registry reports the dead LLM.
    let services = app.get_ok("/api/v1/gateway/services").await;
    let ollama = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "ollama")
        .unwrap();
    assert_eq!(ollama["kind"], "llm");
    assert_eq!(ollama["health"], "down");
    assert_eq!(ollama["circuit"], "open");
}

#[tokio::test]
async fn a_stalled_llm_gives_way_after_the_timeout() {
    let fake = fake_ollama(Mode::Stall).await;
    let (app, _, id) = app_with_llm(fake.url.clone(), Duration::from_secs(1), 300).await;
    let started = Instant::now();
    let page = insights(&app, id).await;
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_deterministic(only(&page), "longer than");
    assert_eq!(fake.calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_error_in_the_stream_gives_the_deterministic_insight() {
    let fake = fake_ollama(Mode::ErrorLine).await;
    let (app, _, id) = app_with_llm(fake.url.clone(), Duration::from_secs(5), 300).await;
    let page = insights(&app, id).await;
    assert_deterministic(only(&page), "model runner has unexpectedly stopped");
}

#[tokio::test]
async fn the_token_cap_stops_a_runaway_answer() {
    let fake = fake_ollama(Mode::Endless).await;
    let (app, _, id) = app_with_llm(fake.url.clone(), Duration::from_secs(5), 3).await;
    let page = insights(&app, id).await;
    let insight = only(&page);
    assert_eq!(insight["source"], "llm");
    assert_eq!(insight["content"], "Goals. Goals. Goals.");
}

#[tokio::test]
async fn without_an_llm_insights_are_deterministic_and_errors_are_json() {
    let feed = news_feed().await;
    let (app, admin, id) = app_with_fixture(|c| c.news_feeds = vec![feed]).await;
    let page = insights(&app, id).await;
    assert_deterministic(only(&page), "no LLM configured");
    assert_eq!(
        page["items"][0]["facts"]["news"],
        json!([]),
        "feeds are never fetched for insights"
    );

    let res = app.get("/api/v1/matches/999999/insights").send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .post("/api/v1/matches/999999/insights")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .get(&format!("/api/v1/matches/{id}/insights?limit=0"))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .get(&format!("/api/v1/matches/{id}/insights?before=nope"))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;

    // Agents store their own insights through the store.
    let stored = pundit_server::insights::store::create(
        &app.state.db,
        pundit_server::insights::store::NewInsight {
            agent_id: Some(uuid::Uuid::new_v4()),
            match_id: Some(i32::try_from(id).unwrap()),
            kind: "value_watch".into(),
            title: "Prices drifting".into(),
            content: "The home price drifted.".into(),
            confidence: 1.7,
            source: "agent".into(),
            model: None,
            facts: None,
        },
    )
    .await
    .unwrap();
    assert!((stored.confidence - 1.0).abs() < 1e-12, "clamped to 1");
    let page = app
        .get_ok(&format!("/api/v1/matches/{id}/insights?kind=value_watch"))
        .await;
    assert_eq!(only(&page)["source"], "agent");
    let all = insights(&app, id).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert_eq!(all["items"][0]["kind"], "value_watch", "newest first");

    // Headlines the news endpoint already fetched are used; a fresh insight mentions them.
    let news = app.get_ok(&format!("/api/v1/matches/{id}/news")).await;
    let headline = news["items"][0]["title"].as_str().unwrap().to_string();
    let res = app
        .post(&format!("/api/v1/matches/{id}/insights"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let fresh = expect_status(res, StatusCode::CREATED).await;
    assert_eq!(fresh["facts"]["news"][0], headline.as_str());
    assert!(fresh["content"].as_str().unwrap().contains("In the news:"));

    // Once the match kicks off, the next view writes a live insight.
    app.patch_match(
        &admin,
        id,
        json!({"status": "live", "minute": 30, "score": {"home": 1, "away": 0}}),
    )
    .await;
    let page = insights(&app, id).await;
    let live = &page["items"][0];
    assert_eq!(live["kind"], "live", "{page}");
    assert_eq!(live["title"], "Arsenal 1-0 Burnley, 30': live analysis");
    assert!(
        live["content"]
            .as_str()
            .unwrap()
            .starts_with("Live at 30': Arsenal lead 1-0.")
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 4);
}

/// An RSS feed on loopback (the live tests' BBC sample, which mentions Arsenal).
async fn news_feed() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../data/tests/fixtures/live/bbc_football_rss.xml");
    let body = std::fs::read(path).unwrap();
    let app = Router::new().route("/news.xml", get(move || async move { body.clone() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/news.xml", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}
