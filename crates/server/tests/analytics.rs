//! Analytics: a user's performance and the model's against a hand computation, system totals
//! (admin only, cached), reports as JSON and CSV, and the date-range errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use common::{TestApp, assert_close, expect_error, expect_status, hand_rps, num, seed, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn get_as(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.get(path).bearer_auth(token).send().await.unwrap()
}

async fn ok_as(app: &TestApp, token: &str, path: &str) -> Value {
    expect_status(get_as(app, token, path).await, StatusCode::OK).await
}

async fn post_as(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app
        .post(path)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    assert!(status.is_success(), "{path}: {status}");
    expect_status(res, status).await
}

async fn user_id(app: &TestApp, token: &str) -> String {
    ok_as(app, token, "/api/v1/users/me").await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn brier(p: (f64, f64, f64), result: &str) -> f64 {
    let o = match result {
        "home" => (1.0, 0.0, 0.0),
        "draw" => (0.0, 1.0, 0.0),
        _ => (0.0, 0.0, 1.0),
    };
    (p.0 - o.0).powi(2) + (p.1 - o.1).powi(2) + (p.2 - o.2).powi(2)
}

fn likeliest(p: (f64, f64, f64)) -> &'static str {
    if p.0 >= p.1 && p.0 >= p.2 {
        "home"
    } else if p.1 >= p.2 {
        "draw"
    } else {
        "away"
    }
}

#[tokio::test]
async fn user_and_model_performance_match_a_hand_computation() {
    let app = spawn_app().await;
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
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let ann_id = user_id(&app, &ann).await;

    // Two fixtures on one Wednesday at least a week ahead.
    let ahead = (Utc::now() + Duration::days(7)).date_naive();
    let wednesday =
        ahead - Duration::days(i64::from(ahead.weekday().num_days_from_monday())) + Duration::days(2);
    let at = |hour: u32| {
        wednesday
            .and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap())
            .and_utc()
    };
    let f1 = app
        .create_fixture(
            &admin,
            app.team_id("Arsenal").await,
            app.team_id("Chelsea").await,
            at(12),
        )
        .await;
    let f2 = app
        .create_fixture(
            &admin,
            app.team_id("Liverpool").await,
            app.team_id("Everton").await,
            at(15),
        )
        .await;
    // The model's forecasts, served before kick-off.
    let mut model = Vec::new();
    for id in [f1, f2] {
        let p = app.get_ok(&format!("/api/v1/matches/{id}/forecast")).await["probabilities"].clone();
        model.push((num(&p["home"]), num(&p["draw"]), num(&p["away"])));
    }
    for body in [
        json!({"match_id": f1, "type": "result", "outcome": "home"}),
        json!({"match_id": f1, "type": "exact_score", "home_goals": 2, "away_goals": 1}),
        json!({"match_id": f1, "type": "probabilities", "home": 0.6, "draw": 0.25, "away": 0.15}),
        json!({"match_id": f2, "type": "result", "outcome": "draw"}),
        json!({"match_id": f2, "type": "probabilities", "home": 0.5, "draw": 0.3, "away": 0.2}),
    ] {
        post_as(&app, &ann, "/api/v1/predictions", body).await;
    }
    for (id, home, away) in [(f1, 2, 1), (f2, 0, 2)] {
        let body = json!({"status": "finished", "score": {"home": home, "away": away}});
        let res = app
            .patch(&format!("/api/v1/matches/{id}"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::OK).await;
    }

    // ann: F1 result ✓ 1, exact ✓ 3 (in total), probabilities RPS 0.09125; F2 (away) result ✗,
    // probabilities RPS ((0.5)² + (0.8)²)/2 = 0.445. 5 picks, 3 graded, 2 right, 4 points.
    let from = wednesday - Duration::days(14);
    let to = wednesday + Duration::days(1);
    let path = format!("/api/v1/analytics/users/{ann_id}/performance?from={from}&to={to}");
    let p = ok_as(&app, &ann, &path).await;
    for (field, expected) in [
        ("picks", 5),
        ("scored", 5),
        ("points", 4),
        ("correct", 2),
        ("graded", 3),
    ] {
        assert_eq!(p[field], expected, "{field}: {p}");
    }
    assert_close(&p["accuracy"], 2.0 / 3.0, "accuracy");
    assert_close(&p["mean_rps"], (0.09125 + 0.445) / 2.0, "mean RPS");
    let model_rps = (hand_rps(model[0], "home") + hand_rps(model[1], "away")) / 2.0;
    let v = &p["versus_model"];
    assert_eq!(v["probability_picks"], 2);
    assert_close(&v["model_rps"], model_rps, "model RPS");
    assert_close(&v["rps_edge"], model_rps - (0.09125 + 0.445) / 2.0, "edge");
    // Three Mondays: two empty weeks, then the Wednesday's.
    let weeks = p["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 3, "{p}");
    assert_eq!(weeks[0]["picks"], 0);
    let monday = wednesday - Duration::days(2);
    assert_eq!(weeks[2]["week_start"], monday.to_string());
    assert_eq!(
        (weeks[2]["picks"].clone(), weeks[2]["points"].clone()),
        (json!(5), json!(4))
    );
    assert_eq!(p["competitions"][0]["competition"], "premier-league");
    assert_eq!(p["best_competition"], "premier-league");
    assert_eq!(p["worst_competition"], "premier-league");

    // The admin sees the same; another user does not; signed out is 401.
    assert_eq!(ok_as(&app, &admin, &path).await, p);
    expect_error(
        get_as(&app, &bob, &path).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        app.get(&path).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    // Served forecasts of the model, both in one month: RPS, Brier and accuracy by hand.
    let m = app
        .get_ok(&format!(
            "/api/v1/analytics/models/performance?from={from}&to={to}&competition=premier-league"
        ))
        .await;
    let rows = m["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{m}");
    let row = &rows[0];
    assert_eq!(row["model"], "best");
    assert_eq!(row["month"], wednesday.format("%Y-%m").to_string());
    assert_eq!(row["matches"], 2);
    let close = |v: &Value, e: f64, what: &str| assert!((num(v) - e).abs() < 1e-6, "{what}: {v} != {e}");
    close(&row["rps"], model_rps, "model RPS");
    close(
        &row["brier"],
        (brier(model[0], "home") + brier(model[1], "away")) / 2.0,
        "Brier",
    );
    let right = f64::from(u8::from(likeliest(model[0]) == "home"))
        + f64::from(u8::from(likeliest(model[1]) == "away"));
    close(&row["accuracy"], right / 2.0, "accuracy");
}

#[tokio::test]
async fn bad_ranges_are_422() {
    let app = spawn_app().await;
    let ann = app.token_for("ann").await;
    let me = user_id(&app, &ann).await;
    let base = format!("/api/v1/analytics/users/{me}/performance");
    for (query, code) in [
        ("?from=2026-02-30", "validation_failed"),
        ("?to=yesterday", "validation_failed"),
        ("?from=2026-03-02&to=2026-03-01", "invalid_range"),
        ("?from=2025-01-01&to=2026-02-01", "range_too_long"),
    ] {
        let res = get_as(&app, &ann, &format!("{base}{query}")).await;
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        let res = app
            .get(&format!("/api/v1/analytics/models/performance{query}"))
            .send()
            .await
            .unwrap();
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    }
    // The endpoints are documented, the report with both media types.
    let spec = app.get_ok("/openapi.json").await;
    for path in [
        "/api/v1/analytics/users/{id}/performance",
        "/api/v1/analytics/models/performance",
        "/api/v1/analytics/system",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} documented");
    }
    let report = &spec["paths"]["/api/v1/analytics/reports/{kind}"]["get"]["responses"]["200"]["content"];
    assert!(
        report.get("text/csv").is_some() && report.get("application/json").is_some(),
        "{report}"
    );
    // 366 days is the most.
    ok_as(&app, &ann, &format!("{base}?from=2025-01-01&to=2026-01-01")).await;
}

#[tokio::test]
async fn system_totals_are_for_admins_and_cached() {
    let app = spawn_app().await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let post = post_as(
        &app,
        &ann,
        "/api/v1/social/posts",
        json!({"content": "hello", "type": "general"}),
    )
    .await;
    let id = post["id"].as_str().unwrap();
    post_as(
        &app,
        &bob,
        &format!("/api/v1/social/posts/{id}/comments"),
        json!({"content": "hi"}),
    )
    .await;
    post_as(&app, &bob, &format!("/api/v1/social/posts/{id}/like"), json!({})).await;

    expect_error(
        get_as(&app, &ann, "/api/v1/analytics/system").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let s = ok_as(&app, &admin, "/api/v1/analytics/system").await;
    for (field, expected) in [
        ("users", 3),
        ("posts", 1),
        ("comments", 1),
        ("likes", 1),
        ("picks", 0),
        ("matches", 0),
    ] {
        assert_eq!(s[field], expected, "{field}: {s}");
    }
    // boss signed in; ann posted; bob commented and liked (the comment counts).
    assert_eq!(s["active_users_30d"], 3, "{s}");
    assert!(s["jobs_by_status"].is_object());
    assert!(s["cached_at"].is_string());

    // Within five minutes the same figures come back, even after a new post.
    post_as(
        &app,
        &ann,
        "/api/v1/social/posts",
        json!({"content": "again", "type": "general"}),
    )
    .await;
    let again = ok_as(&app, &admin, "/api/v1/analytics/system").await;
    assert_eq!(again["cached_at"], s["cached_at"]);
    assert_eq!(again["posts"], 1);
    // Once the entry is gone they are recomputed.
    app.state.cache.delete("analytics:system").await;
    let fresh = ok_as(&app, &admin, "/api/v1/analytics/system").await;
    assert_eq!(fresh["posts"], 2);
    assert_ne!(fresh["cached_at"], s["cached_at"]);
}

/// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        row.is_empty() && field.is_empty(),
        "the last record ends with CRLF"
    );
    rows
}

#[tokio::test]
async fn reports_as_json_and_csv() {
    let app = spawn_app().await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;
    let tricky = "Derby, \"big\" day\nsecond line";
    post_as(
        &app,
        &ann,
        "/api/v1/social/posts",
        json!({"content": tricky, "type": "general"}),
    )
    .await;
    post_as(
        &app,
        &ann,
        "/api/v1/social/posts",
        json!({"content": "plain", "type": "general"}),
    )
    .await;
    let today = Utc::now().date_naive();

    let json_report = ok_as(&app, &admin, "/api/v1/analytics/reports/posts").await;
    assert_eq!(json_report["kind"], "posts");
    assert_eq!(json_report["rows"].as_array().unwrap().len(), 2);
    assert_eq!(json_report["rows"][0]["body"], tricky);
    assert_eq!(json_report["rows"][0]["username"], "ann");

    let res = get_as(
        &app,
        &admin,
        &format!("/api/v1/analytics/reports/posts?from={today}&to={today}&format=csv"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_string();
    assert!(header("content-type").starts_with("text/csv"));
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"pundit-posts-{today}-{today}.csv\"")
    );
    let text = res.text().await.unwrap();
    assert!(text.contains("\"Derby, \"\"big\"\" day\nsecond line\""), "{text}");
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "id",
            "username",
            "type",
            "visibility",
            "match_id",
            "body",
            "hidden",
            "created_at"
        ]
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][5], tricky);
    assert_eq!(
        (rows[1][1].as_str(), rows[1][4].as_str(), rows[1][6].as_str()),
        ("ann", "", "false")
    );
    assert_eq!(rows[2][5], "plain");

    // Users: the two accounts made today.
    let res = get_as(&app, &admin, "/api/v1/analytics/reports/users?format=csv").await;
    let users = parse_csv(&res.text().await.unwrap());
    assert_eq!(users[0][1], "username");
    let mut names: Vec<&str> = users[1..].iter().map(|r| r[1].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["ann", "boss"]);
    // Nothing before the range.
    let old = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let empty = ok_as(
        &app,
        &admin,
        &format!("/api/v1/analytics/reports/picks?from={old}&to={old}"),
    )
    .await;
    assert_eq!(empty["rows"], json!([]));
    assert_eq!(empty["columns"][0], "id");

    expect_error(
        get_as(&app, &ann, "/api/v1/analytics/reports/posts").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        get_as(&app, &admin, "/api/v1/analytics/reports/nope").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        get_as(&app, &admin, "/api/v1/analytics/reports/posts?format=xml").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
}
