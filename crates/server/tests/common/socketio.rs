//! A minimal Socket.IO v5 client over WebSocket, enough to test the gateway the way
//! `socket.io-client` talks to it: engine.io open, namespace connect with auth, events, acks, pings.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async, tungstenite::Message};

pub struct SocketClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_ack: u64,
    /// Packets read while waiting for something else, kept for later.
    pending: std::collections::VecDeque<String>,
}

/// How the namespace connection ended.
pub enum Connected {
    Ok(Box<SocketClient>),
    /// `connect_error` with the server's message.
    Refused(String),
}

impl SocketClient {
    /// Connects to the default namespace with `auth` (e.g. `{"token": "..."}`) or none.
    pub async fn connect(addr: std::net::SocketAddr, auth: Option<Value>) -> Connected {
        let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
        let (ws, _) = connect_async(url).await.expect("websocket upgrade");
        Self::open(ws, auth).await
    }

    /// As [`Self::connect`], from the local address `from` (a load test spreads its clients
    /// over several loopback addresses, as real clients come from many).
    pub async fn connect_from(
        addr: std::net::SocketAddr,
        from: std::net::IpAddr,
        auth: Option<Value>,
    ) -> Connected {
        let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
        let socket = tokio::net::TcpSocket::new_v4().expect("tcp socket");
        socket.bind((from, 0).into()).expect("bind local address");
        let stream = socket.connect(addr).await.expect("tcp connect");
        let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream))
            .await
            .expect("websocket upgrade");
        Self::open(ws, auth).await
    }

    async fn open(ws: WebSocketStream<MaybeTlsStream<TcpStream>>, auth: Option<Value>) -> Connected {
        let mut client = Self {
            ws,
            next_ack: 0,
            pending: Default::default(),
        };
        let open = client.next_text().await;
        assert!(open.starts_with('0'), "engine.io open packet, got {open}");
        let connect = match auth {
            Some(auth) => format!("40{auth}"),
            None => "40".to_string(),
        };
        client.ws.send(Message::text(connect)).await.unwrap();
        let reply = client.next_text().await;
        if let Some(rest) = reply.strip_prefix("44") {
            let error: Value = serde_json::from_str(rest).unwrap();
            return Connected::Refused(error["message"].as_str().unwrap_or_default().to_string());
        }
        assert!(reply.starts_with("40"), "namespace connect, got {reply}");
        Connected::Ok(Box::new(client))
    }

    pub async fn connected(addr: std::net::SocketAddr, auth: Option<Value>) -> Self {
        match Self::connect(addr, auth).await {
            Connected::Ok(c) => *c,
            Connected::Refused(m) => panic!("refused: {m}"),
        }
    }

    /// The next text frame, answering engine.io pings on the way.
    async fn next_text(&mut self) -> String {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("a frame within 10 s")
                .expect("socket open")
                .expect("frame");
            if let Message::Text(text) = frame {
                let text = text.to_string();
                if text == "2" {
                    self.ws.send(Message::text("3")).await.unwrap();
                    continue;
                }
                return text;
            }
        }
    }

    pub async fn emit(&mut self, event: &str, data: Value) {
        self.ws
            .send(Message::text(format!("42{}", json!([event, data]))))
            .await
            .unwrap();
    }

    /// Emits and waits for the acknowledgement, skipping other packets.
    pub async fn emit_with_ack(&mut self, event: &str, data: Value) -> Value {
        let id = self.next_ack;
        self.next_ack += 1;
        self.ws
            .send(Message::text(format!("42{id}{}", json!([event, data]))))
            .await
            .unwrap();
        let prefix = format!("43{id}");
        loop {
            let text = self.next_text().await;
            if let Some(rest) = text.strip_prefix(&prefix) {
                let args: Value = serde_json::from_str(rest).unwrap();
                return args[0].clone();
            }
            self.pending.push_back(text);
        }
    }

    /// The next event named `name` (others are skipped), as its first argument.
    pub async fn expect_event(&mut self, name: &str) -> Value {
        let event = |text: &str| -> Option<Value> {
            let args: Value = serde_json::from_str(text.strip_prefix("42")?).ok()?;
            (args[0] == name).then(|| args[1].clone())
        };
        if let Some(i) = self.pending.iter().position(|t| event(t).is_some()) {
            let text = self.pending.remove(i).unwrap_or_default();
            return event(&text).unwrap_or_default();
        }
        loop {
            let text = self.next_text().await;
            if let Some(rest) = text.strip_prefix("42") {
                let args: Value = serde_json::from_str(rest).unwrap();
                if args[0] == name {
                    return args[1].clone();
                }
            }
        }
    }

    /// The next packet (buffered ones first) within `wait`, answering pings; `None` on timeout or
    /// when the socket closes.
    pub async fn next_packet(&mut self, wait: Duration) -> Option<String> {
        if let Some(text) = self.pending.pop_front() {
            return Some(text);
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()??
                .ok()?;
            if let Message::Text(text) = frame {
                if text.as_str() == "2" {
                    self.ws.send(Message::text("3")).await.ok()?;
                    continue;
                }
                return Some(text.to_string());
            }
        }
    }

    /// Waits for `name` for at most `wait`; `None` if it didn't come.
    pub async fn maybe_event(&mut self, name: &str, wait: Duration) -> Option<Value> {
        tokio::time::timeout(wait, self.expect_event(name)).await.ok()
    }
}
