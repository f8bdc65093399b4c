//! The prediction game: picks (validation, kick-off lock, ownership), scoring when results
//! arrive, user stats, leaderboards, "beat the model" and achievements.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use common::{TestApp, assert_close, expect_error, expect_status, hand_rps, num, seed, spawn_app};
use reqwest::{Response, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

const PL: [&str; 3] = [
    "premier-league/season-2122.csv",
    "premier-league/season-2223.csv",
    "premier-league/season-2324.csv",
];

async fn fixture(app: &TestApp, admin: &str, home: &str, away: &str, kickoff: DateTime<Utc>) -> i64 {
    app.create_fixture(admin, app.team_id(home).await, app.team_id(away).await, kickoff)
        .await
}

async fn post_pick(app: &TestApp, token: &str, body: Value) -> Response {
    app.post("/api/v1/predictions")
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Makes a pick that must be accepted; returns it.
async fn pick(app: &TestApp, token: &str, body: Value) -> Value {
    expect_status(post_pick(app, token, body).await, StatusCode::CREATED).await
}

async fn get_as(app: &TestApp, token: &str, path: &str) -> Value {
    expect_status(
        app.get(path).bearer_auth(token).send().await.unwrap(),
        StatusCode::OK,
    )
    .await
}

/// The admin records a final score through the API.
async fn finish(app: &TestApp, admin: &str, id: i64, home: i64, away: i64) {
    let body = json!({"status": "finished", "score": {"home": home, "away": away}});
    app.patch_match(admin, id, body).await;
}

/// The likeliest outcome (ties towards home, then draw).
fn likeliest(p: (f64, f64, f64)) -> &'static str {
    if p.0 >= p.1 && p.0 >= p.2 {
        "home"
    } else if p.1 >= p.2 {
        "draw"
    } else {
        "away"
    }
}

fn usernames(board: &Value) -> Vec<&str> {
    board["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["username"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn bad_picks_are_422_and_unknown_matches_404() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;
    let id = fixture(&app, &admin, "Arsenal", "Chelsea", Utc::now() + Duration::days(2)).await;

    let res = app
        .post("/api/v1/predictions")
        .json(&json!({"match_id": id, "type": "result", "outcome": "home"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let cases = [
        (json!({"match_id": id, "type": "result"}), "outcome", "required"),
        (
            json!({"match_id": id, "type": "result", "outcome": "home", "home_goals": 1}),
            "home_goals",
            "not_allowed",
        ),
        (
            json!({"match_id": id, "type": "exact_score", "home_goals": -1, "away_goals": 0}),
            "home_goals",
            "range",
        ),
        (
            json!({"match_id": id, "type": "exact_score", "home_goals": 1}),
            "away_goals",
            "required",
        ),
        (
            json!({"match_id": id, "type": "over_under", "line": 2.0, "side": "over"}),
            "line",
            "invalid_line",
        ),
        (
            json!({"match_id": id, "type": "probabilities", "home": 0.5, "draw": 0.3, "away": 0.3}),
            "probabilities",
            "sum",
        ),
        (
            json!({"match_id": id, "type": "probabilities", "home": 1.2, "draw": -0.1, "away": -0.1}),
            "home",
            "range",
        ),
    ];
    for (body, field, code) in cases {
        let err = expect_error(
            post_pick(&app, &ann, body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(
            err["error"]["details"]["fields"][field][0]["code"], code,
            "{body} gave {err}"
        );
    }
    // Not a pick type, or not a field at all: the body has the wrong shape.
    for body in [
        json!({"match_id": id, "type": "first_scorer", "outcome": "home"}),
        json!({"match_id": id, "type": "result", "outcome": "home", "stake": 5}),
        json!({"match_id": id, "type": "result", "outcome": "win"}),
    ] {
        expect_error(
            post_pick(&app, &ann, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
    }
    // Within 0.01 of 1 is accepted.
    pick(
        &app,
        &ann,
        json!({"match_id": id, "type": "probabilities", "home": 0.5, "draw": 0.3, "away": 0.205}),
    )
    .await;

    let res = post_pick(
        &app,
        &ann,
        json!({"match_id": 999_999, "type": "result", "outcome": "home"}),
    )
    .await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .get("/api/v1/predictions/not-a-uuid")
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::BAD_REQUEST, "bad_request").await;
    let mine = get_as(&app, &ann, "/api/v1/predictions").await;
    assert_eq!(mine["total"], 1, "only the valid pick was stored: {mine}");
}

#[tokio::test]
async fn picks_lock_at_kickoff() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;

    let started = fixture(
        &app,
        &admin,
        "Arsenal",
        "Chelsea",
        Utc::now() - Duration::minutes(1),
    )
    .await;
    let res = post_pick(
        &app,
        &ann,
        json!({"match_id": started, "type": "result", "outcome": "home"}),
    )
    .await;
    expect_error(res, StatusCode::CONFLICT, "pick_locked").await;

    // Open before kick-off; locked once it has kicked off (the kick-off moved into the past).
    let soon = fixture(
        &app,
        &admin,
        "Liverpool",
        "Everton",
        Utc::now() + Duration::days(2),
    )
    .await;
    let made = pick(
        &app,
        &ann,
        json!({"match_id": soon, "type": "result", "outcome": "home"}),
    )
    .await;
    assert_eq!(made["editable"], true);
    let kicked_off = Utc::now() - Duration::seconds(30);
    app.patch_match(&admin, soon, json!({"kickoff_at": kicked_off}))
        .await;
    let path = format!("/api/v1/predictions/{}", made["id"].as_str().unwrap());
    let res = app
        .patch(&path)
        .bearer_auth(&ann)
        .json(&json!({"outcome": "away"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::CONFLICT, "pick_locked").await;
    let res = app.delete(&path).bearer_auth(&ann).send().await.unwrap();
    expect_error(res, StatusCode::CONFLICT, "pick_locked").await;
    let res = post_pick(
        &app,
        &ann,
        json!({"match_id": soon, "type": "exact_score", "home_goals": 1, "away_goals": 0}),
    )
    .await;
    expect_error(res, StatusCode::CONFLICT, "pick_locked").await;
    let kept = get_as(&app, &ann, &path).await;
    assert_eq!(
        (kept["outcome"].as_str(), kept["editable"].as_bool()),
        (Some("home"), Some(false))
    );

    // A match that is no longer scheduled is locked even before its kick-off time.
    let later = fixture(
        &app,
        &admin,
        "Man City",
        "Burnley",
        Utc::now() + Duration::days(3),
    )
    .await;
    app.patch_match(&admin, later, json!({"status": "postponed"}))
        .await;
    let res = post_pick(
        &app,
        &ann,
        json!({"match_id": later, "type": "result", "outcome": "draw"}),
    )
    .await;
    expect_error(res, StatusCode::CONFLICT, "pick_locked").await;
}

#[tokio::test]
async fn picks_change_and_withdraw_before_kickoff_and_stay_private() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let id = fixture(&app, &admin, "Arsenal", "Chelsea", Utc::now() + Duration::days(2)).await;
    let other = fixture(
        &app,
        &admin,
        "Liverpool",
        "Everton",
        Utc::now() + Duration::days(2),
    )
    .await;

    let result = pick(
        &app,
        &ann,
        json!({"match_id": id, "type": "result", "outcome": "home"}),
    )
    .await;
    assert_eq!(result["type"], "result");
    assert_eq!(result["outcome"], "home");
    assert_eq!(result["status"], "pending");
    assert_eq!(result["points"], 0);
    assert!(result["correct"].is_null() && result.get("home_goals").is_none());
    assert_eq!(result["match"]["id"], id);
    assert_eq!(result["match"]["home_team"]["name"], "Arsenal");

    // One pick per type per match: a second one is a conflict (PATCH changes a pick).
    let res = post_pick(
        &app,
        &ann,
        json!({"match_id": id, "type": "result", "outcome": "away"}),
    )
    .await;
    let err = expect_error(res, StatusCode::CONFLICT, "pick_exists").await;
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains(result["id"].as_str().unwrap())
    );
    let exact = pick(
        &app,
        &ann,
        json!({"match_id": id, "type": "exact_score", "home_goals": 2, "away_goals": 1}),
    )
    .await;
    // Bob picking the same match is no conflict.
    pick(
        &app,
        &bob,
        json!({"match_id": id, "type": "result", "outcome": "away"}),
    )
    .await;

    let result_path = format!("/api/v1/predictions/{}", result["id"].as_str().unwrap());
    let exact_path = format!("/api/v1/predictions/{}", exact["id"].as_str().unwrap());
    let patch = |path: String, body: Value| {
        let req = app.patch(&path).bearer_auth(&ann).json(&body);
        async move { req.send().await.unwrap() }
    };
    let changed = expect_status(
        patch(result_path.clone(), json!({"outcome": "draw"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["outcome"], "draw");
    // Only the fields sent change.
    let changed = expect_status(
        patch(exact_path.clone(), json!({"away_goals": 3})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (changed["home_goals"].as_i64(), changed["away_goals"].as_i64()),
        (Some(2), Some(3))
    );
    let err = expect_error(
        patch(exact_path.clone(), json!({"outcome": "home"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        err["error"]["details"]["fields"]["outcome"][0]["code"],
        "not_allowed"
    );
    expect_error(
        patch(exact_path.clone(), json!({"home_goals": 25})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let mine = get_as(&app, &ann, "/api/v1/predictions").await;
    assert_eq!(mine["total"], 2);
    for (query, total) in [
        ("status=pending", 2),
        ("status=scored", 0),
        (&format!("match_id={id}") as &str, 2),
        (&format!("match_id={other}"), 0),
    ] {
        let page = get_as(&app, &ann, &format!("/api/v1/predictions?{query}")).await;
        assert_eq!(page["total"], total, "{query}");
    }
    let second = get_as(&app, &ann, "/api/v1/predictions?limit=1&page=2").await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["id"], result["id"], "newest first");
    expect_error(
        app.get("/api/v1/predictions?status=lost")
            .bearer_auth(&ann)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;

    // Someone else's pick does not exist for you: 404, not 403 (no existence leak).
    for req in [
        app.get(&result_path),
        app.patch(&result_path).json(&json!({"outcome": "away"})),
        app.delete(&result_path),
    ] {
        let res = req.bearer_auth(&bob).send().await.unwrap();
        expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    let still = get_as(&app, &ann, &result_path).await;
    assert_eq!(still["outcome"], "draw", "bob changed nothing");
    assert_eq!(get_as(&app, &bob, "/api/v1/predictions").await["total"], 1);

    let stats = get_as(&app, &ann, "/api/v1/predictions/stats").await;
    assert_eq!(
        (stats["picks"].as_i64(), stats["pending"].as_i64()),
        (Some(2), Some(2))
    );
    // Withdraw, then the type is free again.
    let res = app.delete(&exact_path).bearer_auth(&ann).send().await.unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    let res = app.get(&exact_path).bearer_auth(&ann).send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(get_as(&app, &ann, "/api/v1/predictions/stats").await["picks"], 1);
    pick(
        &app,
        &ann,
        json!({"match_id": id, "type": "exact_score", "home_goals": 0, "away_goals": 0}),
    )
    .await;
    let achievements = app.get_ok("/api/v1/users/ann/achievements").await;
    assert_eq!(achievements[0]["code"], "first_pick", "{achievements}");

    // Deleting the match takes its picks along, and the stats follow.
    let res = app
        .delete(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    assert_eq!(get_as(&app, &ann, "/api/v1/predictions/stats").await["picks"], 0);
}

/// Three players pick on four fixtures; the admin records three results through the API and
/// the fourth is written straight to the database (as `pundit import` from another process
/// would) and found by the sweep. Points, accuracy, streaks, RPS, both leaderboards and
/// achievements are checked against the hand computation in the comments.
#[tokio::test]
async fn results_score_picks_stats_and_leaderboards() {
    let app = spawn_app().await;
    seed(&app, &PL).await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let cat = app.token_for("cat").await;

    // All on one Wednesday at least a day ahead, so they fall in one week and one month.
    let ahead = (Utc::now() + Duration::days(7)).date_naive();
    let wednesday =
        ahead - Duration::days(i64::from(ahead.weekday().num_days_from_monday())) + Duration::days(2);
    let at = |hour: u32| {
        wednesday
            .and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap())
            .and_utc()
    };
    let f1 = fixture(&app, &admin, "Arsenal", "Chelsea", at(12)).await;
    let f2 = fixture(&app, &admin, "Liverpool", "Everton", at(14)).await;
    let f3 = fixture(&app, &admin, "Tottenham", "Fulham", at(16)).await;
    let f4 = fixture(&app, &admin, "Man City", "Burnley", at(18)).await;

    // The model's forecasts, served (and stored) before kick-off: what players are measured against.
    let mut model = Vec::new();
    for id in [f1, f2, f3, f4] {
        let f = app.get_ok(&format!("/api/v1/matches/{id}/forecast")).await;
        let p = &f["probabilities"];
        model.push((num(&p["home"]), num(&p["draw"]), num(&p["away"])));
    }

    let r = |id: i64, outcome: &str| json!({"match_id": id, "type": "result", "outcome": outcome});
    let exact = |id: i64, h: i64, a: i64| json!({"match_id": id, "type": "exact_score", "home_goals": h, "away_goals": a});
    let ou = |id: i64, line: f64, side: &str| json!({"match_id": id, "type": "over_under", "line": line, "side": side});
    let probs = |id: i64, h: f64, d: f64, a: f64| json!({"match_id": id, "type": "probabilities", "home": h, "draw": d, "away": a});
    for (token, body) in [
        (&ann, r(f1, "home")),
        (&ann, exact(f1, 2, 1)),
        (&ann, probs(f1, 0.6, 0.25, 0.15)),
        (&ann, r(f2, "draw")),
        (&ann, ou(f2, 2.5, "under")),
        (&ann, r(f3, "home")),
        (&ann, probs(f3, 0.5, 0.3, 0.2)),
        (&bob, r(f1, "draw")),
        (&bob, exact(f1, 1, 1)),
        (&bob, r(f2, "draw")),
        (&bob, r(f3, "away")),
        (&bob, exact(f3, 0, 2)),
        (&bob, ou(f3, 1.5, "over")),
        (&cat, r(f1, "home")),
        (&cat, probs(f1, 0.4, 0.3, 0.3)),
        (&cat, exact(f2, 1, 1)),
        (&cat, r(f4, "home")),
    ] {
        pick(&app, token, body).await;
    }

    // Results: F1 2-1 (home), F2 1-1 (draw), F3 0-2 (away).
    finish(&app, &admin, f1, 2, 1).await;
    finish(&app, &admin, f2, 1, 1).await;
    finish(&app, &admin, f3, 0, 2).await;

    // ann: F1 result ✓ 1, exact ✓ 3, probabilities RPS ((0.6-1)² + (0.85-1)²)/2 = 0.09125;
    //      F2 result ✓ 1, under 2.5 ✓ 1; F3 result ✗ 0, probabilities ((0.5)² + (0.8)²)/2 = 0.445.
    //      7 picks, 5 right-or-wrong of which 4 right (0.8), 6 points, result streak ✓✓✗: 0, best 2,
    //      mean RPS 0.268125.
    let s = app.get_ok("/api/v1/users/ann/stats").await;
    for (field, expected) in [
        ("picks", 7),
        ("pending", 0),
        ("scored", 7),
        ("correct", 4),
        ("points", 6),
        ("exact_scores", 1),
        ("current_streak", 0),
        ("best_streak", 2),
        ("probability_picks", 2),
    ] {
        assert_eq!(s[field], expected, "ann {field}: {s}");
    }
    assert_close(&s["accuracy"], 0.8, "ann accuracy");
    assert_close(&s["mean_rps"], (0.09125 + 0.445) / 2.0, "ann mean RPS");
    assert_eq!(
        get_as(&app, &ann, "/api/v1/predictions/stats").await,
        s,
        "mine = public"
    );

    // bob: F1 result ✗, exact ✗; F2 result ✓ 1; F3 result ✓ 1, exact ✓ 3, over 1.5 ✓ 1.
    //      6 picks, 4 of 6 right, 6 points, result streak ✗✓✓: 2, best 2, no RPS.
    let s = app.get_ok("/api/v1/users/bob/stats").await;
    for (field, expected) in [
        ("picks", 6),
        ("correct", 4),
        ("points", 6),
        ("current_streak", 2),
        ("best_streak", 2),
    ] {
        assert_eq!(s[field], expected, "bob {field}: {s}");
    }
    assert_close(&s["accuracy"], 4.0 / 6.0, "bob accuracy");
    assert!(s["mean_rps"].is_null());

    // cat: F1 result ✓ 1, probabilities ((0.4-1)² + (0.7-1)²)/2 = 0.225; F2 exact ✓ 3; F4 pending.
    let s = app.get_ok("/api/v1/users/cat/stats").await;
    for (field, expected) in [
        ("picks", 4),
        ("pending", 1),
        ("scored", 3),
        ("correct", 2),
        ("points", 4),
        ("current_streak", 1),
    ] {
        assert_eq!(s[field], expected, "cat {field}: {s}");
    }
    assert_close(&s["mean_rps"], 0.225, "cat mean RPS");

    // Scored picks say how they fared.
    let ann_f1 = get_as(&app, &ann, &format!("/api/v1/predictions?match_id={f1}")).await;
    for p in ann_f1["items"].as_array().unwrap() {
        assert_eq!(p["status"], "scored");
        assert_eq!(p["editable"], false);
        assert_close(&p["model_rps"], hand_rps(model[0], "home"), "model RPS on F1");
        match p["type"].as_str().unwrap() {
            "result" => assert_eq!(
                (p["points"].as_i64(), p["correct"].as_bool()),
                (Some(1), Some(true))
            ),
            "exact_score" => assert_eq!(p["points"], 3),
            _ => assert_close(&p["rps"], 0.09125, "ann's F1 probabilities"),
        }
    }

    // Leaderboard: ann and bob tie on 6 points and 4 right: username decides; then cat.
    let board = app.get_ok("/api/v1/leaderboards").await;
    assert_eq!(usernames(&board), ["ann", "bob", "cat"], "{board}");
    assert_eq!(board["total"], 3);
    let top = &board["items"][0];
    assert_eq!(
        (
            top["rank"].as_i64(),
            top["points"].as_i64(),
            top["picks"].as_i64()
        ),
        (Some(1), Some(6), Some(7))
    );
    assert_close(&top["accuracy"], 0.8, "ann on the board");
    assert_eq!(board["items"][2]["points"], 4);
    // Among the people you follow: bob follows cat, so his board is bob and cat.
    let res = app
        .post("/api/v1/social/users/cat/follow")
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let following = expect_status(
        app.get("/api/v1/leaderboards?following=true")
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(usernames(&following), ["bob", "cat"], "{following}");
    assert_eq!(following["items"][0]["rank"], 1);
    expect_error(
        app.get("/api/v1/leaderboards?following=true")
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;
    let page = app.get_ok("/api/v1/leaderboards?limit=2&page=2").await;
    assert_eq!(usernames(&page), ["cat"]);
    assert_eq!(
        (page["items"][0]["rank"].as_i64(), page["total"].as_i64()),
        (Some(3), Some(3))
    );
    // The week (Monday to Sunday) of the fixtures has them all; the week before has nothing.
    let week = app
        .get_ok(&format!("/api/v1/leaderboards?period=week&date={wednesday}"))
        .await;
    assert_eq!(usernames(&week), ["ann", "bob", "cat"]);
    let monday: NaiveDate = wednesday - Duration::days(2);
    assert_eq!(week["from"], monday.to_string());
    assert_eq!(week["to"], (monday + Duration::days(6)).to_string());
    let before = app
        .get_ok(&format!(
            "/api/v1/leaderboards?period=week&date={}",
            wednesday - Duration::days(7)
        ))
        .await;
    assert_eq!(before["total"], 0);
    let league = app
        .get_ok("/api/v1/leaderboards?competition=premier-league&period=month")
        .await;
    assert_eq!(league["competition"], "premier-league");
    let month = app
        .get_ok(&format!(
            "/api/v1/leaderboards?competition=premier-league&period=month&date={wednesday}"
        ))
        .await;
    assert_eq!(usernames(&month), ["ann", "bob", "cat"]);
    expect_error(
        app.get("/api/v1/leaderboards?competition=no-such-league")
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // A result that arrives without the API (the CLI import writes the database from its own
    // process) is scored by the sweep: F4 3-0, cat's home pick ✓ → 5 points, streak ✓✓ = 2.
    pundit_server::db::entities::football_match::Entity::update_many()
        .col_expr(
            pundit_server::db::entities::football_match::Column::Status,
            Expr::value("finished"),
        )
        .col_expr(
            pundit_server::db::entities::football_match::Column::HomeGoals,
            Expr::value(3i16),
        )
        .col_expr(
            pundit_server::db::entities::football_match::Column::AwayGoals,
            Expr::value(0i16),
        )
        .filter(pundit_server::db::entities::football_match::Column::Id.eq(i32::try_from(f4).unwrap()))
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_eq!(pundit_server::picks::score_settled(&app.state).await.unwrap(), 1);
    assert_eq!(
        pundit_server::picks::score_settled(&app.state).await.unwrap(),
        0,
        "idempotent"
    );
    let s = app.get_ok("/api/v1/users/cat/stats").await;
    assert_eq!((s["points"].as_i64(), s["pending"].as_i64()), (Some(5), Some(0)));
    assert_eq!(
        (s["current_streak"].as_i64(), s["best_streak"].as_i64()),
        (Some(2), Some(2))
    );
    assert_close(&s["accuracy"], 1.0, "cat accuracy");

    // Beat the model, against the forecasts served before kick-off (model[i] for F(i+1)).
    let actual = ["home", "draw", "away", "home"];
    let hit = |i: usize| f64::from(u8::from(likeliest(model[i]) == actual[i]));
    let model_rps = |i: usize| hand_rps(model[i], actual[i]);
    let ann_edge = (model_rps(0) + model_rps(2)) / 2.0 - (0.09125 + 0.445) / 2.0;
    let cat_edge = model_rps(0) - 0.225;
    let versus = app.get_ok("/api/v1/leaderboards/model").await;
    assert_eq!(versus["model"], "best");
    let expected_order = if ann_edge >= cat_edge {
        ["ann", "cat", "bob"]
    } else {
        ["cat", "ann", "bob"]
    };
    assert_eq!(usernames(&versus), expected_order, "{versus}");
    let row = |name: &str| {
        versus["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["username"] == name)
            .unwrap()
            .clone()
    };
    let a = row("ann");
    assert_eq!(
        (a["probability_picks"].as_i64(), a["result_picks"].as_i64()),
        (Some(2), Some(3))
    );
    assert_close(&a["rps_edge"], ann_edge, "ann's edge");
    assert_close(&a["accuracy"], 2.0 / 3.0, "ann's result accuracy");
    assert_close(
        &a["model_accuracy"],
        (hit(0) + hit(1) + hit(2)) / 3.0,
        "model accuracy on ann's matches",
    );
    let c = row("cat");
    assert_close(&c["rps_edge"], cat_edge, "cat's edge");
    assert_close(
        &c["model_accuracy"],
        (hit(0) + hit(3)) / 2.0,
        "model accuracy on cat's matches",
    );
    let b = row("bob");
    assert!(b["rps"].is_null() && b["rps_edge"].is_null());
    assert_eq!(b["result_picks"], 3);
    let s = app.get_ok("/api/v1/users/ann/stats").await;
    assert_eq!(s["versus_model"], {
        let mut v = a.clone();
        let v = v.as_object_mut().unwrap();
        v.remove("rank");
        v.remove("username");
        Value::Object(v.clone())
    });

    // Notifications: one `pick_scored` per scored match, achievements each announced once.
    let inbox = get_as(&app, &ann, "/api/v1/notifications?limit=100").await;
    let count = |kind: &str| {
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["type"] == kind)
            .count()
    };
    assert_eq!((count("pick_scored"), count("achievement")), (3, 2), "{inbox}");
    let codes: Vec<String> = app
        .get_ok("/api/v1/users/cat/achievements")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes, ["first_pick", "first_exact_score"]);

    // Re-saving a result changes nothing; correcting one re-grades (F2 was 2-1, not 1-1):
    // ann loses her draw and under 2.5 (3 goals) → 4 points, 2 of 5; streak ✓✗✗ → 0, best 1.
    // bob loses his draw → 5 points, 3 of 6; streak ✗✗✓ → 1, best 1.
    // cat loses her 1-1 (3 points) → 2 points; her result picks (F1, F4) still run 2.
    finish(&app, &admin, f1, 2, 1).await;
    assert_eq!(app.get_ok("/api/v1/users/ann/stats").await["points"], 6);
    finish(&app, &admin, f2, 2, 1).await;
    let s = app.get_ok("/api/v1/users/ann/stats").await;
    assert_eq!((s["points"].as_i64(), s["correct"].as_i64()), (Some(4), Some(2)));
    assert_eq!(
        (s["current_streak"].as_i64(), s["best_streak"].as_i64()),
        (Some(0), Some(1))
    );
    assert_close(&s["accuracy"], 0.4, "ann after the correction");
    let s = app.get_ok("/api/v1/users/bob/stats").await;
    assert_eq!(
        (s["points"].as_i64(), s["current_streak"].as_i64()),
        (Some(5), Some(1))
    );
    let s = app.get_ok("/api/v1/users/cat/stats").await;
    assert_eq!(
        (s["points"].as_i64(), s["current_streak"].as_i64()),
        (Some(2), Some(2))
    );
    let board = app.get_ok("/api/v1/leaderboards").await;
    assert_eq!(usernames(&board), ["bob", "ann", "cat"]);
    let inbox = get_as(&app, &ann, "/api/v1/notifications?limit=100").await;
    let scored = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "pick_scored")
        .count();
    assert_eq!(scored, 3, "a correction is not a new result");
    let codes = app.get_ok("/api/v1/users/cat/achievements").await;
    assert_eq!(
        codes.as_array().unwrap().len(),
        2,
        "achievements are not taken back"
    );
}

#[tokio::test]
async fn five_right_results_in_a_row_earn_a_streak_achievement() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let admin = app.admin_token("boss").await;
    let dan = app.token_for("dan").await;
    let pairs = [
        ("Arsenal", "Chelsea"),
        ("Liverpool", "Everton"),
        ("Tottenham", "Fulham"),
        ("Man City", "Burnley"),
        ("Chelsea", "Arsenal"),
    ];
    let mut ids = Vec::new();
    for (i, (home, away)) in pairs.into_iter().enumerate() {
        let kickoff = Utc::now() + Duration::days(2) + Duration::hours(i64::try_from(i).unwrap());
        let id = fixture(&app, &admin, home, away, kickoff).await;
        pick(
            &app,
            &dan,
            json!({"match_id": id, "type": "result", "outcome": "home"}),
        )
        .await;
        ids.push(id);
    }
    for (i, &id) in ids.iter().enumerate() {
        finish(&app, &admin, id, 1, 0).await;
        let s = app.get_ok("/api/v1/users/dan/stats").await;
        assert_eq!(s["current_streak"], i + 1);
    }
    let codes: Vec<Value> = app
        .get_ok("/api/v1/users/dan/achievements")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].clone())
        .collect();
    assert_eq!(codes, [json!("first_pick"), json!("streak_5")]);
    let inbox = get_as(&app, &dan, "/api/v1/notifications?limit=100").await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["type"] == "achievement" && n["data"]["achievement"] == "streak_5"),
        "{inbox}"
    );
    assert_eq!(app.get_ok("/api/v1/leaderboards").await["items"][0]["points"], 5);
    let res = app.get("/api/v1/users/nobody/stats").send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}
