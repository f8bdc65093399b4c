//! League request bodies, queries and the views sent to clients.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::picks::types::{LeaderboardEntry, Period};

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLeague {
    /// 3–60 characters (after trimming).
    #[validate(length(min = 3, max = 60))]
    pub name: String,
    /// Up to 500 characters.
    #[validate(length(max = 500))]
    pub description: Option<String>,
    /// Competition slug or id: only picks on its matches count.
    pub competition: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinLeague {
    /// The invite code (case, spaces and dashes are ignored).
    #[validate(length(min = 1, max = 64))]
    pub code: String,
}

/// A league as its members see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeagueView {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// The competition's slug when only its matches count.
    pub competition: Option<String>,
    /// The owner's username.
    pub owner: String,
    pub is_owner: bool,
    /// Share it: anyone who sends it to `POST /leagues/join` becomes a member.
    pub invite_code: String,
    pub member_count: u64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub username: String,
    pub is_owner: bool,
    pub joined_at: DateTime<Utc>,
}

/// A league with its members, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeagueDetail {
    #[serde(flatten)]
    pub league: LeagueView,
    pub members: Vec<MemberView>,
}

/// The result of leaving a league.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Left {
    /// The league was deleted because you were its last member.
    pub league_deleted: bool,
    /// The new owner's username when you owned it.
    pub new_owner: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// `all` (default), `week` (Monday to Sunday, UTC) or `month`, by match kick-off.
    pub period: Option<Period>,
    /// A day inside the week or month wanted (`YYYY-MM-DD`, default today).
    pub date: Option<NaiveDate>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WinnersQuery {
    /// How many weeks, 1–52 (default 8), ending with the week of `date`.
    pub weeks: Option<u32>,
    /// A day inside the last week wanted (`YYYY-MM-DD`, default today).
    pub date: Option<NaiveDate>,
}

/// The top of one week's league board.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeekWinners {
    /// Monday.
    pub from: NaiveDate,
    /// Sunday.
    pub to: NaiveDate,
    /// Everyone on the most points (ties all listed, by the board's order); empty when nobody
    /// scored a point that week.
    pub winners: Vec<LeaderboardEntry>,
}

/// Newest week first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Winners {
    pub league_id: Uuid,
    pub weeks: Vec<WeekWinners>,
}
