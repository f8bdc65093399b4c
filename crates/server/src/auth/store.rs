//! Sessions (refresh-token families), refresh tokens, API keys and login attempts.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::tokens::{self, hash_secret};
use crate::db::entities::{api_key, login_attempt, refresh_token, refresh_token_family as family};

pub struct SessionMeta {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// Starts a session and returns (family id, refresh token).
pub async fn start_session(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    meta: SessionMeta,
    ttl: Duration,
) -> Result<(Uuid, String), DbErr> {
    let family_id = Uuid::now_v7();
    family::ActiveModel {
        id: Set(family_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        user_agent: Set(meta.user_agent.map(|ua| ua.chars().take(300).collect())),
        ip: Set(meta.ip),
    }
    .insert(db)
    .await?;
    let token = add_token(db, family_id, ttl).await?;
    Ok((family_id, token))
}

async fn add_token(db: &impl ConnectionTrait, family_id: Uuid, ttl: Duration) -> Result<String, DbErr> {
    let token = tokens::new_refresh_token();
    let now = Utc::now();
    refresh_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        family_id: Set(family_id),
        token_hash: Set(hash_secret(&token)),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

pub enum Rotation {
    /// The presented token was valid: here is its successor.
    Rotated {
        user_id: Uuid,
        family_id: Uuid,
        token: String,
    },
    /// Unknown, expired, or its session was revoked.
    Invalid,
    /// An already-used token was presented again: the whole session has been revoked.
    Reused { user_id: Uuid, family_id: Uuid },
}

/// Exchanges a refresh token for a new one in the same family. The `used_at IS NULL` guard makes the
/// exchange single-use even under concurrent requests: only one UPDATE can win.
pub async fn rotate(db: &impl ConnectionTrait, presented: &str, ttl: Duration) -> Result<Rotation, DbErr> {
    let Some(token) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_secret(presented)))
        .one(db)
        .await?
    else {
        return Ok(Rotation::Invalid);
    };
    let Some(session) = family::Entity::find_by_id(token.family_id).one(db).await? else {
        return Ok(Rotation::Invalid);
    };
    if session.revoked_at.is_some() {
        return Ok(Rotation::Invalid);
    }
    if token.used_at.is_some() {
        revoke_session(db, session.id, "refresh token reuse").await?;
        return Ok(Rotation::Reused {
            user_id: session.user_id,
            family_id: session.id,
        });
    }
    if token.expires_at <= Utc::now() {
        return Ok(Rotation::Invalid);
    }
    let claimed = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(token.id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if claimed.rows_affected == 0 {
        revoke_session(db, session.id, "refresh token reuse").await?;
        return Ok(Rotation::Reused {
            user_id: session.user_id,
            family_id: session.id,
        });
    }
    let next = add_token(db, session.id, ttl).await?;
    Ok(Rotation::Rotated {
        user_id: session.user_id,
        family_id: session.id,
        token: next,
    })
}

/// The family a refresh token belongs to, if the token is known.
pub async fn family_of(db: &impl ConnectionTrait, presented: &str) -> Result<Option<Uuid>, DbErr> {
    Ok(refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_secret(presented)))
        .one(db)
        .await?
        .map(|t| t.family_id))
}

pub async fn revoke_session(db: &impl ConnectionTrait, family_id: Uuid, reason: &str) -> Result<(), DbErr> {
    family::Entity::update_many()
        .col_expr(family::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(family::Column::RevokedReason, Expr::value(reason))
        .filter(family::Column::Id.eq(family_id))
        .filter(family::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn revoke_all_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    reason: &str,
) -> Result<(), DbErr> {
    family::Entity::update_many()
        .col_expr(family::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(family::Column::RevokedReason, Expr::value(reason))
        .filter(family::Column::UserId.eq(user_id))
        .filter(family::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn session_active(db: &impl ConnectionTrait, family_id: Uuid) -> Result<bool, DbErr> {
    Ok(family::Entity::find_by_id(family_id)
        .one(db)
        .await?
        .is_some_and(|f| f.revoked_at.is_none()))
}

pub async fn record_login_attempt(
    db: &impl ConnectionTrait,
    identifier: &str,
    user_id: Option<Uuid>,
    ip: Option<String>,
    succeeded: bool,
) -> Result<(), DbErr> {
    login_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        identifier: Set(identifier.to_string()),
        user_id: Set(user_id),
        ip: Set(ip),
        succeeded: Set(succeeded),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Failed logins for an identifier inside the window and since its last success, oldest first.
pub async fn recent_failures(
    db: &impl ConnectionTrait,
    identifier: &str,
    window: Duration,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    let since = Utc::now() - window;
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::Identifier.eq(identifier))
        .filter(login_attempt::Column::Succeeded.eq(true))
        .filter(login_attempt::Column::CreatedAt.gt(since))
        .order_by_desc(login_attempt::Column::CreatedAt)
        .one(db)
        .await?
        .map(|a| a.created_at);
    let from = last_success.map_or(since, |t| t.max(since));
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Identifier.eq(identifier))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::CreatedAt.gt(from))
        .order_by_asc(login_attempt::Column::CreatedAt)
        .all(db)
        .await?;
    Ok(failures.into_iter().map(|a| a.created_at).collect())
}

pub async fn create_api_key(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    name: &str,
) -> Result<(api_key::Model, String), DbErr> {
    let key = tokens::new_api_key();
    let model = api_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        name: Set(name.to_string()),
        prefix: Set(key.chars().take(10).collect()),
        key_hash: Set(hash_secret(&key)),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((model, key))
}

pub async fn api_keys_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<api_key::Model>, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::UserId.eq(user_id))
        .order_by_desc(api_key::Column::CreatedAt)
        .all(db)
        .await
}

pub async fn count_active_api_keys(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    api_key::Entity::find()
        .filter(api_key::Column::UserId.eq(user_id))
        .filter(api_key::Column::RevokedAt.is_null())
        .count(db)
        .await
}

/// Revokes one of the user's keys; false when no such key of theirs exists.
pub async fn revoke_api_key(db: &impl ConnectionTrait, user_id: Uuid, key_id: Uuid) -> Result<bool, DbErr> {
    let Some(key) = api_key::Entity::find_by_id(key_id).one(db).await? else {
        return Ok(false);
    };
    if key.user_id != user_id {
        return Ok(false);
    }
    if key.revoked_at.is_none() {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(api_key::Column::Id.eq(key_id))
            .exec(db)
            .await?;
    }
    Ok(true)
}

/// The unrevoked key matching a presented secret; marks it used (at most once a minute, to spare writes).
pub async fn active_api_key(
    db: &impl ConnectionTrait,
    presented: &str,
) -> Result<Option<api_key::Model>, DbErr> {
    let Some(key) = api_key::Entity::find()
        .filter(api_key::Column::KeyHash.eq(hash_secret(presented)))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if key.last_used_at.is_none_or(|t| now - t > Duration::minutes(1)) {
        api_key::Entity::update_many()
            .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
            .filter(api_key::Column::Id.eq(key.id))
            .exec(db)
            .await?;
    }
    Ok(Some(key))
}

pub async fn session_owner(db: &impl ConnectionTrait, family_id: Uuid) -> Result<Option<Uuid>, DbErr> {
    Ok(family::Entity::find_by_id(family_id)
        .one(db)
        .await?
        .map(|f| f.user_id))
}
