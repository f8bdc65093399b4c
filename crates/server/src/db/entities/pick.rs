use sea_orm::entity::prelude::*;

/// A user's own prediction for a match: one per type per match per user.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "picks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub match_id: i32,
    /// `result`, `exact_score`, `over_under` or `probabilities`.
    #[sea_orm(column_name = "type")]
    pub kind: String,
    /// Result picks: `home`, `draw` or `away`.
    pub outcome: Option<String>,
    /// Exact-score picks.
    pub home_goals: Option<i16>,
    pub away_goals: Option<i16>,
    /// Over/under picks: the goal line (2.5) and `over` or `under`.
    pub line: Option<f64>,
    pub side: Option<String>,
    /// Probability picks.
    pub home_probability: Option<f64>,
    pub draw_probability: Option<f64>,
    pub away_probability: Option<f64>,
    /// `pending`, `scored`, or `void` (the match was cancelled).
    pub status: String,
    pub points: i32,
    /// Whether a result, exact-score or over/under pick was right; null for probabilities.
    pub correct: Option<bool>,
    /// Ranked probability score of a probability pick.
    pub rps: Option<f64>,
    /// The platform model's RPS and whether its likeliest outcome was right, on the same match.
    pub model_rps: Option<f64>,
    pub model_correct: Option<bool>,
    pub scored_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::football_match::Entity",
        from = "Column::MatchId",
        to = "super::football_match::Column::Id"
    )]
    Match,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UserId",
        to = "super::user::Column::Id"
    )]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
