//! Key-value cache with expiring counters: in-process by default, Redis when configured.
//! Both implementations keep the same contract and pass the same tests.

mod memory;
mod redis;

use std::time::Duration;

pub use self::{
    memory::MemoryCache,
    redis::{RedisCache, manager_config as redis_manager_config},
};

#[derive(Debug, thiserror::Error)]
#[error("cache unavailable: {0}")]
pub struct CacheError(pub String);

#[derive(Clone)]
pub enum Cache {
    Memory(MemoryCache),
    Redis(RedisCache),
}

impl Cache {
    pub fn memory() -> Self {
        Self::Memory(MemoryCache::new(100_000))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Memory(_) => "memory",
            Self::Redis(_) => "redis",
        }
    }

    /// A miss when the key is absent or the cache is unreachable: callers fall back to the source.
    pub async fn get(&self, key: &str) -> Option<Vec<u8>> {
        let found = match self {
            Self::Memory(c) => Ok(c.get(key).await),
            Self::Redis(c) => c.get(key).await,
        };
        let found = found.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cache read failed");
            None
        });
        let outcome = if found.is_some() { "hit" } else { "miss" };
        metrics::counter!("pundit_cache_requests_total", "outcome" => outcome).increment(1);
        found
    }

    /// Best effort: a failed write is logged, never surfaced.
    pub async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) {
        let result = match self {
            Self::Memory(c) => {
                c.set(key, value, ttl).await;
                Ok(())
            }
            Self::Redis(c) => c.set(key, value, ttl).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "cache write failed");
        }
    }

    pub async fn delete(&self, key: &str) {
        let result = match self {
            Self::Memory(c) => {
                c.delete(key).await;
                Ok(())
            }
            Self::Redis(c) => c.delete(key).await,
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "cache delete failed");
        }
    }

    /// Adds one to a counter that disappears `ttl` after its first increment; returns the new count
    /// and the time until the counter resets.
    pub async fn incr(&self, key: &str, ttl: Duration) -> Result<(u64, Duration), CacheError> {
        match self {
            Self::Memory(c) => Ok(c.incr(key, ttl).await),
            Self::Redis(c) => c.incr(key, ttl).await,
        }
    }

    /// Takes or renews a lease: true when `owner` holds `key` for the next `ttl` (it was free or already
    /// theirs). With Redis this elects one leader among all instances.
    pub async fn lease(&self, key: &str, owner: &str, ttl: Duration) -> Result<bool, CacheError> {
        match self {
            Self::Memory(c) => Ok(c.lease(key, owner, ttl).await),
            Self::Redis(c) => c.lease(key, owner, ttl).await,
        }
    }

    pub async fn ping(&self) -> Result<(), CacheError> {
        match self {
            Self::Memory(_) => Ok(()),
            Self::Redis(c) => c.ping().await,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// The contract both implementations keep.
    pub(crate) async fn check_contract(cache: &Cache, prefix: &str) {
        let key = format!("{prefix}:k");
        assert_eq!(cache.get(&key).await, None);
        cache.set(&key, b"v1".to_vec(), Duration::from_secs(60)).await;
        assert_eq!(cache.get(&key).await.as_deref(), Some(&b"v1"[..]));
        cache.delete(&key).await;
        assert_eq!(cache.get(&key).await, None);

        let short = format!("{prefix}:short");
        cache
            .set(&short, b"x".to_vec(), Duration::from_millis(1100))
            .await;
        tokio::time::sleep(Duration::from_millis(1600)).await;
        assert_eq!(cache.get(&short).await, None, "entries expire after their ttl");

        let counter = format!("{prefix}:counter");
        let (count, reset) = cache.incr(&counter, Duration::from_secs(1)).await.unwrap();
        assert_eq!(count, 1);
        assert!(
            reset <= Duration::from_secs(1) && reset > Duration::from_millis(500),
            "{reset:?}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (count, reset) = cache.incr(&counter, Duration::from_secs(1)).await.unwrap();
        assert_eq!(count, 2);
        assert!(
            reset < Duration::from_millis(800),
            "the window does not restart: {reset:?}"
        );
        tokio::time::sleep(Duration::from_millis(1200)).await;
        assert_eq!(
            cache.incr(&counter, Duration::from_secs(1)).await.unwrap().0,
            1,
            "counters reset"
        );
        let lease = format!("{prefix}:lease");
        assert!(cache.lease(&lease, "a", Duration::from_secs(1)).await.unwrap());
        assert!(
            cache.lease(&lease, "a", Duration::from_secs(1)).await.unwrap(),
            "the holder renews"
        );
        assert!(
            !cache.lease(&lease, "b", Duration::from_secs(1)).await.unwrap(),
            "others wait"
        );
        tokio::time::sleep(Duration::from_millis(1300)).await;
        assert!(
            cache.lease(&lease, "b", Duration::from_secs(1)).await.unwrap(),
            "an expired lease is free"
        );
        cache.ping().await.unwrap();
    }

    #[tokio::test]
    async fn memory_cache_keeps_the_contract() {
        check_contract(&Cache::memory(), "t").await;
    }

    #[tokio::test]
    async fn redis_cache_keeps_the_contract() {
        let Ok(url) = std::env::var("REDIS_URL") else {
            eprintln!("REDIS_URL not set: redis cache contract runs in the PostgreSQL + Redis pass");
            return;
        };
        let cache = Cache::Redis(RedisCache::connect(&url, "pundit-test").await.unwrap());
        check_contract(&cache, &uuid::Uuid::new_v4().to_string()).await;
    }
}
