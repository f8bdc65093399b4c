//! Live accuracy of a version: scores on the finished matches after its training data, overall,
//! over the latest window, as a rolling series and by month, with calibration bins.

use std::collections::BTreeMap;

use axum::{Json, extract::State};
use chrono::{Datelike, NaiveDate};
use pundit_model::metrics::{MetricsAccumulator, calibration_bins};

use super::{
    evaluate::{Evaluated, evaluate},
    serving,
    types::{AccuracyQuery, CalibrationPoint, LiveAccuracy, MonthPoint, RollingPoint, Scores, VersionView},
    versions::slugs,
};
use crate::{
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::Query,
    matches::handlers::find_competition,
    state::AppState,
};

fn scores(rows: &[Evaluated]) -> Scores {
    let mut acc = MetricsAccumulator::new();
    for e in rows {
        acc.push(e.probabilities, e.outcome);
    }
    acc.summary().into()
}

/// Mean RPS of the last `window` matches at every match.
pub fn rolling(rows: &[Evaluated], window: usize) -> Vec<RollingPoint> {
    let mut sum = 0.0;
    rows.iter()
        .enumerate()
        .map(|(i, e)| {
            sum += e.rps;
            if i >= window {
                sum -= rows[i - window].rps;
            }
            RollingPoint {
                n: i + 1,
                date: e.date,
                rps: sum / (i + 1).min(window) as f64,
            }
        })
        .collect()
}

fn monthly(rows: &[Evaluated]) -> Vec<MonthPoint> {
    let mut months: BTreeMap<(i32, u32), (usize, f64)> = BTreeMap::new();
    for e in rows {
        let m = months.entry((e.date.year(), e.date.month())).or_default();
        m.0 += 1;
        m.1 += e.rps;
    }
    months
        .into_iter()
        .filter_map(|((y, m), (n, sum))| {
            Some(MonthPoint {
                month: NaiveDate::from_ymd_opt(y, m, 1)?,
                matches: n,
                rps: sum / n as f64,
            })
        })
        .collect()
}

/// Live accuracy of a version (`version`), or of the version serving a competition
/// (`competition`): RPS, Brier, log loss, accuracy and calibration on the finished matches after
/// its training data, the latest window, a rolling RPS series and monthly RPS.
#[utoipa::path(get, path = "/accuracy", tag = "monitoring", params(AccuracyQuery),
    responses((status = 200, body = LiveAccuracy), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accuracy(
    State(state): State<AppState>,
    Query(query): Query<AccuracyQuery>,
) -> ApiResult<Json<LiveAccuracy>> {
    let window = query
        .window
        .unwrap_or(state.config.monitoring.drift_window_matches);
    if !(10..=1000).contains(&window) {
        return Err(ApiError::invalid_field(
            "window",
            "range",
            "window must be between 10 and 1000",
        ));
    }
    let version = match (query.version, &query.competition) {
        (Some(id), _) => serving::version(&state.db, id).await?,
        (None, Some(key)) => {
            let c = find_competition(&state, key).await?;
            serving::serving_versions(&state, c.id)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| ApiError::not_found("model version"))?
        }
        (None, None) => {
            return Err(ApiError::invalid_field(
                "version",
                "required",
                "give a version id or a competition",
            ));
        }
    };
    let rows = evaluate(&state, &version).await?;
    let names = slugs(&state).await?;
    let serving_now = serving::serving_versions(&state, version.competition_id)
        .await?
        .iter()
        .any(|v| v.id == version.id);
    let pairs: Vec<_> = rows.iter().map(|e| (e.probabilities, e.outcome)).collect();
    Ok(Json(LiveAccuracy {
        version: VersionView::new(
            &version,
            names.get(&version.competition_id).map_or("", String::as_str),
            serving_now,
        ),
        window,
        overall: scores(&rows),
        latest: scores(&rows[rows.len().saturating_sub(window)..]),
        rolling: rolling(&rows, window),
        monthly: monthly(&rows),
        calibration: calibration_bins(&pairs, 10)
            .into_iter()
            .filter(|b| b.count > 0)
            .map(|b| CalibrationPoint {
                predicted: b.mean_forecast,
                observed: b.observed_frequency,
                count: b.count,
            })
            .collect(),
    }))
}
