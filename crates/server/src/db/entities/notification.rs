use sea_orm::entity::prelude::*;

/// Something that happened for one user: a goal, a like, a system message.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// `match_start`, `goal`, `result`, `pick_scored`, `achievement`, `like`, `comment`, `follow`, `mention`,
    /// `agent_insight` or `system`.
    #[sea_orm(column_name = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Links for clients: match id, post id, actor username, ...
    pub data: Option<Json>,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
