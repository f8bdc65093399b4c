//! Fitted models kept in memory, one per (competition, model, as-of date). Fits are cheap
//! (about a millisecond), so each instance fits on demand from the shared database; a model
//! version row records what each "current" fit was trained on, and equal data gives the
//! same version on every instance.

use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use chrono::{DateTime, Days, NaiveDate, Utc};
use pundit_model::{ModelName, backtest::Forecaster};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::training::{self, HISTORY};
use crate::{db::entities::model_version, error::ApiError};

/// A fitted forecaster and what it was fitted on.
pub struct Fitted {
    pub model: ModelName,
    pub competition_id: i32,
    /// Fitted on matches strictly before this date.
    pub as_of: NaiveDate,
    pub forecaster: Arc<dyn Forecaster + Send>,
    pub matches: usize,
    pub fingerprint: String,
    pub trained_from: Option<NaiveDate>,
    pub trained_through: Option<NaiveDate>,
    /// Set for current fits (what upcoming matches are forecast with).
    pub version: Option<VersionInfo>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct VersionInfo {
    pub id: i32,
    /// 1, 2, 3... per model and competition.
    pub version: i32,
    pub trained_through: Option<NaiveDate>,
    pub matches: i32,
    pub created_at: DateTime<Utc>,
}

impl From<&model_version::Model> for VersionInfo {
    fn from(v: &model_version::Model) -> Self {
        Self {
            id: v.id,
            version: v.version,
            trained_through: v.trained_through,
            matches: v.matches,
            created_at: v.created_at,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct FitKey {
    competition_id: i32,
    model: ModelName,
    /// `None` for the current fit.
    as_of: Option<NaiveDate>,
    /// Bumped when a competition's results change, so current fits are redone.
    generation: u64,
}

#[derive(Clone)]
pub struct Registry {
    fits: moka::future::Cache<FitKey, Arc<Fitted>>,
    generations: Arc<RwLock<HashMap<i32, u64>>>,
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    pub fn new() -> Self {
        // Fits also expire, so results imported by another process (the CLI) are picked up.
        let fits = moka::future::Cache::builder()
            .max_capacity(512)
            .time_to_live(std::time::Duration::from_secs(15 * 60))
            .build();
        Self {
            fits,
            generations: Arc::default(),
        }
    }

    fn generation(&self, competition_id: i32) -> u64 {
        self.generations
            .read()
            .map(|g| g.get(&competition_id).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    /// Everything may be stale: refit every competition on its next request.
    pub fn invalidate_all(&self) {
        if let Ok(mut g) = self.generations.write() {
            for generation in g.values_mut() {
                *generation += 1;
            }
        }
        self.fits.invalidate_all();
    }

    /// Results of a competition changed: later requests refit its current models.
    pub fn invalidate(&self, competition_id: i32) {
        if let Ok(mut g) = self.generations.write() {
            *g.entry(competition_id).or_default() += 1;
        }
    }

    /// The model fitted on matches before `as_of`, or on every finished match when `as_of` is `None`.
    /// Concurrent callers share one fit.
    pub async fn fitted(
        &self,
        db: &DatabaseConnection,
        competition_id: i32,
        model: ModelName,
        as_of: Option<NaiveDate>,
    ) -> Result<Arc<Fitted>, ApiError> {
        let key = FitKey {
            competition_id,
            model,
            as_of,
            generation: self.generation(competition_id),
        };
        let db = db.clone();
        self.fits
            .try_get_with(key, async move {
                fit(&db, competition_id, model, as_of).await.map(Arc::new)
            })
            .await
            .map_err(|e: Arc<ApiError>| match e.as_ref() {
                ApiError::Unprocessable { code, message } => ApiError::Unprocessable {
                    code,
                    message: message.clone(),
                },
                ApiError::Unavailable(m) => ApiError::Unavailable(m.clone()),
                other => ApiError::Internal(anyhow::anyhow!("model fit failed: {other}")),
            })
    }
}

async fn fit(
    db: &DatabaseConnection,
    competition_id: i32,
    model: ModelName,
    as_of: Option<NaiveDate>,
) -> Result<Fitted, ApiError> {
    // The current fit sees every result: it is made as of the day after the latest one.
    let cutoff = match as_of {
        Some(date) => date,
        None => training::latest_result(db, competition_id)
            .await?
            .unwrap_or_else(|| Utc::now().date_naive())
            .checked_add_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX),
    };
    let history = training::load(db, competition_id, cutoff).await?;
    let trained_from = history.records.first().map(|r| r.date);
    let trained_through = history.records.last().map(|r| r.date);
    let matches = history.records.len();
    let fingerprint = history.fingerprint.clone();
    let forecaster = tokio::task::spawn_blocking(move || {
        let mut forecaster = model.forecaster();
        forecaster.refit(&history.records, cutoff).map(|()| forecaster)
    })
    .await
    .map_err(|e| ApiError::Internal(e.into()))?
    .map_err(|e| ApiError::Unprocessable {
        code: "insufficient_data",
        message: format!("the {model} model cannot be fitted for this competition yet: {e}"),
    })?;
    let version = match as_of {
        Some(_) => None,
        None => Some(
            record_version(
                db,
                competition_id,
                model,
                &fingerprint,
                trained_from,
                trained_through,
                matches,
            )
            .await?,
        ),
    };
    Ok(Fitted {
        model,
        competition_id,
        as_of: cutoff,
        forecaster: Arc::from(forecaster),
        matches,
        fingerprint,
        trained_from,
        trained_through,
        version,
    })
}

/// Finds the version trained on exactly this data, or records a new one.
async fn record_version(
    db: &DatabaseConnection,
    competition_id: i32,
    model: ModelName,
    fingerprint: &str,
    trained_from: Option<NaiveDate>,
    trained_through: Option<NaiveDate>,
    matches: usize,
) -> Result<VersionInfo, ApiError> {
    let find = || {
        model_version::Entity::find()
            .filter(model_version::Column::Model.eq(model.as_str()))
            .filter(model_version::Column::CompetitionId.eq(competition_id))
    };
    if let Some(existing) = find()
        .filter(model_version::Column::Fingerprint.eq(fingerprint))
        .one(db)
        .await?
    {
        return Ok((&existing).into());
    }
    let latest = find()
        .order_by_desc(model_version::Column::Version)
        .one(db)
        .await?;
    let inserted = model_version::ActiveModel {
        id: NotSet,
        model: Set(model.as_str().to_string()),
        competition_id: Set(competition_id),
        version: Set(latest.map_or(1, |v| v.version + 1)),
        fingerprint: Set(fingerprint.to_string()),
        trained_from: Set(trained_from),
        trained_through: Set(trained_through),
        matches: Set(i32::try_from(matches).unwrap_or(i32::MAX)),
        parameters: Set(Some(
            json!({ "history": format!("{HISTORY:?}"), "description": model.description() }),
        )),
        metrics: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(v) => Ok((&v).into()),
        Err(e) => match crate::db::classify(e) {
            // Another instance recorded the same fit first: use its row.
            ApiError::Conflict { .. } => {
                let existing = find()
                    .filter(model_version::Column::Fingerprint.eq(fingerprint))
                    .one(db)
                    .await?
                    .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("model version vanished")))?;
                Ok((&existing).into())
            }
            other => Err(other),
        },
    }
}
