//! Private leagues: invite codes, membership and owner rules, the league leaderboard (the picks
//! board among members) and weekly winners.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use common::{TestApp, expect_error, expect_status, seed, spawn_app};
use reqwest::{Response, StatusCode};
use serde_json::{Value, json};

async fn post_as(app: &TestApp, token: &str, path: &str, body: Value) -> Response {
    app.post(path)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get_as(app: &TestApp, token: &str, path: &str) -> Response {
    app.get(path).bearer_auth(token).send().await.unwrap()
}

async fn ok(res: Response) -> Value {
    expect_status(res, StatusCode::OK).await
}

async fn create_league(app: &TestApp, token: &str, body: Value) -> Value {
    expect_status(
        post_as(app, token, "/api/v1/leagues", body).await,
        StatusCode::CREATED,
    )
    .await
}

async fn join(app: &TestApp, token: &str, code: &str) -> Response {
    post_as(app, token, "/api/v1/leagues/join", json!({"code": code})).await
}

fn usernames(items: &Value) -> Vec<&str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["username"].as_str().unwrap())
        .collect()
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[tokio::test]
async fn create_join_leave_and_owner_rules() {
    let app = spawn_app().await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let cat = app.token_for("cat").await;

    let res = app
        .post("/api/v1/leagues")
        .json(&json!({"name": "Office"}))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Validation: name length (after trimming), description length, unknown competition.
    for (body, field) in [
        (json!({"name": "ab"}), "name"),
        (json!({"name": "   ab   "}), "name"),
        (json!({"name": "x".repeat(61)}), "name"),
        (
            json!({"name": "Office", "description": "d".repeat(501)}),
            "description",
        ),
        (
            json!({"name": "Office", "competition": "no-such-league"}),
            "competition",
        ),
    ] {
        let res = post_as(&app, &ann, "/api/v1/leagues", body.clone()).await;
        let err = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert!(
            err["error"]["details"]["fields"][field].is_array(),
            "{body}: {err}"
        );
    }
    let res = join(&app, &ann, "").await;
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let league = create_league(
        &app,
        &ann,
        json!({"name": "  Office  ", "description": "Friday bragging"}),
    )
    .await;
    let id = s(&league["id"]).to_string();
    let code = s(&league["invite_code"]).to_string();
    assert_eq!(league["name"], "Office");
    assert_eq!(league["owner"], "ann");
    assert_eq!(league["is_owner"], true);
    assert_eq!(league["member_count"], 1);
    assert!(code.len() >= 8, "{code}");
    assert!(
        code.chars()
            .all(|c| "23456789ABCDEFGHJKLMNPQRSTUVWXYZ".contains(c)),
        "unambiguous alphabet: {code}"
    );
    let other = create_league(&app, &cat, json!({"name": "Cat's"})).await;
    assert_ne!(other["invite_code"], league["invite_code"]);

    // Outsiders see nothing of it, not even that it exists.
    let path = format!("/api/v1/leagues/{id}");
    expect_error(
        get_as(&app, &bob, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    for sub in ["leaderboard", "winners"] {
        let res = get_as(&app, &bob, &format!("{path}/{sub}")).await;
        expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    }
    expect_error(
        join(&app, &bob, "NOPE2345").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Joining ignores case and dashes, and is idempotent.
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let joined = ok(join(&app, &bob, &typed).await).await;
    assert_eq!(joined["id"], id.as_str());
    assert_eq!(joined["is_owner"], false);
    assert_eq!(ok(join(&app, &bob, &code).await).await["member_count"], 2);
    let detail = ok(get_as(&app, &bob, &path).await).await;
    assert_eq!(usernames(&detail["members"]), ["ann", "bob"]);
    assert_eq!(detail["members"][0]["is_owner"], true);
    let mine = ok(get_as(&app, &bob, "/api/v1/leagues").await).await;
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["name"], "Office");

    // Only the owner rotates the code or deletes the league.
    let rotate = format!("{path}/invite-code");
    let res = post_as(&app, &bob, &rotate, json!({})).await;
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app.delete(&path).bearer_auth(&bob).send().await.unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let rotated = ok(post_as(&app, &ann, &rotate, json!({})).await).await;
    let new_code = s(&rotated["invite_code"]).to_string();
    assert_ne!(new_code, code);
    expect_error(join(&app, &cat, &code).await, StatusCode::NOT_FOUND, "not_found").await;
    ok(join(&app, &cat, &new_code).await).await;

    // A member leaves; then the owner leaves and hands the league to the longest-standing member.
    let me = format!("{path}/members/me");
    let left = ok(app.delete(&me).bearer_auth(&bob).send().await.unwrap()).await;
    assert_eq!(left, json!({"league_deleted": false, "new_owner": null}));
    expect_error(
        get_as(&app, &bob, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let res = app.delete(&me).bearer_auth(&bob).send().await.unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let left = ok(app.delete(&me).bearer_auth(&ann).send().await.unwrap()).await;
    assert_eq!(left, json!({"league_deleted": false, "new_owner": "cat"}));
    let detail = ok(get_as(&app, &cat, &path).await).await;
    assert_eq!(detail["owner"], "cat");
    assert_eq!(usernames(&detail["members"]), ["cat"]);
    // The last member leaving deletes it.
    let left = ok(app.delete(&me).bearer_auth(&cat).send().await.unwrap()).await;
    assert_eq!(left, json!({"league_deleted": true, "new_owner": null}));
    expect_error(
        get_as(&app, &cat, &path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        join(&app, &ann, &new_code).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The owner deletes a league with members in it.
    let other_path = format!("/api/v1/leagues/{}", s(&other["id"]));
    ok(join(&app, &ann, s(&other["invite_code"])).await).await;
    let res = app.delete(&other_path).bearer_auth(&cat).send().await.unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    expect_error(
        get_as(&app, &ann, &other_path).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(ok(get_as(&app, &ann, "/api/v1/leagues").await).await["total"], 0);
}

async fn fixture(app: &TestApp, admin: &str, home: &str, away: &str) -> i64 {
    let kickoff = Utc::now() + Duration::days(3);
    app.create_fixture(admin, app.team_id(home).await, app.team_id(away).await, kickoff)
        .await
}

/// Moves the kick-off into the past, then records the final score.
async fn played(app: &TestApp, admin: &str, id: i64, at: DateTime<Utc>, home: i64, away: i64) {
    app.patch_match(admin, id, json!({"kickoff_at": at})).await;
    let body = json!({"status": "finished", "score": {"home": home, "away": away}});
    app.patch_match(admin, id, body).await;
}

async fn pick(app: &TestApp, token: &str, body: Value) {
    expect_status(
        post_as(app, token, "/api/v1/predictions", body).await,
        StatusCode::CREATED,
    )
    .await;
}

#[tokio::test]
async fn league_board_and_weekly_winners() {
    let app = spawn_app().await;
    seed(
        &app,
        &["premier-league/season-2324.csv", "la-liga/season-2324.csv"],
    )
    .await;
    let admin = app.admin_token("boss").await;
    let ann = app.token_for("ann").await;
    let bob = app.token_for("bob").await;
    let cat = app.token_for("cat").await;

    let league = create_league(&app, &ann, json!({"name": "Office"})).await;
    let path = format!("/api/v1/leagues/{}", s(&league["id"]));
    ok(join(&app, &bob, s(&league["invite_code"])).await).await;
    // Same members, but only La Liga picks count: none here.
    let liga = create_league(&app, &ann, json!({"name": "Liga only", "competition": "la-liga"})).await;
    assert_eq!(liga["competition"], "la-liga");
    ok(join(&app, &bob, s(&liga["invite_code"])).await).await;

    // Two weeks ago (week A) and last week (week B), Wednesdays.
    let today = Utc::now().date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let week_a: NaiveDate = monday - Duration::days(12);
    let week_b: NaiveDate = monday - Duration::days(5);
    let noon = |d: NaiveDate| d.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap()).and_utc();

    let f1 = fixture(&app, &admin, "Arsenal", "Chelsea").await;
    let f2 = fixture(&app, &admin, "Liverpool", "Everton").await;
    let r = |id: i64, outcome: &str| json!({"match_id": id, "type": "result", "outcome": outcome});
    let exact = |id: i64, h: i64, a: i64| json!({"match_id": id, "type": "exact_score", "home_goals": h, "away_goals": a});
    for (token, body) in [
        (&ann, r(f1, "home")),
        (&bob, r(f1, "home")),
        (&cat, exact(f1, 2, 1)),
        (&ann, r(f2, "away")),
        (&bob, exact(f2, 1, 1)),
        (&cat, r(f2, "draw")),
    ] {
        pick(&app, token, body).await;
    }
    // Week A, F1 2-1: ann 1, bob 1, cat 3. Week B, F2 1-1: ann 0, bob 3, cat 1.
    played(&app, &admin, f1, noon(week_a), 2, 1).await;
    played(&app, &admin, f2, noon(week_b), 1, 1).await;

    // The global board has cat; the league's only its members, with the same points.
    let global = app.get_ok("/api/v1/leaderboards").await;
    assert_eq!(usernames(&global["items"]), ["bob", "cat", "ann"]);
    let board = ok(get_as(&app, &ann, &format!("{path}/leaderboard")).await).await;
    assert_eq!(usernames(&board["items"]), ["bob", "ann"]);
    assert_eq!(board["total"], 2);
    for entry in board["items"].as_array().unwrap() {
        let same = global["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["username"] == entry["username"])
            .unwrap();
        for field in ["points", "picks", "correct", "accuracy"] {
            assert_eq!(entry[field], same[field], "{field} of {}", entry["username"]);
        }
    }
    assert_eq!(board["items"][0]["points"], 4);
    assert_eq!(board["items"][0]["rank"], 1);
    assert_eq!(board["items"][1]["points"], 1);

    let week = ok(get_as(
        &app,
        &bob,
        &format!("{path}/leaderboard?period=week&date={week_a}"),
    )
    .await)
    .await;
    assert_eq!(week["from"], (week_a - Duration::days(2)).to_string());
    assert_eq!(usernames(&week["items"]), ["ann", "bob"]);
    let liga_board = ok(get_as(
        &app,
        &ann,
        &format!("/api/v1/leagues/{}/leaderboard", s(&liga["id"])),
    )
    .await)
    .await;
    assert_eq!(liga_board["total"], 0);
    assert_eq!(liga_board["competition"], "la-liga");

    // Winners, newest week first: this week nobody yet, B bob, A a tie (both listed).
    let w = ok(get_as(&app, &bob, &format!("{path}/winners?weeks=3")).await).await;
    let weeks = w["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 3);
    assert_eq!(weeks[0]["from"], monday.to_string());
    assert_eq!(weeks[0]["winners"], json!([]));
    assert_eq!(weeks[1]["from"], (monday - Duration::days(7)).to_string());
    assert_eq!(weeks[1]["to"], (monday - Duration::days(1)).to_string());
    assert_eq!(usernames(&weeks[1]["winners"]), ["bob"]);
    assert_eq!(weeks[1]["winners"][0]["points"], 3);
    assert_eq!(usernames(&weeks[2]["winners"]), ["ann", "bob"]);
    assert_eq!(weeks[2]["winners"][1]["points"], 1);
    let default = ok(get_as(&app, &bob, &format!("{path}/winners")).await).await;
    assert_eq!(default["weeks"].as_array().unwrap().len(), 8);
    for bad in ["weeks=0", "weeks=53"] {
        let res = get_as(&app, &bob, &format!("{path}/winners?{bad}")).await;
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    let res = get_as(&app, &cat, &format!("{path}/winners")).await;
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}
