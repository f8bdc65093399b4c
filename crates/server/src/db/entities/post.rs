use sea_orm::entity::prelude::*;

/// A social post. Ids are UUIDv7, so id order is creation order (the feed's cursor).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "posts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `general`, `match` or `prediction`.
    #[sea_orm(column_name = "type")]
    pub kind: String,
    /// Plain text, stored as sent; never rendered as HTML.
    pub body: String,
    pub match_id: Option<i32>,
    pub pick_id: Option<Uuid>,
    /// `public` or `followers`.
    pub visibility: String,
    /// Set by a moderator: the post is gone for everyone else.
    pub hidden_at: Option<DateTimeUtc>,
    pub edited_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
