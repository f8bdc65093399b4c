use sea_orm::entity::prelude::*;

/// A user's prediction-game totals, recomputed from their picks whenever one changes.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "pick_stats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// Pending and scored picks (void ones are not counted).
    pub picks: i32,
    pub pending: i32,
    pub scored: i32,
    /// Scored result, exact-score and over/under picks (the ones that are right or wrong).
    pub graded: i32,
    pub correct: i32,
    pub points: i32,
    pub exact_scores: i32,
    /// Consecutive correct result picks, in kick-off order.
    pub current_streak: i32,
    pub best_streak: i32,
    pub probability_picks: i32,
    pub mean_rps: Option<f64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
