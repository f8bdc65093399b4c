use sea_orm::entity::prelude::*;

/// A background worker of a built-in kind (`forecaster`, `analyst`, ...) that runs tasks.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    /// Validated per kind: interval, scope and task parameters.
    pub config: Json,
    /// `stopped`, `running` or `error`.
    pub status: String,
    /// The agent's id on the remote Agent OS (kind `remote`).
    pub remote_id: Option<String>,
    pub owner_id: Uuid,
    /// When the scheduler next queues the agent's routine task.
    pub next_run_at: Option<DateTimeUtc>,
    pub last_run_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
