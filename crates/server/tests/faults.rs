//! Faults while the service is in use: Redis stopped, PostgreSQL restarted, a live provider that
//! hangs, SQLite's disk full. Each runs on the backend it is about. The Redis and PostgreSQL tests
//! start private servers of their own (in the PostgreSQL + Redis pass), so the shared ones other
//! tests use are never touched; the full disk is a small tmpfs (needs root, as CI runs).
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use common::{TestApp, expect_status, spawn_sibling, spawn_with, start, test_config};
use pundit_server::{bus::Event, config::Secret};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Requests a scaled deployment's clients keep making: reads of matches and the feed, and posts.
/// Every acknowledged post is remembered so the test can check none was lost.
struct Load {
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<Tally>>,
}

#[derive(Default, Debug)]
struct Tally {
    reads: usize,
    read_failures: Vec<(u16, String)>,
    acked: Vec<String>,
    write_statuses: Vec<u16>,
}

impl Load {
    fn start(app: &TestApp, token: &str, readers: usize, writers: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for n in 0..readers + writers {
            let (client, base, token, stop) =
                (app.client.clone(), app.url(""), token.to_string(), stop.clone());
            let writer = n >= readers;
            tasks.push(tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    i += 1;
                    if writer {
                        write(&client, &base, &token, n, i, &mut tally).await;
                    } else {
                        read(&client, &base, &token, i, &mut tally).await;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                tally
            }));
        }
        Self { stop, tasks }
    }

    async fn finish(self) -> Tally {
        self.stop.store(true, Ordering::SeqCst);
        let mut all = Tally::default();
        for task in self.tasks {
            let t = task.await.unwrap();
            all.reads += t.reads;
            all.read_failures.extend(t.read_failures);
            all.acked.extend(t.acked);
            all.write_statuses.extend(t.write_statuses);
        }
        all
    }
}

async fn read(client: &Client, base: &str, token: &str, i: usize, tally: &mut Tally) {
    let path = if i.is_multiple_of(2) {
        "/api/v1/matches?limit=5"
    } else {
        "/api/v1/social/feed?limit=5"
    };
    match client
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
    {
        Ok(res) if res.status() == StatusCode::OK => tally.reads += 1,
        Ok(res) => {
            let status = res.status().as_u16();
            tally
                .read_failures
                .push((status, res.text().await.unwrap_or_default()));
        }
        Err(e) => tally.read_failures.push((0, e.to_string())),
    }
}

async fn write(client: &Client, base: &str, token: &str, n: usize, i: usize, tally: &mut Tally) {
    let res = client
        .post(format!("{base}/api/v1/social/posts"))
        .bearer_auth(token)
        .json(&json!({"content": format!("writer {n}, post {i}")}))
        .send()
        .await;
    match res {
        Ok(res) => {
            let status = res.status();
            tally.write_statuses.push(status.as_u16());
            if status == StatusCode::CREATED {
                let body: Value = res.json().await.unwrap();
                tally.acked.push(body["id"].as_str().unwrap().to_string());
            }
        }
        Err(_) => tally.write_statuses.push(0),
    }
}

/// Every post the server acknowledged can be read back.
async fn assert_all_present(app: &TestApp, token: &str, acked: &[String]) {
    assert!(!acked.is_empty(), "some writes were acknowledged");
    for id in acked {
        let res = app
            .get(&format!("/api/v1/social/posts/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "acknowledged post {id} was lost");
    }
}

fn unlimited(c: &mut pundit_server::config::Config) {
    c.rate_limits.api_per_client = 100_000_000;
    c.rate_limits.auth_per_ip = 100_000_000;
}

// ---------------------------------------------------------------------------------------------
// Redis

/// A private `redis-server` this test may stop and start.
struct Redis {
    port: u16,
    child: Option<Child>,
}

impl Redis {
    fn start(port: u16) -> Self {
        let mut redis = Self { port, child: None };
        redis.restart();
        redis
    }

    fn restart(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !port_open(self.port) {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn readiness(app: &TestApp) -> (StatusCode, Value) {
    let res = app.get("/health/ready").send().await.unwrap();
    (res.status(), res.json().await.unwrap())
}

fn check<'a>(ready: &'a Value, name: &str) -> &'a Value {
    ready["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap()
}

#[tokio::test]
async fn redis_stopping_under_load_keeps_reads_and_writes_going_and_recovers() {
    if std::env::var("DATABASE_URL").is_err() {
        eprintln!("DATABASE_URL not set: the Redis fault test runs in the PostgreSQL + Redis pass");
        return;
    }
    let mut redis = Redis::start(free_port());
    let url = redis.url();
    let one = spawn_with(|c| {
        unlimited(c);
        c.redis_url = Some(Secret::new(url));
    })
    .await;
    let two = spawn_sibling(&one).await;
    let token = one.token_for("steady").await;
    assert_eq!(readiness(&one).await.1["status"], "ready");

    let load = Load::start(&one, &token, 4, 2);
    tokio::time::sleep(Duration::from_millis(700)).await;
    redis.kill();
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Down: still in the load balancer (200), degraded, naming the cache.
    let (status, ready) = readiness(&one).await;
    assert_eq!(status, StatusCode::OK, "{ready}");
    assert_eq!(ready["status"], "degraded");
    assert_eq!(check(&ready, "cache")["ok"], false);
    let me = one
        .get("/api/v1/users/me")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    redis.restart();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, ready) = readiness(&one).await;
        if ready["status"] == "ready" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still not ready after Redis returned: {ready}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let tally = load.finish().await;

    assert!(tally.reads > 50, "reads went on: {tally:?}");
    assert!(
        tally.read_failures.is_empty(),
        "reads failed: {:?}",
        tally.read_failures
    );
    assert!(
        tally.write_statuses.iter().all(|s| *s == 201),
        "writes failed: {:?}",
        tally
            .write_statuses
            .iter()
            .filter(|s| **s != 201)
            .collect::<Vec<_>>()
    );
    assert_all_present(&one, &token, &tally.acked).await;

    // Recovered: rate limits are counted again and events cross instances again.
    let res = one
        .get("/api/v1/matches")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert!(
        res.headers().contains_key("x-ratelimit-limit"),
        "rate limiting is back"
    );
    let mut on_two = two.state.bus.subscribe();
    let deadline = Instant::now() + Duration::from_secs(20);
    let event = Event::new("match:7", "match:update", json!({"minute": 90}));
    loop {
        // The subscriber re-subscribes with backoff: publish until it hears one.
        one.state.bus.publish(event.clone()).await;
        if let Ok(Ok(received)) = tokio::time::timeout(Duration::from_millis(500), on_two.recv()).await {
            assert_eq!(*received, event);
            break;
        }
        assert!(Instant::now() < deadline, "events no longer cross instances");
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// A private PostgreSQL cluster (initdb in a temp dir, run as the `postgres` user) this test may
/// restart.
struct Postgres {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
}

impl Postgres {
    fn bin_dir() -> Option<PathBuf> {
        let versions = std::fs::read_dir("/usr/lib/postgresql").ok()?;
        versions
            .filter_map(Result::ok)
            .map(|v| v.path().join("bin"))
            .find(|bin| bin.join("initdb").exists())
    }

    fn as_postgres(bin: &Path, tool: &str, args: &[&str]) -> bool {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(bin.join(tool))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn init() -> Option<Self> {
        let bin = Self::bin_dir()?;
        let dir = std::env::temp_dir().join(format!("pundit-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).ok()?;
        Command::new("chown")
            .arg("postgres:postgres")
            .arg(&dir)
            .status()
            .ok()?;
        let pgdata = dir.join("data");
        let pg = Self {
            dir,
            port: free_port(),
            bin,
        };
        let ok = Self::as_postgres(
            &pg.bin,
            "initdb",
            &[
                "-D",
                pgdata.to_str()?,
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
            ],
        );
        ok.then_some(pg)
    }

    fn ctl(&self, args: &[&str]) -> bool {
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let mut all = vec![
            "-D",
            data.to_str().unwrap_or_default(),
            "-l",
            log.to_str().unwrap_or_default(),
        ];
        all.extend_from_slice(&["-o", &options]);
        all.extend_from_slice(args);
        Self::as_postgres(&self.bin, "pg_ctl", &all)
    }

    fn start(&self) {
        assert!(self.ctl(&["-w", "start"]), "private PostgreSQL starts");
    }

    fn stop(&self) {
        assert!(
            self.ctl(&["-w", "-m", "fast", "stop"]),
            "private PostgreSQL stops"
        );
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.ctl(&["-m", "immediate", "stop"]);
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

#[tokio::test]
async fn postgres_restarting_fails_fast_recovers_and_loses_no_acknowledged_write() {
    if std::env::var("DATABASE_URL").is_err() {
        eprintln!("DATABASE_URL not set: the PostgreSQL restart test runs in the PostgreSQL + Redis pass");
        return;
    }
    let Some(pg) = Postgres::init() else {
        panic!("could not initdb a private PostgreSQL cluster (needs root and the postgres user)");
    };
    pg.start();
    let (mut config, dir) = test_config().await;
    unlimited(&mut config);
    config.database_url = Some(Secret::new(pg.url()));
    let app = start(config, dir).await;
    let token = app.token_for("durable").await;

    let load = Load::start(&app, &token, 2, 3);
    tokio::time::sleep(Duration::from_secs(1)).await;
    pg.stop();

    // While it is down, requests fail fast with a JSON 503 instead of hanging.
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let began = Instant::now();
        let res = app
            .get("/api/v1/social/feed")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        slowest = slowest.max(began.elapsed());
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "service_unavailable", "{body}");
    }
    assert!(
        slowest < Duration::from_secs(6),
        "a request waited {slowest:?} on a dead database"
    );
    let (status, ready) = readiness(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{ready}");

    pg.start();
    let back = Instant::now();
    loop {
        let res = app
            .get("/api/v1/social/feed")
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if res.status() == StatusCode::OK {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "the pool did not recover"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "pool recovered {:?} after PostgreSQL accepted connections again",
        back.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let tally = load.finish().await;

    let unexpected: Vec<_> = tally
        .write_statuses
        .iter()
        .filter(|s| !matches!(**s, 201 | 503))
        .collect();
    assert!(
        unexpected.is_empty(),
        "writes answered neither 201 nor 503: {unexpected:?}"
    );
    assert!(
        tally.read_failures.iter().all(|(s, _)| *s == 503),
        "reads failed other than with 503: {:?}",
        tally.read_failures
    );
    assert_all_present(&app, &token, &tally.acked).await;
}

// ---------------------------------------------------------------------------------------------
// A live provider that accepts connections and never answers

#[tokio::test]
async fn a_hanging_live_provider_times_out_opens_its_circuit_and_starves_nothing() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    let app = spawn_with(|c| {
        unlimited(c);
        c.espn_base_url = format!("{base}/espn");
        c.open_meteo_base_url = format!("{base}/meteo");
        c.news_feeds = vec![format!("{base}/news.xml")];
        c.live_cache_ttl = Duration::ZERO;
        c.provider_timeout = Duration::from_secs(1);
    })
    .await;
    common::seed(&app, &["premier-league/season-2425.csv"]).await;
    let admin = app.admin_token("ops").await;

    // Polls that hang on the provider run alongside ordinary traffic.
    let polls: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, admin) = (
                app.client.clone(),
                app.url("/api/v1/live/poll?league=eng.1&date=2025-08-16"),
                admin.clone(),
            );
            tokio::spawn(async move {
                let began = Instant::now();
                let res = client.post(url).bearer_auth(admin).send().await.unwrap();
                (res.status(), began.elapsed())
            })
        })
        .collect();
    let mut slowest_read = Duration::ZERO;
    for _ in 0..40 {
        let began = Instant::now();
        let res = app.get("/api/v1/matches?limit=5").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        slowest_read = slowest_read.max(began.elapsed());
    }
    for poll in polls {
        let (status, took) = poll.await.unwrap();
        assert!(
            status.is_success() || status == StatusCode::SERVICE_UNAVAILABLE,
            "{status}"
        );
        assert!(
            took < Duration::from_secs(10),
            "a poll waited {took:?} on a hanging provider"
        );
    }
    assert!(
        slowest_read < Duration::from_secs(1),
        "reads were held up: {slowest_read:?}"
    );

    // After repeated timeouts the circuit is open and the provider is no longer called.
    let providers = app.get_ok("/api/v1/live/providers").await;
    let espn = providers
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "espn")
        .unwrap()
        .clone();
    assert_eq!(espn["circuit"], "open", "{espn}");
    let before = connections.load(Ordering::SeqCst);
    let began = Instant::now();
    let res = app
        .post("/api/v1/live/poll?league=eng.1&date=2025-08-16")
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success() || res.status() == StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        began.elapsed() < Duration::from_millis(900),
        "an open circuit answers at once"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        before,
        "no call while the circuit is open"
    );
}

// ---------------------------------------------------------------------------------------------
// SQLite on a full disk

/// A small tmpfs mounted for the test and unmounted after it.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<Self> {
        let path = std::env::temp_dir().join(format!("pundit-full-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !mounted {
            std::fs::remove_dir(&path).ok();
            return None;
        }
        Some(Self { path })
    }

    /// Writes a file until the disk refuses more.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let filler = self.path.join("filler");
        let mut file = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while file.write_all(&block).is_ok() {}
        while file.write_all(&block[..512]).is_ok() {}
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        Command::new("umount").arg("-l").arg(&self.path).status().ok();
        std::fs::remove_dir_all(&self.path).ok();
    }
}

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_keeps_reads_and_corrupts_nothing() {
    if std::env::var("DATABASE_URL").is_ok() {
        eprintln!("DATABASE_URL set: the full-disk test runs in the embedded (SQLite) pass");
        return;
    }
    let Some(disk) = SmallDisk::mount(16) else {
        if std::env::var("CI").is_ok() {
            panic!("cannot mount a tmpfs for the full-disk test (CI runs as root)");
        }
        eprintln!("cannot mount a tmpfs (not root?): full-disk test skipped");
        return;
    };
    let (mut config, dir) = test_config().await;
    unlimited(&mut config);
    config.data_dir = disk.path.join("data");
    let app = start(config, dir).await;
    let token = app.token_for("diskful").await;
    let mut acked = Vec::new();
    for i in 0..5 {
        let res = app
            .post("/api/v1/social/posts")
            .bearer_auth(&token)
            .json(&json!({"content": format!("before the disk filled {i}")}))
            .send()
            .await
            .unwrap();
        acked.push(
            expect_status(res, StatusCode::CREATED).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }

    let filler = disk.fill();
    // Writes big enough to need new pages are refused with a clear, retryable error.
    let long = "x".repeat(1900);
    let mut refused = 0;
    for i in 0..40 {
        let res = app
            .post("/api/v1/social/posts")
            .bearer_auth(&token)
            .json(&json!({"content": format!("{long} {i}")}))
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        match status {
            StatusCode::CREATED => acked.push(body["id"].as_str().unwrap().to_string()),
            StatusCode::SERVICE_UNAVAILABLE => {
                assert_eq!(body["error"]["code"], "storage_full", "{body}");
                refused += 1;
            }
            other => panic!("a write on a full disk answered {other}: {body}"),
        }
    }
    assert!(refused > 0, "the full disk refused some writes");
    let res = app
        .get("/api/v1/social/feed")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "reads go on");

    // Space comes back: writes work again, nothing acknowledged is lost, the file is sound.
    std::fs::remove_file(filler).unwrap();
    let res = app
        .post("/api/v1/social/posts")
        .bearer_auth(&token)
        .json(&json!({"content": "after the disk was freed"}))
        .send()
        .await
        .unwrap();
    acked.push(
        expect_status(res, StatusCode::CREATED).await["id"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    assert_all_present(&app, &token, &acked).await;
    let integrity = sea_orm::ConnectionTrait::query_one_raw(
        &app.state.db,
        sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Sqlite, "PRAGMA integrity_check"),
    )
    .await
    .unwrap()
    .unwrap();
    let verdict: String = integrity.try_get_by_index(0).unwrap();
    assert_eq!(verdict, "ok");
}

/// Callers that give up mid-request (a client hangs up, its handler's future is dropped) just
/// after BEGIN went out leave no connection inside a transaction: afterwards every sign-in through
/// the same pool answers and what it wrote is visible from outside, so nothing holds locks or
/// loses writes. Runs on both backends.
#[tokio::test]
async fn cancelled_requests_leave_no_connection_inside_a_transaction() {
    use pundit_server::db::entities::refresh_token_family;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = spawn_with(|_| {}).await;
    let user = app.register("walkaway").await;
    let user_id = uuid::Uuid::parse_str(user["user"]["id"].as_str().unwrap()).unwrap();
    // Poll a begin until the pool has checked its connection and sent BEGIN, then drop it before
    // the answer is read. None may complete here: a begin that completes and is dropped rolls
    // back, which would end an earlier leaked transaction too.
    let pool_size = app.config.database_max_connections as usize;
    for _ in 0..2 * pool_size {
        let mut begin = Box::pin(pundit_server::db::begin(&app.state.db));
        for _ in 0..2 {
            let polled = std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx))).await;
            if polled.is_ready() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        drop(begin);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Sequential sign-ins take each pooled connection in turn. A connection left inside a
    // transaction would keep the `users` row locked (the next sign-in never answers) and its
    // session rows uncommitted.
    let client = Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let sign_ins = 3 * pool_size;
    for _ in 0..sign_ins {
        let res = client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "walkaway", "password": common::PASSWORD}))
            .send()
            .await
            .expect("a sign-in answers");
        expect_status(res, StatusCode::OK).await;
    }
    let observer = sea_orm::Database::connect(pundit_server::db::database_url(&app.config).unwrap())
        .await
        .unwrap();
    let sessions = refresh_token_family::Entity::find()
        .filter(refresh_token_family::Column::UserId.eq(user_id))
        .count(&observer)
        .await
        .unwrap();
    assert_eq!(sessions, 1 + sign_ins as u64, "every session is committed");
    let backend = sea_orm::ConnectionTrait::get_database_backend(&observer);
    if backend == sea_orm::DatabaseBackend::Postgres {
        let stuck = sea_orm::Statement::from_string(
            backend,
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
        );
        let row = sea_orm::ConnectionTrait::query_one_raw(&observer, stuck)
            .await
            .unwrap()
            .unwrap();
        let stuck: i64 = row.try_get_by_index(0).unwrap();
        assert_eq!(stuck, 0, "no session is left idle in a transaction");
    }
}
