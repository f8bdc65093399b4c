//! Request and response bodies of the monitoring endpoints.

use chrono::{DateTime, NaiveDate, Utc};
use pundit_model::metrics::ForecastMetrics;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::db::entities::model_version;

/// A model version: what it was trained on and its backtest.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    pub id: i32,
    pub competition_id: i32,
    pub competition: String,
    pub model: String,
    /// 1, 2, 3... per model and competition.
    pub version: i32,
    pub trained_from: Option<NaiveDate>,
    pub trained_through: Option<NaiveDate>,
    pub matches: i32,
    #[schema(value_type = Option<Object>)]
    pub parameters: Option<serde_json::Value>,
    /// Walk-forward backtest of the training run that produced it (RPS, Brier, log loss, ECE...).
    #[schema(value_type = Option<Object>)]
    pub metrics: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    /// Whether it serves its competition now (promoted, or an arm of a running A/B test).
    pub serving: bool,
}

impl VersionView {
    pub fn new(v: &model_version::Model, competition: &str, serving: bool) -> Self {
        Self {
            id: v.id,
            competition_id: v.competition_id,
            competition: competition.to_string(),
            model: v.model.clone(),
            version: v.version,
            trained_from: v.trained_from,
            trained_through: v.trained_through,
            matches: v.matches,
            parameters: v.parameters.clone(),
            metrics: v.metrics.clone(),
            created_at: v.created_at,
            serving,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionsQuery {
    /// Competition id or slug.
    pub competition: Option<String>,
    pub model: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// Scores of a set of forecasts (all lower-is-better except accuracy).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Scores {
    pub matches: usize,
    pub rps: f64,
    pub brier: f64,
    pub log_loss: f64,
    pub accuracy: f64,
    /// Expected calibration error over ten bins.
    pub ece: f64,
}

impl From<ForecastMetrics> for Scores {
    fn from(m: ForecastMetrics) -> Self {
        Self {
            matches: m.matches,
            rps: m.rps,
            brier: m.brier,
            log_loss: m.log_loss,
            accuracy: m.accuracy,
            ece: m.ece,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDetail {
    #[serde(flatten)]
    pub version: VersionView,
    /// Out-of-sample accuracy on finished matches after `trained_through` (null before any).
    pub live: Option<Scores>,
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromoteRequest {
    #[validate(length(max = 500))]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromotionView {
    pub id: i32,
    pub promoted_by: Option<Uuid>,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbTestBrief {
    pub id: Uuid,
    pub name: String,
    pub version_a: i32,
    pub version_b: i32,
    pub split: f64,
}

/// What forecasts a competition's matches when no model is asked for, and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServingView {
    pub competition_id: i32,
    pub competition: String,
    /// `ab_test` (each match by its assigned arm), `promoted` or `default` (current fit of `best`).
    pub source: String,
    pub model: String,
    /// The serving version; for `default` the latest recorded version of the default model.
    pub version: Option<VersionView>,
    pub promotion: Option<PromotionView>,
    pub ab_test: Option<AbTestBrief>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccuracyQuery {
    /// Competition id or slug: its serving version (when `version` is not given).
    pub competition: Option<String>,
    /// Model version id.
    pub version: Option<i32>,
    /// Matches per rolling window, 10–1000 (default `PUNDIT_DRIFT_WINDOW_MATCHES`).
    pub window: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RollingPoint {
    /// Matches evaluated so far.
    pub n: usize,
    pub date: NaiveDate,
    /// Mean RPS of the last `window` matches (fewer at the start).
    pub rps: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthPoint {
    /// First day of the month.
    pub month: NaiveDate,
    pub matches: usize,
    pub rps: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalibrationPoint {
    pub predicted: f64,
    pub observed: f64,
    pub count: usize,
}

/// A frozen version scored on the finished matches after its training data.
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveAccuracy {
    pub version: VersionView,
    pub window: usize,
    pub overall: Scores,
    /// The latest `window` matches.
    pub latest: Scores,
    pub rolling: Vec<RollingPoint>,
    pub monthly: Vec<MonthPoint>,
    /// Non-empty reliability bins over all matches.
    pub calibration: Vec<CalibrationPoint>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DriftAlertView {
    pub id: Uuid,
    pub competition_id: i32,
    pub competition: String,
    pub model_version_id: Option<i32>,
    /// `rps`, `calibration` or `goal_rate`.
    pub kind: String,
    /// `info`, `warning` or `critical`.
    pub severity: String,
    pub value: f64,
    pub baseline: f64,
    pub threshold: f64,
    pub window_matches: i32,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AlertsQuery {
    /// Competition id or slug.
    pub competition: Option<String>,
    /// `info`, `warning` or `critical`.
    pub severity: Option<String>,
    /// `open` (not acknowledged) or `acknowledged`.
    pub status: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DriftCheckRequest {
    /// Competition id or slug; every competition with a serving version when omitted.
    pub competition: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAbTest {
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// Competition id or slug.
    pub competition: String,
    pub version_a: i32,
    pub version_b: i32,
    /// Share of matches (and users) served by version B, 0–1.
    pub split: f64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbTestsQuery {
    pub competition: Option<String>,
    /// `running` or `stopped`.
    pub status: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbResultsQuery {
    /// Significance level of the verdict, between 0 and 1 (default `PUNDIT_AB_ALPHA`).
    pub alpha: Option<f64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentQuery {
    pub match_id: Option<i32>,
    pub user_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assignment {
    pub ab_test_id: Uuid,
    /// `a` or `b` for the match, when one was given.
    pub match_arm: Option<String>,
    /// `a` or `b` for the user (picks-facing surfaces), when one was given.
    pub user_arm: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AbTestView {
    pub id: Uuid,
    pub name: String,
    pub competition_id: i32,
    pub competition: String,
    pub version_a: i32,
    pub version_b: i32,
    pub split: f64,
    /// `running` or `stopped`.
    pub status: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub stopped_at: Option<DateTime<Utc>>,
    /// Present on `GET /ab-tests/{id}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<AbResults>,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ArmScore {
    pub matches: usize,
    pub rps: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairedMatch {
    pub match_id: i32,
    pub date: NaiveDate,
    /// The arm that serves this match.
    pub arm: String,
    pub rps_a: f64,
    pub rps_b: f64,
}

/// Both versions scored on every finished match after both training spans (paired).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AbResults {
    pub matches: usize,
    pub mean_rps_a: Option<f64>,
    pub mean_rps_b: Option<f64>,
    /// Mean of rps_a − rps_b: positive means B forecast better.
    pub mean_difference: Option<f64>,
    /// Diebold-Mariano statistic (plain variance: one-step forecasts), normal approximation.
    pub dm_statistic: Option<f64>,
    pub p_value: Option<f64>,
    pub alpha: f64,
    /// `a_better`, `b_better` or `no_significant_difference`; null with too few matches.
    pub verdict: Option<String>,
    /// Why there is no verdict, when there is none.
    pub reason: Option<String>,
    pub method: String,
    /// Each arm's RPS on the matches assigned to it (what was served).
    pub served_a: ArmScore,
    pub served_b: ArmScore,
    pub per_match: Vec<PairedMatch>,
}
