use sea_orm::entity::prelude::*;

/// A model version put in charge of a competition's forecasts. The newest row of a competition
/// that was not rolled back is what serves.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "model_promotions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub competition_id: i32,
    pub model_version_id: i32,
    pub promoted_by: Option<Uuid>,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
    /// Set by a rollback: the promotion no longer serves.
    pub rolled_back_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
