//! Training runs: refit a model for each competition, record the version, and attach a
//! walk-forward backtest of the last season so every version carries its measured accuracy.

use chrono::{Datelike, NaiveDate};
use pundit_model::{
    MatchOutcome, ModelName, Outcome3,
    backtest::{BacktestConfig, BookmakerForecasts, RefitSchedule, run_backtest, season_start},
    metrics::{calibration_bins, ranked_probability_score},
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use super::training::{self, HISTORY};
use crate::{
    db::entities::{competition, job, model_version},
    error::{ApiError, ApiResult},
    jobs,
    state::AppState,
};

#[derive(Debug, Serialize)]
pub struct TrainedCompetition {
    pub competition: String,
    pub model: String,
    pub version: Option<i32>,
    pub matches: usize,
    /// Walk-forward metrics over the latest season in the data (weekly refits).
    pub backtest: Option<serde_json::Value>,
    pub error: Option<String>,
}

/// The competitions a training run covers: one, or every league.
pub async fn targets(
    db: &DatabaseConnection,
    only: Option<competition::Model>,
) -> Result<Vec<competition::Model>, sea_orm::DbErr> {
    match only {
        Some(c) => Ok(vec![c]),
        None => {
            competition::Entity::find()
                .filter(competition::Column::Kind.eq("league"))
                .all(db)
                .await
        }
    }
}

/// Trains `model` on each competition; `on_progress` gets (done, total).
pub async fn train(
    state: &AppState,
    competitions: &[competition::Model],
    model: ModelName,
    on_progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<TrainedCompetition> {
    let mut out = Vec::with_capacity(competitions.len());
    for (done, c) in competitions.iter().enumerate() {
        state.forecasts.invalidate(c.id);
        let trained = match state.forecasts.fitted(&state.db, c.id, model, None).await {
            Ok(fitted) => {
                let backtest = backtest_latest_season(&state.db, c.id, model).await;
                let version = fitted.version.as_ref().map(|v| v.id);
                if let (Some(id), Some(metrics)) = (version, &backtest) {
                    let saved = model_version::Entity::update_many()
                        .col_expr(model_version::Column::Metrics, Expr::value(metrics.clone()))
                        .filter(model_version::Column::Id.eq(id))
                        .exec(&state.db)
                        .await;
                    if let Err(e) = saved {
                        tracing::warn!(error = %e, "backtest metrics not saved");
                    }
                }
                TrainedCompetition {
                    competition: c.slug.clone(),
                    model: model.as_str().into(),
                    version: fitted.version.as_ref().map(|v| v.version),
                    matches: fitted.matches,
                    backtest,
                    error: None,
                }
            }
            Err(e) => TrainedCompetition {
                competition: c.slug.clone(),
                model: model.as_str().into(),
                version: None,
                matches: 0,
                backtest: None,
                error: Some(e.to_string()),
            },
        };
        out.push(trained);
        on_progress(done + 1, competitions.len());
    }
    out
}

/// Replays the latest season week by week with only earlier data; `None` when there is too little.
async fn backtest_latest_season(
    db: &DatabaseConnection,
    competition_id: i32,
    model: ModelName,
) -> Option<serde_json::Value> {
    let history = training::load_all(db, competition_id).await.ok()?;
    let last = history.records.last()?.date;
    let from = season_start(last)?;
    // Needs at least one earlier season to learn from.
    if history.records.first()?.date >= NaiveDate::from_ymd_opt(from.year() - 1, from.month(), from.day())? {
        return None;
    }
    let config = BacktestConfig {
        from,
        to: last,
        schedule: RefitSchedule::Weekly,
        history: HISTORY,
    };
    let (report, history) = tokio::task::spawn_blocking(move || {
        let mut forecaster = model.forecaster();
        let market = BookmakerForecasts {
            name: "bookmakers".into(),
            probabilities: history.market.clone(),
        };
        let report = run_backtest(&history.records, &[market], &config, forecaster.as_mut());
        (report, history)
    })
    .await
    .ok()?;
    let report = report.ok()?;
    let scored: Vec<Scored> = report
        .predictions
        .iter()
        .filter_map(|p| {
            let record = history.records.get(p.record_index)?;
            Some(Scored {
                date: record.date,
                model: p.forecast,
                market: history.market.get(p.record_index).copied().flatten(),
                outcome: record.outcome(),
            })
        })
        .collect();
    let bookmaker = report
        .bookmakers
        .first()
        .filter(|b| b.bookmaker.matches > 0)
        .map(|b| {
            json!({
                "matches": b.bookmaker.matches,
                "rps": b.bookmaker.rps,
                "model_rps_same_matches": b.model_on_same_matches.rps,
            })
        });
    Some(json!({
        "from": from,
        "to": last,
        "refit": "weekly",
        "matches": report.metrics.matches,
        "rps": report.metrics.rps,
        "brier": report.metrics.brier,
        "log_loss": report.metrics.log_loss,
        "accuracy": report.metrics.accuracy,
        "ece": report.metrics.ece,
        "bookmaker": bookmaker,
        "monthly": monthly_rps(&scored),
        "calibration": calibration(&scored),
    }))
}

/// One backtest forecast with the market's view of the same match.
struct Scored {
    date: NaiveDate,
    model: Outcome3,
    market: Option<Outcome3>,
    outcome: MatchOutcome,
}

/// Mean RPS per calendar month (the model's, and the bookmakers' where they priced every match
/// of the month), for plotting accuracy over the season.
fn monthly_rps(scored: &[Scored]) -> Vec<serde_json::Value> {
    #[derive(Default)]
    struct Month {
        n: usize,
        model: f64,
        market: f64,
        priced: usize,
    }
    let mut months: std::collections::BTreeMap<(i32, u32), Month> = Default::default();
    for s in scored {
        let month = months.entry((s.date.year(), s.date.month())).or_default();
        month.n += 1;
        month.model += ranked_probability_score(&s.model, s.outcome);
        if let Some(market) = &s.market {
            month.market += ranked_probability_score(market, s.outcome);
            month.priced += 1;
        }
    }
    months
        .into_iter()
        .map(|((year, month), m)| {
            let n = m.n as f64;
            json!({
                "month": format!("{year}-{month:02}-01"),
                "matches": m.n,
                "rps": m.model / n,
                "bookmaker_rps": (m.priced == m.n).then(|| m.market / n),
            })
        })
        .collect()
}

/// Ten reliability bins (non-empty ones), as the dashboard's calibration plot draws them.
fn calibration(scored: &[Scored]) -> Vec<serde_json::Value> {
    let pairs: Vec<_> = scored.iter().map(|s| (s.model, s.outcome)).collect();
    calibration_bins(&pairs, 10)
        .into_iter()
        .filter(|b| b.count > 0)
        .map(|b| json!({ "predicted": b.mean_forecast, "observed": b.observed_frequency, "count": b.count }))
        .collect()
}

/// Records a training job for `only` (or every league) and runs it in the background.
pub async fn start_job(
    state: &AppState,
    only: Option<competition::Model>,
    model: ModelName,
    requested_by: Option<Uuid>,
) -> ApiResult<job::Model> {
    let competitions = targets(&state.db, only).await?;
    if competitions.is_empty() {
        return Err(ApiError::Unprocessable {
            code: "nothing_to_train",
            message: "no competitions to train on".into(),
        });
    }
    let params = json!({ "model": model.as_str(), "competitions": competitions.iter().map(|c| &c.slug).collect::<Vec<_>>() });
    let job = jobs::create(&state.db, "train", params, requested_by).await?;
    spawn_job(state.clone(), job.id, competitions, model);
    Ok(job)
}

/// Runs a training job in the background, recording progress and the result on its row.
fn spawn_job(state: AppState, job_id: Uuid, competitions: Vec<competition::Model>, model: ModelName) {
    tokio::spawn(async move {
        if let Err(e) = jobs::start(&state.db, job_id).await {
            tracing::error!(error = %e, "training job could not start");
            return;
        }
        let db = state.db.clone();
        let progress = move |done: usize, total: usize| {
            let db = db.clone();
            let fraction = done as f64 / total.max(1) as f64;
            tokio::spawn(async move {
                let _ = jobs::progress(&db, job_id, fraction).await;
            });
        };
        let results = train(&state, &competitions, model, &progress).await;
        let failed = results.iter().filter(|r| r.error.is_some()).count();
        let outcome = if failed == results.len() && !results.is_empty() {
            jobs::fail(&state.db, job_id, "no competition could be trained").await
        } else {
            jobs::complete(
                &state.db,
                job_id,
                json!({ "model": model.as_str(), "competitions": results }),
            )
            .await
        };
        if let Err(e) = outcome {
            tracing::error!(error = %e, "training job result not saved");
        }
    });
}
