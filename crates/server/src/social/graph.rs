//! Likes, follows, blocks and user look-ups. Likes and follows are rows with a composite key
//! inserted with `ON CONFLICT DO NOTHING`, so repeats are no-ops and counts (taken from the rows)
//! stay exact under concurrent requests.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Condition, Expr, ExprTrait, Func, OnConflict},
};
use uuid::Uuid;

use super::{store::contains, types::UserSummary};
use crate::db::entities::{block, comment_like, follow, post_like, profile, user};

/// `true` if the like is new.
pub async fn like_post(db: &impl ConnectionTrait, post_id: Uuid, user_id: Uuid) -> Result<bool, DbErr> {
    let row = post_like::ActiveModel {
        post_id: Set(post_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
    };
    post_like::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([post_like::Column::PostId, post_like::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|n| n > 0)
}

pub async fn unlike_post(db: &impl ConnectionTrait, post_id: Uuid, user_id: Uuid) -> Result<(), DbErr> {
    post_like::Entity::delete_many()
        .filter(post_like::Column::PostId.eq(post_id))
        .filter(post_like::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn like_comment(db: &impl ConnectionTrait, comment_id: Uuid, user_id: Uuid) -> Result<bool, DbErr> {
    let row = comment_like::ActiveModel {
        comment_id: Set(comment_id),
        user_id: Set(user_id),
        created_at: Set(Utc::now()),
    };
    comment_like::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([comment_like::Column::CommentId, comment_like::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|n| n > 0)
}

pub async fn unlike_comment(db: &impl ConnectionTrait, comment_id: Uuid, user_id: Uuid) -> Result<(), DbErr> {
    comment_like::Entity::delete_many()
        .filter(comment_like::Column::CommentId.eq(comment_id))
        .filter(comment_like::Column::UserId.eq(user_id))
        .exec(db)
        .await
        .map(|_| ())
}

fn counts(rows: Vec<(Uuid, i64)>) -> HashMap<Uuid, u64> {
    rows.into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect()
}

pub async fn post_like_counts(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows = post_like::Entity::find()
        .select_only()
        .column(post_like::Column::PostId)
        .expr(Func::count(Expr::col((
            post_like::Entity,
            post_like::Column::UserId,
        ))))
        .filter(post_like::Column::PostId.is_in(ids.iter().copied()))
        .group_by(post_like::Column::PostId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts(rows))
}

pub async fn comment_like_counts(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let rows = comment_like::Entity::find()
        .select_only()
        .column(comment_like::Column::CommentId)
        .expr(Func::count(Expr::col((
            comment_like::Entity,
            comment_like::Column::UserId,
        ))))
        .filter(comment_like::Column::CommentId.is_in(ids.iter().copied()))
        .group_by(comment_like::Column::CommentId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts(rows))
}

/// Which of `ids` the user liked.
pub async fn liked_posts(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    let rows: Vec<Uuid> = post_like::Entity::find()
        .select_only()
        .column(post_like::Column::PostId)
        .filter(post_like::Column::UserId.eq(user_id))
        .filter(post_like::Column::PostId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn liked_comments(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    let rows: Vec<Uuid> = comment_like::Entity::find()
        .select_only()
        .column(comment_like::Column::CommentId)
        .filter(comment_like::Column::UserId.eq(user_id))
        .filter(comment_like::Column::CommentId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// `true` if the follow is new.
pub async fn follow(db: &impl ConnectionTrait, follower: Uuid, followee: Uuid) -> Result<bool, DbErr> {
    let row = follow::ActiveModel {
        follower_id: Set(follower),
        followee_id: Set(followee),
        created_at: Set(Utc::now()),
    };
    follow::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([follow::Column::FollowerId, follow::Column::FolloweeId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|n| n > 0)
}

/// Everyone `follower` follows.
pub async fn followee_ids(db: &impl ConnectionTrait, follower: Uuid) -> Result<Vec<Uuid>, DbErr> {
    follow::Entity::find()
        .select_only()
        .column(follow::Column::FolloweeId)
        .filter(follow::Column::FollowerId.eq(follower))
        .into_tuple()
        .all(db)
        .await
}

pub async fn unfollow(db: &impl ConnectionTrait, follower: Uuid, followee: Uuid) -> Result<(), DbErr> {
    follow::Entity::delete_many()
        .filter(follow::Column::FollowerId.eq(follower))
        .filter(follow::Column::FolloweeId.eq(followee))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn is_following(db: &impl ConnectionTrait, follower: Uuid, followee: Uuid) -> Result<bool, DbErr> {
    follow::Entity::find_by_id((follower, followee))
        .one(db)
        .await
        .map(|f| f.is_some())
}

pub async fn follower_count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    follow::Entity::find()
        .filter(follow::Column::FolloweeId.eq(user_id))
        .count(db)
        .await
}

pub async fn following_count(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, DbErr> {
    follow::Entity::find()
        .filter(follow::Column::FollowerId.eq(user_id))
        .count(db)
        .await
}

/// One page of followers (`followers = true`) or followed users, most recent first, and the total.
pub async fn follow_list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    followers: bool,
    page: u64,
    limit: u64,
) -> Result<(Vec<Uuid>, u64), DbErr> {
    let (anchor, other) = if followers {
        (follow::Column::FolloweeId, follow::Column::FollowerId)
    } else {
        (follow::Column::FollowerId, follow::Column::FolloweeId)
    };
    let select = follow::Entity::find().filter(anchor.eq(user_id));
    let total = select.clone().count(db).await?;
    let ids = select
        .select_only()
        .column(other)
        .order_by_desc(follow::Column::CreatedAt)
        .order_by_asc(other)
        .offset((page - 1) * limit)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok((ids, total))
}

/// Blocks `blocked` for `blocker` and ends follows in both directions.
pub async fn block(db: &DatabaseConnection, blocker: Uuid, blocked: Uuid) -> Result<(), DbErr> {
    let txn = crate::db::begin(db).await?;
    let row = block::ActiveModel {
        blocker_id: Set(blocker),
        blocked_id: Set(blocked),
        created_at: Set(Utc::now()),
    };
    block::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([block::Column::BlockerId, block::Column::BlockedId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    unfollow(&txn, blocker, blocked).await?;
    unfollow(&txn, blocked, blocker).await?;
    txn.commit().await
}

pub async fn unblock(db: &impl ConnectionTrait, blocker: Uuid, blocked: Uuid) -> Result<(), DbErr> {
    block::Entity::delete_many()
        .filter(block::Column::BlockerId.eq(blocker))
        .filter(block::Column::BlockedId.eq(blocked))
        .exec(db)
        .await
        .map(|_| ())
}

pub async fn is_blocked(db: &impl ConnectionTrait, blocker: Uuid, blocked: Uuid) -> Result<bool, DbErr> {
    block::Entity::find_by_id((blocker, blocked))
        .one(db)
        .await
        .map(|b| b.is_some())
}

/// Username, display name and avatar of each user.
pub async fn summaries(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, UserSummary>, DbErr> {
    let users: Vec<(Uuid, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Username)
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let profiles: HashMap<Uuid, profile::Model> = profile::Entity::find()
        .filter(profile::Column::UserId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    Ok(users
        .into_iter()
        .map(|(id, username)| {
            let p = profiles.get(&id);
            let summary = UserSummary {
                id,
                username,
                display_name: p.and_then(|p| p.display_name.clone()),
                avatar_url: p.and_then(|p| p.avatar_url.clone()),
            };
            (id, summary)
        })
        .collect())
}

/// Active users whose username or display name contains `q` (lowercased), by username.
pub async fn search_users(
    db: &impl ConnectionTrait,
    q: &str,
    page: u64,
    limit: u64,
) -> Result<(Vec<Uuid>, u64), DbErr> {
    let named = sea_orm::sea_query::Query::select()
        .column(profile::Column::UserId)
        .from(profile::Entity)
        .and_where(
            Expr::expr(Func::lower(Expr::col((
                profile::Entity,
                profile::Column::DisplayName,
            ))))
            .like(contains(q)),
        )
        .to_owned();
    let select = user::Entity::find()
        .filter(user::Column::IsActive.eq(true))
        .filter(
            Condition::any()
                .add(user::Column::UsernameKey.like(contains(q)))
                .add(user::Column::Id.in_subquery(named)),
        );
    let total = select.clone().count(db).await?;
    let ids = select
        .select_only()
        .column(user::Column::Id)
        .order_by_asc(user::Column::UsernameKey)
        .offset((page - 1) * limit)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    Ok((ids, total))
}
