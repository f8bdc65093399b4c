//! User and profile queries.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Condition, Expr},
};
use uuid::Uuid;

use crate::db::entities::{profile, user};

use super::types::{Role, UpdateProfile};

pub struct NewUser<'a> {
    pub email: &'a str,
    pub username: &'a str,
    pub password_hash: String,
    pub role: Role,
}

/// Creates the user and an empty profile together.
pub async fn insert(db: &DatabaseConnection, new: NewUser<'_>) -> Result<user::Model, DbErr> {
    let now = Utc::now();
    let txn = crate::db::begin(db).await?;
    let user = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email.to_lowercase()),
        username: Set(new.username.to_string()),
        username_key: Set(new.username.to_lowercase()),
        password_hash: Set(new.password_hash),
        role: Set(new.role.as_str().to_string()),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
        password_changed_at: Set(now),
    }
    .insert(&txn)
    .await?;
    profile::ActiveModel {
        user_id: Set(user.id),
        display_name: Set(None),
        bio: Set(None),
        location: Set(None),
        website: Set(None),
        avatar_url: Set(None),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(user)
}

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

pub async fn by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::UsernameKey.eq(username.to_lowercase()))
        .one(db)
        .await
}

pub async fn by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await
}

pub async fn profile_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<profile::Model>, DbErr> {
    profile::Entity::find_by_id(user_id).one(db).await
}

pub async fn touch_login(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::LastLoginAt, Expr::value(Utc::now()))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|_| ())
}

pub struct UserFilter {
    pub query: Option<String>,
    pub role: Option<Role>,
    pub page: u64,
    pub limit: u64,
}

/// One page of users, newest first, and the total matching the filter.
pub async fn list(db: &impl ConnectionTrait, filter: &UserFilter) -> Result<(Vec<user::Model>, u64), DbErr> {
    let mut select = user::Entity::find();
    if let Some(q) = filter.query.as_deref().filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase().replace(['%', '_'], ""));
        select = select.filter(
            Condition::any()
                .add(user::Column::UsernameKey.like(pattern.clone()))
                .add(user::Column::Email.like(pattern)),
        );
    }
    if let Some(role) = filter.role {
        select = select.filter(user::Column::Role.eq(role.as_str()));
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_desc(user::Column::CreatedAt)
        .order_by_desc(user::Column::Id)
        .offset((filter.page - 1) * filter.limit)
        .limit(filter.limit)
        .all(db)
        .await?;
    Ok((items, total))
}

pub async fn save(db: &impl ConnectionTrait, model: user::ActiveModel) -> Result<user::Model, DbErr> {
    model.update(db).await
}

/// Applies profile changes (empty strings clear a field); `None` when the user has no profile.
pub async fn update_profile(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    changes: UpdateProfile,
) -> Result<Option<profile::Model>, DbErr> {
    let Some(profile) = profile_of(db, user_id).await? else {
        return Ok(None);
    };
    let mut active = profile.into_active_model();
    let clear = |v: String| Some(v.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(v) = changes.display_name {
        active.display_name = Set(clear(v));
    }
    if let Some(v) = changes.bio {
        active.bio = Set(clear(v));
    }
    if let Some(v) = changes.location {
        active.location = Set(clear(v));
    }
    if let Some(v) = changes.website {
        active.website = Set(clear(v));
    }
    if let Some(v) = changes.avatar_url {
        active.avatar_url = Set(clear(v));
    }
    active.updated_at = Set(Utc::now());
    active.update(db).await.map(Some)
}
