use sea_orm::entity::prelude::*;

/// A background job (model training, ...) whose progress and result clients can poll.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    /// `pending`, `running`, `completed` or `failed`.
    pub status: String,
    /// 0.0 to 1.0.
    pub progress: f64,
    pub params: Option<Json>,
    pub result: Option<Json>,
    pub error: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
