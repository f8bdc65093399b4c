//! Event bus: an in-process broadcast, bridged over Redis pub/sub when configured so an event
//! published on one instance reaches subscribers on every instance.

mod redis_bridge;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub use redis_bridge::RedisBridge;

/// Something that happened, addressed to a topic such as `match:42` or `user:<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: Uuid,
    pub topic: String,
    pub name: String,
    pub data: Value,
    pub at: DateTime<Utc>,
}

impl Event {
    pub fn new(topic: impl Into<String>, name: impl Into<String>, data: Value) -> Self {
        Self {
            id: Uuid::now_v7(),
            topic: topic.into(),
            name: name.into(),
            data,
            at: Utc::now(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("event bus unavailable: {0}")]
pub struct BusError(pub String);

#[derive(Clone)]
pub struct Bus {
    local: broadcast::Sender<Arc<Event>>,
    bridge: Option<RedisBridge>,
}

/// How many events a slow subscriber may fall behind before it starts losing the oldest.
const CAPACITY: usize = 4096;

impl Bus {
    pub fn in_process() -> Self {
        Self {
            local: broadcast::channel(CAPACITY).0,
            bridge: None,
        }
    }

    /// Connects to Redis and starts relaying remote events into the local broadcast until `shutdown`.
    pub async fn with_redis(
        url: &str,
        namespace: &str,
        shutdown: CancellationToken,
    ) -> Result<Self, BusError> {
        let local = broadcast::channel(CAPACITY).0;
        let bridge = RedisBridge::start(url, namespace, local.clone(), shutdown).await?;
        Ok(Self {
            local,
            bridge: Some(bridge),
        })
    }

    pub fn kind(&self) -> &'static str {
        if self.bridge.is_some() { "redis" } else { "memory" }
    }

    /// Local subscribers get the event at once; other instances through Redis. A Redis failure is
    /// logged and does not stop local delivery.
    pub async fn publish(&self, event: Event) {
        let event = Arc::new(event);
        // No receivers is fine: nobody is listening on this instance right now.
        let _ = self.local.send(event.clone());
        if let Some(bridge) = &self.bridge
            && let Err(e) = bridge.publish(&event).await
        {
            tracing::warn!(error = %e, topic = %event.topic, "event not relayed to other instances");
        }
        metrics::counter!("pundit_bus_events_published_total").increment(1);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.local.subscribe()
    }

    pub async fn ping(&self) -> Result<(), BusError> {
        match &self.bridge {
            Some(bridge) => bridge.ping().await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    async fn next(rx: &mut broadcast::Receiver<Arc<Event>>) -> Arc<Event> {
        tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("event within 5s")
            .unwrap()
    }

    #[tokio::test]
    async fn in_process_bus_delivers_to_every_subscriber() {
        let bus = Bus::in_process();
        let (mut a, mut b) = (bus.subscribe(), bus.subscribe());
        let event = Event::new("match:1", "match:update", json!({"minute": 12}));
        bus.publish(event.clone()).await;
        assert_eq!(*next(&mut a).await, event);
        assert_eq!(*next(&mut b).await, event);
    }

    #[tokio::test]
    async fn redis_bus_reaches_other_instances_once() {
        let Ok(url) = std::env::var("REDIS_URL") else {
            eprintln!("REDIS_URL not set: the cross-instance bus test runs in the PostgreSQL + Redis pass");
            return;
        };
        let namespace = format!("pundit-test-{}", Uuid::new_v4());
        let shutdown = CancellationToken::new();
        let one = Bus::with_redis(&url, &namespace, shutdown.clone()).await.unwrap();
        let two = Bus::with_redis(&url, &namespace, shutdown.clone()).await.unwrap();
        let (mut on_one, mut on_two) = (one.subscribe(), two.subscribe());

        let event = Event::new("match:7", "match:update", json!({"score": [1, 0]}));
        one.publish(event.clone()).await;
        assert_eq!(*next(&mut on_two).await, event, "the other instance receives it");
        assert_eq!(
            *next(&mut on_one).await,
            event,
            "the publishing instance receives it"
        );
        // The publisher must not get its own event a second time through Redis.
        let again = tokio::time::timeout(Duration::from_millis(500), on_one.recv()).await;
        assert!(again.is_err(), "no duplicate delivery on the publishing instance");
        shutdown.cancel();
    }
}
