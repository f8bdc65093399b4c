//! The last events seen on this instance, so an SSE client that reconnects with
//! `Last-Event-ID` gets what it missed.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use uuid::Uuid;

use crate::bus::Event;

const CAPACITY: usize = 2048;

#[derive(Clone, Default)]
pub struct ReplayBuffer {
    events: Arc<Mutex<VecDeque<Arc<Event>>>>,
}

impl ReplayBuffer {
    pub fn push(&self, event: Arc<Event>) {
        if let Ok(mut events) = self.events.lock() {
            if events.len() == CAPACITY {
                events.pop_front();
            }
            events.push_back(event);
        }
    }

    /// Events after `last_id` whose topic passes `wanted`; `None` when `last_id` is no longer buffered
    /// (the client missed more than the buffer holds and should reload).
    pub fn since(&self, last_id: Uuid, wanted: impl Fn(&str) -> bool) -> Option<Vec<Arc<Event>>> {
        let events = self.events.lock().ok()?;
        let position = events.iter().position(|e| e.id == last_id)?;
        Some(
            events
                .iter()
                .skip(position + 1)
                .filter(|e| wanted(&e.topic))
                .cloned()
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn replays_only_later_events_of_wanted_topics() {
        let buffer = ReplayBuffer::default();
        let events: Vec<Arc<Event>> = ["match:1", "match:2", "match:1"]
            .into_iter()
            .map(|t| Arc::new(Event::new(t, "match:update", json!({}))))
            .collect();
        for e in &events {
            buffer.push(e.clone());
        }
        let missed = buffer.since(events[0].id, |t| t == "match:1").unwrap_or_default();
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].id, events[2].id);
        assert!(buffer.since(Uuid::now_v7(), |_| true).is_none());
    }
}
