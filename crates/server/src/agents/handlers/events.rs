//! `/agents/{id}/events`: what agents reported, with severity.

use axum::{Json, extract::State, http::StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::{
    agents::{
        events::{self, SEVERITIES, severity_rank},
        store,
        types::{CreateEvent, EventQuery, EventView},
    },
    auth::extract::AuthUser,
    db::entities::agent_event,
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
    users::types::Role,
};

/// Record an event for an agent (sent live as `agentEvent`). Admins only.
#[utoipa::path(post, path = "/agents/{id}/events", tag = "agents", params(("id" = Uuid, Path)), request_body = CreateEvent,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = EventView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateEvent>,
) -> ApiResult<(StatusCode, Json<EventView>)> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    let severity = req.severity.as_deref().unwrap_or("info");
    let event = events::record(
        &state,
        a.id,
        req.kind.trim(),
        severity,
        req.message.trim(),
        req.data,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(event.into())))
}

/// The agent's events, newest first; `min_severity=warning` gives warnings and worse.
#[utoipa::path(get, path = "/agents/{id}/events", tag = "agents", params(("id" = Uuid, Path), EventQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<EventView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<EventQuery>,
) -> ApiResult<Json<Page<EventView>>> {
    let (page, limit) = page_and_limit(q.page, q.limit)?;
    let a = store::get(&state, id).await?;
    let mut query = agent_event::Entity::find().filter(agent_event::Column::AgentId.eq(a.id));
    if let Some(min) = q.min_severity.as_deref() {
        let rank = severity_rank(min).ok_or_else(|| {
            ApiError::invalid_field(
                "min_severity",
                "invalid",
                "debug, info, warning, error or critical",
            )
        })?;
        query = query.filter(agent_event::Column::Severity.is_in(SEVERITIES[rank..].iter().copied()));
    }
    if let Some(kind) = q.kind {
        query = query.filter(agent_event::Column::Kind.eq(kind));
    }
    if let Some(since) = q.since {
        query = query.filter(agent_event::Column::CreatedAt.gte(since));
    }
    let pages = query
        .order_by_desc(agent_event::Column::CreatedAt)
        .order_by_desc(agent_event::Column::Id)
        .paginate(&state.db, limit);
    let total = pages.num_items().await?;
    let items = pages.fetch_page(page - 1).await?;
    Ok(Json(Page {
        items: items.into_iter().map(EventView::from).collect(),
        total,
        page,
        limit,
    }))
}
