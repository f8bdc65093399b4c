//! Post, comment and hashtag queries. Every read that lists content goes through [`visible_posts`]
//! or [`visible_comments`], so hidden posts and blocked authors are filtered in one place.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, JoinType, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select, Set,
    sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr, Query, SelectStatement},
};
use uuid::Uuid;

use crate::db::entities::{block, comment, follow, post, post_hashtag};

/// Who is looking: moderators also see hidden content.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub id: Uuid,
    pub moderator: bool,
}

fn followed_by(user_id: Uuid) -> SelectStatement {
    Query::select()
        .column(follow::Column::FolloweeId)
        .from(follow::Entity)
        .and_where(follow::Column::FollowerId.eq(user_id))
        .to_owned()
}

/// Ids of the users `user_id` blocked, as a subquery.
pub fn blocked_by(user_id: Uuid) -> SelectStatement {
    Query::select()
        .column(block::Column::BlockedId)
        .from(block::Entity)
        .and_where(block::Column::BlockerId.eq(user_id))
        .to_owned()
}

/// Posts `viewer` may see: not hidden (unless a moderator), not by someone they blocked, and
/// public, their own, or by someone they follow.
pub fn visible_posts(viewer: Option<Viewer>) -> Select<post::Entity> {
    let mut select = post::Entity::find();
    if !viewer.is_some_and(|v| v.moderator) {
        select = select.filter(post::Column::HiddenAt.is_null());
    }
    match viewer {
        None => select.filter(post::Column::Visibility.eq("public")),
        Some(v) => select
            .filter(post::Column::UserId.not_in_subquery(blocked_by(v.id)))
            .filter(
                Condition::any()
                    .add(post::Column::Visibility.eq("public"))
                    .add(post::Column::UserId.eq(v.id))
                    .add(post::Column::UserId.in_subquery(followed_by(v.id))),
            ),
    }
}

/// Comments `viewer` may see, under posts they may see.
pub fn visible_comments(viewer: Option<Viewer>) -> Select<comment::Entity> {
    let mut select = comment::Entity::find();
    if !viewer.is_some_and(|v| v.moderator) {
        select = select.filter(comment::Column::HiddenAt.is_null());
    }
    if let Some(v) = viewer {
        select = select.filter(comment::Column::UserId.not_in_subquery(blocked_by(v.id)));
    }
    select
}

pub async fn post(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    id: Uuid,
) -> Result<Option<post::Model>, DbErr> {
    visible_posts(viewer)
        .filter(post::Column::Id.eq(id))
        .one(db)
        .await
}

/// Which posts a listing wants, besides visibility.
#[derive(Debug, Default)]
pub struct PostFilter {
    pub author: Option<Uuid>,
    pub tag: Option<String>,
    /// Only people the viewer follows, and the viewer.
    pub following_of: Option<Uuid>,
    /// Lowercased text to find in the body.
    pub text: Option<String>,
}

/// Up to `limit` posts older than `before`, newest first (UUIDv7 ids sort by creation time).
pub async fn posts(
    db: &DatabaseConnection,
    viewer: Option<Viewer>,
    filter: &PostFilter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<post::Model>, DbErr> {
    let mut select = visible_posts(viewer);
    if let Some(author) = filter.author {
        select = select.filter(post::Column::UserId.eq(author));
    }
    if let Some(tag) = &filter.tag {
        let tagged = Query::select()
            .column(post_hashtag::Column::PostId)
            .from(post_hashtag::Entity)
            .and_where(post_hashtag::Column::Tag.eq(tag.as_str()))
            .to_owned();
        select = select.filter(post::Column::Id.in_subquery(tagged));
    }
    if let Some(me) = filter.following_of {
        select = select.filter(
            Condition::any()
                .add(post::Column::UserId.eq(me))
                .add(post::Column::UserId.in_subquery(followed_by(me))),
        );
    }
    if let Some(text) = &filter.text {
        select = select.filter(
            Expr::expr(Func::lower(Expr::col((post::Entity, post::Column::Body)))).like(contains(text)),
        );
    }
    if let Some(before) = before {
        select = select.filter(post::Column::Id.lt(before));
    }
    let select = select.order_by_desc(post::Column::Id).limit(limit);
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return select.all(db).await;
    }
    // PostgreSQL plans a statement's first executions for the values given; for a cursor it
    // misjudges how many posts are older, sorts a bitmap scan of all of them, and takes
    // 30-50 ms. The generic plan walks the primary key backwards and stops at the limit
    // (under 1 ms), so this query always uses it.
    let txn = crate::db::begin(db).await?;
    txn.execute_unprepared("SET LOCAL plan_cache_mode = force_generic_plan")
        .await?;
    let found = select.all(&txn).await?;
    txn.commit().await?;
    Ok(found)
}

/// Visible posts by `author`, for profile counts.
pub async fn post_count(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    author: Uuid,
) -> Result<u64, DbErr> {
    visible_posts(viewer)
        .filter(post::Column::UserId.eq(author))
        .count(db)
        .await
}

async fn replace_tags(
    db: &impl ConnectionTrait,
    post_id: Uuid,
    tags: &[String],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    post_hashtag::Entity::delete_many()
        .filter(post_hashtag::Column::PostId.eq(post_id))
        .exec(db)
        .await?;
    if tags.is_empty() {
        return Ok(());
    }
    let rows = tags.iter().map(|tag| post_hashtag::ActiveModel {
        post_id: Set(post_id),
        tag: Set(tag.clone()),
        created_at: Set(now),
    });
    post_hashtag::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

/// Stores a post and its hashtags together.
pub async fn insert_post(
    db: &DatabaseConnection,
    new: post::ActiveModel,
    tags: &[String],
) -> Result<post::Model, DbErr> {
    let txn = crate::db::begin(db).await?;
    let created = new.insert(&txn).await?;
    replace_tags(&txn, created.id, tags, created.created_at).await?;
    txn.commit().await?;
    Ok(created)
}

/// Replaces the text and hashtags, recording the edit time.
pub async fn update_post(
    db: &DatabaseConnection,
    found: post::Model,
    body: String,
    tags: &[String],
) -> Result<post::Model, DbErr> {
    let txn = crate::db::begin(db).await?;
    let created_at = found.created_at;
    let mut active: post::ActiveModel = found.into();
    active.body = Set(body);
    active.edited_at = Set(Some(Utc::now()));
    let updated = active.update(&txn).await?;
    // Tags keep the post's creation time, so editing does not push old posts into trending.
    replace_tags(&txn, updated.id, tags, created_at).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes the post; comments, likes, tags and reports go with it (foreign keys cascade).
pub async fn delete_post(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    post::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

pub async fn set_post_hidden(db: &impl ConnectionTrait, id: Uuid, hidden: bool) -> Result<bool, DbErr> {
    let at = hidden.then(Utc::now);
    post::Entity::update_many()
        .col_expr(post::Column::HiddenAt, Expr::value(at))
        .filter(post::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|r| r.rows_affected > 0)
}

pub async fn set_comment_hidden(db: &impl ConnectionTrait, id: Uuid, hidden: bool) -> Result<bool, DbErr> {
    let at = hidden.then(Utc::now);
    comment::Entity::update_many()
        .col_expr(comment::Column::HiddenAt, Expr::value(at))
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|r| r.rows_affected > 0)
}

/// Hashtags of each post, alphabetically.
pub async fn tags_of(
    db: &impl ConnectionTrait,
    post_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<String>>, DbErr> {
    let rows: Vec<(Uuid, String)> = post_hashtag::Entity::find()
        .select_only()
        .column(post_hashtag::Column::PostId)
        .column(post_hashtag::Column::Tag)
        .filter(post_hashtag::Column::PostId.is_in(post_ids.iter().copied()))
        .order_by_asc(post_hashtag::Column::Tag)
        .into_tuple()
        .all(db)
        .await?;
    let mut map: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (id, tag) in rows {
        map.entry(id).or_default().push(tag);
    }
    Ok(map)
}

/// Comments per post as `viewer` sees them: hidden comments count for nobody (not even
/// moderators, so counts match what everyone else sees), blocked authors' not for the blocker.
pub async fn comment_counts(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    post_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let mut select = comment::Entity::find()
        .select_only()
        .column(comment::Column::PostId)
        .expr(Func::count(Expr::col((comment::Entity, comment::Column::Id))))
        .filter(comment::Column::PostId.is_in(post_ids.iter().copied()))
        .filter(comment::Column::HiddenAt.is_null());
    if let Some(v) = viewer {
        select = select.filter(comment::Column::UserId.not_in_subquery(blocked_by(v.id)));
    }
    let rows: Vec<(Uuid, i64)> = select
        .group_by(comment::Column::PostId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n)| (id, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// The most used tags on visible public posts created since `since`.
pub async fn trending(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(String, i64)>, DbErr> {
    let count = Func::count(Expr::col((post_hashtag::Entity, post_hashtag::Column::PostId)));
    post_hashtag::Entity::find()
        .select_only()
        .column(post_hashtag::Column::Tag)
        .expr(count.clone())
        .join(JoinType::InnerJoin, post_hashtag::Relation::Post.def())
        .filter(post::Column::HiddenAt.is_null())
        .filter(post::Column::Visibility.eq("public"))
        .filter(post_hashtag::Column::CreatedAt.gte(since))
        .group_by(post_hashtag::Column::Tag)
        .order_by(count, Order::Desc)
        .order_by(post_hashtag::Column::Tag, Order::Asc)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

pub async fn insert_comment(
    db: &impl ConnectionTrait,
    new: comment::ActiveModel,
) -> Result<comment::Model, DbErr> {
    new.insert(db).await
}

/// A comment `viewer` may see, on a post they may see.
pub async fn comment(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    id: Uuid,
) -> Result<Option<(comment::Model, post::Model)>, DbErr> {
    let Some(found) = visible_comments(viewer)
        .filter(comment::Column::Id.eq(id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(post(db, viewer, found.post_id).await?.map(|p| (found, p)))
}

/// One page of a post's comments, oldest first (replies carry `parent_id`), and the total.
pub async fn comments(
    db: &impl ConnectionTrait,
    viewer: Option<Viewer>,
    post_id: Uuid,
    page: u64,
    limit: u64,
) -> Result<(Vec<comment::Model>, u64), DbErr> {
    let select = visible_comments(viewer).filter(comment::Column::PostId.eq(post_id));
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_asc(comment::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

pub async fn update_comment(
    db: &impl ConnectionTrait,
    found: comment::Model,
    body: String,
) -> Result<comment::Model, DbErr> {
    let mut active: comment::ActiveModel = found.into();
    active.body = Set(body);
    active.edited_at = Set(Some(Utc::now()));
    active.update(db).await
}

/// Deletes the comment and its replies (the foreign key cascades).
pub async fn delete_comment(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    comment::Entity::delete_by_id(id).exec(db).await.map(|_| ())
}

/// `LIKE '%text%'` with the wildcards in `text` taken literally (`_` is common in usernames).
pub fn contains(text: &str) -> LikeExpr {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    LikeExpr::new(escaped).escape('\\')
}
