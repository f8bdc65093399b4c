//! Request and response bodies of the forecasting endpoints.

use chrono::{DateTime, NaiveDate, Utc};
use pundit_model::ModelName;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

/// Parses a catalogue model name, or the default (`best`).
pub fn model_name(name: Option<&str>) -> Result<ModelName, ApiError> {
    match name {
        None => Ok(ModelName::Best),
        Some(name) => name.parse().map_err(|_| {
            let valid: Vec<&str> = ModelName::ALL.iter().map(|m| m.as_str()).collect();
            ApiError::invalid_field(
                "model",
                "unknown_model",
                &format!("expected one of: {}", valid.join(", ")),
            )
        }),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelQuery {
    /// `poisson`, `dixon-coles`, `dixon-coles-shots`, `elo` or `best` (default).
    pub model: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PredictRequest {
    pub match_id: i32,
    /// Default `best`.
    pub model: Option<String>,
}

/// At most [`MAX_BATCH`] ids.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchPredictRequest {
    pub match_ids: Vec<i32>,
    pub model: Option<String>,
}

pub const MAX_BATCH: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchItem {
    pub match_id: i32,
    /// The forecast, when it could be made.
    #[schema(value_type = Option<super::render::ForecastBody>)]
    pub forecast: Option<serde_json::Value>,
    /// Why not, otherwise.
    pub error: Option<crate::error::ErrorDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchPredictResponse {
    /// The model asked for, or `serving` (each match's serving version, see /monitoring/serving).
    pub model: String,
    pub succeeded: usize,
    pub failed: usize,
    pub results: Vec<BatchItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoredForecast {
    pub id: i32,
    pub model: String,
    pub model_version_id: Option<i32>,
    pub home: f64,
    pub draw: f64,
    pub away: f64,
    pub expected_home_goals: Option<f64>,
    pub expected_away_goals: Option<f64>,
    /// `refit` (a new model version) or `live` (an in-play update).
    pub reason: String,
    pub issued_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelVersionView {
    pub id: i32,
    pub model: String,
    pub competition: String,
    pub version: i32,
    pub trained_from: Option<NaiveDate>,
    pub trained_through: Option<NaiveDate>,
    pub matches: i32,
    #[schema(value_type = Option<Object>)]
    pub parameters: Option<serde_json::Value>,
    /// Backtest metrics from the training run that produced it, if any.
    #[schema(value_type = Option<Object>)]
    pub metrics: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CatalogueEntry {
    pub name: String,
    pub description: String,
    pub has_score_matrix: bool,
    pub default: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionModelStatus {
    pub competition: String,
    pub model: String,
    pub latest_version: Option<i32>,
    pub trained_through: Option<NaiveDate>,
    pub matches: Option<i32>,
    /// Finished matches newer than the latest version's training data.
    pub results_since: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelsStatus {
    pub models: Vec<CatalogueEntry>,
    /// The external ML service (`model=remote`): health, circuit state and model info.
    #[schema(value_type = Option<Object>)]
    pub remote: Option<serde_json::Value>,
    pub competitions: Vec<CompetitionModelStatus>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainRequest {
    /// Competition id or slug; every league when omitted.
    pub competition: Option<String>,
    /// Default `best`.
    pub model: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobAccepted {
    pub job_id: uuid::Uuid,
    /// Poll this for progress and the result.
    pub status_url: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccuracyQuery {
    /// Competition id or slug.
    pub competition: Option<String>,
    pub model: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccuracyRow {
    pub model: String,
    pub model_version_id: Option<i32>,
    pub competition: String,
    pub matches: usize,
    pub rps: f64,
    pub brier: f64,
    pub log_loss: f64,
    pub accuracy: f64,
}

/// Decimal odds on offer for the three outcomes.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferedOdds {
    pub home: f64,
    pub draw: f64,
    pub away: f64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueBetRequest {
    /// Odds to assess; when omitted, the match's stored odds of `bookmaker`.
    pub odds: Option<OfferedOdds>,
    /// Stored bookmaker to use when `odds` is omitted (default: the first one stored).
    pub bookmaker: Option<String>,
    pub model: Option<String>,
    /// Share of the Kelly stake to bet, 0–1 (default 0.25).
    pub kelly_fraction: Option<f64>,
    /// Largest stake as a share of bankroll, 0–1 (default 0.05).
    pub max_stake: Option<f64>,
    /// Bankroll to express stakes in (default 100).
    pub bankroll: Option<f64>,
    /// Margin removal for the market's own view: `proportional`, `shin` (default) or `power`.
    pub devig: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValueBetLine {
    /// `home`, `draw` or `away`.
    pub outcome: &'static str,
    pub odds: f64,
    pub model_probability: f64,
    /// The market's probability with its margin removed.
    pub market_probability: f64,
    /// Expected profit per unit staked under the model.
    pub edge: f64,
    pub is_value: bool,
    /// Share of bankroll (fractional Kelly, capped).
    pub stake_fraction: f64,
    pub stake: f64,
    /// `low`, `medium` or `high`.
    pub risk: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ValueBetResponse {
    pub match_id: i32,
    pub model: String,
    pub bookmaker: Option<String>,
    /// Bookmaker margin: sum of implied probabilities minus one.
    pub overround: f64,
    pub lines: Vec<ValueBetLine>,
    pub responsible_gambling: &'static str,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SimulationQuery {
    /// Season name; the latest when omitted.
    pub season: Option<String>,
    /// Simulate from this date: results on or after it are treated as unplayed (default: today).
    pub as_of: Option<NaiveDate>,
    /// Seasons to simulate, 100–100000 (default 10000).
    pub runs: Option<u32>,
    pub model: Option<String>,
    /// Top places that count as "top" (default 4).
    pub top: Option<usize>,
    /// Bottom places relegated (default 3).
    pub relegated: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamOutlook {
    pub team: String,
    pub current_points: i32,
    pub expected_points: f64,
    pub expected_position: f64,
    pub title: f64,
    pub top: f64,
    pub relegation: f64,
    /// Probability of each final position, 1st first.
    pub positions: Vec<f64>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SimulationResponse {
    pub competition: String,
    pub season: String,
    pub as_of: NaiveDate,
    pub model: String,
    pub runs: u32,
    pub remaining_fixtures: usize,
    pub elapsed_ms: f64,
    /// Ordered by expected position.
    pub teams: Vec<TeamOutlook>,
}
