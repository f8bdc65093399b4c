//! `GET /api/v1/admin/audit`: the audit log for admins, filtered and cursor-paginated.

use std::collections::HashMap;

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{
    store::{self, ActionFilter, Filter},
    types::{AuditEntryView, AuditPage, AuditQuery},
};
use crate::{
    auth::extract::AuthUser,
    db::entities::user,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::Query,
    social::cursor_and_limit,
    state::AppState,
    users::{store as users, types::Role},
};

/// Audit entries, newest first (admin only).
#[utoipa::path(get, path = "/audit", tag = "admin", params(AuditQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "invalid filter", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    auth.require_role(Role::Admin)?;
    let (cursor, limit) = cursor_and_limit(query.cursor.as_deref(), query.limit)?;
    let Some(filter) = filter(&state, &query).await? else {
        // An actor that does not exist caused nothing.
        return Ok(Json(AuditPage {
            items: Vec::new(),
            next_cursor: None,
        }));
    };
    let mut rows = store::list(&state.db, &filter, cursor, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| rows.last().map(|r| r.id.to_string())).flatten();
    let names = actor_names(&state, &rows).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let name = r.actor_id.and_then(|id| names.get(&id).cloned());
            AuditEntryView::new(r, name)
        })
        .collect();
    Ok(Json(AuditPage { items, next_cursor }))
}

async fn actor_names(
    state: &AppState,
    rows: &[crate::db::entities::audit_log::Model],
) -> ApiResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs: Vec<(Uuid, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Username)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(pairs.into_iter().collect())
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::invalid_field(field, "invalid", message)
}

/// Letters, digits, `_` and dots: what action and target names are made of.
fn is_name(value: &str) -> bool {
    (1..=64).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.'))
}

fn time(field: &str, value: Option<&str>) -> ApiResult<Option<DateTime<Utc>>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => DateTime::parse_from_rfc3339(v)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| invalid(field, "an RFC 3339 time such as 2026-11-23T10:00:00Z")),
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The query as a filter; `None` when the actor names nobody.
async fn filter(state: &AppState, q: &AuditQuery) -> ApiResult<Option<Filter>> {
    let action = match non_empty(&q.action) {
        None => None,
        Some(a) if !is_name(a) => return Err(invalid("action", "letters, digits, '_' and '.'")),
        Some(a) if a.ends_with('.') => Some(ActionFilter::Prefix(a.to_string())),
        Some(a) => Some(ActionFilter::Exact(a.to_string())),
    };
    let target_type = match non_empty(&q.target_type) {
        Some(t) if !is_name(t) => return Err(invalid("target_type", "letters, digits, '_' and '.'")),
        t => t.map(str::to_string),
    };
    let target_id = match non_empty(&q.target_id) {
        Some(t) if t.len() > 64 => return Err(invalid("target_id", "at most 64 characters")),
        t => t.map(str::to_string),
    };
    let since = time("since", q.since.as_deref())?;
    let until = time("until", q.until.as_deref())?;
    if let (Some(s), Some(u)) = (since, until)
        && s >= u
    {
        return Err(invalid("until", "must be later than `since`"));
    }
    let actor = match non_empty(&q.actor) {
        None => None,
        Some(a) => match a.parse::<Uuid>() {
            Ok(id) => Some(id),
            Err(_) => match users::by_username(&state.db, a).await? {
                Some(u) => Some(u.id),
                None => return Ok(None),
            },
        },
    };
    Ok(Some(Filter {
        actor,
        action,
        target_type,
        target_id,
        since,
        until,
    }))
}
