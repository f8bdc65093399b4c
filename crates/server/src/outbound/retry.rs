//! Retries with exponential backoff and full jitter, so instances don't retry in lockstep.

use std::{future::Future, time::Duration};

#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Total tries, including the first.
    pub attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// The pause before retry number `n` (1-based): uniform in [0, min(max, base·2ⁿ⁻¹)].
    pub fn delay(&self, n: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(n.saturating_sub(1)))
            .min(self.max_delay);
        ceiling.mul_f64(rand::random::<f64>())
    }
}

/// Runs `call` until it succeeds, `retryable` says an error is final, or attempts run out.
pub async fn retry<T, E, F, Fut>(
    policy: RetryPolicy,
    retryable: impl Fn(&E) -> bool,
    mut call: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Ok(value) => return Ok(value),
            Err(e) if attempt < policy.attempts && retryable(&e) => {
                tokio::time::sleep(policy.delay(attempt)).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn retries_until_success_and_stops_on_final_errors() {
        let policy = RetryPolicy {
            attempts: 4,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        };
        let calls = AtomicU32::new(0);
        let out: Result<u32, &str> = retry(
            policy,
            |_| true,
            || async {
                let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                if n < 3 { Err("flaky") } else { Ok(n) }
            },
        )
        .await;
        assert_eq!(out, Ok(3));

        calls.store(0, Ordering::SeqCst);
        let out: Result<u32, &str> = retry(
            policy,
            |e| *e != "fatal",
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err("fatal")
            },
        )
        .await;
        assert_eq!((out, calls.load(Ordering::SeqCst)), (Err("fatal"), 1));
        assert!(policy.delay(10) <= Duration::from_millis(5));
    }
}
