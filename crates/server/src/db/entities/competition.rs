use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competitions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable handle such as `premier-league`, used in URLs and the CLI.
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub country: Option<String>,
    /// `league`, `cup` or `international`.
    pub kind: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
