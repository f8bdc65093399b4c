//! A model's view of a match, priced into every market a user looks at.

use chrono::{DateTime, NaiveDate, Utc};
use pundit_model::{MatchForecast, markets::ScoreMatrix};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::registry::VersionInfo;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Probabilities {
    pub home: f64,
    pub draw: f64,
    pub away: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Range {
    pub lower: f64,
    pub upper: f64,
}

/// 95% intervals for the 1X2 probabilities (delta method on the goal model's fit).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Intervals {
    pub home: Range,
    pub draw: Range,
    pub away: Range,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Goals {
    pub home: f64,
    pub away: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct ScoreProbability {
    pub home: u32,
    pub away: u32,
    pub probability: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct OverUnder {
    pub line: f64,
    pub over: f64,
    pub under: f64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct BothTeamsToScore {
    pub yes: f64,
    pub no: f64,
}

/// A bet on the home side at `line` goals (negative = home gives goals).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct HandicapLine {
    pub line: f64,
    pub win: f64,
    pub half_win: f64,
    pub push: f64,
    pub half_lose: f64,
    pub lose: f64,
    /// Decimal odds with no margin for the home side.
    pub home_fair_odds: Option<f64>,
}

/// The score grid: `probabilities[h][a]` for 0..=10 goals each.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ScoreGrid {
    pub max_goals: u32,
    pub probabilities: Vec<Vec<f64>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ForecastKind {
    /// Before kick-off (for past matches: what the model said before that day).
    PreMatch,
    /// Recomputed from the live minute, score and red cards.
    InPlay,
}

/// How a forecast fared once the result was known.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evaluation {
    /// `home`, `draw` or `away`.
    pub result: String,
    pub rps: f64,
    pub probability_of_result: f64,
}

/// Why this version forecast the match (default forecasts only): a running A/B test's
/// assignment, a promotion, or the default model's current fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ServingInfo {
    /// `ab_test`, `promoted` or `default`.
    pub source: String,
    /// The version that forecast: the chosen one for upcoming and live matches (the default: the
    /// current fit's); null for past matches, which are forecast by a fit from before their day.
    pub model_version_id: Option<i32>,
    pub ab_test_id: Option<uuid::Uuid>,
    /// `a` or `b` when an A/B test assigned the match.
    pub arm: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ForecastBody {
    pub match_id: Option<i32>,
    pub home_team: String,
    pub away_team: String,
    /// Catalogue name of the model.
    pub model: String,
    /// The stored model version (current fits only).
    pub version: Option<VersionInfo>,
    /// Fitted on matches strictly before this date.
    pub as_of: NaiveDate,
    pub trained_on_matches: usize,
    pub kind: ForecastKind,
    pub generated_at: DateTime<Utc>,
    pub probabilities: Probabilities,
    /// Decimal odds with no bookmaker margin.
    pub fair_odds: Probabilities,
    pub intervals: Option<Intervals>,
    pub expected_goals: Option<Goals>,
    /// The ten likeliest exact scores.
    pub top_scores: Vec<ScoreProbability>,
    pub over_under: Vec<OverUnder>,
    pub both_teams_to_score: Option<BothTeamsToScore>,
    pub asian_handicap: Vec<HandicapLine>,
    pub score_grid: Option<ScoreGrid>,
    /// Present for finished matches.
    pub evaluation: Option<Evaluation>,
    /// Present when no model was asked for: which version serves this match and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serving: Option<ServingInfo>,
}

fn probabilities(o: pundit_model::Outcome3) -> Probabilities {
    Probabilities {
        home: o.home,
        draw: o.draw,
        away: o.away,
    }
}

fn fair(p: f64) -> f64 {
    // Capped so a near-impossible outcome still serialises as a number.
    1.0 / p.max(0.001)
}

/// Prices every market of `forecast`; `outcome` overrides the 1X2 (in-play forecasts).
pub fn markets(forecast: &MatchForecast, matrix: Option<&ScoreMatrix>) -> Markets {
    let Some(matrix) = matrix.or(forecast.score_matrix.as_ref()) else {
        return Markets::default();
    };
    let (home_xg, away_xg) = matrix.expected_goals();
    let top_scores = matrix
        .most_likely_scores(10)
        .into_iter()
        .map(|(h, a, probability)| ScoreProbability {
            home: h as u32,
            away: a as u32,
            probability,
        })
        .collect();
    let over_under = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5]
        .into_iter()
        .filter_map(|line| {
            matrix
                .over_under(line)
                .ok()
                .map(|(over, under)| OverUnder { line, over, under })
        })
        .collect();
    let btts = matrix.both_teams_to_score();
    let asian_handicap = matrix
        .asian_handicap_ladder()
        .unwrap_or_default()
        .into_iter()
        .map(|h| HandicapLine {
            line: h.line,
            win: h.win,
            half_win: h.half_win,
            push: h.push,
            half_lose: h.half_lose,
            lose: h.lose,
            home_fair_odds: h.fair_odds(),
        })
        .collect();
    let max = pundit_model::markets::MAX_GOALS;
    let grid = (0..=max)
        .map(|h| (0..=max).map(|a| matrix.probability(h, a)).collect())
        .collect();
    Markets {
        expected_goals: Some(Goals {
            home: home_xg,
            away: away_xg,
        }),
        top_scores,
        over_under,
        both_teams_to_score: Some(BothTeamsToScore {
            yes: btts,
            no: 1.0 - btts,
        }),
        asian_handicap,
        score_grid: Some(ScoreGrid {
            max_goals: max as u32,
            probabilities: grid,
        }),
    }
}

#[derive(Default)]
pub struct Markets {
    pub expected_goals: Option<Goals>,
    pub top_scores: Vec<ScoreProbability>,
    pub over_under: Vec<OverUnder>,
    pub both_teams_to_score: Option<BothTeamsToScore>,
    pub asian_handicap: Vec<HandicapLine>,
    pub score_grid: Option<ScoreGrid>,
}

pub struct Header {
    pub match_id: Option<i32>,
    pub home_team: String,
    pub away_team: String,
    pub model: String,
    pub version: Option<VersionInfo>,
    pub as_of: NaiveDate,
    pub trained_on_matches: usize,
    pub kind: ForecastKind,
}

pub fn body(
    header: Header,
    outcome: pundit_model::Outcome3,
    intervals: Option<Intervals>,
    markets: Markets,
    evaluation: Option<Evaluation>,
) -> ForecastBody {
    let p = probabilities(outcome);
    ForecastBody {
        match_id: header.match_id,
        home_team: header.home_team,
        away_team: header.away_team,
        model: header.model,
        version: header.version,
        as_of: header.as_of,
        trained_on_matches: header.trained_on_matches,
        kind: header.kind,
        generated_at: Utc::now(),
        probabilities: p,
        fair_odds: Probabilities {
            home: fair(p.home),
            draw: fair(p.draw),
            away: fair(p.away),
        },
        intervals,
        expected_goals: markets.expected_goals,
        top_scores: markets.top_scores,
        over_under: markets.over_under,
        both_teams_to_score: markets.both_teams_to_score,
        asian_handicap: markets.asian_handicap,
        score_grid: markets.score_grid,
        evaluation,
        serving: None,
    }
}

pub fn intervals(i: &pundit_model::uncertainty::Outcome3Intervals) -> Intervals {
    let r = |x: &pundit_model::uncertainty::Interval| Range {
        lower: x.lower,
        upper: x.upper,
    };
    Intervals {
        home: r(&i.home),
        draw: r(&i.draw),
        away: r(&i.away),
    }
}
