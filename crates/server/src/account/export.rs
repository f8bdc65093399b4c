//! The data export: everything Pundit holds about one account, as one JSON document. Rows are
//! exported with all their columns except secrets (password, key and token hashes).

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Condition,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::{
    audit::{store as audit, types::AuditEntryView},
    auth::{store as sessions, types::ApiKeyView},
    db::entities::{
        achievement, chat_message, comment, comment_like, follow, league, league_member, login_attempt,
        notification, notification_preference, pick, pick_stats, post, post_like, refresh_token_family,
        report, user,
    },
    users::{store as users, types::UserView},
};

/// Everything about one account. Lists of rows are shown as stored, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountExport {
    pub exported_at: DateTime<Utc>,
    /// The account and its profile.
    pub account: UserView,
    /// Signed-in sessions: when, from which address and browser (no tokens).
    #[schema(value_type = Vec<Object>)]
    pub sessions: Vec<Value>,
    /// API keys without the keys themselves.
    pub api_keys: Vec<ApiKeyView>,
    #[schema(value_type = Vec<Object>)]
    pub login_attempts: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub picks: Vec<Value>,
    #[schema(value_type = Option<Object>)]
    pub pick_stats: Option<Value>,
    #[schema(value_type = Vec<Object>)]
    pub achievements: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub posts: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub comments: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub post_likes: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub comment_likes: Vec<Value>,
    /// Follows in both directions: `follower_id` is you when you follow someone.
    #[schema(value_type = Vec<Object>)]
    pub follows: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub reports: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub league_memberships: Vec<Value>,
    /// The leagues you are in (invite codes left out).
    #[schema(value_type = Vec<Object>)]
    pub leagues: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub notifications: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub notification_preferences: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub chat_messages: Vec<Value>,
    /// Audit entries you caused or that are about your account.
    pub audit_log: Vec<AuditEntryView>,
}

pub async fn build(db: &impl ConnectionTrait, user: &user::Model) -> Result<AccountExport, DbErr> {
    let id = user.id;
    let profile = users::profile_of(db, id).await?;
    let api_keys = sessions::api_keys_of(db, id).await?;
    let memberships = league_member::Entity::find()
        .filter(league_member::Column::UserId.eq(id))
        .order_by_asc(league_member::Column::JoinedAt);
    let league_ids: Vec<uuid::Uuid> = memberships
        .clone()
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.league_id)
        .collect();
    let audit_rows = audit::about_user(db, id).await?;
    Ok(AccountExport {
        exported_at: Utc::now(),
        account: UserView::new(user.clone(), profile),
        sessions: refresh_token_family::Entity::find()
            .filter(refresh_token_family::Column::UserId.eq(id))
            .order_by_asc(refresh_token_family::Column::CreatedAt)
            .into_json()
            .all(db)
            .await?,
        api_keys: api_keys.into_iter().rev().map(ApiKeyView::from).collect(),
        login_attempts: login_attempt::Entity::find()
            .filter(login_attempt::Column::UserId.eq(id))
            .order_by_asc(login_attempt::Column::CreatedAt)
            .into_json()
            .all(db)
            .await?,
        picks: pick::Entity::find()
            .filter(pick::Column::UserId.eq(id))
            .order_by_asc(pick::Column::CreatedAt)
            .into_json()
            .all(db)
            .await?,
        pick_stats: pick_stats::Entity::find_by_id(id).into_json().one(db).await?,
        achievements: achievement::Entity::find()
            .filter(achievement::Column::UserId.eq(id))
            .into_json()
            .all(db)
            .await?,
        posts: post::Entity::find()
            .filter(post::Column::UserId.eq(id))
            .order_by_asc(post::Column::Id)
            .into_json()
            .all(db)
            .await?,
        comments: comment::Entity::find()
            .filter(comment::Column::UserId.eq(id))
            .order_by_asc(comment::Column::Id)
            .into_json()
            .all(db)
            .await?,
        post_likes: post_like::Entity::find()
            .filter(post_like::Column::UserId.eq(id))
            .into_json()
            .all(db)
            .await?,
        comment_likes: comment_like::Entity::find()
            .filter(comment_like::Column::UserId.eq(id))
            .into_json()
            .all(db)
            .await?,
        follows: follow::Entity::find()
            .filter(
                Condition::any()
                    .add(follow::Column::FollowerId.eq(id))
                    .add(follow::Column::FolloweeId.eq(id)),
            )
            .order_by_asc(follow::Column::CreatedAt)
            .into_json()
            .all(db)
            .await?,
        reports: report::Entity::find()
            .filter(report::Column::ReporterId.eq(id))
            .order_by_asc(report::Column::Id)
            .into_json()
            .all(db)
            .await?,
        league_memberships: memberships.into_json().all(db).await?,
        leagues: league::Entity::find()
            .select_only()
            .columns([
                league::Column::Id,
                league::Column::Name,
                league::Column::Description,
                league::Column::CompetitionId,
                league::Column::OwnerId,
                league::Column::CreatedAt,
            ])
            .filter(league::Column::Id.is_in(league_ids))
            .into_json()
            .all(db)
            .await?,
        notifications: notification::Entity::find()
            .filter(notification::Column::UserId.eq(id))
            .order_by_asc(notification::Column::CreatedAt)
            .into_json()
            .all(db)
            .await?,
        notification_preferences: notification_preference::Entity::find()
            .filter(notification_preference::Column::UserId.eq(id))
            .into_json()
            .all(db)
            .await?,
        chat_messages: chat_message::Entity::find()
            .filter(chat_message::Column::UserId.eq(id))
            .order_by_asc(chat_message::Column::Id)
            .into_json()
            .all(db)
            .await?,
        audit_log: audit_rows
            .into_iter()
            .map(|r| AuditEntryView::new(r, None))
            .collect(),
    })
}
