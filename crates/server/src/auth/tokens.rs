//! Access tokens (JWT HS256), opaque refresh tokens and API keys.

use std::time::Duration;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::config::Secret;

const ISSUER: &str = "pundit";
/// Shorter secrets make HS256 brute-forceable.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: Uuid,
    /// Session (refresh-token family) the token was issued for; revoking it ends the session.
    pub sid: Uuid,
    pub role: String,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl: Duration,
}

impl JwtKeys {
    pub fn new(secret: &Secret, access_ttl: Duration) -> Self {
        // Only HS256 is accepted: tokens claiming any other algorithm, including `none`, fail.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            access_ttl,
        }
    }

    pub fn issue(&self, user_id: Uuid, session_id: Uuid, role: &str) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        let claims = Claims {
            sub: user_id,
            sid: session_id,
            role: role.to_string(),
            iss: ISSUER.to_string(),
            iat: now,
            exp: now.saturating_add(ttl),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, jsonwebtoken::errors::Error> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims)
    }
}

/// A random URL-safe token with a recognisable prefix.
fn random_token(prefix: &str) -> String {
    let bytes: [u8; 32] = rand::random();
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub fn new_refresh_token() -> String {
    random_token("prt_")
}

pub const API_KEY_PREFIX: &str = "pk_";

pub fn new_api_key() -> String {
    random_token(API_KEY_PREFIX)
}

/// Refresh tokens and API keys are stored as SHA-256: high-entropy secrets need no slow hash.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random signing secret for the embedded default.
pub fn generate_secret() -> Secret {
    let bytes: [u8; 48] = rand::random();
    Secret::new(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(&Secret::new("k".repeat(40)), Duration::from_secs(60))
    }

    #[test]
    fn round_trip_and_rejections() {
        let keys = keys();
        let (user, session) = (Uuid::new_v4(), Uuid::new_v4());
        let token = keys.issue(user, session, "user").unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub, claims.sid, claims.role.as_str()),
            (user, session, "user")
        );

        let other = JwtKeys::new(&Secret::new("x".repeat(40)), Duration::from_secs(60));
        assert!(other.verify(&token).is_err(), "wrong key");

        // alg: none with the same claims.
        let (_, rest) = token.split_once('.').unwrap();
        let (payload, _) = rest.split_once('.').unwrap();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert!(
            keys.verify(&format!("{none_header}.{payload}.")).is_err(),
            "alg none"
        );

        // HS512 signed with the right secret is still refused.
        let claims = keys.verify(&token).unwrap();
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret("k".repeat(40).as_bytes()),
        )
        .unwrap();
        assert!(keys.verify(&hs512).is_err(), "other algorithms");
    }

    #[test]
    fn secrets_hash_stably_and_tokens_are_unique() {
        assert_eq!(hash_secret("abc"), hash_secret("abc"));
        assert_eq!(hash_secret("abc").len(), 64);
        assert_ne!(new_refresh_token(), new_refresh_token());
        assert!(new_api_key().starts_with(API_KEY_PREFIX));
    }
}
