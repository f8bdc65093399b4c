//! Socket.IO fan-out benchmark: N clients join one match room, an admin update is broadcast K
//! times, and each client's delivery latency is recorded (from just before the admin's request).
//!
//! `cargo run --release -p pundit-server --example socket_bench -- BASE_URL MATCH_ID ADMIN_TOKEN [CLIENTS] [BROADCASTS] [SERVER_PID]`
//!
//! With SERVER_PID the server's resident memory is read before and after connecting, to give
//! memory per connection. Both processes need file-descriptor limits above CLIENTS.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/socketio.rs"]
mod socketio;

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use serde_json::json;
use socketio::SocketClient;

fn rss_kib(pid: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .expect("usage: socket_bench BASE_URL MATCH_ID ADMIN_TOKEN [CLIENTS] [BROADCASTS] [SERVER_PID]")
        .clone();
    let match_id: i64 = args.get(2).and_then(|v| v.parse().ok()).expect("MATCH_ID");
    let admin = args.get(3).expect("ADMIN_TOKEN").clone();
    let clients: usize = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(1000);
    let broadcasts: i64 = args.get(5).and_then(|v| v.parse().ok()).unwrap_or(10);
    let pid = args.get(6).cloned();
    let addr: std::net::SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("BASE_URL like http://127.0.0.1:8080");
    pundit_server::outbound::install_tls_provider();

    let rss_before = pid.as_deref().and_then(rss_kib);
    let started = Instant::now();
    let concurrency = std::env::var("BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut connecting = Vec::with_capacity(clients);
    for _ in 0..clients {
        let permit = permits.clone().acquire_owned().await.unwrap();
        connecting.push(tokio::spawn(async move {
            let mut socket = SocketClient::connected(addr, None).await;
            let ack = socket
                .emit_with_ack("join:match", json!({ "match_id": match_id }))
                .await;
            assert_eq!(ack["ok"], true, "join refused: {ack}");
            socket.expect_event("match:update").await;
            drop(permit);
            socket
        }));
    }
    let mut sockets = Vec::with_capacity(clients);
    for c in connecting {
        sockets.push(c.await.unwrap());
        if sockets.len() % 1000 == 0 {
            eprintln!(
                "  {} joined after {:.1} s",
                sockets.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    let connect_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after = pid.as_deref().and_then(rss_kib);

    // Each client waits for every broadcast and records when it arrived.
    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; broadcasts as usize + 1]));
    let latencies = Arc::new(Mutex::new(Vec::<f64>::with_capacity(
        clients * broadcasts as usize,
    )));
    let mut listeners = Vec::with_capacity(clients);
    for mut socket in sockets {
        let (sent, latencies) = (sent.clone(), latencies.clone());
        listeners.push(tokio::spawn(async move {
            let mut seen = 0;
            while seen < broadcasts {
                let Some(update) = socket.maybe_event("match:update", Duration::from_secs(30)).await else {
                    break;
                };
                let minute = update["minute"].as_i64().unwrap_or(0);
                let arrived = Instant::now();
                if let Some(Some(at)) = sent.lock().unwrap().get(minute as usize).copied() {
                    latencies
                        .lock()
                        .unwrap()
                        .push(arrived.duration_since(at).as_secs_f64() * 1000.0);
                    seen += 1;
                }
            }
        }));
    }
    let http = reqwest::Client::new();
    for minute in 1..=broadcasts {
        sent.lock().unwrap()[minute as usize] = Some(Instant::now());
        let res = http
            .patch(format!("{base}/api/v1/matches/{match_id}"))
            .bearer_auth(&admin)
            .json(&json!({ "status": "live", "minute": minute, "score": { "home": 0, "away": 0 } }))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "admin update failed: {}", res.status());
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    for l in listeners {
        let _ = l.await;
    }
    let mut l = latencies.lock().unwrap().clone();
    l.sort_by(f64::total_cmp);
    let expected = clients * broadcasts as usize;
    println!("{clients} clients connected and joined in {connect_secs:.1} s; {broadcasts} broadcasts");
    println!(
        "delivered {}/{} ({:.2}%); latency ms p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}",
        l.len(),
        expected,
        100.0 * l.len() as f64 / expected.max(1) as f64,
        percentile(&l, 0.5),
        percentile(&l, 0.9),
        percentile(&l, 0.99),
        l.last().copied().unwrap_or(f64::NAN)
    );
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        println!(
            "server RSS {} MiB -> {} MiB: {:.1} KiB per connection",
            before / 1024,
            after / 1024,
            after.saturating_sub(before) as f64 / clients.max(1) as f64
        );
    }
}
