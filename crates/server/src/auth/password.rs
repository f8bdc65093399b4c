//! Argon2id password hashing, run off the async runtime, and the password policy.

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier},
};

use crate::error::ApiError;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

/// Passwords that are long enough yet guessed first by every cracker.
const COMMON: &[&str] = &[
    "password123",
    "password1234",
    "1234567890",
    "12345678910",
    "qwertyuiop",
    "1q2w3e4r5t",
    "iloveyou123",
    "football123",
    "letmein1234",
    "welcome123",
    "administrator",
    "passw0rd123",
];

/// Rejects weak passwords with a 422 naming the rule that failed.
pub fn check_policy(password: &str, username: &str, email: &str) -> Result<(), ApiError> {
    let weak = |message: &str| ApiError::invalid_field("password", "weak_password", message);
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(weak(&format!("must be at least {MIN_LEN} characters")));
    }
    if chars > MAX_LEN {
        return Err(weak(&format!("must be at most {MAX_LEN} characters")));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err(weak("is too common"));
    }
    let distinct: std::collections::HashSet<char> = password.chars().collect();
    if distinct.len() < 5 {
        return Err(weak("needs more variety of characters"));
    }
    // What is left after removing the username and email name must still be long enough on its own.
    let local_part = email.split('@').next().unwrap_or_default().to_lowercase();
    let mut rest = lower.clone();
    for personal in [username.to_lowercase(), local_part] {
        if personal.len() >= 3 {
            rest = rest.replace(&personal, "");
        }
    }
    if rest.chars().count() < MIN_LEN {
        return Err(weak("must not be built from the username or email"));
    }
    Ok(())
}

/// Runs an Argon2 computation on the blocking pool, at most one per core at a time. Each one takes
/// ~19 MiB and a whole core for its duration, so running more at once only adds memory (a burst
/// of 32 sign-ins grew the process by 1.5 GiB) and makes every one of them slower.
async fn argon2<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        tokio::sync::Semaphore::new(cores)
    });
    let _slot = slots.acquire().await?;
    Ok(tokio::task::spawn_blocking(work).await?)
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    argon2(move || {
        let salt: [u8; 16] = rand::random();
        Argon2::default()
            .hash_password_with_salt(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
    })
    .await?
}

pub async fn verify(password: String, hash: String) -> anyhow::Result<bool> {
    argon2(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
}

/// Verifies against a fixed hash so unknown accounts cost as much time as known ones.
pub async fn burn_verification_time(password: String) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(h) => h.clone(),
        None => match hash("pundit-dummy-password".into()).await {
            Ok(h) => DUMMY.get_or_init(|| h).clone(),
            Err(_) => return,
        },
    };
    let _ = verify(password, dummy).await;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_policy_rejects_weak_passwords() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), h.clone()).await.unwrap());
        assert!(!verify("wrong horse battery".into(), h).await.unwrap());

        assert!(check_policy("short", "alice", "a@x.io").is_err());
        assert!(check_policy("Password123", "alice", "a@x.io").is_err());
        assert!(check_policy("aaaaaaaaaaaa", "alice", "a@x.io").is_err());
        assert!(check_policy("alice-alice-77", "alice", "a@x.io").is_err());
        assert!(check_policy("tangerine-Orbit-42", "erin", "erin@x.io").is_ok());
        assert!(check_policy("tangerine-Orbit-42", "alice", "a@x.io").is_ok());
    }
}
