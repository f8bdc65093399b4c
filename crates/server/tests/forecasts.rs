#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::Duration;

use chrono::Utc;
use common::{TestApp, expect_error, expect_status, seed, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PL: [&str; 3] = [
    "premier-league/season-2122.csv",
    "premier-league/season-2223.csv",
    "premier-league/season-2324.csv",
];

async fn last_match(app: &TestApp) -> Value {
    app.get_ok("/api/v1/matches?competition=premier-league&sort=kickoff_desc&limit=1")
        .await["items"][0]
        .clone()
}

fn assert_distribution(p: &Value) {
    let sum = p["home"].as_f64().unwrap() + p["draw"].as_f64().unwrap() + p["away"].as_f64().unwrap();
    assert!((sum - 1.0).abs() < 1e-9, "{p}");
}

/// Creates a fixture between two teams `days` from now and returns its id.
async fn fixture(app: &TestApp, admin: &str, home: &str, away: &str, days: i64) -> i64 {
    let kickoff = Utc::now() + chrono::Duration::days(days);
    app.create_fixture(admin, app.team_id(home).await, app.team_id(away).await, kickoff)
        .await
}

#[tokio::test]
async fn a_past_match_gets_every_market_from_data_before_its_day() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let m = last_match(&app).await;
    let res = app
        .get(&format!("/api/v1/matches/{}/forecast", m["id"]))
        .send()
        .await
        .unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let f = expect_status(res, StatusCode::OK).await;
    assert_eq!(
        (f["model"].as_str(), f["kind"].as_str()),
        (Some("best"), Some("pre_match"))
    );
    assert_eq!(f["as_of"], "2024-05-19", "fitted on matches before the match day");
    assert!(f["version"].is_null(), "past-date fits are not versions");
    assert_distribution(&f["probabilities"]);
    for side in ["home", "draw", "away"] {
        let (lower, upper) = (
            f["intervals"][side]["lower"].as_f64().unwrap(),
            f["intervals"][side]["upper"].as_f64().unwrap(),
        );
        let p = f["probabilities"][side].as_f64().unwrap();
        assert!(lower <= p && p <= upper, "{side}: {lower} <= {p} <= {upper}");
    }
    assert!(f["expected_goals"]["home"].as_f64().unwrap() > 0.2);
    assert_eq!(f["top_scores"].as_array().unwrap().len(), 10);
    let lines: Vec<f64> = f["over_under"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["line"].as_f64().unwrap())
        .collect();
    assert_eq!(lines, [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]);
    assert!(f["both_teams_to_score"]["yes"].as_f64().unwrap() > 0.0);
    assert_eq!(f["asian_handicap"].as_array().unwrap().len(), 21);
    assert_eq!(f["score_grid"]["probabilities"].as_array().unwrap().len(), 11);
    assert!(f["evaluation"]["rps"].as_f64().unwrap() < 1.0);

    // Conditional GET: the same forecast answers 304.
    let again = app
        .get(&format!("/api/v1/matches/{}/forecast", m["id"]))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    // Every model in the catalogue answers; Elo has no score markets.
    for model in ["poisson", "dixon-coles", "dixon-coles-shots", "elo"] {
        let f = app
            .get_ok(&format!("/api/v1/matches/{}/forecast?model={model}", m["id"]))
            .await;
        assert_distribution(&f["probabilities"]);
        assert_eq!(f["expected_goals"].is_null(), model == "elo", "{model}");
    }
    let res = app
        .get(&format!(
            "/api/v1/matches/{}/forecast?model=crystal-ball",
            m["id"]
        ))
        .send()
        .await
        .unwrap();
    let err = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert!(
        err["error"]["details"]["fields"]["model"][0]["message"]
            .as_str()
            .unwrap()
            .contains("dixon-coles")
    );
    expect_error(
        app.get("/api/v1/matches/999999/forecast").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn too_little_history_is_a_clear_422() {
    let app = spawn_app().await;
    seed(&app, &["la-liga/season-2324.csv"]).await;
    let m = app
        .get_ok("/api/v1/matches?competition=la-liga&sort=kickoff_asc&limit=1")
        .await["items"][0]
        .clone();
    let res = app
        .get(&format!("/api/v1/matches/{}/forecast?model=dixon-coles", m["id"]))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "insufficient_data").await;
}

#[tokio::test]
async fn upcoming_forecasts_are_versioned_stored_and_scored() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let admin = app.admin_token("boss").await;
    let first = fixture(&app, &admin, "Arsenal", "Chelsea", 1).await;
    let f = app.get_ok(&format!("/api/v1/matches/{first}/forecast")).await;
    assert_eq!(f["version"]["version"], 1);
    assert_eq!(f["version"]["trained_through"], "2024-05-19");
    assert_distribution(&f["probabilities"]);
    app.get_ok(&format!("/api/v1/matches/{first}/forecast")).await;
    let history = app
        .get_ok(&format!("/api/v1/matches/{first}/forecast/history"))
        .await;
    assert_eq!(
        history.as_array().unwrap().len(),
        1,
        "served once per version: {history}"
    );

    // The result arrives: the forecast is scored, and the next fit is a new version.
    let finish = json!({"status": "finished", "score": {"home": 2, "away": 0}});
    let res = app
        .patch(&format!("/api/v1/matches/{first}"))
        .bearer_auth(&admin)
        .json(&finish)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    let accuracy = app
        .get_ok("/api/v1/predictions/ml/accuracy?competition=premier-league")
        .await;
    assert_eq!(accuracy.as_array().unwrap().len(), 1, "{accuracy}");
    assert_eq!(accuracy[0]["matches"], 1);
    assert_eq!(accuracy[0]["model"], "best");
    assert!(accuracy[0]["rps"].as_f64().unwrap() < 0.5);

    let second = fixture(&app, &admin, "Chelsea", "Arsenal", 3).await;
    let f = app.get_ok(&format!("/api/v1/matches/{second}/forecast")).await;
    assert_eq!(
        f["version"]["version"], 2,
        "refitted on the new result: {}",
        f["version"]
    );

    let versions = app.get_ok("/api/v1/predictions/ml/models?model=best").await;
    assert_eq!(versions.as_array().unwrap().len(), 2);
    let status = app.get_ok("/api/v1/predictions/ml/models/status").await;
    assert_eq!(status["models"].as_array().unwrap().len(), 5);
    assert!(
        status["competitions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["model"] == "best" && c["latest_version"] == 2)
    );

    // In play: 2-0 up in the 80th minute is nearly won.
    let live = json!({"status": "live", "minute": 80, "score": {"home": 2, "away": 0}});
    let res = app
        .patch(&format!("/api/v1/matches/{second}"))
        .bearer_auth(&admin)
        .json(&live)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    let f = app.get_ok(&format!("/api/v1/matches/{second}/forecast")).await;
    assert_eq!(f["kind"], "in_play");
    assert!(
        f["probabilities"]["home"].as_f64().unwrap() > 0.9,
        "{}",
        f["probabilities"]
    );
}

#[tokio::test]
async fn batch_predict_reports_failures_per_item() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let m = last_match(&app).await;
    let body = json!({"match_ids": [m["id"], 999_999], "model": "dixon-coles"});
    let out = expect_status(
        app.post("/api/v1/predictions/ml/batch-predict")
            .json(&body)
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
    assert_distribution(&out["results"][0]["forecast"]["probabilities"]);
    assert_eq!(out["results"][1]["error"]["code"], "not_found");
    let single = json!({"match_id": m["id"]});
    let f = expect_status(
        app.post("/api/v1/predictions/ml/predict")
            .json(&single)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(f["match_id"], m["id"]);

    let too_many: Vec<i64> = (0..101).collect();
    let res = app
        .post("/api/v1/predictions/ml/batch-predict")
        .json(&json!({"match_ids": too_many}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn value_bets_price_edges_stakes_and_risk() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let m = last_match(&app).await;
    let path = format!("/api/v1/matches/{}/value-bets", m["id"]);
    let offer = json!({"odds": {"home": 2.1, "draw": 3.6, "away": 3.9}, "bankroll": 1000});
    let out = expect_status(app.post(&path).json(&offer).send().await.unwrap(), StatusCode::OK).await;
    let lines = out["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    let market: f64 = lines
        .iter()
        .map(|l| l["market_probability"].as_f64().unwrap())
        .sum();
    assert!((market - 1.0).abs() < 1e-9);
    assert!(out["overround"].as_f64().unwrap() > 0.0);
    for line in lines {
        let (edge, stake) = (line["edge"].as_f64().unwrap(), line["stake"].as_f64().unwrap());
        assert_eq!(line["is_value"].as_bool().unwrap(), edge > 0.0);
        assert!((0.0..=50.0).contains(&stake), "capped at 5% of 1000: {line}");
        if edge <= 0.0 {
            assert_eq!(stake, 0.0);
        }
        assert!(["low", "medium", "high"].contains(&line["risk"].as_str().unwrap()));
    }
    assert!(out["responsible_gambling"].as_str().unwrap().contains("afford"));

    let bad = json!({"odds": {"home": 1.0, "draw": 3.6, "away": 3.9}});
    expect_error(
        app.post(&path).json(&bad).send().await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let none = json!({});
    expect_error(
        app.post(&path).json(&none).send().await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let kelly = json!({"odds": {"home": 2.1, "draw": 3.6, "away": 3.9}, "kelly_fraction": 2});
    expect_error(
        app.post(&path).json(&kelly).send().await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn training_runs_are_jobs_with_progress_and_backtest_metrics() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let user = app.token_for("fan").await;
    let admin = app.admin_token("boss").await;
    let body = json!({"competition": "premier-league", "model": "dixon-coles"});
    let res = app
        .post("/api/v1/predictions/ml/models/train")
        .bearer_auth(&user)
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let accepted = expect_status(
        app.post("/api/v1/predictions/ml/models/train")
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap(),
        StatusCode::ACCEPTED,
    )
    .await;
    let url = accepted["status_url"].as_str().unwrap().to_string();
    let mut job = Value::Null;
    for _ in 0..600 {
        job = expect_status(
            app.get(&url).bearer_auth(&admin).send().await.unwrap(),
            StatusCode::OK,
        )
        .await;
        if job["status"] == "completed" || job["status"] == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["progress"], 1.0);
    let trained = &job["result"]["competitions"][0];
    assert_eq!(trained["competition"], "premier-league");
    let backtest = &trained["backtest"];
    assert!(backtest["rps"].as_f64().unwrap() < 0.25, "{trained}");
    // These seasons carry no prices, so there is nothing to compare with.
    assert!(backtest["bookmaker"].is_null(), "{backtest}");
    let versions = app
        .get_ok("/api/v1/predictions/ml/models?competition=premier-league&model=dixon-coles")
        .await;
    assert!(
        versions[0]["metrics"]["matches"].as_u64().unwrap() >= 300,
        "{versions}"
    );
    // Someone else's job is not visible.
    let res = app.get(&url).bearer_auth(&user).send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

/// Runs a training job for the Premier League as `admin` and returns the job's result.
async fn train_premier_league(app: &TestApp, admin: &str, model: &str) -> Value {
    let body = json!({"competition": "premier-league", "model": model});
    let res = app
        .post("/api/v1/predictions/ml/models/train")
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    let url = expect_status(res, StatusCode::ACCEPTED).await["status_url"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..600 {
        let job = expect_status(
            app.get(&url).bearer_auth(admin).send().await.unwrap(),
            StatusCode::OK,
        )
        .await;
        if job["status"] == "completed" {
            return job["result"].clone();
        }
        assert_ne!(job["status"], "failed", "{job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("training did not finish in 60 s");
}

#[tokio::test]
async fn training_backtests_compare_with_bookmakers_month_by_month() {
    let app = spawn_app().await;
    // football-data.co.uk's own files, with real bookmaker prices.
    seed(
        &app,
        &[
            "premier-league/season-1011.csv",
            "premier-league/season-1112.csv",
            "premier-league/season-1213.csv",
        ],
    )
    .await;
    let admin = app.admin_token("boss").await;
    let result = train_premier_league(&app, &admin, "dixon-coles").await;
    let backtest = &result["competitions"][0]["backtest"];
    assert_eq!(backtest["matches"], 380, "{backtest}");
    // The margin-free market is sharper than the model on the same matches, as in the literature.
    let books = backtest["bookmaker"]["rps"].as_f64().unwrap();
    let model = backtest["bookmaker"]["model_rps_same_matches"].as_f64().unwrap();
    assert!(books > 0.15 && books < model && model < 0.23, "{backtest}");
    // RPS month by month (August to May) and calibration bins for the dashboard's plots.
    let monthly = backtest["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), 10, "{monthly:?}");
    let per_month: u64 = monthly.iter().map(|m| m["matches"].as_u64().unwrap()).sum();
    assert_eq!(per_month, 380);
    assert!(monthly.iter().all(|m| m["bookmaker_rps"].as_f64().is_some()));
    let bins = backtest["calibration"].as_array().unwrap();
    let forecasts: u64 = bins.iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(forecasts, 3 * 380, "one forecast per outcome per match");
    for bin in bins {
        let (p, o) = (
            bin["predicted"].as_f64().unwrap(),
            bin["observed"].as_f64().unwrap(),
        );
        assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&o), "{bin}");
    }
}

#[tokio::test]
async fn season_simulation_gives_position_probabilities() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let sim = app
        .get_ok("/api/v1/competitions/premier-league/simulation?season=2023-24&as_of=2024-03-01&runs=2000")
        .await;
    assert_eq!(sim["season"], "2023-24");
    assert!(sim["remaining_fixtures"].as_u64().unwrap() > 50);
    let teams = sim["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 20);
    let title: f64 = teams.iter().map(|t| t["title"].as_f64().unwrap()).sum();
    assert!((title - 1.0).abs() < 1e-9);
    for t in teams {
        let total: f64 = t["positions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "{t}");
    }
    let contenders: Vec<&str> = teams[..3].iter().map(|t| t["team"].as_str().unwrap()).collect();
    assert!(
        contenders.contains(&"Man City") && contenders.contains(&"Arsenal"),
        "{contenders:?}"
    );
    let relegated: f64 = teams.iter().map(|t| t["relegation"].as_f64().unwrap()).sum();
    assert!((relegated - 3.0).abs() < 1e-9);

    let res = app
        .get("/api/v1/competitions/premier-league/simulation?runs=5")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}
