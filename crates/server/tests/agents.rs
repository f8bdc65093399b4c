//! Agents over HTTP and Socket.IO: lifecycle, the durable task queue (retries, cancel, one
//! result across instances), events, performance, workflows, webhooks and the remote Agent OS.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Router, extract::State, http::HeaderMap, routing::post};
use chrono::Utc;
use common::{TestApp, expect_error, expect_status, seed, socketio::SocketClient, spawn_sibling, spawn_with};
use hmac::{Hmac, KeyInit, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::Mutex;

async fn quick_app() -> TestApp {
    spawn_with(|c| {
        c.agent_lease = Duration::from_secs(2);
        c.agent_poll_interval = Duration::from_secs(1);
    })
    .await
}

async fn create_agent(app: &TestApp, admin: &str, body: Value) -> Value {
    let res = app
        .post("/api/v1/agents")
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::CREATED).await
}

async fn start_agent(app: &TestApp, admin: &str, id: &str) -> Value {
    let res = app
        .post(&format!("/api/v1/agents/{id}/start"))
        .bearer_auth(admin)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await
}

async fn queue_task(app: &TestApp, admin: &str, agent: &str, body: Value) -> Value {
    let res = app
        .post(&format!("/api/v1/agents/{agent}/tasks"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::CREATED).await
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    expect_status(
        app.get(path).bearer_auth(token).send().await.unwrap(),
        StatusCode::OK,
    )
    .await
}

/// Polls the agent's task list until `done` holds for some task (30 s at most).
async fn wait_for_task(app: &TestApp, token: &str, agent: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        let page = get_json(app, token, &format!("/api/v1/agents/{agent}/tasks?limit=100")).await;
        if let Some(t) = page["items"].as_array().unwrap().iter().find(|t| done(t)) {
            return t.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = get_json(app, token, &format!("/api/v1/agents/{agent}/tasks?limit=100")).await;
    panic!("no task reached the expected state: {page}");
}

async fn fixture(app: &TestApp, admin: &str) -> i64 {
    seed(
        app,
        &["premier-league/season-2223.csv", "premier-league/season-2324.csv"],
    )
    .await;
    let (home, away) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
    app.create_fixture(admin, home, away, Utc::now() + chrono::Duration::days(2))
        .await
}

#[tokio::test]
async fn a_started_forecaster_refreshes_upcoming_forecasts_and_reports_live() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let match_id = fixture(&app, &admin).await;
    let agent = create_agent(
        &app,
        &admin,
        json!({ "name": "Forecasts", "kind": "forecaster", "config": { "interval_secs": 3600, "params": { "days_ahead": 7 } } }),
    )
    .await;
    let id = agent["id"].as_str().unwrap().to_string();
    assert_eq!(agent["status"], "stopped");

    // A signed-in client follows the agent's room before it starts.
    let viewer = app.token_for("watcher").await;
    let mut socket = SocketClient::connected(app.addr, Some(json!({ "token": viewer }))).await;
    let ack = socket.emit_with_ack("joinAgent", json!({ "agent_id": id })).await;
    assert_eq!(ack["ok"], true, "{ack}");

    let started = start_agent(&app, &admin, &id).await;
    assert_eq!(started["status"], "running");
    let status = socket.expect_event("agentStatusUpdate").await;
    assert_eq!(status["status"], "running");
    assert_eq!(status["agent_id"], id.as_str());

    let done = wait_for_task(&app, &admin, &id, |t| t["status"] == "completed").await;
    assert_eq!(done["type"], "refresh_forecasts");
    assert_eq!(done["attempts"], 1);
    assert_eq!(done["result"]["matches"], 1, "{done}");
    assert_eq!(done["result"]["refreshed"], 1, "{done}");

    // The refreshed forecast was recorded for the upcoming match.
    let history = get_json(
        &app,
        &admin,
        &format!("/api/v1/matches/{match_id}/forecast/history"),
    )
    .await;
    assert!(history.to_string().contains("refit"), "{history}");

    // Live: the task's updates arrive in the room, ending with `completed`.
    let mut statuses = Vec::new();
    while let Some(update) = socket
        .maybe_event("agentTaskUpdate", Duration::from_secs(10))
        .await
    {
        statuses.push(update["task"]["status"].as_str().unwrap().to_string());
        if statuses.last().is_some_and(|s| s == "completed") {
            break;
        }
    }
    assert_eq!(
        statuses.last().map(String::as_str),
        Some("completed"),
        "{statuses:?}"
    );
    assert!(statuses.contains(&"running".to_string()), "{statuses:?}");
    let perf = socket.expect_event("agentPerformanceUpdate").await;
    assert_eq!(perf["performance"]["completed"], 1);

    let events = get_json(&app, &viewer, &format!("/api/v1/agents/{id}/events")).await;
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"started") && kinds.contains(&"task_completed"),
        "{kinds:?}"
    );

    let perf = get_json(&app, &viewer, &format!("/api/v1/agents/{id}/performance")).await;
    assert_eq!(perf["completed"], 1);
    assert_eq!(perf["failed"], 0);
    assert_eq!(perf["success_rate"], 1.0);
    assert!(perf["latency"]["p50_ms"].as_f64().unwrap() > 0.0);

    let status = get_json(&app, &viewer, &format!("/api/v1/agents/{id}/status")).await;
    assert_eq!(status["status"], "running");
    assert_eq!(status["pending_tasks"], 0);
    assert!(status["next_run_at"].is_string(), "scheduled again: {status}");
    let health = get_json(&app, &viewer, &format!("/api/v1/agents/{id}/health")).await;
    assert_eq!(health["health"], "healthy", "{health}");

    let stopped = expect_status(
        app.post(&format!("/api/v1/agents/{id}/stop"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(stopped["status"], "stopped");
    assert!(stopped["next_run_at"].is_null());
}

#[tokio::test]
async fn agent_input_is_checked_and_only_admins_change_agents() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let user = app.token_for("fan").await;
    let post = |token: &str, body: Value| {
        app.post("/api/v1/agents")
            .bearer_auth(token.to_string())
            .json(&body)
    };

    expect_error(
        post(&user, json!({ "name": "x", "kind": "forecaster" }))
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        post(&admin, json!({ "name": "x", "kind": "wizard" }))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    for config in [
        json!({ "interval_secs": 1 }),
        json!({ "max_attempts": 0 }),
        json!({ "colour": "red" }),
        json!({ "params": { "days_ahead": 500 } }),
        json!({ "params": { "model": "crystal-ball" } }),
    ] {
        let res = post(
            &admin,
            json!({ "name": "x", "kind": "forecaster", "config": config }),
        )
        .send()
        .await
        .unwrap();
        expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    }
    expect_error(
        post(&admin, json!({ "name": "x", "kind": "remote" }))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "agent_os_not_configured",
    )
    .await;
    expect_error(
        app.post("/api/v1/agents")
            .json(&json!({ "name": "x", "kind": "monitor" }))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthorized",
    )
    .await;

    let agent = create_agent(&app, &admin, json!({ "name": "Watch", "kind": "monitor" })).await;
    let id = agent["id"].as_str().unwrap();
    let tasks = format!("/api/v1/agents/{id}/tasks");
    let res = app
        .post(&tasks)
        .bearer_auth(&admin)
        .json(&json!({ "type": "remote_task" }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post(&tasks)
        .bearer_auth(&admin)
        .json(&json!({ "type": "check_drift", "params": { "days_ahead": 3 } }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post(&tasks)
        .bearer_auth(&admin)
        .json(&json!({ "type": "check_drift", "priority": 1000 }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post(&tasks)
        .bearer_auth(&user)
        .json(&json!({ "type": "check_drift" }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .patch(&format!("/api/v1/agents/{id}"))
        .bearer_auth(&admin)
        .json(&json!({ "config": { "interval_secs": 2 } }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .get(&format!("/api/v1/agents/{}", uuid::Uuid::now_v7()))
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .get("/api/v1/agents/not-a-uuid")
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let renamed = expect_status(
        app.patch(&format!("/api/v1/agents/{id}"))
            .bearer_auth(&admin)
            .json(&json!({ "name": "Drift watch", "config": { "interval_secs": 600 } }))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "Drift watch");
    assert_eq!(renamed["config"]["interval_secs"], 600);
    let list = get_json(&app, &user, "/api/v1/agents?kind=monitor").await;
    assert_eq!(list["total"], 1);
    let res = app
        .delete(&format!("/api/v1/agents/{id}"))
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .delete(&format!("/api/v1/agents/{id}"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(get_json(&app, &user, "/api/v1/agents").await["total"], 0);
}

#[tokio::test]
async fn a_failing_task_is_retried_with_backoff_then_fails_and_flags_the_agent() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let agent = create_agent(&app, &admin, json!({ "name": "F", "kind": "forecaster" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    start_agent(&app, &admin, &id).await;
    let mut socket = SocketClient::connected(app.addr, Some(json!({ "token": admin }))).await;
    socket.emit_with_ack("joinAgent", json!({ "agent_id": id })).await;
    let task = queue_task(
        &app,
        &admin,
        &id,
        json!({ "type": "refresh_forecasts", "params": { "competition": "no-such-league" }, "max_attempts": 2 }),
    )
    .await;
    assert_eq!(task["status"], "pending");

    let failed = wait_for_task(&app, &admin, &id, |t| t["status"] == "failed").await;
    assert_eq!(failed["attempts"], 2);
    assert!(
        failed["error"].as_str().unwrap().contains("no-such-league"),
        "{failed}"
    );
    // The retry waited for its backoff (2 s after the first attempt).
    let created = chrono::DateTime::parse_from_rfc3339(failed["created_at"].as_str().unwrap()).unwrap();
    let finished = chrono::DateTime::parse_from_rfc3339(failed["finished_at"].as_str().unwrap()).unwrap();
    assert!(
        finished - created >= chrono::Duration::milliseconds(1900),
        "{failed}"
    );

    let error = socket.expect_event("agentError").await;
    assert_eq!(error["task_id"], failed["id"]);
    let warnings = get_json(
        &app,
        &admin,
        &format!("/api/v1/agents/{id}/events?min_severity=warning"),
    )
    .await;
    let kinds: Vec<&str> = warnings["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["task_failed", "task_retry"]);
    let a = get_json(&app, &admin, &format!("/api/v1/agents/{id}")).await;
    assert_eq!(a["status"], "error");
    assert!(a["last_error"].as_str().unwrap().contains("no-such-league"));
    let health = get_json(&app, &admin, &format!("/api/v1/agents/{id}/health")).await;
    assert_eq!(health["health"], "degraded");
    assert_eq!(health["consecutive_failures"], 1);
    let perf = get_json(&app, &admin, &format!("/api/v1/agents/{id}/performance")).await;
    assert_eq!(
        (
            perf["completed"].as_u64(),
            perf["failed"].as_u64(),
            perf["retries"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    assert_eq!(perf["success_rate"], 0.0);
}

#[tokio::test]
async fn stopped_agents_hold_their_tasks_and_cancelled_tasks_never_run() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let agent = create_agent(&app, &admin, json!({ "name": "F", "kind": "forecaster" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    let first = queue_task(&app, &admin, &id, json!({ "type": "refresh_forecasts" })).await;
    let second = queue_task(
        &app,
        &admin,
        &id,
        json!({ "type": "refresh_forecasts", "priority": 5 }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let status = get_json(&app, &admin, &format!("/api/v1/agents/{id}/status")).await;
    assert_eq!(
        status["pending_tasks"], 2,
        "a stopped agent runs nothing: {status}"
    );

    let cancel = format!(
        "/api/v1/agents/{id}/tasks/{}/cancel",
        first["id"].as_str().unwrap()
    );
    let cancelled = expect_status(
        app.post(&cancel).bearer_auth(&admin).send().await.unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    expect_error(
        app.post(&cancel).bearer_auth(&admin).send().await.unwrap(),
        StatusCode::CONFLICT,
        "task_finished",
    )
    .await;

    start_agent(&app, &admin, &id).await;
    let done = wait_for_task(&app, &admin, &id, |t| t["status"] == "completed").await;
    assert_eq!(done["id"], second["id"]);
    let first_now = get_json(
        &app,
        &admin,
        &format!("/api/v1/agents/{id}/tasks/{}", first["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(first_now["status"], "cancelled");
    assert_eq!(first_now["attempts"], 0);
}

#[tokio::test]
async fn two_instances_share_the_queue_and_each_task_runs_once() {
    let a = quick_app().await;
    let b = spawn_sibling(&a).await;
    let admin = a.admin_token("ops").await;
    let agent = create_agent(&a, &admin, json!({ "name": "F", "kind": "notifier" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    for _ in 0..12 {
        queue_task(&a, &admin, &id, json!({ "type": "send_digest" })).await;
    }
    start_agent(&b, &admin, &id).await;
    for _ in 0..300 {
        let done = get_json(
            &b,
            &admin,
            &format!("/api/v1/agents/{id}/tasks?status=completed&limit=100"),
        )
        .await;
        if done["total"] == 12 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let all = get_json(&a, &admin, &format!("/api/v1/agents/{id}/tasks?limit=100")).await;
    let tasks = all["items"].as_array().unwrap();
    assert_eq!(tasks.len(), 12);
    for t in tasks {
        assert_eq!(t["status"], "completed", "{t}");
        assert_eq!(t["attempts"], 1, "claimed exactly once: {t}");
    }
    let events = get_json(
        &a,
        &admin,
        &format!("/api/v1/agents/{id}/events?type=task_completed&limit=100"),
    )
    .await;
    assert_eq!(events["total"], 12, "one completion per task");
}

#[tokio::test]
async fn workflows_run_steps_in_order_and_skip_steps_whose_condition_fails() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let match_id = fixture(&app, &admin).await;
    let agent = create_agent(&app, &admin, json!({ "name": "Pipeline", "kind": "forecaster" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    start_agent(&app, &admin, &id).await;

    let bad = json!({ "name": "w", "steps": [{ "type": "send_digest", "when": { "step": 0, "field": "x", "op": "gt", "value": 1 } }] });
    let res = app
        .post(&format!("/api/v1/agents/{id}/workflows"))
        .bearer_auth(&admin)
        .json(&bad)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let body = json!({
        "name": "refresh then digest",
        "run": true,
        "steps": [
            { "type": "refresh_forecasts", "params": { "days_ahead": 3 } },
            { "type": "send_digest", "when": { "step": 0, "field": "refreshed", "op": "gte", "value": 1 } },
            { "type": "refresh_forecasts", "when": { "step": 0, "field": "refreshed", "op": "gt", "value": 100 } },
            { "type": "send_digest", "params": { "hours_ahead": 72 } }
        ]
    });
    let res = app
        .post(&format!("/api/v1/agents/{id}/workflows"))
        .bearer_auth(&admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    let workflow = expect_status(res, StatusCode::CREATED).await;
    let wid = workflow["id"].as_str().unwrap().to_string();
    assert_eq!(workflow["executions"][0]["status"], "running");

    let mut execution = Value::Null;
    for _ in 0..300 {
        let list = get_json(&app, &admin, &format!("/api/v1/agents/{id}/workflows")).await;
        execution = list[0]["executions"][0].clone();
        if execution["status"] != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(execution["status"], "completed", "{execution}");
    let steps: Vec<&str> = execution["data"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["completed", "completed", "skipped", "completed"]);
    assert_eq!(execution["data"]["steps"][0]["result"]["refreshed"], 1);
    assert_eq!(execution["current_step"], 3);
    let history = get_json(
        &app,
        &admin,
        &format!("/api/v1/matches/{match_id}/forecast/history"),
    )
    .await;
    assert!(history.to_string().contains("refit"), "{history}");

    // Run again on request: a second execution.
    let run = app
        .post(&format!("/api/v1/agents/{id}/workflows/{wid}/run"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_status(run, StatusCode::CREATED).await;
    let list = get_json(&app, &admin, &format!("/api/v1/agents/{id}/workflows")).await;
    assert_eq!(list[0]["executions"].as_array().unwrap().len(), 2);
}

/// A webhook request as received: headers and body.
type Call = (HeaderMap, Vec<u8>);

/// Records webhook calls; answers 500 to the first `fail_first` of them.
#[derive(Clone, Default)]
struct Hook {
    calls: Arc<Mutex<Vec<Call>>>,
    seen: Arc<AtomicUsize>,
    fail_first: usize,
}

async fn hook(State(h): State<Hook>, headers: HeaderMap, body: axum::body::Bytes) -> StatusCode {
    let n = h.seen.fetch_add(1, Ordering::SeqCst);
    if n < h.fail_first {
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    h.calls.lock().await.push((headers, body.to_vec()));
    StatusCode::NO_CONTENT
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn webhooks_are_signed_retried_and_logged_and_secrets_are_shown_once() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let state = Hook {
        fail_first: 1,
        ..Hook::default()
    };
    let url = serve(Router::new().route("/hook", post(hook)).with_state(state.clone())).await;

    let res = app
        .post("/api/v1/agents/integrations")
        .bearer_auth(&admin)
        .json(&json!({ "name": "x", "url": "ftp://example.com/x", "events": ["agentEvent"] }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post("/api/v1/agents/integrations")
        .bearer_auth(&admin)
        .json(&json!({ "name": "x", "url": format!("{url}/hook"), "events": ["somethingElse"] }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let user = app.token_for("fan").await;
    let res = app
        .get("/api/v1/agents/integrations")
        .bearer_auth(&user)
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::FORBIDDEN, "forbidden").await;

    let res = app
        .post("/api/v1/agents/integrations")
        .bearer_auth(&admin)
        .json(&json!({ "name": "Ops channel", "url": format!("{url}/hook"), "events": ["agentEvent"] }))
        .send()
        .await
        .unwrap();
    let created = expect_status(res, StatusCode::CREATED).await;
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.len() >= 32, "{created}");

    let agent = create_agent(&app, &admin, json!({ "name": "Watch", "kind": "monitor" })).await;
    let id = agent["id"].as_str().unwrap();
    let res = app
        .post(&format!("/api/v1/agents/{id}/events"))
        .bearer_auth(&admin)
        .json(&json!({ "type": "note", "severity": "warning", "message": "keep an eye on La Liga" }))
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::CREATED).await;

    // First attempt answered 500; the retry (after its 2 s backoff) is delivered.
    let mut delivered = None;
    for _ in 0..100 {
        if let Some(call) = state.calls.lock().await.first().cloned() {
            delivered = Some(call);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (headers, body) = delivered.expect("webhook delivered after a retry");
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_string();
    assert_eq!(header("x-pundit-event"), "agentEvent");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.", header("x-pundit-timestamp")).as_bytes());
    mac.update(&body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(header("x-pundit-signature"), format!("sha256={expected}"));
    let payload: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["event"], "agentEvent");
    assert_eq!(payload["data"]["event"]["message"], "keep an eye on La Liga");
    assert_eq!(payload["data"]["agent_id"], id);

    let list = get_json(&app, &admin, "/api/v1/agents/integrations").await;
    assert!(
        list[0].get("secret").is_none(),
        "secret never shown again: {list}"
    );
    let deliveries = list[0]["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0]["status"], "delivered");
    assert_eq!(deliveries[0]["attempts"], 2);
    assert_eq!(deliveries[0]["response_status"], 204);
}

/// A fake Agent OS: registers agents and answers tasks (after `delay` on the first task call).
#[derive(Clone, Default)]
struct FakeOs {
    tasks: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<Value>>>,
}

fn fake_os(os: FakeOs) -> Router {
    Router::new()
        .route(
            "/agents",
            post(|| async { axum::Json(json!({ "id": "os-agent-7", "status": "active" })) }),
        )
        .route(
            "/agents/{id}/status",
            axum::routing::get(
                |axum::extract::Path(id): axum::extract::Path<String>| async move {
                    axum::Json(json!({ "id": id, "status": "active", "queue": 0 }))
                },
            ),
        )
        .route(
            "/insights/match/{id}",
            axum::routing::get(|axum::extract::Path(id): axum::extract::Path<i64>| async move {
                axum::Json(json!({ "insights": [
                    { "type": "tactical", "title": "Press high", "content": format!("Match {id}: the away side struggles against a high press."), "confidence": 0.7 },
                    { "text": "Set pieces decide it." }
                ] }))
            }),
        )
        .route(
            "/agents/{id}/tasks",
            post(
                |State(os): State<FakeOs>, axum::Json(body): axum::Json<Value>| async move {
                    let n = os.tasks.fetch_add(1, Ordering::SeqCst) + 1;
                    os.bodies.lock().await.push(body);
                    axum::Json(json!({ "status": "completed", "output": { "call": n } }))
                },
            ),
        )
        .with_state(os)
}

#[tokio::test]
async fn remote_agents_delegate_to_the_agent_os_and_its_outage_opens_the_circuit() {
    let os = FakeOs::default();
    let url = serve(fake_os(os.clone())).await;
    let app = spawn_with(|c| {
        c.agent_lease = Duration::from_secs(2);
        c.agent_poll_interval = Duration::from_secs(1);
        c.agent_os_url = Some(url.clone());
    })
    .await;
    let admin = app.admin_token("ops").await;
    let agent = create_agent(&app, &admin, json!({ "name": "Remote", "kind": "remote" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    let started = start_agent(&app, &admin, &id).await;
    assert_eq!(started["remote_id"], "os-agent-7");

    let task = queue_task(
        &app,
        &admin,
        &id,
        json!({ "type": "remote_task", "params": { "type": "scout", "team": "Arsenal" } }),
    )
    .await;
    let done = wait_for_task(&app, &admin, &id, |t| {
        t["id"] == task["id"] && t["status"] == "completed"
    })
    .await;
    assert_eq!(done["result"]["output"]["call"], 1);
    let sent = os.bodies.lock().await[0].clone();
    assert_eq!(sent["task_type"], "scout");
    assert_eq!(sent["input"]["team"], "Arsenal");
    let status = get_json(&app, &admin, &format!("/api/v1/agents/{id}/status")).await;
    assert_eq!(status["remote"]["status"], "active");
    let services = app.get_ok("/api/v1/gateway/services").await;
    let os_status = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "agent-os")
        .expect("agent-os listed");
    assert_eq!(os_status["kind"], "agent_os");
    assert_eq!(os_status["health"], "up", "{os_status}");

    // The Agent OS's insights on a match become this agent's insights.
    let admin_match = {
        seed(&app, &["premier-league/season-2324.csv"]).await;
        let (home, away) = (app.team_id("Arsenal").await, app.team_id("Chelsea").await);
        app.create_fixture(&admin, home, away, Utc::now() + chrono::Duration::days(1))
            .await
    };
    let task = queue_task(
        &app,
        &admin,
        &id,
        json!({ "type": "remote_insights", "params": { "match_id": admin_match } }),
    )
    .await;
    let done = wait_for_task(&app, &admin, &id, |t| {
        t["id"] == task["id"] && t["status"] == "completed"
    })
    .await;
    assert_eq!(done["result"]["stored"], 2, "{done}");
    let stored = get_json(
        &app,
        &admin,
        &format!("/api/v1/agents/{id}/insights?match_id={admin_match}"),
    )
    .await;
    let titles: Vec<&str> = stored["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Agent OS insight", "Press high"]);
    assert_eq!(stored["items"][1]["confidence"], 0.7);
    assert_eq!(stored["items"][1]["source"], "agent");

    // A built-in task is not for a remote agent.
    let res = app
        .post(&format!("/api/v1/agents/{id}/tasks"))
        .bearer_auth(&admin)
        .json(&json!({ "type": "refresh_forecasts" }))
        .send()
        .await
        .unwrap();
    expect_error(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
}

#[tokio::test]
async fn when_the_agent_os_dies_tasks_fail_and_its_circuit_opens() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server =
        tokio::spawn(async move { axum::serve(listener, fake_os(FakeOs::default())).await.unwrap() });
    let app = spawn_with(|c| {
        c.agent_lease = Duration::from_secs(2);
        c.agent_poll_interval = Duration::from_secs(1);
        c.agent_os_url = Some(url.clone());
        c.agent_os_timeout = Duration::from_secs(1);
    })
    .await;
    let admin = app.admin_token("ops").await;
    let agent = create_agent(&app, &admin, json!({ "name": "Remote", "kind": "remote" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    start_agent(&app, &admin, &id).await;
    server.abort();
    let _ = server.await;

    for _ in 0..3 {
        let task = queue_task(
            &app,
            &admin,
            &id,
            json!({ "type": "remote_task", "max_attempts": 1 }),
        )
        .await;
        let failed = wait_for_task(&app, &admin, &id, |t| {
            t["id"] == task["id"] && t["status"] == "failed"
        })
        .await;
        assert!(failed["error"].as_str().unwrap().contains("Agent OS"), "{failed}");
    }
    let task = queue_task(
        &app,
        &admin,
        &id,
        json!({ "type": "remote_task", "max_attempts": 1 }),
    )
    .await;
    let failed = wait_for_task(&app, &admin, &id, |t| {
        t["id"] == task["id"] && t["status"] == "failed"
    })
    .await;
    assert!(
        failed["error"].as_str().unwrap().contains("circuit open"),
        "{failed}"
    );
    let health = get_json(&app, &admin, &format!("/api/v1/agents/{id}/health")).await;
    assert_eq!(health["health"], "unhealthy", "{health}");
    assert!(health["problems"].to_string().contains("circuit"), "{health}");
}

#[tokio::test]
async fn an_analyst_writes_match_insights_and_the_agent_room_hears_them() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let match_id = fixture(&app, &admin).await;
    let agent = create_agent(
        &app,
        &admin,
        json!({ "name": "Analyst", "kind": "analyst", "config": { "params": { "days_ahead": 5 } } }),
    )
    .await;
    let id = agent["id"].as_str().unwrap().to_string();
    let mut socket = SocketClient::connected(app.addr, Some(json!({ "token": admin }))).await;
    socket.emit_with_ack("joinAgent", json!({ "agent_id": id })).await;
    start_agent(&app, &admin, &id).await;
    queue_task(&app, &admin, &id, json!({ "type": "write_insights" })).await;

    let done = wait_for_task(&app, &admin, &id, |t| t["status"] == "completed").await;
    assert_eq!(done["result"]["written"], 1, "{done}");
    assert_eq!(done["result"]["deterministic"], 1, "no LLM configured: {done}");
    let heard = socket.expect_event("agentInsight").await;
    assert_eq!(heard["insight"]["match_id"], match_id);
    assert_eq!(heard["insight"]["source"], "deterministic");
    assert!(
        heard["insight"]["content"].as_str().unwrap().contains("Arsenal"),
        "{heard}"
    );

    // The same insight is the match's, and the agent's.
    let for_match = get_json(&app, &admin, &format!("/api/v1/matches/{match_id}/insights")).await;
    assert_eq!(for_match["items"][0]["id"], heard["insight"]["id"]);
    assert_eq!(for_match["items"][0]["agent_id"], id.as_str());
    let mine = get_json(&app, &admin, &format!("/api/v1/agents/{id}/insights")).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");

    // Insights recorded through the API, validated, filtered by confidence.
    let post = |body: Value| {
        app.post(&format!("/api/v1/agents/{id}/insights"))
            .bearer_auth(admin.clone())
            .json(&body)
    };
    expect_error(
        post(json!({ "type": "note", "content": "x", "confidence": 1.5 }))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    expect_error(
        post(json!({ "type": "note", "content": "x", "confidence": 0.5, "match_id": 999_999 }))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let created = expect_status(post(json!({ "type": "recommendation", "content": "Back the draw at 4.0 or longer.", "confidence": 0.99, "match_id": match_id })).send().await.unwrap(), StatusCode::CREATED).await;
    assert_eq!(created["source"], "agent");
    let heard = socket.expect_event("agentInsight").await;
    assert_eq!(heard["insight"]["id"], created["id"]);
    let confident = get_json(
        &app,
        &admin,
        &format!("/api/v1/agents/{id}/insights?min_confidence=0.97"),
    )
    .await;
    assert_eq!(confident["items"].as_array().unwrap().len(), 1);
    assert_eq!(confident["items"][0]["kind"], "recommendation");
}

#[tokio::test]
async fn admins_command_agents_over_socket_io() {
    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let fan = app.token_for("fan").await;
    let agent = create_agent(
        &app,
        &admin,
        json!({ "name": "Digest", "kind": "notifier", "config": { "params": { "hours_ahead": 72 } } }),
    )
    .await;
    let id = agent["id"].as_str().unwrap().to_string();
    let match_id = fixture(&app, &admin).await;
    let res = app
        .post("/api/v1/predictions")
        .bearer_auth(&fan)
        .json(&json!({ "match_id": match_id, "type": "result", "outcome": "home" }))
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::CREATED).await;

    let mut fan_socket = SocketClient::connected(app.addr, Some(json!({ "token": fan }))).await;
    let refused = fan_socket
        .emit_with_ack("agentCommand", json!({ "agent_id": id, "command": "start" }))
        .await;
    assert_eq!(refused["ok"], false);
    assert_eq!(refused["error"]["code"], "forbidden");
    let error = fan_socket.expect_event("agentError").await;
    assert_eq!(error["error"]["code"], "forbidden");

    let mut socket = SocketClient::connected(app.addr, Some(json!({ "token": admin }))).await;
    socket.emit_with_ack("joinAgent", json!({ "agent_id": id })).await;
    let started = socket
        .emit_with_ack("agentCommand", json!({ "agent_id": id, "command": "start" }))
        .await;
    assert_eq!(started["result"]["agent"]["status"], "running", "{started}");
    let run = socket
        .emit_with_ack("agentCommand", json!({ "agent_id": id, "command": "run" }))
        .await;
    let task_id = run["result"]["task"]["id"].as_str().unwrap().to_string();
    assert_eq!(run["result"]["task"]["type"], "send_digest");
    let done = wait_for_task(&app, &admin, &id, |t| {
        t["id"] == task_id.as_str() && t["status"] == "completed"
    })
    .await;
    assert_eq!(done["result"]["users_notified"], 1, "{done}");
    let digest = fan_socket.expect_event("notification:new").await;
    assert_eq!(digest["title"], "Your matchday digest");
    assert!(
        digest["body"]
            .as_str()
            .unwrap()
            .starts_with("1 of your picked matches"),
        "{digest}"
    );
    let bad = socket
        .emit_with_ack("agentCommand", json!({ "agent_id": id, "command": "explode" }))
        .await;
    assert_eq!(bad["error"]["code"], "bad_request");
    let stopped = socket
        .emit_with_ack("agentCommand", json!({ "agent_id": id, "command": "stop" }))
        .await;
    assert_eq!(stopped["result"]["agent"]["status"], "stopped");
}

#[tokio::test]
async fn scheduled_workflows_start_when_due_while_their_agent_runs() {
    use pundit_server::db::entities::agent_workflow;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

    let app = quick_app().await;
    let admin = app.admin_token("ops").await;
    let agent = create_agent(&app, &admin, json!({ "name": "Digest", "kind": "notifier" })).await;
    let id = agent["id"].as_str().unwrap().to_string();
    let body =
        json!({ "name": "hourly digest", "schedule_secs": 3600, "steps": [{ "type": "send_digest" }] });
    let res = app
        .post(&format!("/api/v1/agents/{id}/workflows"))
        .bearer_auth(&admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    let workflow = expect_status(res, StatusCode::CREATED).await;
    assert!(workflow["executions"].as_array().unwrap().is_empty());
    let wid: uuid::Uuid = workflow["id"].as_str().unwrap().parse().unwrap();

    // Make it due now.
    let due = async || {
        let w = agent_workflow::Entity::find_by_id(wid)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        let mut row = w.into_active_model();
        row.next_run_at = Set(Some(Utc::now() - chrono::Duration::seconds(1)));
        row.update(&app.state.db).await.unwrap();
    };
    due().await;
    pundit_server::agents::scheduler::tick_once(&app.state)
        .await
        .unwrap();
    let list = get_json(&app, &admin, &format!("/api/v1/agents/{id}/workflows")).await;
    assert!(
        list[0]["executions"].as_array().unwrap().is_empty(),
        "a stopped agent's schedule waits"
    );

    start_agent(&app, &admin, &id).await;
    pundit_server::agents::scheduler::tick_once(&app.state)
        .await
        .unwrap();
    let list = get_json(&app, &admin, &format!("/api/v1/agents/{id}/workflows")).await;
    assert_eq!(list[0]["executions"].as_array().unwrap().len(), 1, "{list}");
    let next = chrono::DateTime::parse_from_rfc3339(list[0]["next_run_at"].as_str().unwrap()).unwrap();
    assert!(
        next > Utc::now() + chrono::Duration::minutes(59),
        "next run an hour on: {next}"
    );
    // Not due again: a second tick starts nothing.
    pundit_server::agents::scheduler::tick_once(&app.state)
        .await
        .unwrap();
    let list = get_json(&app, &admin, &format!("/api/v1/agents/{id}/workflows")).await;
    assert_eq!(list[0]["executions"].as_array().unwrap().len(), 1);
}
