use sea_orm::entity::prelude::*;

/// One security-relevant action: who did what to what, from where.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    /// Time-ordered (UUIDv7): pages are read by id, newest first.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// None for the system, or a failed sign-in to an unknown account.
    pub actor_id: Option<Uuid>,
    /// Dotted name such as `auth.login_failed` or `moderation.post_hidden`.
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub details: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
