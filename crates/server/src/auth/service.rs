//! Registration, sign-in with lockout, token refresh with rotation and reuse detection, sign-out.

use chrono::{Duration, Utc};
use uuid::Uuid;

use super::{
    store::{self, Rotation, SessionMeta},
    types::{LoginRequest, RegisterRequest, TokenResponse},
};
use crate::{
    audit::{self, Entry},
    db::entities::user,
    error::ApiError,
    state::AppState,
    users::{
        store::{self as users, NewUser},
        types::{Role, UserView},
    },
};

use super::password;

fn refresh_ttl(state: &AppState) -> Duration {
    Duration::from_std(state.config.refresh_token_ttl).unwrap_or(Duration::days(30))
}

/// Creates an account with the given role (the CLI bootstraps admins this way).
pub async fn create_user(
    state_db: &sea_orm::DatabaseConnection,
    email: &str,
    username: &str,
    password_text: &str,
    role: Role,
) -> Result<user::Model, ApiError> {
    password::check_policy(password_text, username, email)?;
    if users::by_email(state_db, email).await?.is_some() {
        return Err(ApiError::Conflict {
            code: "email_taken",
            message: "that email is already registered".into(),
        });
    }
    if users::by_username(state_db, username).await?.is_some() {
        return Err(ApiError::Conflict {
            code: "username_taken",
            message: "that username is taken".into(),
        });
    }
    let password_hash = password::hash(password_text.to_string()).await?;
    // The look-ups above give friendly codes; the unique indexes still decide under races.
    users::insert(
        state_db,
        NewUser {
            email,
            username,
            password_hash,
            role,
        },
    )
    .await
    .map_err(|e| match crate::db::classify(e) {
        ApiError::Conflict { .. } => ApiError::Conflict {
            code: "conflict",
            message: "that email or username is already registered".into(),
        },
        other => other,
    })
}

pub async fn register(
    state: &AppState,
    req: RegisterRequest,
    meta: SessionMeta,
) -> Result<TokenResponse, ApiError> {
    let user = create_user(
        &state.db,
        req.email.trim(),
        req.username.trim(),
        &req.password,
        Role::User,
    )
    .await?;
    tracing::info!(user_id = %user.id, "account registered");
    issue_tokens(state, user, meta).await
}

pub async fn login(
    state: &AppState,
    req: LoginRequest,
    meta: SessionMeta,
) -> Result<TokenResponse, ApiError> {
    let identifier = match (&req.email, &req.username) {
        (Some(email), None) => email.trim().to_lowercase(),
        (None, Some(username)) => username.trim().to_lowercase(),
        _ => {
            return Err(ApiError::invalid_field(
                "email",
                "required",
                "send exactly one of `email` or `username`",
            ));
        }
    };
    let limits = &state.config.rate_limits;
    let window = Duration::from_std(limits.lockout_window).unwrap_or(Duration::minutes(15));
    let failures = store::recent_failures(&state.db, &identifier, window).await?;
    if failures.len() as u64 >= limits.lockout_failures {
        let unlock_at = failures[failures.len() - limits.lockout_failures as usize] + window;
        let retry_after_secs = u64::try_from((unlock_at - Utc::now()).num_seconds().max(1)).unwrap_or(1);
        return Err(ApiError::TooManyRequests {
            code: "account_locked",
            message: "too many failed sign-ins; the account is locked for a while".into(),
            retry_after_secs,
        });
    }

    let found = if req.email.is_some() {
        users::by_email(&state.db, &identifier).await?
    } else {
        users::by_username(&state.db, &identifier).await?
    };
    let verified = match &found {
        Some(user) => password::verify(req.password.clone(), user.password_hash.clone()).await?,
        None => {
            password::burn_verification_time(req.password.clone()).await;
            false
        }
    };
    let user_id = found.as_ref().map(|u| u.id);
    store::record_login_attempt(&state.db, &identifier, user_id, meta.ip.clone(), verified).await?;
    let user = match found {
        Some(user) if verified => user,
        _ => {
            let locks = failures.len() as u64 + 1 == limits.lockout_failures;
            audit_failure(state, &identifier, user_id, &meta, "wrong_credentials", locks).await;
            return Err(ApiError::Unauthorized("wrong email, username or password".into()));
        }
    };
    if !user.is_active {
        audit_failure(state, &identifier, user_id, &meta, "deactivated", false).await;
        return Err(ApiError::Forbidden("this account is deactivated".into()));
    }
    users::touch_login(&state.db, user.id).await?;
    let entry = Entry::new("auth.login")
        .actor(user.id)
        .target("user", user.id)
        .ip(meta.ip.clone());
    audit::record(&state.db, entry).await;
    issue_tokens(state, user, meta).await
}

/// A failed sign-in, and the lockout when this failure starts one. The identifier tried is kept
/// only when it names no account (an account is named by its id instead).
async fn audit_failure(
    state: &AppState,
    identifier: &str,
    user_id: Option<Uuid>,
    meta: &SessionMeta,
    reason: &str,
    locks: bool,
) {
    let details = match user_id {
        Some(_) => serde_json::json!({ "reason": reason }),
        None => serde_json::json!({ "reason": reason, "identifier": identifier }),
    };
    let mut entry = Entry::new("auth.login_failed")
        .actor(user_id)
        .ip(meta.ip.clone())
        .details(details.clone());
    if let Some(id) = user_id {
        entry = entry.target("user", id);
    }
    audit::record(&state.db, entry.clone()).await;
    if locks {
        let locked = Entry::new("auth.locked")
            .actor(user_id)
            .ip(meta.ip.clone())
            .details(details);
        let locked = match user_id {
            Some(id) => locked.target("user", id),
            None => locked,
        };
        audit::record(&state.db, locked).await;
    }
}

pub async fn refresh(
    state: &AppState,
    presented: &str,
    ip: Option<String>,
) -> Result<TokenResponse, ApiError> {
    match store::rotate(&state.db, presented, refresh_ttl(state)).await? {
        Rotation::Rotated {
            user_id,
            family_id,
            token,
        } => {
            let user = match users::by_id(&state.db, user_id).await? {
                Some(u) if u.is_active => u,
                _ => {
                    store::revoke_session(&state.db, family_id, "account unavailable").await?;
                    return Err(ApiError::Unauthorized("account unavailable".into()));
                }
            };
            token_response(state, user, family_id, token).await
        }
        Rotation::Reused { user_id, family_id } => {
            tracing::warn!("refresh token reuse detected; session revoked");
            let entry = Entry::new("auth.refresh_reuse")
                .actor(user_id)
                .target("session", family_id)
                .ip(ip);
            audit::record(&state.db, entry).await;
            Err(ApiError::Unauthorized(
                "refresh token already used; the session has been revoked".into(),
            ))
        }
        Rotation::Invalid => Err(ApiError::Unauthorized("invalid or expired refresh token".into())),
    }
}

/// Ends the session named by the refresh token if it belongs to the caller, else the caller's own session.
pub async fn logout(
    state: &AppState,
    user_id: Uuid,
    session: Option<Uuid>,
    refresh_token: Option<&str>,
) -> Result<(), ApiError> {
    let target = match refresh_token {
        Some(token) => store::family_of(&state.db, token).await?,
        None => session,
    };
    if let Some(family_id) = target {
        // Only the caller's own sessions: a stranger's refresh token is silently ignored.
        if store::session_owner(&state.db, family_id).await? == Some(user_id) {
            store::revoke_session(&state.db, family_id, "logout").await?;
        }
    }
    Ok(())
}

async fn issue_tokens(
    state: &AppState,
    user: user::Model,
    meta: SessionMeta,
) -> Result<TokenResponse, ApiError> {
    let (family_id, refresh_token) =
        store::start_session(&state.db, user.id, meta, refresh_ttl(state)).await?;
    token_response(state, user, family_id, refresh_token).await
}

async fn token_response(
    state: &AppState,
    user: user::Model,
    family_id: Uuid,
    refresh_token: String,
) -> Result<TokenResponse, ApiError> {
    let access_token = state.jwt.issue(user.id, family_id, &user.role)?;
    let profile = users::profile_of(&state.db, user.id).await?;
    Ok(TokenResponse {
        user: UserView::new(user, profile),
        access_token,
        refresh_token,
        token_type: "Bearer",
        expires_in: state.jwt.access_ttl.as_secs(),
    })
}
