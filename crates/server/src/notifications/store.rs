//! Notification and preference queries. Every query is scoped to one user.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Expr, OnConflict},
};
use serde_json::Value;
use uuid::Uuid;

use super::types::{Channel, NotificationKind};
use crate::db::entities::{notification, notification_preference, user};

pub struct NewNotification<'a> {
    pub user_id: Uuid,
    pub kind: NotificationKind,
    pub title: &'a str,
    pub body: &'a str,
    pub data: Option<Value>,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    new: NewNotification<'_>,
) -> Result<notification::Model, DbErr> {
    notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(new.user_id),
        kind: Set(new.kind.as_str().to_string()),
        title: Set(new.title.to_string()),
        body: Set(new.body.to_string()),
        data: Set(new.data),
        read_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

fn of_user(user_id: Uuid) -> sea_orm::Select<notification::Entity> {
    notification::Entity::find().filter(notification::Column::UserId.eq(user_id))
}

/// One page of the user's notifications, newest first, and the total matching the filter.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    unread_only: bool,
    page: u64,
    limit: u64,
) -> Result<(Vec<notification::Model>, u64), DbErr> {
    let mut select = of_user(user_id);
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

pub async fn unread_count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    of_user(user_id)
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
}

/// Marks one of the user's notifications read (keeping the first read time); `None` if the user has
/// no notification with that id.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<notification::Model>, DbErr> {
    let Some(found) = of_user(user_id)
        .filter(notification::Column::Id.eq(id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if found.read_at.is_some() {
        return Ok(Some(found));
    }
    let mut active: notification::ActiveModel = found.into();
    active.read_at = Set(Some(Utc::now()));
    active.update(db).await.map(Some)
}

/// Marks every unread notification of the user read; returns how many changed.
pub async fn mark_all_read(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map(|r| r.rows_affected)
}

/// Deletes one of the user's notifications; `false` if there was none with that id.
pub async fn delete(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|r| r.rows_affected > 0)
}

pub async fn preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<notification_preference::Model>, DbErr> {
    notification_preference::Entity::find()
        .filter(notification_preference::Column::UserId.eq(user_id))
        .all(db)
        .await
}

/// Stores the choices, replacing earlier ones for the same type and channel. `changes` must not
/// repeat a (type, channel) pair.
pub async fn upsert_preferences(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    changes: &[(NotificationKind, Channel, bool)],
) -> Result<(), DbErr> {
    if changes.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = changes
        .iter()
        .map(|&(kind, channel, enabled)| notification_preference::ActiveModel {
            user_id: Set(user_id),
            kind: Set(kind.as_str().to_string()),
            channel: Set(channel.as_str().to_string()),
            enabled: Set(enabled),
            updated_at: Set(now),
        });
    notification_preference::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([
                notification_preference::Column::UserId,
                notification_preference::Column::Kind,
                notification_preference::Column::Channel,
            ])
            .update_columns([
                notification_preference::Column::Enabled,
                notification_preference::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Ids of active accounts, oldest first, `limit` at a time after `after`.
pub async fn active_user_ids(
    db: &impl ConnectionTrait,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Uuid>, DbErr> {
    let mut select = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::IsActive.eq(true));
    if let Some(after) = after {
        select = select.filter(user::Column::Id.gt(after));
    }
    select
        .order_by_asc(user::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}
