use sea_orm::entity::prelude::*;

/// An outgoing webhook: chosen events are POSTed to `url`, signed with `secret`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "integrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub name: String,
    pub url: String,
    /// Event names (`agentTaskUpdate`, ...), or `["*"]`.
    pub events: Json,
    /// HMAC-SHA256 key; shown once at creation, never returned again.
    pub secret: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
