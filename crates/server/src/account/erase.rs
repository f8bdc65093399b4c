//! Deleting an account. The `users` row stays as an anonymised tombstone (so audit entries,
//! jobs and agents that name it still resolve); everything personal is removed or blanked, and
//! every session and API key goes, so tokens already issued stop working at once.

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Condition, Expr, Query},
};
use uuid::Uuid;

use super::ERASED_PASSWORD_HASH;
use crate::{
    db::entities::{
        achievement, api_key, block, chat_message, comment, comment_like, follow, league, league_member,
        login_attempt, notification, notification_preference, pick, pick_stats, post, post_like, profile,
        refresh_token_family, report, user,
    },
    leagues::store as leagues,
    state::AppState,
};

/// Removes or anonymises everything about `user`. Leagues they own pass to their
/// longest-standing other member first (or go, when nobody else is in them).
pub async fn erase(state: &AppState, user: &user::Model) -> Result<(), DbErr> {
    let league_ids: Vec<Uuid> = league_member::Entity::find()
        .select_only()
        .column(league_member::Column::LeagueId)
        .filter(league_member::Column::UserId.eq(user.id))
        .into_tuple()
        .all(&state.db)
        .await?;
    for id in league_ids {
        if let Some(found) = league::Entity::find_by_id(id).one(&state.db).await? {
            leagues::leave(&state.db, &found, user.id).await?;
        }
    }
    let txn = crate::db::begin_write(&state.db).await?;
    remove_content(&txn, user).await?;
    remove_account_data(&txn, user).await?;
    anonymise(&txn, user.id).await?;
    txn.commit().await
}

/// Posts, comments and chat messages go (they may hold personal data), and with them the
/// replies, likes, hashtags and reports that hang off them; then the user's own likes,
/// follows, blocks, reports and picks.
async fn remove_content(db: &impl ConnectionTrait, user: &user::Model) -> Result<(), DbErr> {
    let id = user.id;
    // Reports name chat messages without a foreign key: drop those about this user's messages.
    let messages = Query::select()
        .column(chat_message::Column::Id)
        .from(chat_message::Entity)
        .and_where(chat_message::Column::UserId.eq(id))
        .to_owned();
    report::Entity::delete_many()
        .filter(report::Column::ChatMessageId.in_subquery(messages))
        .exec(db)
        .await?;
    report::Entity::delete_many()
        .filter(report::Column::ReporterId.eq(id))
        .exec(db)
        .await?;
    chat_message::Entity::delete_many()
        .filter(chat_message::Column::UserId.eq(id))
        .exec(db)
        .await?;
    comment_like::Entity::delete_many()
        .filter(comment_like::Column::UserId.eq(id))
        .exec(db)
        .await?;
    post_like::Entity::delete_many()
        .filter(post_like::Column::UserId.eq(id))
        .exec(db)
        .await?;
    comment::Entity::delete_many()
        .filter(comment::Column::UserId.eq(id))
        .exec(db)
        .await?;
    post::Entity::delete_many()
        .filter(post::Column::UserId.eq(id))
        .exec(db)
        .await?;
    follow::Entity::delete_many()
        .filter(
            Condition::any()
                .add(follow::Column::FollowerId.eq(id))
                .add(follow::Column::FolloweeId.eq(id)),
        )
        .exec(db)
        .await?;
    block::Entity::delete_many()
        .filter(
            Condition::any()
                .add(block::Column::BlockerId.eq(id))
                .add(block::Column::BlockedId.eq(id)),
        )
        .exec(db)
        .await?;
    pick::Entity::delete_many()
        .filter(pick::Column::UserId.eq(id))
        .exec(db)
        .await?;
    pick_stats::Entity::delete_many()
        .filter(pick_stats::Column::UserId.eq(id))
        .exec(db)
        .await?;
    achievement::Entity::delete_many()
        .filter(achievement::Column::UserId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sessions, API keys, sign-in attempts, notifications (theirs, and the social ones others got
/// that carry their username), and league memberships.
async fn remove_account_data(db: &impl ConnectionTrait, user: &user::Model) -> Result<(), DbErr> {
    let id = user.id;
    // Refresh tokens go with their families (foreign key).
    refresh_token_family::Entity::delete_many()
        .filter(refresh_token_family::Column::UserId.eq(id))
        .exec(db)
        .await?;
    api_key::Entity::delete_many()
        .filter(api_key::Column::UserId.eq(id))
        .exec(db)
        .await?;
    login_attempt::Entity::delete_many()
        .filter(
            Condition::any().add(login_attempt::Column::UserId.eq(id)).add(
                login_attempt::Column::Identifier.is_in([user.email.clone(), user.username_key.clone()]),
            ),
        )
        .exec(db)
        .await?;
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(id))
        .exec(db)
        .await?;
    // Social notifications are titled "<username> liked your post" and so on.
    notification::Entity::delete_many()
        .filter(notification::Column::Kind.is_in(["like", "comment", "follow", "mention"]))
        .filter(notification::Column::Title.like(crate::db::like_prefix(&format!("{} ", user.username))))
        .exec(db)
        .await?;
    notification_preference::Entity::delete_many()
        .filter(notification_preference::Column::UserId.eq(id))
        .exec(db)
        .await?;
    league_member::Entity::delete_many()
        .filter(league_member::Column::UserId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Blanks the profile and turns the account into a tombstone whose username and email are
/// free to register again.
async fn anonymise(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    let now = Utc::now();
    let none: Option<String> = None;
    profile::Entity::update_many()
        .col_expr(profile::Column::DisplayName, Expr::value(none.clone()))
        .col_expr(profile::Column::Bio, Expr::value(none.clone()))
        .col_expr(profile::Column::Location, Expr::value(none.clone()))
        .col_expr(profile::Column::Website, Expr::value(none.clone()))
        .col_expr(profile::Column::AvatarUrl, Expr::value(none))
        .col_expr(profile::Column::UpdatedAt, Expr::value(now))
        .filter(profile::Column::UserId.eq(id))
        .exec(db)
        .await?;
    // The whole id keeps the name unique; at 40 characters nobody can register it.
    let name = format!("deleted-{}", id.simple());
    user::Entity::update_many()
        .col_expr(
            user::Column::Email,
            Expr::value(format!("{name}@deleted.invalid")),
        )
        .col_expr(user::Column::Username, Expr::value(name.clone()))
        .col_expr(user::Column::UsernameKey, Expr::value(name))
        .col_expr(user::Column::PasswordHash, Expr::value(ERASED_PASSWORD_HASH))
        .col_expr(user::Column::Role, Expr::value("user"))
        .col_expr(user::Column::IsActive, Expr::value(false))
        .col_expr(
            user::Column::LastLoginAt,
            Expr::value(None::<chrono::DateTime<Utc>>),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
