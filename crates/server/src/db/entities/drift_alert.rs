use sea_orm::entity::prelude::*;

/// A drift finding about a competition's serving model version.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "drift_alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub competition_id: i32,
    pub model_version_id: Option<i32>,
    /// `rps`, `calibration` or `goal_rate`.
    pub kind: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    /// What the latest window measured.
    pub value: f64,
    /// What it was compared with.
    pub baseline: f64,
    /// The change that raises a warning (twice it: critical).
    pub threshold: f64,
    pub window_matches: i32,
    pub message: String,
    pub created_at: DateTimeUtc,
    pub acknowledged_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
