use sea_orm::entity::prelude::*;

/// Two model versions of one competition sharing its matches.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ab_tests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub competition_id: i32,
    pub version_a: i32,
    pub version_b: i32,
    /// Share of matches (and users) served by version B, 0–1.
    pub split: f64,
    /// `running` or `stopped`.
    pub status: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub stopped_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
