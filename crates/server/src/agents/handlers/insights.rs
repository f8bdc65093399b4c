//! `/agents/{id}/insights`: insights an agent wrote (AI match analyses, the Agent OS's), or
//! that were recorded for it through the API.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::{
    agents::{emit, store},
    auth::extract::AuthUser,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Path, Query, ValidJson},
    insights::{
        self,
        store::{InsightFilter, NewInsight},
        types::{InsightPage, InsightView},
    },
    matches::store as matches,
    state::AppState,
    users::types::Role,
};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInsight {
    /// `prediction`, `analysis`, `recommendation`, ...
    #[serde(rename = "type")]
    #[validate(length(min = 1, max = 64))]
    pub kind: String,
    #[validate(length(max = 200))]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 10000))]
    pub content: String,
    /// 0 to 1.
    #[validate(range(min = 0.0, max = 1.0))]
    pub confidence: f64,
    pub match_id: Option<i32>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgentInsightQuery {
    pub match_id: Option<i32>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Only insights at least this confident (0 to 1).
    pub min_confidence: Option<f64>,
    /// 1 to 100, default 20.
    pub limit: Option<u64>,
    /// An insight id: only older ones.
    pub before: Option<Uuid>,
}

/// Record an insight for the agent (sent live as `agentInsight`). Admins only.
#[utoipa::path(post, path = "/agents/{id}/insights", tag = "agents", params(("id" = Uuid, Path)), request_body = CreateInsight,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = InsightView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    ValidJson(req): ValidJson<CreateInsight>,
) -> ApiResult<(StatusCode, Json<InsightView>)> {
    auth.require_role(Role::Admin)?;
    let a = store::get(&state, id).await?;
    if let Some(match_id) = req.match_id
        && matches::football_match(&state.db, match_id).await?.is_none()
    {
        return Err(ApiError::invalid_field("match_id", "unknown", "no such match"));
    }
    let content = req.content.trim();
    if content.is_empty() {
        return Err(ApiError::invalid_field("content", "length", "not blank"));
    }
    let stored = insights::store::create(
        &state.db,
        NewInsight {
            agent_id: Some(a.id),
            match_id: req.match_id,
            kind: req.kind,
            title: req.title.unwrap_or_else(|| a.name.clone()),
            content: content.to_string(),
            confidence: req.confidence,
            source: "agent".into(),
            model: None,
            facts: req.metadata,
        },
    )
    .await?;
    let view = InsightView::from(stored);
    emit::publish(&state, a.id, emit::INSIGHT, json!({ "insight": view })).await;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The agent's insights, newest first.
#[utoipa::path(get, path = "/agents/{id}/insights", tag = "agents", params(("id" = Uuid, Path), AgentInsightQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = InsightPage), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(q): Query<AgentInsightQuery>,
) -> ApiResult<Json<InsightPage>> {
    let a = store::get(&state, id).await?;
    let limit = q.limit.unwrap_or(20);
    if !(1..=insights::store::MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_field("limit", "range", "1 to 100"));
    }
    if q.min_confidence.is_some_and(|c| !(0.0..=1.0).contains(&c)) {
        return Err(ApiError::invalid_field("min_confidence", "range", "0 to 1"));
    }
    let filter = InsightFilter {
        agent_id: Some(a.id),
        match_id: q.match_id,
        kind: q.kind,
        min_confidence: q.min_confidence,
        limit: Some(limit),
        before: q.before,
    };
    let items: Vec<InsightView> = insights::store::list(&state.db, &filter)
        .await?
        .into_iter()
        .map(InsightView::from)
        .collect();
    let next_cursor = (items.len() as u64 == limit)
        .then(|| items.last().map(|i| i.id))
        .flatten();
    Ok(Json(InsightPage { items, next_cursor }))
}
