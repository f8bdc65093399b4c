//! Stored insights. Other modules (the agents) write theirs through [`create`] with `agent_id`
//! set, and read them back with [`list`].

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::Value;
use uuid::Uuid;

use crate::db::entities::insight;

/// Longest list one call returns.
pub const MAX_LIMIT: u64 = 100;
const MAX_TITLE_CHARS: usize = 200;
const MAX_KIND_CHARS: usize = 64;

/// An insight to store.
#[derive(Debug, Clone)]
pub struct NewInsight {
    /// The agent that wrote it, if any.
    pub agent_id: Option<Uuid>,
    pub match_id: Option<i32>,
    /// `match_preview`, `live`, `match_review`, or free text (cut to 64 characters).
    pub kind: String,
    /// Cut to 200 characters.
    pub title: String,
    pub content: String,
    /// Clamped to 0..=1.
    pub confidence: f64,
    /// `llm`, `deterministic` or `agent`.
    pub source: String,
    /// The LLM's name, when one wrote it.
    pub model: Option<String>,
    /// What it was written from.
    pub facts: Option<Value>,
}

/// Which insights [`list`] returns, newest first.
#[derive(Debug, Clone, Default)]
pub struct InsightFilter {
    pub agent_id: Option<Uuid>,
    pub match_id: Option<i32>,
    pub kind: Option<String>,
    pub min_confidence: Option<f64>,
    /// At most [`MAX_LIMIT`]; `None` means 20.
    pub limit: Option<u64>,
    /// Cursor: only insights older than the one with this id (nothing when it does not exist).
    pub before: Option<Uuid>,
}

fn clip(text: &str, max_chars: usize) -> String {
    text.trim().chars().take(max_chars).collect()
}

/// Stores an insight; the id is a UUIDv7 and `created_at` is now.
pub async fn create(db: &impl ConnectionTrait, new: NewInsight) -> Result<insight::Model, DbErr> {
    let confidence = if new.confidence.is_finite() {
        new.confidence.clamp(0.0, 1.0)
    } else {
        0.0
    };
    insight::ActiveModel {
        id: Set(Uuid::now_v7()),
        agent_id: Set(new.agent_id),
        match_id: Set(new.match_id),
        kind: Set(clip(&new.kind, MAX_KIND_CHARS)),
        title: Set(clip(&new.title, MAX_TITLE_CHARS)),
        content: Set(new.content.trim().to_string()),
        confidence: Set(confidence),
        source: Set(new.source),
        model: Set(new.model),
        facts: Set(new.facts),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// Insights matching `filter`, newest first (by creation time, then id).
pub async fn list(db: &impl ConnectionTrait, filter: &InsightFilter) -> Result<Vec<insight::Model>, DbErr> {
    let mut select = insight::Entity::find();
    if let Some(id) = filter.agent_id {
        select = select.filter(insight::Column::AgentId.eq(id));
    }
    if let Some(id) = filter.match_id {
        select = select.filter(insight::Column::MatchId.eq(id));
    }
    if let Some(kind) = &filter.kind {
        select = select.filter(insight::Column::Kind.eq(kind.as_str()));
    }
    if let Some(min) = filter.min_confidence {
        select = select.filter(insight::Column::Confidence.gte(min));
    }
    if let Some(cursor) = filter.before {
        let Some(last) = insight::Entity::find_by_id(cursor).one(db).await? else {
            return Ok(Vec::new());
        };
        select = select.filter(
            Condition::any()
                .add(insight::Column::CreatedAt.lt(last.created_at))
                .add(
                    Condition::all()
                        .add(insight::Column::CreatedAt.eq(last.created_at))
                        .add(insight::Column::Id.lt(last.id)),
                ),
        );
    }
    select
        .order_by_desc(insight::Column::CreatedAt)
        .order_by_desc(insight::Column::Id)
        .limit(filter.limit.unwrap_or(20).clamp(1, MAX_LIMIT))
        .all(db)
        .await
}
