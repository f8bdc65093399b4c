#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::time::Duration;

use common::{expect_error, expect_status, seed, spawn_app, spawn_with};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn competitions_seasons_and_standings() {
    let app = spawn_app().await;
    seed(
        &app,
        &[
            "premier-league/season-2223.csv",
            "premier-league/season-2324.csv",
            "la-liga/season-2324.csv",
        ],
    )
    .await;

    let all = app.get_ok("/api/v1/competitions").await;
    let slugs: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["la-liga", "premier-league"]);

    let pl = app.get_ok("/api/v1/competitions/premier-league").await;
    assert_eq!(pl["name"], "Premier League");
    let seasons: Vec<&str> = pl["seasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(seasons, ["2023-24", "2022-23"]);
    let by_id = app.get_ok(&format!("/api/v1/competitions/{}", pl["id"])).await;
    assert_eq!(by_id["slug"], "premier-league");

    // 2023-24 final table: Man City 91, Arsenal 89; Sheffield United bottom with 16.
    let table = app.get_ok("/api/v1/competitions/premier-league/standings").await;
    assert_eq!(table["season"], "2023-24");
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 20);
    assert_eq!(
        (rows[0]["team"]["name"].as_str(), rows[0]["points"].as_u64()),
        (Some("Man City"), Some(91))
    );
    assert_eq!(
        (rows[1]["team"]["name"].as_str(), rows[1]["points"].as_u64()),
        (Some("Arsenal"), Some(89))
    );
    assert_eq!(
        (rows[19]["team"]["name"].as_str(), rows[19]["points"].as_u64()),
        (Some("Sheffield United"), Some(16))
    );
    assert_eq!(rows[0]["played"], 38);
    assert_eq!(rows[0]["form"].as_str().unwrap().len(), 5);
    let older = app
        .get_ok("/api/v1/competitions/premier-league/standings?season=2022-23")
        .await;
    assert_eq!(older["rows"][0]["team"]["name"], "Man City");

    expect_error(
        app.get("/api/v1/competitions/nope").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let res = app
        .get("/api/v1/competitions/premier-league/standings?season=1888-89")
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn match_list_filters_sorts_and_pages() {
    let app = spawn_app().await;
    seed(
        &app,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;

    let season = app
        .get_ok("/api/v1/matches?competition=premier-league&season=2023-24&limit=100")
        .await;
    assert_eq!(season["total"], 380);
    assert_eq!(season["items"].as_array().unwrap().len(), 100);
    assert_eq!(
        season["items"][0]["home_team"]["name"], "Burnley",
        "opening match first"
    );

    let last_page = app
        .get_ok("/api/v1/matches?competition=premier-league&season=2023-24&limit=100&page=4")
        .await;
    assert_eq!(last_page["items"].as_array().unwrap().len(), 80);

    let newest = app.get_ok("/api/v1/matches?sort=kickoff_desc&limit=1").await;
    assert_eq!(
        newest["items"][0]["kickoff_at"].as_str().unwrap()[..10],
        *"2024-05-19"
    );
    assert_eq!(newest["total"], 760);

    let arsenal = app.team_id("Arsenal").await;
    let theirs = app
        .get_ok(&format!(
            "/api/v1/matches?team={arsenal}&season=2023-24&competition=premier-league"
        ))
        .await;
    assert_eq!(theirs["total"], 38);

    let window = app.get_ok("/api/v1/matches?from=2023-12-26&to=2023-12-26").await;
    assert!(window["total"].as_u64().unwrap() >= 5);
    let finished = app.get_ok("/api/v1/matches?status=finished&limit=1").await;
    assert_eq!(finished["total"], 760);
    let scheduled = app.get_ok("/api/v1/matches?status=scheduled").await;
    assert_eq!(scheduled["total"], 0);

    let first = &season["items"][0];
    assert_eq!(first["score"], json!({"home": 0, "away": 3}));
    let detail = app.get_ok(&format!("/api/v1/matches/{}", first["id"])).await;
    assert_eq!(detail["stats"]["shots"]["away"], 17);
    assert_eq!(detail["referee"], "C Pawson");

    for (query, status, code) in [
        (
            "from=2024-01-02&to=2024-01-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        (
            "season=2023-24",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        ),
        ("from=yesterday", StatusCode::BAD_REQUEST, "bad_request"),
        ("status=exploded", StatusCode::BAD_REQUEST, "bad_request"),
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        ("competition=nowhere", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let res = app.get(&format!("/api/v1/matches?{query}")).send().await.unwrap();
        expect_error(res, status, code).await;
    }
    expect_error(
        app.get("/api/v1/matches/999999").send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        app.get("/api/v1/matches/abc").send().await.unwrap(),
        StatusCode::BAD_REQUEST,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn teams_and_head_to_head() {
    let app = spawn_app().await;
    seed(
        &app,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;
    let teams = app
        .get_ok("/api/v1/teams?competition=premier-league&limit=100")
        .await;
    assert_eq!(teams["total"], 23, "20 clubs plus the three promoted in 2023-24");
    let found = app.get_ok("/api/v1/teams?q=man").await;
    let names: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Man City", "Man United"]);

    let (arsenal, chelsea) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
    let h2h = app
        .get_ok(&format!("/api/v1/teams/{arsenal}/head-to-head/{chelsea}"))
        .await;
    assert_eq!(h2h["played"], 4);
    assert_eq!(
        h2h["wins"].as_u64().unwrap() + h2h["draws"].as_u64().unwrap() + h2h["losses"].as_u64().unwrap(),
        4
    );
    assert_eq!(h2h["matches"].as_array().unwrap().len(), 4);
    let res = app
        .get(&format!("/api/v1/teams/{arsenal}/head-to-head/{arsenal}"))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn admins_create_update_and_delete_matches_with_validation() {
    let app = spawn_app().await;
    seed(&app, &["premier-league/season-2324.csv"]).await;
    let admin = app.admin_token("boss").await;
    let user = app.token_for("fan").await;
    let (arsenal, chelsea) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
    let fixture = json!({"competition": "premier-league", "home_team_id": arsenal, "away_team_id": chelsea,
        "kickoff_at": "2025-08-16T14:00:00Z"});

    let res = app
        .post("/api/v1/matches")
        .bearer_auth(&user)
        .json(&fixture)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    let mut same = fixture.clone();
    same["away_team_id"] = json!(arsenal);
    let res = app
        .post("/api/v1/matches")
        .bearer_auth(&admin)
        .json(&same)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let mut unknown = fixture.clone();
    unknown["home_team_id"] = json!(999_999);
    let res = app
        .post("/api/v1/matches")
        .bearer_auth(&admin)
        .json(&unknown)
        .send()
        .await
        .unwrap();
    let err = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        err["error"]["details"]["fields"]["home_team_id"][0]["code"],
        "unknown_team"
    );

    let created = expect_status(
        app.post("/api/v1/matches")
            .bearer_auth(&admin)
            .json(&fixture)
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(created["status"], "scheduled");
    assert_eq!(created["season"], "2025-26", "season derived from the date");
    let id = created["id"].as_i64().unwrap();
    let res = app
        .post("/api/v1/matches")
        .bearer_auth(&admin)
        .json(&fixture)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::CONFLICT, "match_exists").await;
    let upcoming = app.get_ok("/api/v1/matches?status=scheduled").await;
    assert_eq!(upcoming["total"], 1);

    // Going live is broadcast to the match's topic.
    let mut events = app.state.bus.subscribe();
    let live = json!({"status": "live", "minute": 12, "score": {"home": 1, "away": 0}});
    let res = app
        .patch(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .json(&live)
        .send()
        .await
        .unwrap();
    assert_eq!(expect_status(res, StatusCode::OK).await["minute"], 12);
    let event = tokio::time::timeout(Duration::from_secs(5), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (event.topic.as_str(), event.name.as_str()),
        (format!("match:{id}").as_str(), "match:update")
    );
    assert_eq!(event.data["score"], json!({"home": 1, "away": 0}));

    let finish = json!({"status": "finished", "score": {"home": 2, "away": 1}});
    let res = app
        .patch(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .json(&finish)
        .send()
        .await
        .unwrap();
    let done = expect_status(res, StatusCode::OK).await;
    assert_eq!(
        (done["status"].as_str(), done["minute"].is_null()),
        (Some("finished"), true)
    );
    let back = json!({"status": "scheduled"});
    let res = app
        .patch(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .json(&back)
        .send()
        .await
        .unwrap();
    let err = expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(
        err["error"]["details"]["fields"]["status"][0]["code"],
        "invalid_transition"
    );
    let negative = json!({"score": {"home": -1, "away": 0}});
    let res = app
        .patch(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .json(&negative)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let mut later = fixture.clone();
    later["kickoff_at"] = json!("2025-09-20T14:00:00Z");
    let second = expect_status(
        app.post("/api/v1/matches")
            .bearer_auth(&admin)
            .json(&later)
            .send()
            .await
            .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    let no_score = json!({"status": "finished"});
    let res = app
        .patch(&format!("/api/v1/matches/{}", second["id"]))
        .bearer_auth(&admin)
        .json(&no_score)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let res = app
        .delete(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::NO_CONTENT).await;
    let res = app
        .delete(&format!("/api/v1/matches/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_first_start_imports_the_demo_seasons_once() {
    let app = spawn_with(|c| c.demo_data = true).await;
    let all = app.get_ok("/api/v1/matches?limit=1").await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 10_000, "{total}");
    assert_eq!(
        app.get_ok("/api/v1/competitions").await.as_array().unwrap().len(),
        5
    );
    // A restart on the same database does not import again.
    let again = common::spawn_sibling(&app).await;
    assert_eq!(
        again.get_ok("/api/v1/matches?limit=1").await["total"].as_u64(),
        Some(total)
    );
}
