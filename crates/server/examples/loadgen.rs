//! A constant-rate HTTP load generator for the benchmarks in docs/BENCHMARKS.md.
//!
//! `cargo run --release -p pundit-server --example loadgen -- URL[,URL...] [RATE_PER_SEC] [SECONDS] [MAX_IN_FLIGHT]`
//!
//! Several comma-separated URLs are requested in turn (a mix, as in scripts/soak.sh);
//! `LOADGEN_BEARER` sends `Authorization: Bearer <it>` with every request.
//!
//! Requests are sent on a fixed schedule and latency is measured from when each request was due,
//! so a slow server cannot hide its queueing delay (no coordinated omission).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .expect("usage: loadgen URL[,URL...] [RATE] [SECONDS] [MAX_IN_FLIGHT]")
        .clone();
    let urls: Vec<String> = url.split(',').map(str::to_string).collect();
    let bearer = std::env::var("LOADGEN_BEARER").ok();
    let rate: f64 = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(1000.0);
    let seconds: f64 = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(10.0);
    let max_in_flight: usize = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(256);
    pundit_server::outbound::install_tls_provider();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(max_in_flight)
        .build()
        .unwrap();
    let latencies = Arc::new(Mutex::new(Vec::<f64>::new()));
    let errors = Arc::new(Mutex::new(std::collections::BTreeMap::<String, u64>::new()));
    let permits = Arc::new(tokio::sync::Semaphore::new(max_in_flight));
    let total = (rate * seconds) as u64;
    let gap = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + gap.mul_f64(i as f64);
        tokio::time::sleep_until(due.into()).await;
        let permit = permits.clone().acquire_owned().await.unwrap();
        let (client, url, bearer, latencies, errors) = (
            client.clone(),
            urls[i as usize % urls.len()].clone(),
            bearer.clone(),
            latencies.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut request = client.get(&url);
            if let Some(token) = bearer {
                request = request.bearer_auth(token);
            }
            let outcome = request.send().await;
            let ms = due.elapsed().as_secs_f64() * 1000.0;
            match outcome {
                Ok(r) if r.status().is_success() => {
                    let _ = r.bytes().await;
                    latencies.lock().unwrap().push(ms);
                }
                Ok(r) => *errors.lock().unwrap().entry(r.status().to_string()).or_default() += 1,
                Err(e) => *errors.lock().unwrap().entry(e.to_string()).or_default() += 1,
            }
            drop(permit);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mut l = latencies.lock().unwrap().clone();
    l.sort_by(f64::total_cmp);
    let pct = |p: f64| {
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let errors = errors.lock().unwrap();
    println!(
        "{url}\n  sent {total} at {rate}/s over {elapsed:.1} s: ok {}, errors {} {:?}\n  latency ms: p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
        l.len(),
        errors.values().sum::<u64>(),
        *errors,
        pct(0.5),
        pct(0.9),
        pct(0.99),
        pct(0.999),
        l.last().copied().unwrap_or(f64::NAN)
    );
}
