use sea_orm::entity::prelude::*;

/// A fixture or result. (`match` is a Rust keyword, hence the module name.)
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub competition_id: i32,
    pub season_id: i32,
    pub home_team_id: i32,
    pub away_team_id: i32,
    /// The calendar day of the match: part of the natural key imports upsert on.
    pub match_date: Date,
    pub kickoff_at: DateTimeUtc,
    /// `scheduled`, `live`, `finished`, `postponed` or `cancelled`.
    pub status: String,
    pub minute: Option<i16>,
    pub home_goals: Option<i16>,
    pub away_goals: Option<i16>,
    pub home_half_time_goals: Option<i16>,
    pub away_half_time_goals: Option<i16>,
    pub referee: Option<String>,
    pub neutral: bool,
    /// Shots, shots on target, fouls, corners and cards per side (`pundit_data::MatchStats`).
    pub stats: Option<Json>,
    /// Bookmaker prices (`pundit_data::MatchOdds`).
    pub odds: Option<Json>,
    /// Where the row came from: `import`, `admin`, a live provider's name.
    pub source: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
