//! Posts: create, read, edit, delete, like; the feed, a user's posts, hashtags and post search.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use uuid::Uuid;

use super::{
    Viewer, active_user, cursor_and_limit, graph, notify, post_page, store,
    store::PostFilter,
    text,
    types::{
        CreatePost, CursorQuery, FeedQuery, LikeState, PostKind, PostPage, PostSearchQuery, PostView,
        TrendingQuery, TrendingTag, UpdatePost,
    },
    views,
};
use crate::{
    auth::extract::{AuthUser, MaybeAuthUser},
    db::entities::{football_match, pick, post},
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Json as JsonBody, Path, Query},
    state::AppState,
    users::types::Role,
};

/// The match and pick a post refers to, checked against its type.
async fn references(
    state: &AppState,
    auth: &AuthUser,
    req: &CreatePost,
) -> ApiResult<(Option<i32>, Option<Uuid>)> {
    match req.kind {
        PostKind::General => {
            if req.match_id.is_some() || req.pick_id.is_some() {
                return Err(ApiError::invalid_field(
                    "type",
                    "invalid",
                    "general posts take no match_id or pick_id; use type match or prediction",
                ));
            }
            Ok((None, None))
        }
        PostKind::Match => {
            let id = req.match_id.ok_or_else(|| {
                ApiError::invalid_field("match_id", "required", "match posts need a match_id")
            })?;
            if football_match::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .is_none()
            {
                return Err(ApiError::invalid_field(
                    "match_id",
                    "unknown_match",
                    "no such match",
                ));
            }
            Ok((Some(id), None))
        }
        PostKind::Prediction => {
            let id = req.pick_id.ok_or_else(|| {
                ApiError::invalid_field("pick_id", "required", "prediction posts need a pick_id")
            })?;
            // Only your own pick: sharing someone else's would put words in their mouth.
            let found = pick::Entity::find_by_id(id)
                .filter(pick::Column::UserId.eq(auth.id()))
                .one(&state.db)
                .await?
                .ok_or_else(|| ApiError::invalid_field("pick_id", "unknown_pick", "no such pick of yours"))?;
            Ok((Some(found.match_id), Some(found.id)))
        }
    }
}

/// Publish a post: `general`, `match` (with `match_id`) or `prediction` (with one of your
/// `pick_id`s). `#tags` and `@mentions` in the text are picked out.
#[utoipa::path(post, path = "/posts", tag = "social", request_body = CreatePost,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = PostView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<CreatePost>,
) -> ApiResult<(StatusCode, Json<PostView>)> {
    let body = text::checked("content", &req.content, text::MAX_POST_CHARS)?;
    let (match_id, pick_id) = references(&state, &auth, &req).await?;
    let tags = text::hashtags(&body);
    let new = post::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(auth.id()),
        kind: Set(req.kind.as_str().into()),
        body: Set(body),
        match_id: Set(match_id),
        pick_id: Set(pick_id),
        visibility: Set(req.visibility.as_str().into()),
        hidden_at: Set(None),
        edited_at: Set(None),
        created_at: Set(Utc::now()),
    };
    let created = store::insert_post(&state.db, new, &tags).await?;
    notify::mentioned(
        &state,
        &auth,
        &created.body,
        &[],
        created.id,
        json!({"post_id": created.id}),
    )
    .await;
    let view = views::post(&state.db, Some(Viewer::of(&auth)), created).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A post you can see with `id`, or a 404.
pub async fn visible(state: &AppState, viewer: Option<Viewer>, id: Uuid) -> ApiResult<post::Model> {
    store::post(&state.db, viewer, id)
        .await?
        .ok_or_else(|| ApiError::not_found("post"))
}

/// One post. Hidden posts, followers-only posts of people you do not follow, and posts of people
/// you blocked are 404s.
#[utoipa::path(get, path = "/posts/{id}", tag = "social", params(("id" = Uuid, Path)),
    responses((status = 200, body = PostView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: MaybeAuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<PostView>> {
    let viewer = Viewer::maybe(&auth);
    let found = visible(&state, viewer, id).await?;
    Ok(Json(views::post(&state.db, viewer, found).await?))
}

/// Edit your post's text (`edited_at` records when). Someone else's post is a 403.
#[utoipa::path(put, path = "/posts/{id}", tag = "social", params(("id" = Uuid, Path)), request_body = UpdatePost,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PostView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), post_id = %id))]
pub async fn update(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    JsonBody(req): JsonBody<UpdatePost>,
) -> ApiResult<Json<PostView>> {
    let viewer = Viewer::of(&auth);
    let found = visible(&state, Some(viewer), id).await?;
    if found.user_id != auth.id() {
        return Err(ApiError::Forbidden("only the author may edit a post".into()));
    }
    let body = text::checked("content", &req.content, text::MAX_POST_CHARS)?;
    let tags = text::hashtags(&body);
    let before = text::mentions(&found.body);
    let updated = store::update_post(&state.db, found, body, &tags).await?;
    // Only people newly mentioned by the edit hear of it.
    let mut skip = Vec::new();
    for name in before {
        if let Ok(Some(u)) = crate::users::store::by_username(&state.db, &name).await {
            skip.push(u.id);
        }
    }
    notify::mentioned(
        &state,
        &auth,
        &updated.body,
        &skip,
        updated.id,
        json!({"post_id": updated.id}),
    )
    .await;
    Ok(Json(views::post(&state.db, Some(viewer), updated).await?))
}

/// Delete a post (with its comments and likes): its author, or a moderator.
#[utoipa::path(delete, path = "/posts/{id}", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), post_id = %id))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: crate::http::client_ip::ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let found = visible(&state, Some(Viewer::of(&auth)), id).await?;
    if found.user_id != auth.id() && auth.role < Role::Moderator {
        return Err(ApiError::Forbidden(
            "only the author or a moderator may delete a post".into(),
        ));
    }
    store::delete_post(&state.db, found.id).await?;
    if found.user_id != auth.id() {
        let action = "moderation.post_deleted";
        let details = serde_json::json!({"author_id": found.user_id});
        super::moderation::audit_action(&state, &auth, meta.ip, action, ("post", found.id), details).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Your feed, newest first: public posts and those of people you follow (`following=true`: only
/// people you follow, and you). Cursor-paginated.
#[utoipa::path(get, path = "/feed", tag = "social", params(FeedQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = PostPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn feed(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<FeedQuery>,
) -> ApiResult<Json<PostPage>> {
    let (cursor, limit) = cursor_and_limit(query.cursor.as_deref(), query.limit)?;
    let filter = PostFilter {
        following_of: query.following.unwrap_or(false).then(|| auth.id()),
        ..PostFilter::default()
    };
    Ok(Json(
        post_page(&state, Some(Viewer::of(&auth)), &filter, cursor, limit).await?,
    ))
}

/// A user's posts you can see, newest first.
#[utoipa::path(get, path = "/users/{username}/posts", tag = "social",
    params(("username" = String, Path, description = "case-insensitive"), CursorQuery),
    responses((status = 200, body = PostPage), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn user_posts(
    State(state): State<AppState>,
    auth: MaybeAuthUser,
    Path(username): Path<String>,
    Query(query): Query<CursorQuery>,
) -> ApiResult<Json<PostPage>> {
    let (cursor, limit) = cursor_and_limit(query.cursor.as_deref(), query.limit)?;
    let author = active_user(&state, &username).await?;
    let filter = PostFilter {
        author: Some(author.id),
        ..PostFilter::default()
    };
    Ok(Json(
        post_page(&state, Viewer::maybe(&auth), &filter, cursor, limit).await?,
    ))
}

/// Posts with a hashtag (with or without `#`, any case), newest first.
#[utoipa::path(get, path = "/hashtags/{tag}/posts", tag = "social", params(("tag" = String, Path), CursorQuery),
    responses((status = 200, body = PostPage), (status = 422, body = ErrorBody)))]
pub async fn hashtag_posts(
    State(state): State<AppState>,
    auth: MaybeAuthUser,
    Path(tag): Path<String>,
    Query(query): Query<CursorQuery>,
) -> ApiResult<Json<PostPage>> {
    let (cursor, limit) = cursor_and_limit(query.cursor.as_deref(), query.limit)?;
    let filter = PostFilter {
        tag: Some(text::normalise_tag(&tag)),
        ..PostFilter::default()
    };
    Ok(Json(
        post_page(&state, Viewer::maybe(&auth), &filter, cursor, limit).await?,
    ))
}

/// The most used hashtags on visible public posts of the last `days` days.
#[utoipa::path(get, path = "/hashtags/trending", tag = "social", params(TrendingQuery),
    responses((status = 200, body = Vec<TrendingTag>), (status = 422, body = ErrorBody)))]
pub async fn trending(
    State(state): State<AppState>,
    Query(query): Query<TrendingQuery>,
) -> ApiResult<Json<Vec<TrendingTag>>> {
    let days = query.days.unwrap_or(7);
    if !(1..=90).contains(&days) {
        return Err(ApiError::invalid_field(
            "days",
            "range",
            "days must be between 1 and 90",
        ));
    }
    let limit = query.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        return Err(ApiError::invalid_field(
            "limit",
            "range",
            "limit must be between 1 and 50",
        ));
    }
    let rows = store::trending(&state.db, Utc::now() - Duration::days(days), limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(tag, n)| TrendingTag {
                tag,
                post_count: u64::try_from(n).unwrap_or(0),
            })
            .collect(),
    ))
}

/// Posts you can see whose text contains `q` (case-insensitive), newest first.
#[utoipa::path(get, path = "/search/posts", tag = "social", params(PostSearchQuery),
    responses((status = 200, body = PostPage), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    auth: MaybeAuthUser,
    Query(query): Query<PostSearchQuery>,
) -> ApiResult<Json<PostPage>> {
    let (cursor, limit) = cursor_and_limit(query.cursor.as_deref(), query.limit)?;
    let filter = PostFilter {
        text: Some(search_text(&query.q)?),
        ..PostFilter::default()
    };
    Ok(Json(
        post_page(&state, Viewer::maybe(&auth), &filter, cursor, limit).await?,
    ))
}

/// The trimmed, lowercased search text: 1–100 characters.
pub fn search_text(q: &str) -> ApiResult<String> {
    let q = q.trim();
    let len = q.chars().count();
    if !(1..=100).contains(&len) {
        return Err(ApiError::invalid_field("q", "length", "1 to 100 characters"));
    }
    Ok(q.to_lowercase())
}

/// Like a post (again is a no-op).
#[utoipa::path(post, path = "/posts/{id}/like", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LikeState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn like(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LikeState>> {
    let found = visible(&state, Some(Viewer::of(&auth)), id).await?;
    if graph::like_post(&state.db, found.id, auth.id()).await? {
        notify::liked_post(&state, &auth, found.user_id, found.id).await;
    }
    like_state(&state, found.id, true).await
}

/// Take back your like (none is a no-op).
#[utoipa::path(delete, path = "/posts/{id}/like", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LikeState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlike(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LikeState>> {
    let found = visible(&state, Some(Viewer::of(&auth)), id).await?;
    graph::unlike_post(&state.db, found.id, auth.id()).await?;
    like_state(&state, found.id, false).await
}

async fn like_state(state: &AppState, id: Uuid, liked: bool) -> ApiResult<Json<LikeState>> {
    let counts = graph::post_like_counts(&state.db, &[id]).await?;
    Ok(Json(LikeState {
        liked,
        like_count: counts.get(&id).copied().unwrap_or(0),
    }))
}
