use std::{sync::Arc, time::Duration};

use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::{BusError, Event};

/// Relays events between instances over one Redis channel. Each instance tags what it sends with
/// its own id and drops its own messages on the way back, so local subscribers see each event once.
#[derive(Clone)]
pub struct RedisBridge {
    conn: ConnectionManager,
    channel: String,
    origin: Uuid,
}

#[derive(Serialize, Deserialize)]
struct Envelope<'a> {
    origin: Uuid,
    event: std::borrow::Cow<'a, Event>,
}

impl RedisBridge {
    pub async fn start(
        url: &str,
        namespace: &str,
        local: broadcast::Sender<Arc<Event>>,
        shutdown: CancellationToken,
    ) -> Result<Self, BusError> {
        let client = redis::Client::open(url).map_err(err)?;
        let conn = ConnectionManager::new_with_config(client.clone(), crate::cache::redis_manager_config())
            .await
            .map_err(err)?;
        let bridge = Self {
            conn,
            channel: format!("{namespace}:bus"),
            origin: Uuid::new_v4(),
        };
        // Subscribe before returning so no event published after start-up is missed.
        let mut pubsub = client.get_async_pubsub().await.map_err(err)?;
        pubsub.subscribe(&bridge.channel).await.map_err(err)?;
        tokio::spawn(bridge.clone().relay(client, pubsub, local, shutdown));
        Ok(bridge)
    }

    pub async fn publish(&self, event: &Event) -> Result<(), BusError> {
        let envelope = Envelope {
            origin: self.origin,
            event: std::borrow::Cow::Borrowed(event),
        };
        let payload = serde_json::to_string(&envelope).map_err(|e| BusError(e.to_string()))?;
        redis::cmd("PUBLISH")
            .arg(&self.channel)
            .arg(payload)
            .query_async::<i64>(&mut self.conn.clone())
            .await
            .map(|_| ())
            .map_err(err)
    }

    pub async fn ping(&self) -> Result<(), BusError> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.conn.clone())
            .await
            .map(|_| ())
            .map_err(err)
    }

    /// Forwards remote events until shutdown, resubscribing with backoff when the connection drops.
    async fn relay(
        self,
        client: redis::Client,
        mut pubsub: redis::aio::PubSub,
        local: broadcast::Sender<Arc<Event>>,
        shutdown: CancellationToken,
    ) {
        let mut backoff = Duration::from_millis(100);
        loop {
            {
                let mut messages = pubsub.on_message();
                loop {
                    tokio::select! {
                        () = shutdown.cancelled() => return,
                        message = messages.next() => match message {
                            Some(message) => self.forward(&message, &local),
                            None => break,
                        },
                    }
                }
            }
            tracing::warn!(channel = %self.channel, "event bus lost its Redis subscription; reconnecting");
            pubsub = loop {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
                if let Ok(mut p) = client.get_async_pubsub().await
                    && p.subscribe(&self.channel).await.is_ok()
                {
                    break p;
                }
            };
            backoff = Duration::from_millis(100);
            tracing::info!(channel = %self.channel, "event bus resubscribed to Redis");
        }
    }

    fn forward(&self, message: &redis::Msg, local: &broadcast::Sender<Arc<Event>>) {
        let payload: String = match message.get_payload() {
            Ok(p) => p,
            Err(e) => return tracing::warn!(error = %e, "unreadable bus message"),
        };
        match serde_json::from_str::<Envelope>(&payload) {
            Ok(envelope) if envelope.origin == self.origin => {}
            Ok(envelope) => {
                let _ = local.send(Arc::new(envelope.event.into_owned()));
            }
            Err(e) => tracing::warn!(error = %e, "malformed bus message"),
        }
    }
}

fn err(e: redis::RedisError) -> BusError {
    BusError(e.to_string())
}
