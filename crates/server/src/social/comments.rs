//! Comments and replies on posts, and likes on comments.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::Set;
use serde_json::json;
use uuid::Uuid;

use super::{
    Viewer, graph, notify,
    posts::visible,
    store, text,
    types::{CommentView, CreateComment, LikeState, PageQuery, UpdateComment},
    views,
};
use crate::{
    auth::extract::{AuthUser, MaybeAuthUser},
    db::entities::{comment, post},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Json as JsonBody, Path, Query},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
    users::types::Role,
};

/// A comment you can see with `id` and its post, or a 404.
async fn visible_comment(
    state: &AppState,
    viewer: Viewer,
    id: Uuid,
) -> ApiResult<(comment::Model, post::Model)> {
    store::comment(&state.db, Some(viewer), id)
        .await?
        .ok_or_else(|| ApiError::not_found("comment"))
}

/// Comment on a post, or reply to one of its comments with `parent_id`.
#[utoipa::path(post, path = "/posts/{id}/comments", tag = "social", params(("id" = Uuid, Path)),
    request_body = CreateComment, security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = CommentView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), post_id = %id))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    JsonBody(req): JsonBody<CreateComment>,
) -> ApiResult<(StatusCode, Json<CommentView>)> {
    let viewer = Viewer::of(&auth);
    let parent_post = visible(&state, Some(viewer), id).await?;
    let body = text::checked("content", &req.content, text::MAX_COMMENT_CHARS)?;
    let parent = match req.parent_id {
        Some(parent_id) => {
            let parent = store::comment(&state.db, Some(viewer), parent_id)
                .await?
                .map(|(c, _)| c)
                .filter(|c| c.post_id == parent_post.id)
                .ok_or_else(|| {
                    ApiError::invalid_field("parent_id", "unknown_comment", "no such comment on this post")
                })?;
            Some(parent)
        }
        None => None,
    };
    let created = store::insert_comment(
        &state.db,
        comment::ActiveModel {
            id: Set(Uuid::now_v7()),
            post_id: Set(parent_post.id),
            user_id: Set(auth.id()),
            parent_id: Set(parent.as_ref().map(|p| p.id)),
            body: Set(body),
            hidden_at: Set(None),
            edited_at: Set(None),
            created_at: Set(Utc::now()),
        },
    )
    .await?;
    let parent_owner = parent.as_ref().map(|p| p.user_id);
    notify::commented(
        &state,
        &auth,
        parent_post.user_id,
        parent_owner,
        parent_post.id,
        created.id,
        &created.body,
    )
    .await;
    let mut told = vec![parent_post.user_id];
    told.extend(parent_owner);
    let data = json!({"post_id": parent_post.id, "comment_id": created.id});
    notify::mentioned(&state, &auth, &created.body, &told, parent_post.id, data).await;
    Ok((
        StatusCode::CREATED,
        Json(views::comment(&state.db, Some(viewer), created).await?),
    ))
}

/// A post's comments, oldest first; replies carry their `parent_id`.
#[utoipa::path(get, path = "/posts/{id}/comments", tag = "social", params(("id" = Uuid, Path), PageQuery),
    responses((status = 200, body = Page<CommentView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: MaybeAuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PageQuery>,
) -> ApiResult<Json<Page<CommentView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let viewer = Viewer::maybe(&auth);
    let found = visible(&state, viewer, id).await?;
    let (items, total) = store::comments(&state.db, viewer, found.id, page, limit).await?;
    Ok(Json(Page {
        items: views::comments(&state.db, viewer, items).await?,
        total,
        page,
        limit,
    }))
}

/// Edit your comment. Someone else's is a 403.
#[utoipa::path(put, path = "/comments/{id}", tag = "social", params(("id" = Uuid, Path)), request_body = UpdateComment,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = CommentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), comment_id = %id))]
pub async fn update(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    JsonBody(req): JsonBody<UpdateComment>,
) -> ApiResult<Json<CommentView>> {
    let viewer = Viewer::of(&auth);
    let (found, _) = visible_comment(&state, viewer, id).await?;
    if found.user_id != auth.id() {
        return Err(ApiError::Forbidden("only the author may edit a comment".into()));
    }
    let body = text::checked("content", &req.content, text::MAX_COMMENT_CHARS)?;
    let updated = store::update_comment(&state.db, found, body).await?;
    Ok(Json(views::comment(&state.db, Some(viewer), updated).await?))
}

/// Delete a comment and its replies: its author, or a moderator.
#[utoipa::path(delete, path = "/comments/{id}", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), comment_id = %id))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: crate::http::client_ip::ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    let (found, _) = visible_comment(&state, Viewer::of(&auth), id).await?;
    if found.user_id != auth.id() && auth.role < Role::Moderator {
        return Err(ApiError::Forbidden(
            "only the author or a moderator may delete a comment".into(),
        ));
    }
    store::delete_comment(&state.db, found.id).await?;
    if found.user_id != auth.id() {
        let action = "moderation.comment_deleted";
        let details = serde_json::json!({"author_id": found.user_id});
        super::moderation::audit_action(&state, &auth, meta.ip, action, ("comment", found.id), details).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Like a comment (again is a no-op).
#[utoipa::path(post, path = "/comments/{id}/like", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LikeState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn like(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LikeState>> {
    let (found, _) = visible_comment(&state, Viewer::of(&auth), id).await?;
    if graph::like_comment(&state.db, found.id, auth.id()).await? {
        notify::liked_comment(&state, &auth, found.user_id, found.post_id, found.id).await;
    }
    like_state(&state, found.id, true).await
}

/// Take back your like on a comment (none is a no-op).
#[utoipa::path(delete, path = "/comments/{id}/like", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LikeState), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unlike(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LikeState>> {
    let (found, _) = visible_comment(&state, Viewer::of(&auth), id).await?;
    graph::unlike_comment(&state.db, found.id, auth.id()).await?;
    like_state(&state, found.id, false).await
}

async fn like_state(state: &AppState, id: Uuid, liked: bool) -> ApiResult<Json<LikeState>> {
    let counts = graph::comment_like_counts(&state.db, &[id]).await?;
    Ok(Json(LikeState {
        liked,
        like_count: counts.get(&id).copied().unwrap_or(0),
    }))
}
