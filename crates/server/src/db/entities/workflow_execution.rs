use sea_orm::entity::prelude::*;

/// One run of a workflow: where it is and what its steps returned.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "workflow_executions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workflow_id: Uuid,
    pub agent_id: Uuid,
    /// `running`, `completed`, `failed` or `cancelled`.
    pub status: String,
    pub current_step: i32,
    /// `{ "steps": [{ "status", "result" | "error" }] }`.
    pub data: Json,
    pub error: Option<String>,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
