use sea_orm::entity::prelude::*;

/// A private league of the prediction game. Its board counts its members' picks, only on
/// `competition_id` when set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "leagues")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub competition_id: Option<i32>,
    /// Also a member; the only one who rotates the code or deletes the league.
    pub owner_id: Uuid,
    /// Unique; joining by it makes a member.
    pub invite_code: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
