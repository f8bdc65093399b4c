use sea_orm::entity::prelude::*;

/// A short written analysis: of a match (by the LLM or the deterministic writer) or an agent's
/// finding. Ids are UUIDv7, so id order follows creation order.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "insights")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The agent that wrote it; `None` for insights the service wrote itself.
    pub agent_id: Option<Uuid>,
    pub match_id: Option<i32>,
    /// `match_preview`, `live`, `match_review`, or an agent's own kind.
    pub kind: String,
    pub title: String,
    /// Plain text; never rendered as HTML.
    pub content: String,
    /// 0..=1.
    pub confidence: f64,
    /// `llm`, `deterministic` or `agent`.
    pub source: String,
    /// The LLM that wrote it (`source = llm`).
    pub model: Option<String>,
    /// The facts it was written from, and `fallback_reason` when the LLM was not used.
    pub facts: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
