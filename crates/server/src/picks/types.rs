//! Pick types, request bodies and the views sent to clients.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    db::entities::{pick, pick_stats},
    matches::types::MatchView,
};

/// What a pick predicts. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PickKind {
    /// Home win, draw or away win.
    Result,
    /// The final score.
    ExactScore,
    /// Total goals over or under a line such as 2.5.
    OverUnder,
    /// Home/draw/away probabilities, judged by their ranked probability score.
    Probabilities,
}

impl PickKind {
    pub const ALL: [Self; 4] = [
        Self::Result,
        Self::ExactScore,
        Self::OverUnder,
        Self::Probabilities,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Result => "result",
            Self::ExactScore => "exact_score",
            Self::OverUnder => "over_under",
            Self::Probabilities => "probabilities",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// The result of a match from the home side's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Home,
    Draw,
    Away,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Draw => "draw",
            Self::Away => "away",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        [Self::Home, Self::Draw, Self::Away]
            .into_iter()
            .find(|o| o.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Over,
    Under,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Over => "over",
            Self::Under => "under",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        [Self::Over, Self::Under]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// `pending` until the match is settled, then `scored` (or `void` if it was cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PickStatus {
    Pending,
    Scored,
    Void,
}

impl PickStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Scored => "scored",
            Self::Void => "void",
        }
    }

    pub fn from_db(value: &str) -> Self {
        match value {
            "scored" => Self::Scored,
            "void" => Self::Void,
            _ => Self::Pending,
        }
    }
}

/// The fields of a pick's prediction; which ones apply depends on its type.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickFields {
    /// `result`: `home`, `draw` or `away`.
    pub outcome: Option<Outcome>,
    /// `exact_score`: goals of each side, 0–20.
    pub home_goals: Option<i16>,
    pub away_goals: Option<i16>,
    /// `over_under`: a half-goal line between 0.5 and 9.5.
    pub line: Option<f64>,
    /// `over_under`: `over` or `under`.
    pub side: Option<Side>,
    /// `probabilities`: home win, draw and away win, each 0–1, summing to 1 ± 0.01.
    pub home: Option<f64>,
    pub draw: Option<f64>,
    pub away: Option<f64>,
}

/// A new pick: the match, the type, and the fields of that type.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePick {
    pub match_id: i32,
    #[serde(rename = "type")]
    pub kind: PickKind,
    pub outcome: Option<Outcome>,
    pub home_goals: Option<i16>,
    pub away_goals: Option<i16>,
    pub line: Option<f64>,
    pub side: Option<Side>,
    pub home: Option<f64>,
    pub draw: Option<f64>,
    pub away: Option<f64>,
}

impl CreatePick {
    pub fn fields(&self) -> PickFields {
        PickFields {
            outcome: self.outcome,
            home_goals: self.home_goals,
            away_goals: self.away_goals,
            line: self.line,
            side: self.side,
            home: self.home,
            draw: self.draw,
            away: self.away,
        }
    }
}

/// A pick as its owner sees it. Only the fields of its type are present.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PickView {
    pub id: Uuid,
    pub match_id: i32,
    #[serde(rename = "type")]
    pub kind: PickKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_goals: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub away_goals: Option<i16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draw: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub away: Option<f64>,
    pub status: PickStatus,
    /// Points earned (0 until scored).
    pub points: i32,
    /// Right or wrong, once scored; null for probability picks.
    pub correct: Option<bool>,
    /// Ranked probability score of a scored probability pick (lower is better).
    pub rps: Option<f64>,
    /// The platform model's RPS on the same match, once scored (null when it had no forecast).
    pub model_rps: Option<f64>,
    /// True until kick-off: the pick can still be changed or withdrawn.
    pub editable: bool,
    pub scored_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The match, with its score once known.
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    pub football_match: Option<MatchView>,
}

impl PickView {
    pub fn new(p: pick::Model, editable: bool, football_match: Option<MatchView>) -> Self {
        Self {
            id: p.id,
            match_id: p.match_id,
            kind: PickKind::from_db(&p.kind).unwrap_or(PickKind::Result),
            outcome: p.outcome.as_deref().and_then(Outcome::from_db),
            home_goals: p.home_goals,
            away_goals: p.away_goals,
            line: p.line,
            side: p.side.as_deref().and_then(Side::from_db),
            home: p.home_probability,
            draw: p.draw_probability,
            away: p.away_probability,
            status: PickStatus::from_db(&p.status),
            points: p.points,
            correct: p.correct,
            rps: p.rps,
            model_rps: p.model_rps,
            editable,
            scored_at: p.scored_at,
            created_at: p.created_at,
            updated_at: p.updated_at,
            football_match,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PickQuery {
    /// Only picks for this match.
    pub match_id: Option<i32>,
    /// `pending`, `scored` or `void`.
    pub status: Option<PickStatus>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

/// A user's prediction-game totals.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsView {
    pub username: String,
    /// Pending and scored picks (withdrawn and void ones are not counted).
    pub picks: i32,
    pub pending: i32,
    pub scored: i32,
    /// Scored result, exact-score and over/under picks that were right.
    pub correct: i32,
    /// `correct` over scored result, exact-score and over/under picks; null before any.
    pub accuracy: Option<f64>,
    pub points: i32,
    pub exact_scores: i32,
    /// Consecutive correct result picks up to the latest scored one, in kick-off order.
    pub current_streak: i32,
    pub best_streak: i32,
    pub probability_picks: i32,
    /// Mean ranked probability score of scored probability picks; null before any.
    pub mean_rps: Option<f64>,
    /// The same user against the platform's model on the same matches.
    pub versus_model: VersusModel,
}

impl StatsView {
    pub fn new(username: String, s: Option<pick_stats::Model>, versus_model: VersusModel) -> Self {
        let s = s.unwrap_or_else(|| super::stats::empty_row(Uuid::nil()));
        Self {
            username,
            picks: s.picks,
            pending: s.pending,
            scored: s.scored,
            correct: s.correct,
            accuracy: ratio(s.correct, s.graded),
            points: s.points,
            exact_scores: s.exact_scores,
            current_streak: s.current_streak,
            best_streak: s.best_streak,
            probability_picks: s.probability_picks,
            mean_rps: s.mean_rps,
            versus_model,
        }
    }
}

/// `part / whole`, or null when `whole` is zero.
pub fn ratio(part: impl Into<f64>, whole: impl Into<f64>) -> Option<f64> {
    let whole = whole.into();
    (whole > 0.0).then(|| part.into() / whole)
}

/// A user against the platform's `best` model, on the matches where both had a say.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct VersusModel {
    /// Scored probability picks whose match had a model forecast.
    pub probability_picks: i64,
    /// The user's mean RPS on those matches.
    pub rps: Option<f64>,
    /// The model's mean RPS on the same matches.
    pub model_rps: Option<f64>,
    /// `model_rps - rps`: positive when the user beat the model.
    pub rps_edge: Option<f64>,
    /// Scored result picks whose match had a model forecast.
    pub result_picks: i64,
    /// The user's share of those that were right.
    pub accuracy: Option<f64>,
    /// How often the model's likeliest outcome was right on the same matches.
    pub model_accuracy: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    All,
    Week,
    Month,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardQuery {
    /// Only you and the people you follow (needs a signed-in caller).
    pub following: Option<bool>,
    /// `all` (default), `week` (Monday to Sunday, UTC) or `month`, by match kick-off.
    pub period: Option<Period>,
    /// A day inside the week or month wanted (`YYYY-MM-DD`, default today).
    pub date: Option<NaiveDate>,
    /// Competition id or slug.
    pub competition: Option<String>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeaderboardEntry {
    /// 1-based position; ties on points are broken by correct picks, then username.
    pub rank: u64,
    pub username: String,
    pub points: i64,
    /// Scored picks in the period.
    pub picks: i64,
    pub correct: i64,
    pub accuracy: Option<f64>,
    pub mean_rps: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Leaderboard {
    pub period: String,
    /// First and last day of the period (null for `all`).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The competition's slug when filtered.
    pub competition: Option<String>,
    pub items: Vec<LeaderboardEntry>,
    pub total: u64,
    pub page: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModelLeaderboardEntry {
    pub rank: u64,
    pub username: String,
    #[serde(flatten)]
    pub versus: VersusModel,
}

/// Users against the model: ranked by RPS edge on probability picks (users without any come
/// last), then by result-accuracy edge.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModelLeaderboard {
    pub period: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub competition: Option<String>,
    /// The model the users are measured against.
    pub model: String,
    pub items: Vec<ModelLeaderboardEntry>,
    pub total: u64,
    pub page: u64,
    pub limit: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AchievementView {
    pub code: String,
    pub name: String,
    pub description: String,
    pub granted_at: DateTime<Utc>,
}
