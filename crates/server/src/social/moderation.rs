//! Reports and the moderators' queue; hiding and restoring posts and comments.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    Viewer, graph,
    posts::visible,
    store,
    types::{CreateReport, ReportQuery, ReportView},
};
use crate::{
    audit::{self, Entry},
    auth::extract::AuthUser,
    db::entities::{comment, post, report},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        client_ip::ClientMeta,
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
    users::types::Role,
};

/// What a report is about.
pub enum Target {
    Post(Uuid),
    Comment { post: Uuid, comment: Uuid },
    Chat(Uuid),
}

/// Files a report, or returns the reporter's open report on the same target: reporting twice
/// does not grow the queue.
pub async fn insert(
    db: &impl ConnectionTrait,
    reporter: Uuid,
    target: Target,
    reason: &str,
) -> Result<report::Model, DbErr> {
    let (post_id, comment_id, chat_message_id, same) = match target {
        Target::Post(id) => (
            Some(id),
            None,
            None,
            report::Column::PostId
                .eq(id)
                .and(report::Column::CommentId.is_null()),
        ),
        Target::Comment { post, comment } => (
            Some(post),
            Some(comment),
            None,
            report::Column::CommentId.eq(comment),
        ),
        Target::Chat(id) => (None, None, Some(id), report::Column::ChatMessageId.eq(id)),
    };
    let open = report::Entity::find()
        .filter(report::Column::ReporterId.eq(reporter))
        .filter(report::Column::Status.eq("open"))
        .filter(same)
        .one(db)
        .await?;
    if let Some(open) = open {
        return Ok(open);
    }
    report::ActiveModel {
        id: Set(Uuid::now_v7()),
        reporter_id: Set(reporter),
        post_id: Set(post_id),
        comment_id: Set(comment_id),
        chat_message_id: Set(chat_message_id),
        reason: Set(reason.trim().to_string()),
        status: Set("open".into()),
        created_at: Set(Utc::now()),
        resolved_at: Set(None),
    }
    .insert(db)
    .await
}

pub fn report_view(r: report::Model, reporter: String) -> ReportView {
    ReportView {
        id: r.id,
        reporter,
        target: if r.chat_message_id.is_some() {
            "chat"
        } else if r.comment_id.is_some() {
            "comment"
        } else {
            "post"
        }
        .into(),
        post_id: r.post_id,
        comment_id: r.comment_id,
        chat_message_id: r.chat_message_id,
        reason: r.reason,
        status: r.status,
        created_at: r.created_at,
        resolved_at: r.resolved_at,
    }
}

/// Report a post to the moderators.
#[utoipa::path(post, path = "/posts/{id}/report", tag = "social", params(("id" = Uuid, Path)),
    request_body = CreateReport, security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = ReportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), post_id = %id))]
pub async fn report_post(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateReport>,
) -> ApiResult<(StatusCode, Json<ReportView>)> {
    let found = visible(&state, Some(Viewer::of(&auth)), id).await?;
    let created = insert(&state.db, auth.id(), Target::Post(found.id), &req.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(report_view(created, auth.user.username)),
    ))
}

/// Report a comment to the moderators.
#[utoipa::path(post, path = "/comments/{id}/report", tag = "social", params(("id" = Uuid, Path)),
    request_body = CreateReport, security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = ReportView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), comment_id = %id))]
pub async fn report_comment(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateReport>,
) -> ApiResult<(StatusCode, Json<ReportView>)> {
    let (found, _) = store::comment(&state.db, Some(Viewer::of(&auth)), id)
        .await?
        .ok_or_else(|| ApiError::not_found("comment"))?;
    let target = Target::Comment {
        post: found.post_id,
        comment: found.id,
    };
    let created = insert(&state.db, auth.id(), target, &req.reason).await?;
    Ok((
        StatusCode::CREATED,
        Json(report_view(created, auth.user.username)),
    ))
}

/// The moderators' queue: reports, oldest first (moderator or admin).
#[utoipa::path(get, path = "/moderation/reports", tag = "social", params(ReportQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<ReportView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn reports(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<ReportQuery>,
) -> ApiResult<Json<Page<ReportView>>> {
    auth.require_role(Role::Moderator)?;
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let status = query.status.as_deref().unwrap_or("open");
    if !matches!(status, "open" | "resolved") {
        return Err(ApiError::invalid_field("status", "invalid", "open or resolved"));
    }
    let select = report::Entity::find().filter(report::Column::Status.eq(status));
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_asc(report::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(&state.db)
        .await?;
    let reporters: Vec<Uuid> = rows.iter().map(|r| r.reporter_id).collect();
    let names = graph::summaries(&state.db, &reporters).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let name = names
                .get(&r.reporter_id)
                .map(|s| s.username.clone())
                .unwrap_or_default();
            report_view(r, name)
        })
        .collect();
    Ok(Json(Page {
        items,
        total,
        page,
        limit,
    }))
}

/// Closes the open reports about a post, comment or chat message once a moderator acted on it;
/// returns how many.
pub async fn resolve(db: &impl ConnectionTrait, column: report::Column, id: Uuid) -> Result<u64, DbErr> {
    report::Entity::update_many()
        .col_expr(report::Column::Status, Expr::value("resolved"))
        .col_expr(report::Column::ResolvedAt, Expr::value(Some(Utc::now())))
        .filter(column.eq(id))
        .filter(report::Column::Status.eq("open"))
        .exec(db)
        .await
        .map(|r| r.rows_affected)
}

pub fn resolved_details(reports_resolved: u64) -> serde_json::Value {
    serde_json::json!({ "reports_resolved": reports_resolved })
}

/// Audits a moderator's action on a post, comment or chat message.
pub async fn audit_action(
    state: &AppState,
    auth: &AuthUser,
    ip: Option<String>,
    action: &'static str,
    target: (&'static str, Uuid),
    details: serde_json::Value,
) {
    let entry = Entry::new(action)
        .actor(auth.id())
        .target(target.0, target.1)
        .ip(ip)
        .details(details);
    audit::record(&state.db, entry).await;
}

async fn moderate_post(
    state: &AppState,
    auth: &AuthUser,
    meta: ClientMeta,
    id: Uuid,
    hidden: bool,
) -> ApiResult<StatusCode> {
    auth.require_role(Role::Moderator)?;
    if post::Entity::find_by_id(id).one(&state.db).await?.is_none() {
        return Err(ApiError::not_found("post"));
    }
    store::set_post_hidden(&state.db, id, hidden).await?;
    let resolved = if hidden {
        resolve(&state.db, report::Column::PostId, id).await?
    } else {
        0
    };
    tracing::info!(post_id = %id, hidden, moderator = %auth.id(), "post moderated");
    let action = if hidden {
        "moderation.post_hidden"
    } else {
        "moderation.post_unhidden"
    };
    audit_action(
        state,
        auth,
        meta.ip,
        action,
        ("post", id),
        resolved_details(resolved),
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

async fn moderate_comment(
    state: &AppState,
    auth: &AuthUser,
    meta: ClientMeta,
    id: Uuid,
    hidden: bool,
) -> ApiResult<StatusCode> {
    auth.require_role(Role::Moderator)?;
    if comment::Entity::find_by_id(id).one(&state.db).await?.is_none() {
        return Err(ApiError::not_found("comment"));
    }
    store::set_comment_hidden(&state.db, id, hidden).await?;
    let resolved = if hidden {
        resolve(&state.db, report::Column::CommentId, id).await?
    } else {
        0
    };
    tracing::info!(comment_id = %id, hidden, moderator = %auth.id(), "comment moderated");
    let action = if hidden {
        "moderation.comment_hidden"
    } else {
        "moderation.comment_unhidden"
    };
    audit_action(
        state,
        auth,
        meta.ip,
        action,
        ("comment", id),
        resolved_details(resolved),
    )
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// Hide a post from everyone but moderators (feed, hashtags, search, profiles, counts); its open
/// reports are resolved.
#[utoipa::path(post, path = "/moderation/posts/{id}/hide", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "hidden"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn hide_post(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    moderate_post(&state, &auth, meta, id, true).await
}

/// Show a hidden post again.
#[utoipa::path(delete, path = "/moderation/posts/{id}/hide", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "shown again"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn unhide_post(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    moderate_post(&state, &auth, meta, id, false).await
}

/// Hide a comment from everyone but moderators; its open reports are resolved.
#[utoipa::path(post, path = "/moderation/comments/{id}/hide", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "hidden"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn hide_comment(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    moderate_comment(&state, &auth, meta, id, true).await
}

/// Show a hidden comment again.
#[utoipa::path(delete, path = "/moderation/comments/{id}/hide", tag = "social", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "shown again"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn unhide_comment(
    State(state): State<AppState>,
    auth: AuthUser,
    meta: ClientMeta,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    moderate_comment(&state, &auth, meta, id, false).await
}
