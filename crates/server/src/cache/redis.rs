use std::time::Duration;

use redis::{AsyncCommands, aio::ConnectionManager};

use super::CacheError;

/// Redis-backed cache shared by every instance. Keys are namespaced so deployments can share a server.
#[derive(Clone)]
pub struct RedisCache {
    conn: ConnectionManager,
    namespace: String,
}

/// Reconnects in the background; requests fail fast instead of queueing while Redis is down.
pub fn manager_config() -> redis::aio::ConnectionManagerConfig {
    redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(2)))
        .set_response_timeout(Some(Duration::from_secs(2)))
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_secs(2))
}

impl RedisCache {
    pub async fn connect(url: &str, namespace: &str) -> Result<Self, CacheError> {
        let client = redis::Client::open(url).map_err(err)?;
        let conn = ConnectionManager::new_with_config(client, manager_config())
            .await
            .map_err(err)?;
        Ok(Self {
            conn,
            namespace: namespace.to_string(),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}:cache:{key}", self.namespace)
    }

    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        self.conn.clone().get(self.key(key)).await.map_err(err)
    }

    pub async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError> {
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        self.conn
            .clone()
            .pset_ex(self.key(key), value, millis)
            .await
            .map_err(err)
    }

    pub async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.conn.clone().del(self.key(key)).await.map_err(err)
    }

    /// `SET NX PX`, `INCR` and `PTTL` in one transaction: the window starts at the first increment
    /// and the expiry can never be lost between the commands.
    pub async fn incr(&self, key: &str, ttl: Duration) -> Result<(u64, Duration), CacheError> {
        let key = self.key(key);
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let (count, remaining): (u64, i64) = redis::pipe()
            .atomic()
            .cmd("SET")
            .arg(&key)
            .arg(0)
            .arg("NX")
            .arg("PX")
            .arg(millis)
            .ignore()
            .incr(&key, 1)
            .cmd("PTTL")
            .arg(&key)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(err)?;
        Ok((
            count,
            Duration::from_millis(u64::try_from(remaining).unwrap_or(0)),
        ))
    }

    /// Atomic in Redis: take the lease if free, renew it if ours, else refuse.
    pub async fn lease(&self, key: &str, owner: &str, ttl: Duration) -> Result<bool, CacheError> {
        const SCRIPT: &str = r"
            local holder = redis.call('GET', KEYS[1])
            if holder == false then
                redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
                return 1
            elseif holder == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return 1
            end
            return 0";
        let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let held: i64 = redis::Script::new(SCRIPT)
            .key(self.key(key))
            .arg(owner)
            .arg(millis)
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(err)?;
        Ok(held == 1)
    }

    pub async fn ping(&self) -> Result<(), CacheError> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.conn.clone())
            .await
            .map(|_| ())
            .map_err(err)
    }
}

fn err(e: redis::RedisError) -> CacheError {
    CacheError(e.to_string())
}
