#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::path::{Path, PathBuf};

use chrono::Utc;
use common::{TestApp, expect_error, expect_status, num, seed, spawn_app, spawn_with};
use pundit_model::ModelName;
use reqwest::StatusCode;
use serde_json::{Value, json};

// Three seasons: the training run's backtest of the latest one needs an earlier season to learn from.
const LA_LIGA_TRAINING: [&str; 3] = [
    "la-liga/season-1920.csv",
    "la-liga/season-2021.csv",
    "la-liga/season-2122.csv",
];
const LA_LIGA_REPLAY: &str = "la-liga/season-2223.csv";

fn demo(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo/leagues")
        .join(file)
}

/// Imports CSV files through the same code as `pundit import`.
async fn import(app: &TestApp, paths: &[PathBuf]) {
    let loaded = pundit_server::matches::sources::load(paths, |_| {});
    assert!(
        loaded.failed_files.is_empty() && loaded.rejected.is_empty(),
        "{:?} {:?}",
        loaded.failed_files,
        loaded.rejected.len()
    );
    pundit_server::matches::import::import(&app.state.db, &loaded.rows, &|_| {})
        .await
        .unwrap();
}

/// A copy of a demo season with `extra` goals added to every home score (results follow),
/// in a folder named like the league so it imports into the same competition.
fn shifted_copy(dir: &Path, file: &str, extra: u32) -> PathBuf {
    let text = std::fs::read_to_string(demo(file)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (hg, ag, res) = (col("FTHG"), col("FTAG"), col("FTR"));
    let mut out = vec![header.join(",")];
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let mut fields: Vec<String> = line.split(',').map(String::from).collect();
        let home: u32 = fields[hg].parse::<u32>().unwrap() + extra;
        let away: u32 = fields[ag].parse().unwrap();
        fields[hg] = home.to_string();
        fields[res] = match home.cmp(&away) {
            std::cmp::Ordering::Greater => "H",
            std::cmp::Ordering::Equal => "D",
            std::cmp::Ordering::Less => "A",
        }
        .to_string();
        out.push(fields.join(","));
    }
    let path = dir.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
    path
}

/// Mean goals per match of CSV files (every row has a score).
fn goals_per_match(paths: &[PathBuf]) -> f64 {
    let (mut goals, mut n) = (0.0, 0.0);
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let f: Vec<&str> = line.split(',').collect();
            goals += f[col("FTHG")].parse::<f64>().unwrap() + f[col("FTAG")].parse::<f64>().unwrap();
            n += 1.0;
        }
    }
    goals / n
}

/// Trains `model` for a competition with a walk-forward backtest (what `POST .../train` runs)
/// and returns the version id.
async fn train(app: &TestApp, slug: &str, model: ModelName) -> i64 {
    let competition = pundit_server::matches::store::competition(&app.state.db, slug)
        .await
        .unwrap()
        .unwrap();
    let trained = pundit_server::forecasts::train::train(&app.state, &[competition], model, &|_, _| {}).await;
    assert!(trained[0].error.is_none(), "{:?}", trained[0].error);
    assert!(trained[0].backtest.is_some(), "backtest metrics attached");
    let versions = app
        .get_ok(&format!(
            "/api/v1/monitoring/versions?competition={slug}&model={model}"
        ))
        .await;
    versions["items"][0]["id"].as_i64().unwrap()
}

async fn promote(app: &TestApp, admin: &str, version: i64, reason: &str) -> Value {
    let res = app
        .post(&format!("/api/v1/monitoring/versions/{version}/promote"))
        .bearer_auth(admin)
        .json(&json!({ "reason": reason }))
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await
}

async fn rollback(app: &TestApp, admin: &str, competition: &str) -> reqwest::Response {
    app.post(&format!("/api/v1/monitoring/competitions/{competition}/rollback"))
        .bearer_auth(admin)
        .send()
        .await
        .unwrap()
}

async fn drift_check(app: &TestApp, admin: &str, competition: &str) -> Vec<Value> {
    let res = app
        .post("/api/v1/monitoring/drift/check")
        .bearer_auth(admin)
        .json(&json!({ "competition": competition }))
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK)
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn assert_close3(a: [f64; 3], b: [f64; 3]) {
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
    }
}

fn probabilities(f: &Value) -> [f64; 3] {
    ["home", "draw", "away"].map(|k| num(&f["probabilities"][k]))
}

#[tokio::test]
async fn promoted_versions_serve_default_forecasts_and_roll_back() {
    let app = spawn_app().await;
    seed(
        &app,
        &["premier-league/season-2122.csv", "premier-league/season-2223.csv"],
    )
    .await;
    let admin = app.admin_token("boss").await;
    let fan = app.token_for("fan").await;
    let kickoff = Utc::now() + chrono::Duration::days(2);
    let fixture = app
        .create_fixture(
            &admin,
            app.team_id("Arsenal").await,
            app.team_id("Chelsea").await,
            kickoff,
        )
        .await;
    let path = format!("/api/v1/matches/{fixture}/forecast");

    // Nothing promoted: the default model's current fit serves, and says so.
    let default = app.get_ok(&path).await;
    assert_eq!(default["model"], "best");
    assert_eq!(default["serving"]["source"], "default");
    assert_eq!(default["version"]["trained_through"], "2023-05-28");
    let best_v1 = default["version"]["id"].as_i64().unwrap();
    assert_eq!(default["serving"]["model_version_id"], best_v1);
    let elo = app.get_ok(&format!("{path}?model=elo")).await;
    assert!(elo.get("serving").is_none(), "explicit models are not `serving`");
    let elo_v1 = elo["version"]["id"].as_i64().unwrap();

    let versions = app
        .get_ok("/api/v1/monitoring/versions?competition=premier-league&limit=1")
        .await;
    assert_eq!(
        (versions["total"].as_u64(), versions["limit"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(versions["items"].as_array().unwrap().len(), 1);
    assert_eq!(versions["items"][0]["serving"], false);

    // Only admins promote.
    let res = app
        .post(&format!("/api/v1/monitoring/versions/{elo_v1}/promote"))
        .bearer_auth(&fan)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let serving = promote(&app, &admin, elo_v1, "try elo").await;
    assert_eq!(serving["source"], "promoted");
    assert_eq!(serving["version"]["id"], elo_v1);
    assert_eq!(serving["promotion"]["reason"], "try elo");

    let served = app.get_ok(&path).await;
    assert_eq!(served["model"], "elo");
    assert_eq!(served["version"]["id"], elo_v1);
    assert_eq!(served["serving"]["source"], "promoted");
    assert_close3(probabilities(&served), probabilities(&elo));
    // The match list's batch request serves the same version.
    let res = app
        .post("/api/v1/predictions/ml/batch-predict")
        .json(&json!({ "match_ids": [fixture] }))
        .send()
        .await
        .unwrap();
    let batch = expect_status(res, StatusCode::OK).await;
    assert_eq!(batch["model"], "serving");
    assert_eq!(batch["results"][0]["forecast"]["version"]["id"], elo_v1);
    // A past match is forecast by the promoted model fitted before its day (no version).
    let past = app
        .get_ok("/api/v1/matches?competition=premier-league&status=finished&sort=kickoff_desc&limit=1")
        .await["items"][0]["id"]
        .clone();
    let past = app.get_ok(&format!("/api/v1/matches/{past}/forecast")).await;
    assert_eq!(
        (past["model"].as_str(), past["as_of"].as_str()),
        (Some("elo"), Some("2023-05-28"))
    );
    assert!(
        past["version"].is_null() && past["serving"]["model_version_id"].is_null(),
        "{}",
        past["serving"]
    );
    assert_eq!(past["serving"]["source"], "promoted");
    // A single promotion has nothing before it.
    expect_error(
        rollback(&app, &admin, "premier-league").await,
        StatusCode::CONFLICT,
        "nothing_to_roll_back",
    )
    .await;

    // New results make a new current fit; the promoted best v1 still serves frozen, reproducing
    // exactly what it forecast before.
    seed(&app, &["premier-league/season-2324.csv"]).await;
    app.state.forecasts.invalidate_all();
    let best_now = app.get_ok(&format!("{path}?model=best")).await;
    assert_eq!(best_now["version"]["trained_through"], "2024-05-19");
    assert_ne!(best_now["version"]["id"], best_v1);
    promote(&app, &admin, best_v1, "back to best").await;
    let served = app.get_ok(&path).await;
    assert_eq!(served["model"], "best");
    assert_eq!(served["version"]["id"], best_v1);
    // The frozen version reproduces what it forecast before.
    assert_close3(probabilities(&served), probabilities(&default));
    let detail = app
        .get_ok(&format!("/api/v1/monitoring/versions/{best_v1}"))
        .await;
    assert_eq!(detail["serving"], true);
    assert_eq!(detail["trained_through"], "2023-05-28");
    assert_eq!(
        detail["live"]["matches"], 380,
        "scored on the season after it: {detail}"
    );
    assert!(num(&detail["live"]["rps"]) < 0.25);
    let history = app.get_ok(&format!("{path}/history")).await;
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["model_version_id"] == best_v1),
        "served forecasts are logged with their version: {history}"
    );

    // Roll back: elo serves again; then nothing is left to roll back to.
    let back = expect_status(rollback(&app, &admin, "premier-league").await, StatusCode::OK).await;
    assert_eq!(back["version"]["id"], elo_v1);
    assert_eq!(app.get_ok(&path).await["version"]["id"], elo_v1);
    expect_error(
        rollback(&app, &admin, "premier-league").await,
        StatusCode::CONFLICT,
        "nothing_to_roll_back",
    )
    .await;
    let res = rollback(&app, &fan, "premier-league").await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let serving = app.get_ok("/api/v1/monitoring/serving").await;
    let pl = serving
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["competition"] == "premier-league")
        .unwrap();
    assert_eq!(
        (pl["source"].as_str(), pl["model"].as_str()),
        (Some("promoted"), Some("elo"))
    );
    assert_eq!(pl["version"]["id"], elo_v1);
    expect_error(
        app.get("/api/v1/monitoring/versions/999999")
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_season_with_shifted_goal_rate_raises_drift_alerts() {
    // One window over the whole replayed season, so the numbers can be checked from the files.
    let app = spawn_with(|c| c.monitoring.drift_window_matches = 1000).await;
    seed(&app, &LA_LIGA_TRAINING).await;
    let admin = app.admin_token("boss").await;
    let fan = app.token_for("fan").await;
    let version = train(&app, "la-liga", ModelName::DixonColes).await;
    promote(&app, &admin, version, "drift watch").await;
    let dir = tempfile::tempdir().unwrap();
    let shifted = shifted_copy(dir.path(), LA_LIGA_REPLAY, 2);
    import(&app, std::slice::from_ref(&shifted)).await;

    let res = app
        .post("/api/v1/monitoring/drift/check")
        .bearer_auth(&fan)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let mut events = app.state.bus.subscribe();
    let raised = drift_check(&app, &admin, "la-liga").await;
    let mut published = Vec::new();
    while let Ok(event) = events.try_recv() {
        if event.name == "monitoring:alert" {
            assert_eq!(event.topic, "monitoring");
            published.push(event.data["id"].clone());
        }
    }
    assert_eq!(published.len(), raised.len(), "every new alert is broadcast");
    let goal = raised
        .iter()
        .find(|a| a["kind"] == "goal_rate")
        .unwrap_or_else(|| panic!("goal-rate alert in {raised:?}"));
    let training: Vec<PathBuf> = LA_LIGA_TRAINING.iter().map(|f| demo(f)).collect();
    let expected_baseline = goals_per_match(&training);
    let expected_value = goals_per_match(std::slice::from_ref(&shifted));
    assert!((expected_value - expected_baseline - 2.0).abs() < 0.05);
    assert!((num(&goal["value"]) - expected_value).abs() < 1e-9, "{goal}");
    assert!(
        (num(&goal["baseline"]) - expected_baseline).abs() < 1e-9,
        "{goal}"
    );
    assert_eq!(goal["severity"], "critical", "{goal}");
    assert_eq!(goal["window_matches"], 380);
    assert_eq!(goal["model_version_id"], version);
    assert_eq!(goal["competition"], "la-liga");
    // Home wins become the rule: the forecasts are badly calibrated against the backtest. (RPS
    // barely moves: home wins are what the model expected most.)
    let detail = app
        .get_ok(&format!("/api/v1/monitoring/versions/{version}"))
        .await;
    let calibration = raised
        .iter()
        .find(|a| a["kind"] == "calibration")
        .unwrap_or_else(|| panic!("calibration alert in {raised:?}"));
    assert!((num(&calibration["baseline"]) - num(&detail["metrics"]["ece"])).abs() < 1e-12);
    assert!((num(&calibration["value"]) - num(&detail["live"]["ece"])).abs() < 1e-12);
    assert!(num(&calibration["value"]) - num(&calibration["baseline"]) >= 0.05);
    let rps_rise = num(&detail["live"]["rps"]) - num(&detail["metrics"]["rps"]);
    assert_eq!(
        raised.iter().any(|a| a["kind"] == "rps"),
        rps_rise >= 0.02,
        "RPS {rps_rise:+.4} against the backtest"
    );

    // Stored and listed; every admin is notified once.
    let alerts = app
        .get_ok("/api/v1/monitoring/alerts?competition=la-liga&status=open")
        .await;
    assert_eq!(alerts["total"].as_u64().unwrap() as usize, raised.len());
    let critical = app.get_ok("/api/v1/monitoring/alerts?severity=critical").await;
    assert!(
        critical["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == goal["id"])
    );
    let inbox = |token: String| {
        let app = &app;
        async move {
            let res = app
                .get("/api/v1/notifications?limit=100")
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            expect_status(res, StatusCode::OK).await["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["type"] == "model_drift")
                .cloned()
                .collect::<Vec<_>>()
        }
    };
    let notes = inbox(admin.clone()).await;
    let warned = raised.iter().filter(|a| a["severity"] != "info").count();
    assert_eq!(notes.len(), warned, "{notes:?}");
    assert!(
        notes.iter().any(
            |n| n["data"]["alert_id"] == goal["id"] && n["title"].as_str().unwrap().contains("goal rate")
        )
    );
    assert!(
        inbox(fan.clone()).await.is_empty(),
        "only admins hear about drift"
    );

    // Checking again updates the open alerts instead of duplicating them, and notifies nobody.
    let again = drift_check(&app, &admin, "la-liga").await;
    assert_eq!(
        again.iter().find(|a| a["kind"] == "goal_rate").unwrap()["id"],
        goal["id"]
    );
    let all = app.get_ok("/api/v1/monitoring/alerts").await;
    assert_eq!(all["total"].as_u64().unwrap() as usize, raised.len());
    assert_eq!(inbox(admin.clone()).await.len(), warned);

    // Acknowledged alerts leave the open list.
    let res = app
        .post(&format!(
            "/api/v1/monitoring/alerts/{}/acknowledge",
            goal["id"].as_str().unwrap()
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let acked = expect_status(res, StatusCode::OK).await;
    assert!(acked["acknowledged_at"].is_string());
    let open = app.get_ok("/api/v1/monitoring/alerts?status=open").await;
    assert_eq!(open["total"].as_u64().unwrap() as usize, raised.len() - 1);
    let bad = app
        .get("/api/v1/monitoring/alerts?severity=apocalyptic")
        .send()
        .await
        .unwrap();
    expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn an_unshifted_season_raises_no_goal_rate_alert() {
    let app = spawn_app().await;
    seed(&app, &LA_LIGA_TRAINING).await;
    let admin = app.admin_token("boss").await;
    let version = train(&app, "la-liga", ModelName::DixonColes).await;
    promote(&app, &admin, version, "drift watch").await;
    seed(&app, &[LA_LIGA_REPLAY]).await;
    let raised = drift_check(&app, &admin, "la-liga").await;
    assert!(raised.iter().all(|a| a["kind"] != "goal_rate"), "{raised:?}");
    let accuracy = app
        .get_ok(&format!(
            "/api/v1/monitoring/accuracy?version={version}&window=50"
        ))
        .await;
    assert_eq!(accuracy["overall"]["matches"], 380);
    assert_eq!(accuracy["latest"]["matches"], 50);
    let rolling = accuracy["rolling"].as_array().unwrap();
    assert_eq!(rolling.len(), 380);
    assert!((num(&rolling[379]["rps"]) - num(&accuracy["latest"]["rps"])).abs() < 1e-12);
    let months: u64 = accuracy["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["matches"].as_u64().unwrap())
        .sum();
    assert_eq!(months, 380);
    // The competition's serving version is the promoted one.
    let by_competition = app
        .get_ok("/api/v1/monitoring/accuracy?competition=la-liga")
        .await;
    assert_eq!(by_competition["version"]["id"], version);
    assert_eq!(by_competition["version"]["serving"], true);
    assert_eq!(by_competition["overall"]["rps"], accuracy["overall"]["rps"]);
}

/// Φ by Simpson's rule on the density: an independent check of the server's p-values.
fn normal_cdf(x: f64) -> f64 {
    let (a, b, n) = (0.0, x.abs(), 20_000);
    let h = (b - a) / f64::from(n);
    let f = |t: f64| (-t * t / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut sum = f(a) + f(b);
    for i in 1..n {
        sum += f(a + f64::from(i) * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
    }
    let half = sum * h / 3.0;
    if x >= 0.0 { 0.5 + half } else { 0.5 - half }
}

#[tokio::test]
async fn ab_test_on_a_replayed_season_reports_a_p_value_and_a_verdict() {
    let app = spawn_app().await;
    seed(&app, &LA_LIGA_TRAINING).await;
    let admin = app.admin_token("boss").await;
    let fan = app.token_for("fan").await;
    let a = train(&app, "la-liga", ModelName::DixonColes).await;
    let b = train(&app, "la-liga", ModelName::Elo).await;

    let create = |body: Value, token: String| {
        let app = &app;
        async move {
            app.post("/api/v1/monitoring/ab-tests")
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let body =
        json!({"name": "dc vs elo", "competition": "la-liga", "version_a": a, "version_b": b, "split": 0.5});
    expect_error(
        create(body.clone(), fan.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let same = json!({"name": "x", "competition": "la-liga", "version_a": a, "version_b": a, "split": 0.5});
    expect_error(
        create(same, admin.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let split = json!({"name": "x", "competition": "la-liga", "version_a": a, "version_b": b, "split": 1.5});
    expect_error(
        create(split, admin.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let unknown =
        json!({"name": "x", "competition": "la-liga", "version_a": a, "version_b": 999_999, "split": 0.5});
    expect_error(
        create(unknown, admin.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let test = expect_status(create(body.clone(), admin.clone()).await, StatusCode::CREATED).await;
    assert_eq!(test["status"], "running");
    expect_error(
        create(body, admin.clone()).await,
        StatusCode::CONFLICT,
        "ab_test_running",
    )
    .await;
    let id = test["id"].as_str().unwrap().to_string();

    // The replayed season arrives.
    seed(&app, &[LA_LIGA_REPLAY]).await;
    let out = app.get_ok(&format!("/api/v1/monitoring/ab-tests/{id}")).await;
    let r = &out["results"];
    let per_match = r["per_match"].as_array().unwrap();
    assert_eq!(r["matches"], 380, "every match of the season is paired");
    assert_eq!(per_match.len(), 380);

    // The Diebold-Mariano statistic by hand from the per-match RPS.
    let d: Vec<f64> = per_match
        .iter()
        .map(|m| num(&m["rps_a"]) - num(&m["rps_b"]))
        .collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    let dm = mean / (var / n).sqrt();
    assert!((num(&r["mean_difference"]) - mean).abs() < 1e-12);
    assert!(
        (num(&r["dm_statistic"]) - dm).abs() < 1e-9,
        "{} vs {dm}",
        r["dm_statistic"]
    );
    let p = 2.0 * (1.0 - normal_cdf(dm.abs()));
    let p_value = num(&r["p_value"]);
    assert!((0.0..=1.0).contains(&p_value));
    assert!((p_value - p).abs() < 1e-6, "{p_value} vs {p}");
    let mean_a = per_match.iter().map(|m| num(&m["rps_a"])).sum::<f64>() / n;
    assert!((num(&r["mean_rps_a"]) - mean_a).abs() < 1e-12);
    let expected = if p_value >= 0.05 {
        "no_significant_difference"
    } else if mean > 0.0 {
        "b_better"
    } else {
        "a_better"
    };
    assert_eq!(r["verdict"], expected, "{}", r["p_value"]);
    assert_eq!(r["alpha"], 0.05);
    // Another level gives the verdict that level implies.
    let loose = app
        .get_ok(&format!("/api/v1/monitoring/ab-tests/{id}?alpha=0.99"))
        .await;
    let expected = if p_value >= 0.99 {
        "no_significant_difference"
    } else if mean > 0.0 {
        "b_better"
    } else {
        "a_better"
    };
    assert_eq!(loose["results"]["verdict"], expected);
    // Same numbers as the versions' own live accuracy.
    let live_a = app
        .get_ok(&format!("/api/v1/monitoring/accuracy?version={a}"))
        .await;
    assert!((num(&live_a["overall"]["rps"]) - mean_a).abs() < 1e-12);

    // Assignment: deterministic per match, the split roughly kept, served RPS per arm.
    let (served_a, served_b) = (
        r["served_a"]["matches"].as_u64().unwrap(),
        r["served_b"]["matches"].as_u64().unwrap(),
    );
    assert_eq!(served_a + served_b, 380);
    assert!(
        (150..=230).contains(&served_b),
        "{served_b} of 380 on B at a 0.5 split"
    );
    let on_b: Vec<f64> = per_match
        .iter()
        .filter(|m| m["arm"] == "b")
        .map(|m| num(&m["rps_b"]))
        .collect();
    assert!((num(&r["served_b"]["rps"]) - on_b.iter().sum::<f64>() / on_b.len() as f64).abs() < 1e-12);
    for m in per_match.iter().take(5) {
        let path = format!(
            "/api/v1/monitoring/ab-tests/{id}/assignment?match_id={}",
            m["match_id"]
        );
        let first = app.get_ok(&path).await;
        assert_eq!(first["match_arm"], m["arm"]);
        assert_eq!(app.get_ok(&path).await["match_arm"], m["arm"]);
    }
    let user = uuid::Uuid::new_v4();
    let path = format!("/api/v1/monitoring/ab-tests/{id}/assignment?user_id={user}");
    assert_eq!(
        app.get_ok(&path).await["user_arm"],
        app.get_ok(&path).await["user_arm"]
    );

    // An upcoming match is served by its arm's version.
    let home = app.team_id("Real Madrid").await;
    let away = app.team_id("Barcelona").await;
    let res = app
        .post("/api/v1/matches")
        .bearer_auth(&admin)
        .json(
            &json!({"competition": "la-liga", "home_team_id": home, "away_team_id": away,
            "kickoff_at": Utc::now() + chrono::Duration::days(3)}),
        )
        .send()
        .await
        .unwrap();
    let fixture = expect_status(res, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap();
    let f = app.get_ok(&format!("/api/v1/matches/{fixture}/forecast")).await;
    let arm = app
        .get_ok(&format!(
            "/api/v1/monitoring/ab-tests/{id}/assignment?match_id={fixture}"
        ))
        .await["match_arm"]
        .clone();
    assert_eq!(f["serving"]["source"], "ab_test");
    assert_eq!(f["serving"]["arm"], arm);
    assert_eq!(f["version"]["id"], if arm == "a" { a } else { b });
    assert_eq!(f["model"], if arm == "a" { "dixon-coles" } else { "elo" });
    let serving = app.get_ok("/api/v1/monitoring/serving").await;
    let liga = serving
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["competition"] == "la-liga")
        .unwrap();
    assert_eq!(liga["source"], "ab_test");
    let listed = app.get_ok("/api/v1/monitoring/ab-tests?status=running").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Stopped: the default serves again.
    let stop = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post(&format!("/api/v1/monitoring/ab-tests/{id}/stop"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
        }
    };
    expect_error(stop(fan.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    let stopped = expect_status(stop(admin.clone()).await, StatusCode::OK).await;
    assert_eq!(stopped["status"], "stopped");
    expect_error(stop(admin.clone()).await, StatusCode::CONFLICT, "ab_test_stopped").await;
    let f = app.get_ok(&format!("/api/v1/matches/{fixture}/forecast")).await;
    assert_eq!(f["serving"]["source"], "default");
}

#[tokio::test]
async fn a_monitor_agent_raises_the_drift_alert_and_reports_it_as_an_event() {
    let app = spawn_with(|c| {
        c.monitoring.drift_window_matches = 1000;
        c.agent_poll_interval = std::time::Duration::from_secs(1);
    })
    .await;
    seed(&app, &LA_LIGA_TRAINING).await;
    let admin = app.admin_token("boss").await;
    let version = train(&app, "la-liga", ModelName::DixonColes).await;
    promote(&app, &admin, version, "drift watch").await;
    let dir = tempfile::tempdir().unwrap();
    import(&app, &[shifted_copy(dir.path(), LA_LIGA_REPLAY, 2)]).await;

    let res = app
        .post("/api/v1/agents")
        .bearer_auth(&admin)
        .json(&json!({ "name": "Drift watch", "kind": "monitor", "config": { "interval_secs": 3600, "params": { "competition": "la-liga" } } }))
        .send()
        .await
        .unwrap();
    let agent = expect_status(res, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .post(&format!("/api/v1/agents/{agent}/start"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;

    let mut done = Value::Null;
    for _ in 0..600 {
        let res = app
            .get(&format!("/api/v1/agents/{agent}/tasks?status=completed"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        let page = expect_status(res, StatusCode::OK).await;
        if let Some(t) = page["items"].as_array().unwrap().first() {
            done = t.clone();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(done["type"], "check_drift", "{done}");
    assert!(
        done["result"]["kinds"]
            .as_array()
            .unwrap()
            .contains(&json!("goal_rate")),
        "{done}"
    );
    assert!(done["result"]["critical"].as_u64().unwrap() >= 1, "{done}");
    let res = app
        .get(&format!(
            "/api/v1/agents/{agent}/events?type=drift_alert&min_severity=critical"
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let events = expect_status(res, StatusCode::OK).await;
    assert!(
        events["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["data"]["alert"]["kind"] == "goal_rate"),
        "{events}"
    );
    let res = app
        .get("/api/v1/monitoring/alerts?competition=la-liga")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let alerts = expect_status(res, StatusCode::OK).await;
    assert!(alerts.to_string().contains("goal_rate"), "{alerts}");
}
