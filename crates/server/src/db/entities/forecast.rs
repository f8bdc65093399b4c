use sea_orm::entity::prelude::*;

/// A forecast as it was served for an upcoming match: accuracy is measured on these.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "forecasts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub match_id: i32,
    pub model: String,
    pub model_version_id: Option<i32>,
    pub home_probability: f64,
    pub draw_probability: f64,
    pub away_probability: f64,
    pub expected_home_goals: Option<f64>,
    pub expected_away_goals: Option<f64>,
    /// Why it was issued: `refit` (a new model version) or `live` (an in-play update).
    pub reason: String,
    pub issued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
