//! The optional remote model against a local fake of the seeds' ML service.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    http::StatusCode as AxumStatus,
    routing::{get, post},
};
use common::{TestApp, expect_error, expect_status, seed, spawn_app, spawn_with};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Healthy,
    Failing,
    Hanging,
}

/// A fake ML service on loopback; returns its base URL and a count of predict calls.
async fn fake_ml_service(mode: Mode) -> (String, Arc<AtomicU32>) {
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let predict = move |Json(body): Json<Value>| {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            match mode {
                Mode::Healthy => Ok(Json(json!({"match_id": body["match_id"], "prediction": {
                    "home_win": 0.5, "draw": 0.3, "away_win": 0.2}, "home_xg": 1.6, "away_xg": 0.9, "model_version": "xgb-7"}))),
                Mode::Failing => Err(AxumStatus::INTERNAL_SERVER_ERROR),
                Mode::Hanging => {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    Err(AxumStatus::GATEWAY_TIMEOUT)
                }
            }
        }
    };
    let app = Router::new()
        .route("/health", get(|| async { Json(json!({"status": "healthy"})) }))
        .route(
            "/models/info",
            get(|| async { Json(json!({"models": [{"name": "xgb", "version": 7}]})) }),
        )
        .route("/predictions/predict", post(predict));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, calls)
}

async fn with_remote(mode: Mode, timeout: Duration) -> (TestApp, Arc<AtomicU32>, i64) {
    let (url, calls) = fake_ml_service(mode).await;
    let app = spawn_with(|c| {
        c.ml_service_url = Some(url);
        c.ml_service_timeout = timeout;
    })
    .await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let page = expect_status(
        app.get("/api/v1/matches?limit=1").send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    let id = page["items"][0]["id"].as_i64().unwrap();
    (app, calls, id)
}

#[tokio::test]
async fn the_remote_model_answers_like_a_local_one() {
    let (app, _, id) = with_remote(Mode::Healthy, Duration::from_secs(2)).await;
    let f = expect_status(
        app.get(&format!("/api/v1/matches/{id}/forecast?model=remote"))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["model"], "remote");
    assert!((f["probabilities"]["home"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    // Markets come from its expected goals, reshaped to its 1X2.
    let (home_xg, away_xg) = (
        f["expected_goals"]["home"].as_f64().unwrap(),
        f["expected_goals"]["away"].as_f64().unwrap(),
    );
    assert!(
        (1.2..2.0).contains(&home_xg) && (0.6..1.2).contains(&away_xg),
        "{home_xg} {away_xg}"
    );
    assert_eq!(f["over_under"].as_array().unwrap().len(), 6);

    let batch = json!({"match_ids": [id, 999_999], "model": "remote"});
    let out = expect_status(
        app.post("/api/v1/predictions/ml/batch-predict")
            .json(&batch)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (out["succeeded"].as_u64(), out["failed"].as_u64()),
        (Some(1), Some(1))
    );

    let status = expect_status(
        app.get("/api/v1/predictions/ml/models/status")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["remote"]["status"], "ok");
    assert_eq!(status["remote"]["circuit"], "closed");
    assert_eq!(status["remote"]["models"]["models"][0]["name"], "xgb");
}

#[tokio::test]
async fn a_failing_service_opens_the_circuit_and_fails_fast() {
    let (app, calls, id) = with_remote(Mode::Failing, Duration::from_secs(2)).await;
    let path = format!("/api/v1/matches/{id}/forecast?model=remote");
    for _ in 0..3 {
        expect_error(
            app.get(&path).send().await.unwrap(),
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
        )
        .await;
    }
    let before = calls.load(Ordering::SeqCst);
    let started = Instant::now();
    let err = expect_error(
        app.get(&path).send().await.unwrap(),
        StatusCode::SERVICE_UNAVAILABLE,
        "service_unavailable",
    )
    .await;
    assert!(
        err["error"]["message"].as_str().unwrap().contains("circuit open"),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "no call made while open"
    );
    assert_eq!(calls.load(Ordering::SeqCst), before);
    // Local models are unaffected.
    expect_status(
        app.get(&format!("/api/v1/matches/{id}/forecast?model=elo"))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let status = expect_status(
        app.get("/api/v1/predictions/ml/models/status")
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(status["remote"]["circuit"], "open");
}

#[tokio::test]
async fn a_hanging_service_times_out() {
    let (app, _, id) = with_remote(Mode::Hanging, Duration::from_millis(500)).await;
    let started = Instant::now();
    let res = app
        .get(&format!("/api/v1/matches/{id}/forecast?model=remote"))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::SERVICE_UNAVAILABLE, "service_unavailable").await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn without_ml_service_url_remote_is_not_a_model() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let res = app
        .get("/api/v1/matches/1/forecast?model=remote")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}
