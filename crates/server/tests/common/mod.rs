//! `spawn_app()`: a real server on port 0 with a fresh database per test — a temp SQLite file by
//! default, a new PostgreSQL database when `DATABASE_URL` is set — and its own Redis namespace
//! when `REDIS_URL` is set. Logs only with `TEST_LOG=1`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod socketio;

use std::{net::SocketAddr, sync::Once};

use pundit_server::{
    app,
    config::{Config, Secret},
    state::AppState,
};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: Client,
    pub state: AppState,
    pub config: Config,
    shutdown: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

pub const PASSWORD: &str = "tangerine-Orbit-42";

fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("info")
                .with_test_writer()
                .try_init();
        }
    });
}

/// A fresh PostgreSQL database on the server `DATABASE_URL` points at.
async fn fresh_postgres(base_url: &str) -> String {
    let name = format!("pundit_test_{}", Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(base_url)
        .await
        .expect("connect to DATABASE_URL");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (prefix, _) = base_url
        .rsplit_once('/')
        .expect("DATABASE_URL ends in /<database>");
    format!("{prefix}/{name}")
}

/// The configuration of a fresh test app; tweak it before `spawn_with`.
pub async fn test_config() -> (Config, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        data_dir: dir.path().to_path_buf(),
        bind: "127.0.0.1:0".parse().unwrap(),
        jwt_secret: Some(Secret::new(format!("test-secret-{}", Uuid::new_v4()))),
        database_max_connections: 5,
        demo_data: false,
        // Tests never reach the internet: no polling, no default news feed.
        live_polling: false,
        gateway_check_interval: std::time::Duration::ZERO,
        news_feeds: Vec::new(),
        ..Config::default()
    };
    if let Ok(url) = std::env::var("DATABASE_URL") {
        config.database_url = Some(Secret::new(fresh_postgres(&url).await));
    }
    if let Ok(url) = std::env::var("REDIS_URL") {
        config.redis_url = Some(Secret::new(url));
        config.redis_namespace = format!("pundit-test-{}", Uuid::new_v4());
    }
    (config, dir)
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let (mut config, dir) = test_config().await;
    tweak(&mut config);
    start(config, dir).await
}

/// Another instance sharing this one's database, Redis and secret: what a scaled-out deployment runs.
pub async fn spawn_sibling(of: &TestApp) -> TestApp {
    let mut config = of.config.clone();
    if config.database_url.is_none() {
        // Share the SQLite file too.
        config.database_url = Some(Secret::new(pundit_server::db::database_url(&of.config).unwrap()));
    }
    start(config, tempfile::tempdir().unwrap()).await
}

pub async fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
    init_logs();
    pundit_server::outbound::install_tls_provider();
    let shutdown = CancellationToken::new();
    let state = app::build_state(config.clone(), shutdown.clone())
        .await
        .expect("app starts");
    let listener = app::listen(config.bind).unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = shutdown.clone();
    tokio::spawn(app::serve(state.clone(), listener, async move {
        stop.cancelled().await
    }));
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        client,
        state,
        config,
        shutdown,
        _dir: dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.client.get(self.url(path))
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.client.post(self.url(path))
    }

    pub fn patch(&self, path: &str) -> RequestBuilder {
        self.client.patch(self.url(path))
    }

    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.client.delete(self.url(path))
    }

    /// A GET that must answer 200; returns its JSON.
    pub async fn get_ok(&self, path: &str) -> Value {
        expect_status(self.get(path).send().await.unwrap(), StatusCode::OK).await
    }

    /// The id of the team called exactly `name`.
    pub async fn team_id(&self, name: &str) -> i64 {
        let page = self.get_ok(&format!("/api/v1/teams?q={name}")).await;
        let items = page["items"].as_array().unwrap();
        items.iter().find(|t| t["name"] == name).unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// Changes a match as `admin` through the API (status, minute, score...); must succeed.
    pub async fn patch_match(&self, admin: &str, id: i64, body: Value) {
        let res = self
            .patch(&format!("/api/v1/matches/{id}"))
            .bearer_auth(admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::OK).await;
    }

    /// Creates a Premier League fixture as `admin` and returns its id.
    pub async fn create_fixture(
        &self,
        admin: &str,
        home: i64,
        away: i64,
        kickoff: chrono::DateTime<chrono::Utc>,
    ) -> i64 {
        let body = json!({"competition": "premier-league", "home_team_id": home, "away_team_id": away, "kickoff_at": kickoff});
        let res = self
            .post("/api/v1/matches")
            .bearer_auth(admin)
            .json(&body)
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::CREATED).await["id"]
            .as_i64()
            .unwrap()
    }

    /// Registers `username` (email `<username>@example.com`) and returns the token response.
    pub async fn register(&self, username: &str) -> Value {
        let res = self
            .post("/api/v1/auth/register")
            .json(&json!({"email": format!("{username}@example.com"), "username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::CREATED).await
    }

    /// Registers a user and returns their access token.
    pub async fn token_for(&self, username: &str) -> String {
        self.register(username).await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Creates an admin the way an operator would (the same service the CLI calls) and signs in.
    pub async fn admin_token(&self, username: &str) -> String {
        pundit_server::auth::service::create_user(
            &self.state.db,
            &format!("{username}@example.com"),
            username,
            PASSWORD,
            pundit_server::users::types::Role::Admin,
        )
        .await
        .unwrap();
        let res = self
            .post("/api/v1/auth/login")
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::OK).await["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// Asserts the status and returns the JSON body (Null for empty bodies).
pub async fn expect_status(res: Response, status: StatusCode) -> Value {
    let actual = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(actual, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// Asserts an error response: status, the `{"error":{"code","message","details"}}` shape, and the code.
pub async fn expect_error(res: Response, status: StatusCode, code: &str) -> Value {
    let content_type = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    let body = expect_status(res, status).await;
    assert_eq!(
        content_type.as_deref(),
        Some("application/json"),
        "errors are JSON"
    );
    let error = body
        .get("error")
        .unwrap_or_else(|| panic!("no error object in {body}"));
    assert_eq!(error["code"], code, "error code in {body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "message in {body}"
    );
    assert!(error["details"].is_object(), "details object in {body}");
    assert_eq!(
        body.as_object().unwrap().len(),
        1,
        "only `error` at the top level: {body}"
    );
    body
}

/// Imports demo season files (paths under data/demo/leagues) through the same code as `pundit import`.
pub async fn seed(app: &TestApp, files: &[&str]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/leagues");
    let paths: Vec<_> = files.iter().map(|f| root.join(f)).collect();
    let loaded = pundit_server::matches::sources::load(&paths, |_| {});
    assert!(loaded.failed_files.is_empty() && loaded.rejected.is_empty());
    pundit_server::matches::import::import(&app.state.db, &loaded.rows, &|_| {})
        .await
        .unwrap();
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

pub fn assert_close(actual: &Value, expected: f64, what: &str) {
    assert!(
        (num(actual) - expected).abs() < 1e-9,
        "{what}: {actual} != {expected}"
    );
}

/// Ranked probability score of (home, draw, away) for `result`, by hand.
pub fn hand_rps(p: (f64, f64, f64), result: &str) -> f64 {
    let o = match result {
        "home" => (1.0, 0.0),
        "draw" => (0.0, 1.0),
        _ => (0.0, 0.0),
    };
    let first = p.0 - o.0;
    let second = p.0 + p.1 - o.0 - o.1;
    (first * first + second * second) / 2.0
}
