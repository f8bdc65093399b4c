//! The deployed topology from outside: two instances behind the load balancer that
//! `scripts/topology.sh start` runs. Skipped unless `PUNDIT_TOPOLOGY` names it, e.g.
//! `lb=http://127.0.0.1:18180,a=http://127.0.0.1:18181,b=http://127.0.0.1:18182,admin=user:password`
//! (`eval "$(scripts/topology.sh env)"` sets it). `.ci/run` also sets PUNDIT_REQUIRE_TOPOLOGY so a
//! missing topology fails instead of skipping.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::{net::SocketAddr, time::Duration};

use common::{PASSWORD, expect_status, socketio::SocketClient};
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

struct Topology {
    lb: String,
    a: String,
    b: String,
    admin: (String, String),
    client: Client,
    /// A client address of this test's own, so tests don't share rate-limit budgets. The
    /// instances trust `X-Forwarded-For` (they sit behind nginx); through the load balancer
    /// nginx replaces it with the real peer.
    ip: String,
}

fn topology() -> Option<Topology> {
    let Ok(spec) = std::env::var("PUNDIT_TOPOLOGY") else {
        assert!(
            std::env::var("PUNDIT_REQUIRE_TOPOLOGY").is_err(),
            "PUNDIT_TOPOLOGY not set: run scripts/topology.sh start, then eval \"$(scripts/topology.sh env)\""
        );
        eprintln!("PUNDIT_TOPOLOGY not set: skipped (CI runs it after scripts/topology.sh start)");
        return None;
    };
    let field = |name: &str| {
        spec.split(',')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("PUNDIT_TOPOLOGY has no {name}="))
            .to_string()
    };
    pundit_server::outbound::install_tls_provider();
    let admin = field("admin");
    let (user, password) = admin.split_once(':').expect("admin=user:password");
    let id = Uuid::new_v4();
    let bytes = id.as_bytes();
    Some(Topology {
        lb: field("lb"),
        a: field("a"),
        b: field("b"),
        admin: (user.to_string(), password.to_string()),
        client: Client::new(),
        ip: format!("10.{}.{}.{}", bytes[0], bytes[1], bytes[2]),
    })
}

fn addr(base: &str) -> SocketAddr {
    base.trim_start_matches("http://").parse().unwrap()
}

impl Topology {
    fn get(&self, base: &str, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{base}{path}"))
            .header("x-forwarded-for", &self.ip)
    }

    fn send(&self, method: reqwest::Method, base: &str, path: &str, body: Value) -> RequestBuilder {
        self.client
            .request(method, format!("{base}{path}"))
            .header("x-forwarded-for", &self.ip)
            .json(&body)
    }

    async fn login(&self, base: &str, username: &str, password: &str) -> Value {
        let body = json!({"username": username, "password": password});
        let res = self.send(reqwest::Method::POST, base, "/api/v1/auth/login", body);
        expect_status(res.send().await.unwrap(), StatusCode::OK).await
    }

    async fn admin_token(&self, base: &str) -> String {
        let tokens = self.login(base, &self.admin.0, &self.admin.1).await;
        tokens["access_token"].as_str().unwrap().to_string()
    }

    /// A new fixture, created by the admin on `base`, two teams and a day no other run picked.
    async fn fixture(&self, base: &str, admin: &str) -> i64 {
        let teams = self
            .get(base, "/api/v1/teams?competition=premier-league&limit=20")
            .send()
            .await
            .unwrap();
        let teams = expect_status(teams, StatusCode::OK).await["items"].clone();
        let teams = teams.as_array().unwrap();
        let seed = Uuid::new_v4().as_u128();
        let home = (seed % teams.len() as u128) as usize;
        let away = (home + 1) % teams.len();
        for day in 0..30 {
            let kickoff = chrono::Utc::now() + chrono::Duration::days(2 + (seed % 300) as i64 + day);
            let body = json!({"competition": "premier-league", "home_team_id": teams[home]["id"],
                "away_team_id": teams[away]["id"], "kickoff_at": kickoff});
            let res = self
                .send(reqwest::Method::POST, base, "/api/v1/matches", body)
                .bearer_auth(admin)
                .send()
                .await
                .unwrap();
            if res.status() != StatusCode::CONFLICT {
                return expect_status(res, StatusCode::CREATED).await["id"]
                    .as_i64()
                    .unwrap();
            }
        }
        panic!("no free day for a fixture");
    }

    async fn go_live(&self, base: &str, admin: &str, id: i64, minute: i64) {
        let body = json!({"status": "live", "minute": minute, "score": {"home": 1, "away": 0}});
        let res = self
            .send(
                reqwest::Method::PATCH,
                base,
                &format!("/api/v1/matches/{id}"),
                body,
            )
            .bearer_auth(admin)
            .send()
            .await
            .unwrap();
        expect_status(res, StatusCode::OK).await;
    }
}

#[tokio::test]
async fn a_user_registered_through_the_lb_signs_in_on_one_instance_and_works_on_the_other() {
    let Some(t) = topology() else { return };
    let username = format!("topo{}", &Uuid::new_v4().simple().to_string()[..12]);
    let body =
        json!({"email": format!("{username}@example.com"), "username": username, "password": PASSWORD});
    let res = t.send(reqwest::Method::POST, &t.lb, "/api/v1/auth/register", body);
    expect_status(res.send().await.unwrap(), StatusCode::CREATED).await;

    let tokens = t.login(&t.a, &username, PASSWORD).await;
    let me = t
        .get(&t.b, "/api/v1/users/me")
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(expect_status(me, StatusCode::OK).await["username"], username);
    let refresh = json!({"refresh_token": tokens["refresh_token"]});
    let res = t.send(
        reqwest::Method::POST,
        &t.b,
        "/api/v1/auth/refresh",
        refresh.clone(),
    );
    expect_status(res.send().await.unwrap(), StatusCode::OK).await;
    // Spent on B, so refused on A.
    let again = t.send(reqwest::Method::POST, &t.a, "/api/v1/auth/refresh", refresh);
    assert_eq!(again.send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_socket_on_one_instance_hears_a_match_update_made_on_the_other() {
    let Some(t) = topology() else { return };
    let admin = t.admin_token(&t.b).await;
    let id = t.fixture(&t.b, &admin).await;
    let mut socket = SocketClient::connected(addr(&t.a), None).await;
    let ack = socket.emit_with_ack("join:match", json!({"match_id": id})).await;
    assert_eq!(ack["ok"], true, "{ack}");
    assert_eq!(socket.expect_event("match:update").await["status"], "scheduled");

    t.go_live(&t.b, &admin, id, 17).await;
    let update = socket.expect_event("match:update").await;
    assert_eq!(
        (update["status"].as_str(), update["minute"].as_i64()),
        (Some("live"), Some(17))
    );
}

#[tokio::test]
async fn a_websocket_session_through_the_lb_follows_a_match() {
    let Some(t) = topology() else { return };
    let admin = t.admin_token(&t.a).await;
    let id = t.fixture(&t.a, &admin).await;
    let mut socket = SocketClient::connected(addr(&t.lb), Some(json!({"token": admin}))).await;
    let ack = socket.emit_with_ack("join:match", json!({"match_id": id})).await;
    assert_eq!(ack, json!({"ok": true, "room": format!("match:{id}")}));
    socket.expect_event("match:update").await;

    t.go_live(&t.a, &admin, id, 52).await;
    assert_eq!(socket.expect_event("match:update").await["minute"], 52);
}

/// Socket.IO's default transport starts with HTTP long-polling: every request of a session must
/// reach the instance that opened it, or it is refused as an unknown session.
#[tokio::test]
async fn socket_io_long_polling_through_the_lb_keeps_each_session_on_its_instance() {
    let Some(t) = topology() else { return };
    let polling = format!("{}/socket.io/?EIO=4&transport=polling", t.lb);
    for _ in 0..6 {
        let open = t.client.get(&polling).send().await.unwrap();
        let open = open.text().await.unwrap();
        let handshake: Value = serde_json::from_str(open.strip_prefix('0').unwrap()).unwrap();
        let session = format!("{polling}&sid={}", handshake["sid"].as_str().unwrap());
        let sent = t.client.post(&session).body("40").send().await.unwrap();
        assert_eq!(sent.status(), StatusCode::OK, "{}", sent.text().await.unwrap());
        // A poll may carry several packets separated by 0x1e, and a ping ("2") may come in a poll of
        // its own before the connect: answer it and poll again.
        let mut seen = Vec::new();
        for _ in 0..5 {
            let packets = t.client.get(&session).send().await.unwrap().text().await.unwrap();
            let connected = packets.split('\u{1e}').any(|p| p.starts_with("40{"));
            if packets.split('\u{1e}').any(|p| p == "2") {
                let pong = t.client.post(&session).body("3").send().await.unwrap();
                assert_eq!(pong.status(), StatusCode::OK, "a pong on the same session");
            }
            seen.push(packets);
            if connected {
                break;
            }
        }
        assert!(
            seen.iter()
                .any(|p| p.split('\u{1e}').any(|p| p.starts_with("40{"))),
            "namespace connect, got {seen:?}"
        );
    }
}

#[tokio::test]
async fn server_sent_events_through_the_lb_arrive_within_seconds() {
    let Some(t) = topology() else { return };
    let admin = t.admin_token(&t.b).await;
    let id = t.fixture(&t.b, &admin).await;
    let mut stream = t
        .get(&t.lb, &format!("/api/v1/stream?topics=match:{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    // Subscribed once the response has started; then a change must come through promptly.
    tokio::time::sleep(Duration::from_millis(300)).await;
    t.go_live(&t.b, &admin, id, 88).await;
    let mut seen = String::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        while !seen.contains("event: match:update") {
            let chunk = stream.chunk().await.unwrap().expect("stream open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no match:update within 5 s; got {seen:?}"));
    assert!(seen.contains("\"minute\":88"), "{seen}");
}

#[tokio::test]
async fn rate_limit_budgets_are_shared_by_both_instances() {
    let Some(t) = topology() else { return };
    let remaining = |res: &reqwest::Response| -> u64 {
        res.headers()["x-ratelimit-remaining"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let on_a = t.get(&t.a, "/api/v1/competitions").send().await.unwrap();
    let on_b = t.get(&t.b, "/api/v1/competitions").send().await.unwrap();
    assert_eq!(remaining(&on_b), remaining(&on_a) - 1);
}

/// Each instance counts the requests it served on `/metrics`; the load balancer spreads API
/// requests over both, and keeps `/metrics` itself private.
#[tokio::test]
async fn api_requests_through_the_lb_reach_both_instances() {
    let Some(t) = topology() else { return };
    let route = "/api/v1/gateway/services";
    let served = |base: String| {
        let client = t.client.clone();
        async move {
            let text = client.get(format!("{base}/metrics")).send().await.unwrap();
            let text = text.text().await.unwrap();
            text.lines()
                .filter(|l| {
                    l.starts_with("pundit_http_requests_total{") && l.contains(&format!("route=\"{route}\""))
                })
                .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
                .sum::<f64>()
        }
    };
    let before = (served(t.a.clone()).await, served(t.b.clone()).await);
    for _ in 0..10 {
        let res = t.client.get(format!("{}{route}", t.lb)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    let after = (served(t.a.clone()).await, served(t.b.clone()).await);
    assert!(
        after.0 > before.0 && after.1 > before.1,
        "before {before:?}, after {after:?}"
    );
    assert!(after.0 + after.1 - before.0 - before.1 >= 10.0);

    let metrics = t.client.get(format!("{}/metrics", t.lb)).send().await.unwrap();
    assert_eq!(metrics.status(), StatusCode::NOT_FOUND);
}
