use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use moka::{Expiry, future::Cache as Moka};

/// Values and counters share one bounded cache; each entry carries its own time to live.
#[derive(Clone)]
pub struct MemoryCache {
    entries: Moka<String, Entry>,
}

#[derive(Clone)]
enum Slot {
    Value(Arc<[u8]>),
    Counter(Arc<Counter>),
}

struct Counter {
    count: AtomicU64,
    started: Instant,
}

#[derive(Clone)]
struct Entry {
    slot: Slot,
    ttl: Duration,
}

struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, entry: &Entry, _now: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(
        &self,
        _key: &String,
        entry: &Entry,
        _now: Instant,
        _current: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl)
    }
}

impl MemoryCache {
    pub fn new(max_entries: u64) -> Self {
        Self {
            entries: Moka::builder()
                .max_capacity(max_entries)
                .expire_after(PerEntryTtl)
                .build(),
        }
    }

    pub async fn get(&self, key: &str) -> Option<Vec<u8>> {
        match self.entries.get(key).await?.slot {
            Slot::Value(bytes) => Some(bytes.to_vec()),
            Slot::Counter(c) => Some(c.count.load(Ordering::Relaxed).to_string().into_bytes()),
        }
    }

    pub async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) {
        self.entries
            .insert(
                key.to_string(),
                Entry {
                    slot: Slot::Value(value.into()),
                    ttl,
                },
            )
            .await;
    }

    pub async fn delete(&self, key: &str) {
        self.entries.invalidate(key).await;
    }

    /// The window starts at the first increment: `get_with` inserts once, later calls share it.
    pub async fn incr(&self, key: &str, ttl: Duration) -> (u64, Duration) {
        let fresh = || {
            Arc::new(Counter {
                count: AtomicU64::new(0),
                started: Instant::now(),
            })
        };
        let entry = self
            .entries
            .get_with(key.to_string(), async {
                Entry {
                    slot: Slot::Counter(fresh()),
                    ttl,
                }
            })
            .await;
        let counter = match entry.slot {
            Slot::Counter(c) => c,
            // A plain value under a counter key: restart the counter rather than fail.
            Slot::Value(_) => {
                let counter = fresh();
                self.entries
                    .insert(
                        key.to_string(),
                        Entry {
                            slot: Slot::Counter(counter.clone()),
                            ttl,
                        },
                    )
                    .await;
                counter
            }
        };
        let count = counter.count.fetch_add(1, Ordering::Relaxed) + 1;
        (count, entry.ttl.saturating_sub(counter.started.elapsed()))
    }

    /// Single process: a compare-and-set on the entry is enough.
    pub async fn lease(&self, key: &str, owner: &str, ttl: Duration) -> bool {
        let entry = self
            .entries
            .entry(key.to_string())
            .and_compute_with(|current| {
                let free = match current.as_ref().map(|e| &e.value().slot) {
                    None => true,
                    Some(Slot::Value(holder)) => holder.as_ref() == owner.as_bytes(),
                    Some(Slot::Counter(_)) => false,
                };
                let op = if free {
                    moka::ops::compute::Op::Put(Entry {
                        slot: Slot::Value(owner.as_bytes().into()),
                        ttl,
                    })
                } else {
                    moka::ops::compute::Op::Nop
                };
                std::future::ready(op)
            })
            .await;
        matches!(
            entry,
            moka::ops::compute::CompResult::Inserted(_) | moka::ops::compute::CompResult::ReplacedWith(_)
        )
    }
}
