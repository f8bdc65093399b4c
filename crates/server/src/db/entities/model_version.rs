use sea_orm::entity::prelude::*;

/// One fit of a model on one competition's data, identified by what it was trained on.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "model_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Catalogue name: `dixon-coles`, `best`, ...
    pub model: String,
    pub competition_id: i32,
    /// 1, 2, 3... per model and competition.
    pub version: i32,
    /// Hash of the training matches: refitting unchanged data finds the same version.
    pub fingerprint: String,
    pub trained_from: Option<Date>,
    pub trained_through: Option<Date>,
    pub matches: i32,
    /// Headline fitted parameters (home advantage, rho, ...), for people to read.
    pub parameters: Option<Json>,
    /// Backtest metrics attached by training runs.
    pub metrics: Option<Json>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
