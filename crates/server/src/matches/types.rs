//! Views and request bodies of the matches API.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::db::entities::{competition, season, team};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchStatus {
    Scheduled,
    Live,
    Finished,
    Postponed,
    Cancelled,
}

impl MatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Live => "live",
            Self::Finished => "finished",
            Self::Postponed => "postponed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_db(value: &str) -> Self {
        match value {
            "live" => Self::Live,
            "finished" => Self::Finished,
            "postponed" => Self::Postponed,
            "cancelled" => Self::Cancelled,
            _ => Self::Scheduled,
        }
    }

    /// Moves a match may make. A finished match may be re-saved (score corrections), nothing else.
    pub fn can_become(self, next: Self) -> bool {
        use MatchStatus::*;
        self == next
            || matches!(
                (self, next),
                (Scheduled, Live | Finished | Postponed | Cancelled)
                    | (Live, Finished | Postponed | Cancelled)
                    | (Postponed, Scheduled | Live | Finished | Cancelled)
            )
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitionView {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub country: Option<String>,
    /// `league` or `international`.
    pub kind: String,
}

impl From<&competition::Model> for CompetitionView {
    fn from(c: &competition::Model) -> Self {
        Self {
            id: c.id,
            slug: c.slug.clone(),
            name: c.name.clone(),
            country: c.country.clone(),
            kind: c.kind.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeasonView {
    pub id: i32,
    /// `2023-24`.
    pub name: String,
    pub start_year: i32,
}

impl From<&season::Model> for SeasonView {
    fn from(s: &season::Model) -> Self {
        Self {
            id: s.id,
            name: s.name.clone(),
            start_year: s.start_year,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitionDetail {
    #[serde(flatten)]
    pub competition: CompetitionView,
    /// Newest first.
    pub seasons: Vec<SeasonView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamRef {
    pub id: i32,
    pub name: String,
    pub slug: String,
}

impl From<&team::Model> for TeamRef {
    fn from(t: &team::Model) -> Self {
        Self {
            id: t.id,
            name: t.name.clone(),
            slug: t.slug.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamView {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub country: Option<String>,
    pub venue: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl From<team::Model> for TeamView {
    fn from(t: team::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            slug: t.slug,
            country: t.country,
            venue: t.venue,
            latitude: t.latitude,
            longitude: t.longitude,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct ScoreView {
    pub home: i16,
    pub away: i16,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchView {
    pub id: i32,
    pub competition: CompetitionView,
    pub season: String,
    pub home_team: TeamRef,
    pub away_team: TeamRef,
    pub kickoff_at: DateTime<Utc>,
    pub status: MatchStatus,
    pub minute: Option<i16>,
    /// Full-time score once finished; the running score while live.
    pub score: Option<ScoreView>,
    pub half_time_score: Option<ScoreView>,
    pub neutral: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchDetail {
    #[serde(flatten)]
    pub summary: MatchView,
    pub referee: Option<String>,
    /// Shots, shots on target, fouls, corners, yellow and red cards, each `{home, away}`.
    #[schema(value_type = Option<Object>)]
    pub stats: Option<Value>,
    /// Bookmaker prices: `one_x_two`, `over_under`, `asian_handicap` lists.
    #[schema(value_type = Option<Object>)]
    pub odds: Option<Value>,
    pub source: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum MatchSort {
    /// Earliest first.
    #[default]
    KickoffAsc,
    /// Latest first.
    KickoffDesc,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// Competition id or slug.
    pub competition: Option<String>,
    /// Season name such as `2023-24` (needs `competition`).
    pub season: Option<String>,
    /// Team id: matches where it plays home or away.
    pub team: Option<i32>,
    pub status: Option<MatchStatus>,
    /// First day, inclusive (`YYYY-MM-DD`).
    pub from: Option<NaiveDate>,
    /// Last day, inclusive (`YYYY-MM-DD`).
    pub to: Option<NaiveDate>,
    /// `kickoff_asc` (default) or `kickoff_desc`.
    pub sort: Option<MatchSort>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    /// Case-insensitive part of the name.
    pub q: Option<String>,
    /// Competition id or slug: teams that played in it.
    pub competition: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeasonQuery {
    /// Season name such as `2023-24`; the latest season when omitted.
    pub season: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StandingRow {
    pub position: u32,
    pub team: TeamRef,
    pub played: u32,
    pub won: u32,
    pub drawn: u32,
    pub lost: u32,
    pub goals_for: u32,
    pub goals_against: u32,
    pub goal_difference: i32,
    pub points: u32,
    /// Last five results, oldest first: `W`, `D` or `L`.
    pub form: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Standings {
    pub competition: CompetitionView,
    pub season: String,
    pub rows: Vec<StandingRow>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HeadToHead {
    pub team: TeamRef,
    pub opponent: TeamRef,
    pub played: u32,
    pub wins: u32,
    pub draws: u32,
    pub losses: u32,
    pub goals_for: u32,
    pub goals_against: u32,
    /// Most recent first, at most 20.
    pub matches: Vec<MatchView>,
}

/// A new fixture (admin).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMatch {
    /// Competition id or slug.
    pub competition: String,
    /// Season name; derived from the kick-off date (July–June) when omitted.
    pub season: Option<String>,
    pub home_team_id: i32,
    pub away_team_id: i32,
    pub kickoff_at: DateTime<Utc>,
    pub neutral: Option<bool>,
}

/// Changes to a match (admin); omitted fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMatch {
    pub kickoff_at: Option<DateTime<Utc>>,
    pub status: Option<MatchStatus>,
    pub minute: Option<i16>,
    pub score: Option<ScoreView>,
    pub half_time_score: Option<ScoreView>,
    pub referee: Option<String>,
}
