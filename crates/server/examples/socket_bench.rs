//! Socket.IO fan-out benchmark: N clients join one match room, an admin update is broadcast K
//! times, one a second, and each client's delivery latency is recorded (from just before the
//! admin's request). Every client keeps reading from connect to the end, as a real one does.
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

/// The minute of a `match:update` packet, read without parsing the whole payload.
fn update_minute(packet: &str) -> Option<usize> {
    let rest = packet.strip_prefix(r#"42["match:update","#)?;
    let at = rest.find(r#""minute":"#)? + r#""minute":"#.len();
    let digits: String = rest[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
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
    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; broadcasts as usize + 1]));
    let joined = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut clients_running = Vec::with_capacity(clients);
    for i in 0..clients {
        // 1,000 clients per loopback source address, so no run reuses the previous run's ports
        // (still in TIME_WAIT on the client side).
        let from = std::net::IpAddr::from([
            127,
            1,
            u8::try_from(i / 1000 / 250).unwrap(),
            u8::try_from(i / 1000 % 250 + 1).unwrap(),
        ]);
        let permit = permits.clone().acquire_owned().await.unwrap();
        let (sent, joined, mut stop) = (sent.clone(), joined.clone(), stop_rx.clone());
        // Each client reads for its whole life, so it answers engine.io pings while others join.
        clients_running.push(tokio::spawn(async move {
            let t = Duration::from_secs(15);
            let mut socket = match tokio::time::timeout(t, SocketClient::connect_from(addr, from, None))
                .await
                .unwrap_or_else(|_| panic!("client {i} not connected"))
            {
                socketio::Connected::Ok(socket) => *socket,
                socketio::Connected::Refused(m) => panic!("refused: {m}"),
            };
            let ack = tokio::time::timeout(
                t,
                socket.emit_with_ack("join:match", json!({ "match_id": match_id })),
            )
            .await
            .unwrap_or_else(|_| panic!("client {i} join not acknowledged"));
            assert_eq!(ack["ok"], true, "join refused: {ack}");
            tokio::time::timeout(t, socket.expect_event("match:update"))
                .await
                .unwrap_or_else(|_| panic!("client {i} no join snapshot"));
            drop(permit);
            joined.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut latencies = Vec::with_capacity(broadcasts as usize);
            let mut seen = vec![false; broadcasts as usize + 1];
            loop {
                let packet = tokio::select! {
                    _ = stop.changed() => break,
                    p = socket.next_packet(Duration::from_secs(120)) => match p {
                        Some(p) => p,
                        None => break,
                    },
                };
                let arrived = Instant::now();
                let Some(minute) = update_minute(&packet) else {
                    continue;
                };
                if let Some(Some(at)) = sent.lock().unwrap().get(minute).copied()
                    && !std::mem::replace(&mut seen[minute], true)
                {
                    latencies.push(arrived.duration_since(at).as_secs_f64() * 1000.0);
                }
            }
            latencies
        }));
    }
    let mut ticks = 0;
    while joined.load(std::sync::atomic::Ordering::Relaxed) < clients {
        tokio::time::sleep(Duration::from_millis(100)).await;
        ticks += 1;
        if ticks % 10 == 0 {
            eprintln!(
                "  {} joined after {:.0} s",
                joined.load(std::sync::atomic::Ordering::Relaxed),
                started.elapsed().as_secs_f64()
            );
        }
    }
    let connect_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = pid.as_deref().and_then(rss_kib);

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
        tokio::time::sleep(Duration::from_millis(1000)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop_tx.send(true).unwrap();
    let mut l = Vec::with_capacity(clients * broadcasts as usize);
    for c in clients_running {
        l.extend(c.await.unwrap());
    }
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
