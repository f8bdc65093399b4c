//! Query parameters, the date range every analytics endpoint takes, and response shapes.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{error::ApiError, picks::types::VersusModel};

/// Longest range one request may cover: keeps every query bounded.
pub const MAX_RANGE_DAYS: i64 = 366;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` (UTC).
    pub to: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModelQuery {
    /// First day, `YYYY-MM-DD` (UTC); default a year before `to`.
    pub from: Option<String>,
    /// Last day, inclusive; default today.
    pub to: Option<String>,
    /// Competition id or slug.
    pub competition: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD` (UTC); default 30 days before `to`.
    pub from: Option<String>,
    /// Last day, inclusive; default today.
    pub to: Option<String>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

/// Days `from..=to` (UTC), validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn parse_day(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    value
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid_field(field, "invalid_date", "expected a date as YYYY-MM-DD"))
        })
        .transpose()
}

impl DateRange {
    /// `to` defaults to `today`, `from` to `default_days - 1` days before `to`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        default_days: u64,
        today: NaiveDate,
    ) -> Result<Self, ApiError> {
        let (from, to) = (parse_day("from", from)?, parse_day("to", to)?);
        let to = to.unwrap_or(today);
        let from = match from {
            Some(from) => from,
            None => to
                .checked_sub_days(Days::new(default_days.saturating_sub(1)))
                .unwrap_or(NaiveDate::MIN),
        };
        if from > to {
            return Err(ApiError::Unprocessable {
                code: "invalid_range",
                message: "`from` is after `to`".into(),
            });
        }
        if (to - from).num_days() + 1 > MAX_RANGE_DAYS {
            return Err(ApiError::Unprocessable {
                code: "range_too_long",
                message: format!("a range covers at most {MAX_RANGE_DAYS} days"),
            });
        }
        Ok(Self { from, to })
    }

    /// Start of `from`.
    pub fn since(&self) -> DateTime<Utc> {
        self.from.and_time(NaiveTime::MIN).and_utc()
    }

    /// Start of the day after `to` (exclusive end).
    pub fn until(&self) -> DateTime<Utc> {
        self.to
            .checked_add_days(Days::new(1))
            .unwrap_or(self.to)
            .and_time(NaiveTime::MIN)
            .and_utc()
    }
}

/// Picks of one week (Monday to Sunday) by match kick-off.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct WeekRow {
    /// The Monday.
    pub week_start: NaiveDate,
    pub picks: i64,
    pub scored: i64,
    pub points: i64,
    pub correct: i64,
    /// Scored picks that were right or wrong (probability picks are neither).
    pub graded: i64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CompetitionRow {
    pub competition: String,
    pub scored: i64,
    pub points: i64,
    pub correct: i64,
    pub graded: i64,
    pub accuracy: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserPerformance {
    pub user_id: Uuid,
    pub username: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Picks (not void) on matches kicking off in the range.
    pub picks: i64,
    pub scored: i64,
    pub points: i64,
    pub correct: i64,
    pub graded: i64,
    pub accuracy: Option<f64>,
    /// Mean RPS of the scored probability picks.
    pub mean_rps: Option<f64>,
    /// Against the `best` model on the same matches (`rps_edge > 0`: the user did better).
    pub versus_model: VersusModel,
    /// Every week of the range, oldest first (zeros included).
    pub weeks: Vec<WeekRow>,
    /// Per competition, best accuracy first.
    pub competitions: Vec<CompetitionRow>,
    pub best_competition: Option<String>,
    pub worst_competition: Option<String>,
}

/// Served forecasts of one model version scored over one month of kick-offs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ModelMonthRow {
    pub model: String,
    pub model_version_id: Option<i32>,
    /// `YYYY-MM`.
    pub month: String,
    pub matches: usize,
    pub rps: f64,
    pub brier: f64,
    pub log_loss: f64,
    pub accuracy: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelPerformance {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub competition: Option<String>,
    pub rows: Vec<ModelMonthRow>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SystemTotals {
    pub users: u64,
    /// Signed in, picked, posted or commented within 30 days.
    pub active_users_30d: u64,
    pub matches: u64,
    pub forecasts_served: u64,
    pub picks: u64,
    pub posts: u64,
    pub comments: u64,
    pub likes: u64,
    pub notifications: u64,
    pub jobs_by_status: BTreeMap<String, u64>,
    /// When these figures were computed (they are cached for five minutes).
    pub cached_at: DateTime<Utc>,
}

/// A report as JSON: one object per row, keys in `columns` order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AnalyticsReport)]
pub struct ReportView {
    pub kind: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub columns: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, serde_json::Value>>,
    /// True when the row cap cut the report short.
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn ranges_default_validate_and_cap() {
        let today = day("2026-11-22");
        let r = DateRange::parse(None, None, 84, today).ok();
        assert_eq!(r.map(|r| (r.from, r.to)), Some((day("2026-08-31"), today)));
        assert!(DateRange::parse(Some("2026-13-01"), None, 7, today).is_err());
        assert!(DateRange::parse(Some("2026-11-23"), Some("2026-11-22"), 7, today).is_err());
        assert!(DateRange::parse(Some("2025-01-01"), Some("2026-01-01"), 7, today).is_ok());
        assert!(DateRange::parse(Some("2025-01-01"), Some("2026-01-02"), 7, today).is_err());
    }
}
