//! Views and queries of the insights API.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::db::entities::insight;

/// A written analysis of a match (or an agent's finding).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InsightView {
    pub id: Uuid,
    pub agent_id: Option<Uuid>,
    pub match_id: Option<i32>,
    /// `match_preview`, `live`, `match_review`, or an agent's own kind.
    pub kind: String,
    pub title: String,
    /// Plain text.
    pub content: String,
    /// 0..=1.
    pub confidence: f64,
    /// `llm`, `deterministic` or `agent`.
    pub source: String,
    /// The LLM that wrote it, for `source = llm`.
    pub model: Option<String>,
    /// The facts it was written from; `fallback_reason` says why the LLM was not used.
    #[schema(value_type = Option<Object>)]
    pub facts: Option<Value>,
    pub created_at: DateTime<Utc>,
}

impl From<insight::Model> for InsightView {
    fn from(i: insight::Model) -> Self {
        Self {
            id: i.id,
            agent_id: i.agent_id,
            match_id: i.match_id,
            kind: i.kind,
            title: i.title,
            content: i.content,
            confidence: i.confidence,
            source: i.source,
            model: i.model,
            facts: i.facts,
            created_at: i.created_at,
        }
    }
}

/// Newest first; pass `next_cursor` as `before` for older ones.
#[derive(Debug, Serialize, ToSchema)]
pub struct InsightPage {
    pub items: Vec<InsightView>,
    /// The id to pass as `before` for the next page; `None` on the last page.
    pub next_cursor: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InsightQuery {
    /// Only this kind (`match_preview`, `live`, `match_review`, ...).
    pub kind: Option<String>,
    /// 1..=100, default 20.
    pub limit: Option<u64>,
    /// An insight id: only insights older than it.
    pub before: Option<Uuid>,
}
