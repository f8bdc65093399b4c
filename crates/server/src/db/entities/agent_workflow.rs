use sea_orm::entity::prelude::*;

/// A named sequence of task steps an agent runs, on request or on a schedule.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agent_workflows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agent_id: Uuid,
    pub name: String,
    /// `[{ "type", "params", "when" }]`.
    pub steps: Json,
    pub schedule_secs: Option<i32>,
    pub next_run_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
