//! The model registry over HTTP: versions, status, training jobs, live accuracy.

use std::collections::HashMap;

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use pundit_model::{MatchOutcome, ModelName, Outcome3, metrics::MetricsAccumulator};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{
    train,
    types::{
        AccuracyQuery, AccuracyRow, CatalogueEntry, CompetitionModelStatus, JobAccepted, ModelVersionView,
        ModelsStatus, TrainRequest, model_name,
    },
};
use crate::{
    auth::extract::AuthUser,
    db::entities::{competition, football_match as fm, forecast, model_version},
    error::{ApiResult, ErrorBody},
    http::extract::{Json as JsonBody, Query},
    matches::{handlers::find_competition, store},
    state::AppState,
    users::types::Role,
};

async fn competition_slugs(state: &AppState) -> ApiResult<HashMap<i32, competition::Model>> {
    Ok(store::competitions(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// Every recorded model version, newest first: training span, size and backtest metrics.
#[utoipa::path(get, path = "/predictions/ml/models", tag = "forecasts", params(AccuracyQuery),
    responses((status = 200, body = Vec<ModelVersionView>), (status = 404, body = ErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    Query(query): Query<AccuracyQuery>,
) -> ApiResult<Json<Vec<ModelVersionView>>> {
    let mut select = model_version::Entity::find();
    if let Some(key) = &query.competition {
        select =
            select.filter(model_version::Column::CompetitionId.eq(find_competition(&state, key).await?.id));
    }
    if let Some(name) = query.model.as_deref() {
        select = select.filter(model_version::Column::Model.eq(model_name(Some(name))?.as_str()));
    }
    let versions = select
        .order_by_desc(model_version::Column::CreatedAt)
        .order_by_desc(model_version::Column::Id)
        .all(&state.db)
        .await?;
    let competitions = competition_slugs(&state).await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| ModelVersionView {
                id: v.id,
                competition: competitions
                    .get(&v.competition_id)
                    .map(|c| c.slug.clone())
                    .unwrap_or_default(),
                model: v.model,
                version: v.version,
                trained_from: v.trained_from,
                trained_through: v.trained_through,
                matches: v.matches,
                parameters: v.parameters,
                metrics: v.metrics,
                created_at: v.created_at,
            })
            .collect(),
    ))
}

/// The model catalogue and, per league and model, the latest version and how many results it has not seen.
#[utoipa::path(get, path = "/predictions/ml/models/status", tag = "forecasts",
    responses((status = 200, body = ModelsStatus)))]
pub async fn status(State(state): State<AppState>) -> ApiResult<Json<ModelsStatus>> {
    let models = ModelName::ALL
        .iter()
        .map(|m| CatalogueEntry {
            name: m.as_str().into(),
            description: m.description().into(),
            has_score_matrix: m.has_score_matrix(),
            default: *m == ModelName::Best,
        })
        .collect();
    let versions = model_version::Entity::find()
        .order_by_desc(model_version::Column::Version)
        .all(&state.db)
        .await?;
    let mut latest: HashMap<(i32, String), model_version::Model> = HashMap::new();
    for v in versions {
        latest.entry((v.competition_id, v.model.clone())).or_insert(v);
    }
    let mut competitions = Vec::new();
    for ((competition_id, model), v) in latest {
        let slug = store::competition(&state.db, &competition_id.to_string())
            .await?
            .map(|c| c.slug)
            .unwrap_or_default();
        let mut newer = fm::Entity::find()
            .filter(fm::Column::CompetitionId.eq(competition_id))
            .filter(fm::Column::Status.eq("finished"));
        if let Some(through) = v.trained_through {
            newer = newer.filter(fm::Column::MatchDate.gt(through));
        }
        competitions.push(CompetitionModelStatus {
            competition: slug,
            model,
            latest_version: Some(v.version),
            trained_through: v.trained_through,
            matches: Some(v.matches),
            results_since: newer.count(&state.db).await?,
        });
    }
    competitions.sort_by(|a, b| (&a.competition, &a.model).cmp(&(&b.competition, &b.model)));
    let remote = match &state.remote_model {
        Some(remote) => {
            let mut health = remote.health().await;
            if let (Some(obj), Ok(info)) = (health.as_object_mut(), remote.info().await) {
                obj.insert("models".into(), info);
            }
            Some(health)
        }
        None => None,
    };
    Ok(Json(ModelsStatus {
        models,
        remote,
        competitions,
    }))
}

/// Start a training run (admin): refit the model per league and backtest the latest season.
/// Returns a job to poll at `/api/v1/jobs/{id}`.
#[utoipa::path(post, path = "/predictions/ml/models/train", tag = "forecasts", request_body = TrainRequest,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 202, body = JobAccepted), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn start_training(
    State(state): State<AppState>,
    auth: AuthUser,
    JsonBody(req): JsonBody<TrainRequest>,
) -> ApiResult<(StatusCode, Json<JobAccepted>)> {
    auth.require_role(Role::Admin)?;
    let model = model_name(req.model.as_deref())?;
    let only = match &req.competition {
        Some(key) => Some(find_competition(&state, key).await?),
        None => None,
    };
    let job = train::start_job(&state, only, model, Some(auth.id())).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(JobAccepted {
            job_id: job.id,
            status_url: format!("/api/v1/jobs/{}", job.id),
        }),
    ))
}

/// Which served forecasts [`scored_served`] looks at.
#[derive(Debug, Clone, Copy, Default)]
pub struct ServedFilter {
    pub competition_id: Option<i32>,
    pub model: Option<ModelName>,
    /// Matches kicking off in `[since, until)`.
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// A forecast served before kick-off of a match that has finished, with the result it met.
#[derive(Debug, Clone)]
pub struct ScoredForecast {
    pub model: String,
    pub model_version_id: Option<i32>,
    pub competition_id: i32,
    pub kickoff_at: DateTime<Utc>,
    pub probabilities: Outcome3,
    pub outcome: MatchOutcome,
}

/// The last forecast served before kick-off per finished match and model: what the
/// accuracy endpoint and analytics score (live in-play forecasts never count).
pub async fn scored_served(
    db: &impl ConnectionTrait,
    filter: ServedFilter,
) -> Result<Vec<ScoredForecast>, DbErr> {
    let mut matches = fm::Entity::find().filter(fm::Column::Status.eq("finished"));
    if let Some(id) = filter.competition_id {
        matches = matches.filter(fm::Column::CompetitionId.eq(id));
    }
    if let Some(since) = filter.since {
        matches = matches.filter(fm::Column::KickoffAt.gte(since));
    }
    if let Some(until) = filter.until {
        matches = matches.filter(fm::Column::KickoffAt.lt(until));
    }
    let mut forecasts = forecast::Entity::find().filter(forecast::Column::Reason.ne("live"));
    if let Some(model) = filter.model {
        forecasts = forecasts.filter(forecast::Column::Model.eq(model.as_str()));
    }
    let served = forecasts.order_by_asc(forecast::Column::IssuedAt).all(db).await?;
    let ids: Vec<i32> = served.iter().map(|f| f.match_id).collect();
    let finished: HashMap<i32, fm::Model> = matches
        .filter(fm::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut last: HashMap<(i32, String), &forecast::Model> = HashMap::new();
    for f in &served {
        if let Some(m) = finished.get(&f.match_id)
            && f.issued_at <= m.kickoff_at
        {
            last.insert((f.match_id, f.model.clone()), f);
        }
    }
    let mut scored = Vec::with_capacity(last.len());
    for ((match_id, model), f) in last {
        let Some(m) = finished.get(&match_id) else {
            continue;
        };
        let (Some(hg), Some(ag)) = (m.home_goals, m.away_goals) else {
            continue;
        };
        let Ok(p) = Outcome3::normalized(f.home_probability, f.draw_probability, f.away_probability) else {
            continue;
        };
        scored.push(ScoredForecast {
            model,
            model_version_id: f.model_version_id,
            competition_id: m.competition_id,
            kickoff_at: m.kickoff_at,
            probabilities: p,
            outcome: MatchOutcome::from_goals(u8::try_from(hg).unwrap_or(0), u8::try_from(ag).unwrap_or(0)),
        });
    }
    Ok(scored)
}

/// Accuracy of the forecasts actually served before kick-off, per model version and
/// competition, over matches that have finished.
#[utoipa::path(get, path = "/predictions/ml/accuracy", tag = "forecasts", params(AccuracyQuery),
    responses((status = 200, body = Vec<AccuracyRow>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn accuracy(
    State(state): State<AppState>,
    Query(query): Query<AccuracyQuery>,
) -> ApiResult<Json<Vec<AccuracyRow>>> {
    let competition_id = match &query.competition {
        Some(key) => Some(find_competition(&state, key).await?.id),
        None => None,
    };
    let model = query.model.as_deref().map(|m| model_name(Some(m))).transpose()?;
    let filter = ServedFilter {
        competition_id,
        model,
        ..ServedFilter::default()
    };
    let competitions = competition_slugs(&state).await?;
    let mut groups: HashMap<(String, Option<i32>, i32), MetricsAccumulator> = HashMap::new();
    for f in scored_served(&state.db, filter).await? {
        groups
            .entry((f.model, f.model_version_id, f.competition_id))
            .or_default()
            .push(f.probabilities, f.outcome);
    }
    let mut rows: Vec<AccuracyRow> = groups
        .into_iter()
        .map(|((model, version, competition_id), acc)| {
            let s = acc.summary();
            AccuracyRow {
                model,
                model_version_id: version,
                competition: competitions
                    .get(&competition_id)
                    .map(|c| c.slug.clone())
                    .unwrap_or_default(),
                matches: s.matches,
                rps: s.rps,
                brier: s.brier,
                log_loss: s.log_loss,
                accuracy: s.accuracy,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.competition, &a.model, a.model_version_id).cmp(&(&b.competition, &b.model, b.model_version_id))
    });
    Ok(Json(rows))
}
