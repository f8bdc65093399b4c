//! A task survives its instance being killed: `kill -9` while the task runs, restart, and the
//! task is taken again once its lease has expired and completes exactly once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::{
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{Router, extract::State, routing::post};
use common::{PASSWORD, expect_status};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_pundit");

/// A fake Agent OS whose first task call hangs (the instance is killed meanwhile).
#[derive(Clone, Default)]
struct Os {
    task_calls: Arc<AtomicUsize>,
}

fn fake_os(os: Os) -> Router {
    Router::new()
        .route("/agents", post(|| async { axum::Json(json!({ "id": "os-1" })) }))
        .route(
            "/agents/{id}/tasks",
            post(|State(os): State<Os>| async move {
                let n = os.task_calls.fetch_add(1, Ordering::SeqCst) + 1;
                if n == 1 {
                    tokio::time::sleep(Duration::from_secs(120)).await;
                }
                axum::Json(json!({ "status": "completed", "output": { "call": n } }))
            }),
        )
        .with_state(os)
}

struct Instance {
    envs: Vec<(String, String)>,
    port: u16,
}

impl Instance {
    fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RUST_LOG", "warn")
            .envs(self.envs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        cmd
    }

    async fn start(&self) -> Child {
        let mut child = self
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..600 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return child;
            }
            assert!(child.try_wait().unwrap().is_none(), "server exited early");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server did not start listening");
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

async fn task(client: &Client, instance: &Instance, token: &str, agent: &str, task: &str) -> Value {
    let res = client
        .get(instance.url(&format!("/api/v1/agents/{agent}/tasks/{task}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await
}

/// A running instance on a fresh database with a started remote agent, and the fake Agent OS.
struct Rig {
    os: Os,
    instance: Instance,
    server: Child,
    client: Client,
    token: String,
    agent: String,
    _dir: tempfile::TempDir,
}

async fn rig() -> Rig {
    pundit_server::outbound::install_tls_provider();
    let os = Os::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let os_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn({
        let os = os.clone();
        async move { axum::serve(listener, fake_os(os)).await.unwrap() }
    });

    // The same database (SQLite file, or a fresh PostgreSQL database) across both runs.
    let (config, dir) = common::test_config().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut envs: Vec<(String, String)> = vec![
        ("PUNDIT_DATA_DIR".into(), dir.path().display().to_string()),
        ("PUNDIT_BIND".into(), format!("127.0.0.1:{port}")),
        (
            "JWT_SECRET".into(),
            config.jwt_secret.as_ref().unwrap().expose().to_string(),
        ),
        ("PUNDIT_DEMO_DATA".into(), "false".into()),
        ("PUNDIT_LIVE_POLLING".into(), "false".into()),
        ("PUNDIT_GATEWAY_CHECK_SECS".into(), "0".into()),
        ("PUNDIT_AGENT_LEASE_SECS".into(), "2".into()),
        ("PUNDIT_AGENT_POLL_SECS".into(), "1".into()),
        ("AGENT_OS_URL".into(), os_url),
    ];
    if let Some(url) = &config.database_url {
        envs.push(("DATABASE_URL".into(), url.expose().to_string()));
    }
    if let Some(url) = &config.redis_url {
        envs.push(("REDIS_URL".into(), url.expose().to_string()));
        envs.push(("PUNDIT_REDIS_NAMESPACE".into(), config.redis_namespace.clone()));
    }
    let instance = Instance { envs, port };

    let created = instance
        .command()
        .args([
            "user",
            "create",
            "--username",
            "ops",
            "--email",
            "ops@example.com",
            "--password",
            PASSWORD,
            "--role",
            "admin",
        ])
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );

    let server = instance.start().await;
    let client = Client::new();
    let login = client
        .post(instance.url("/api/v1/auth/login"))
        .json(&json!({ "username": "ops", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    let token = expect_status(login, StatusCode::OK).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let res = client
        .post(instance.url("/api/v1/agents"))
        .bearer_auth(&token)
        .json(&json!({ "name": "Remote", "kind": "remote" }))
        .send()
        .await
        .unwrap();
    let agent = expect_status(res, StatusCode::CREATED).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = client
        .post(instance.url(&format!("/api/v1/agents/{agent}/start")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_status(res, StatusCode::OK).await;
    Rig {
        os,
        instance,
        server,
        client,
        token,
        agent,
        _dir: dir,
    }
}

impl Rig {
    /// Queues a task whose first Agent OS call hangs and waits until it runs.
    async fn hanging_task(&self) -> String {
        let res = self
            .client
            .post(self.instance.url(&format!("/api/v1/agents/{}/tasks", self.agent)))
            .bearer_auth(&self.token)
            .json(&json!({ "type": "remote_task", "params": { "type": "scout" }, "timeout_secs": 300 }))
            .send()
            .await
            .unwrap();
        let task_id = expect_status(res, StatusCode::CREATED).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        for _ in 0..200 {
            if self.os.task_calls.load(Ordering::SeqCst) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(self.os.task_calls.load(Ordering::SeqCst), 1, "the task started");
        let running = self.task(&task_id).await;
        assert_eq!(running["status"], "running");
        assert_eq!(running["attempts"], 1);
        task_id
    }

    async fn task(&self, id: &str) -> Value {
        task(&self.client, &self.instance, &self.token, &self.agent, id).await
    }

    /// Polls until the task is no longer queued or running.
    async fn finished(&self, id: &str) -> Value {
        let mut done = Value::Null;
        for _ in 0..300 {
            done = self.task(id).await;
            if done["status"] != "running" && done["status"] != "pending" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        done
    }

    async fn completions(&self, task_id: &str) -> usize {
        let res = self
            .client
            .get(
                self.instance
                    .url(&format!("/api/v1/agents/{}/events?limit=100", self.agent)),
            )
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        let events = expect_status(res, StatusCode::OK).await;
        events["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "task_completed" && e["data"]["task_id"] == task_id)
            .count()
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.server.id().to_string()])
            .status();
        let _ = self.server.wait();
    }
}

#[tokio::test]
async fn a_task_whose_instance_was_killed_is_reclaimed_after_its_lease_and_completes_once() {
    let mut rig = rig().await;
    let task_id = rig.hanging_task().await;
    rig.server.kill().unwrap(); // SIGKILL: no shutdown hooks run
    rig.server.wait().unwrap();

    rig.server = rig.instance.start().await;
    let done = rig.finished(&task_id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["attempts"], 2, "{done}");
    assert_eq!(done["result"]["output"]["call"], 2, "{done}");
    assert_eq!(
        rig.os.task_calls.load(Ordering::SeqCst),
        2,
        "run once more, not more"
    );
    assert_eq!(rig.completions(&task_id).await, 1);
    rig.stop();
}

#[tokio::test]
async fn sigterm_releases_a_running_task_which_a_restart_finishes() {
    let mut rig = rig().await;
    let task_id = rig.hanging_task().await;
    let _ = Command::new("kill")
        .args(["-TERM", &rig.server.id().to_string()])
        .status();
    let status = rig.server.wait().unwrap();
    assert!(status.success(), "graceful exit: {status}");

    // Released, not failed, and the interrupted attempt is not counted; the next start takes
    // it at once, without waiting for a lease.
    rig.server = rig.instance.start().await;
    let done = rig.finished(&task_id).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["attempts"], 1, "{done}");
    assert_eq!(done["result"]["output"]["call"], 2, "{done}");
    assert_eq!(rig.completions(&task_id).await, 1);
    rig.stop();
}
