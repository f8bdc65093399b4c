use sea_orm::entity::prelude::*;

/// An achievement a user earned in the prediction game; granted once, never taken back.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "achievements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// `first_pick`, `streak_5`, ... (see `picks::achievements`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub granted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
