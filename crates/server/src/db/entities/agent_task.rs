use sea_orm::entity::prelude::*;

/// One unit of agent work in the durable queue: claimed by a worker under a lease.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agent_tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub agent_id: Uuid,
    /// Task type: `refresh_forecasts`, `write_insights`, ...
    pub kind: String,
    pub params: Json,
    /// Higher runs first.
    pub priority: i32,
    /// `pending`, `running`, `completed`, `failed` or `cancelled`.
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub timeout_secs: i32,
    /// Not claimed before this (retry backoff).
    pub run_at: DateTimeUtc,
    /// The claim currently holding the task; a fresh one per attempt.
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<DateTimeUtc>,
    pub result: Option<Json>,
    pub error: Option<String>,
    /// Set when the task is a step of a workflow execution.
    pub execution_id: Option<Uuid>,
    pub step: Option<i32>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
