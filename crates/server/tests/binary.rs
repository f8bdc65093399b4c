//! The `pundit` binary as an operator runs it: CLI commands and graceful shutdown on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

const BIN: &str = env!("CARGO_BIN_EXE_pundit");

/// The binary with a private data dir and the embedded backends, whatever the test environment has.
fn pundit(data_dir: &Path, port: u16) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("PUNDIT_DATA_DIR", data_dir)
        .env("PUNDIT_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn");
    cmd
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until the server answers `/health`: a port that accepts connections may still belong to a
/// server finishing its start-up (a slow, e.g. instrumented, build), and a SIGTERM then would stop
/// it before it serves anything.
fn wait_until_listening(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let health = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let mut response = String::new();
            let answered =
                stream.write_all(health.as_bytes()).is_ok() && stream.read_to_string(&mut response).is_ok();
            if answered && response.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("server exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server did not start listening");
}

fn http(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn post_json(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

#[test]
fn sigterm_lets_the_in_flight_request_finish_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = pundit(dir.path(), port)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_listening(port, &mut server);

    // A slow client: headers and half the body now, the rest after SIGTERM has arrived.
    let body = r#"{"email":"slow@example.com","username":"slowpoke","password":"tangerine-Orbit-42"}"#;
    let (first, second) = body.split_at(body.len() / 2);
    let request = post_json("/api/v1/auth/register", body);
    let head_len = request.len() - body.len();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(&request.as_bytes()[..head_len]).unwrap();
    stream.write_all(first.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        server.try_wait().unwrap().is_none(),
        "still running while a request is in flight"
    );

    stream.write_all(second.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 201"), "{response}");

    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "server did not exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn user_create_bootstraps_an_admin_while_the_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let migrate = run(pundit(dir.path(), port).arg("migrate"));
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );

    let mut server = pundit(dir.path(), port)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until_listening(port, &mut server);

    let created = run(pundit(dir.path(), port).args([
        "user",
        "create",
        "--username",
        "boss",
        "--email",
        "boss@example.com",
        "--password",
        "tangerine-Orbit-42",
        "--role",
        "admin",
    ]));
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let printed: serde_json::Value = serde_json::from_slice(&created.stdout).unwrap();
    assert_eq!(printed["role"], "admin");

    // The running server sees the new admin at once.
    let login = http(
        port,
        &post_json(
            "/api/v1/auth/login",
            r#"{"username":"boss","password":"tangerine-Orbit-42"}"#,
        ),
    );
    assert!(login.starts_with("HTTP/1.1 200"), "{login}");
    assert!(login.contains("\"role\":\"admin\""), "{login}");

    // A duplicate is refused with a clear message and a failing exit code.
    let again = run(pundit(dir.path(), port).args([
        "user",
        "create",
        "--username",
        "boss",
        "--email",
        "boss2@example.com",
        "--password",
        "tangerine-Orbit-42",
    ]));
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("username"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
}

#[test]
fn production_refuses_to_start_without_a_strong_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(pundit(dir.path(), free_port()).env("PUNDIT_ENV", "production"));
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("JWT_SECRET"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run(pundit(dir.path(), free_port())
        .env("PUNDIT_ENV", "production")
        .env("JWT_SECRET", "short"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 32 bytes"));
}

#[test]
fn import_is_idempotent_and_reports_rejected_rows() {
    let dir = tempfile::tempdir().unwrap();
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/leagues/premier-league");
    let bad = dir.path().join("extra");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("E0-2526.csv"),
        "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR\nE0,16/08/2025,Arsenal,Chelsea,2,1,H\nE0,not-a-date,Arsenal,Spurs,1,1,D\n\n,,,,,,\n",
    )
    .unwrap();
    let import = |extra: &[&Path]| {
        let mut cmd = pundit(dir.path(), free_port());
        cmd.arg("import").arg(&demo).args(extra).arg("--json");
        let out = run(&mut cmd);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let first = import(&[&bad]);
    // Nine Premier League seasons: 2010-13 (with odds) and 2019-25.
    assert_eq!(first["inserted"], 9 * 380 + 1);
    assert_eq!(first["rejected"], 1);
    let rejection = &first["rejections"][0];
    assert_eq!(rejection["line"], 3);
    assert!(rejection["file"].as_str().unwrap().ends_with("E0-2526.csv"));

    let second = import(&[]);
    assert_eq!(
        (second["inserted"].as_u64(), second["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(second["unchanged"], 9 * 380);
}

#[test]
fn predict_simulate_and_train_work_on_the_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let json = |args: &[&str]| {
        let mut cmd = pundit(dir.path(), free_port());
        let out = run(cmd.args(args));
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let forecast = json(&[
        "predict",
        "--competition",
        "premier-league",
        "--home",
        "Arsenal",
        "--away",
        "Manchester United",
        "--json",
    ]);
    let p = &forecast["probabilities"];
    let sum = p["home"].as_f64().unwrap() + p["draw"].as_f64().unwrap() + p["away"].as_f64().unwrap();
    assert!((sum - 1.0).abs() < 1e-9);
    assert_eq!(
        (forecast["home_team"].as_str(), forecast["away_team"].as_str()),
        (Some("Arsenal"), Some("Man United"))
    );

    let sim = json(&[
        "simulate",
        "--competition",
        "la-liga",
        "--season",
        "2023-24",
        "--as-of",
        "2024-04-01",
        "--runs",
        "2000",
        "--json",
    ]);
    assert_eq!(sim["teams"].as_array().unwrap().len(), 20);
    assert!(sim["remaining_fixtures"].as_u64().unwrap() > 0);

    let trained = json(&[
        "train",
        "--competition",
        "premier-league",
        "--model",
        "dixon-coles",
        "--json",
    ]);
    assert_eq!(trained["competitions"][0]["competition"], "premier-league");
    assert!(trained["competitions"][0]["backtest"]["rps"].as_f64().unwrap() < 0.25);

    let mut cmd = pundit(dir.path(), free_port());
    let out = run(cmd.args([
        "predict",
        "--competition",
        "premier-league",
        "--home",
        "Arsenal",
        "--away",
        "Atlantis FC",
    ]));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Atlantis"));
}
