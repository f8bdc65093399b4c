//! Which model version forecasts a match when the client does not name a model: a running A/B
//! test's assignment, else the competition's promoted version, else the default model's current
//! fit. A chosen version is served frozen: refitted on exactly its training span, which
//! reproduces it.

use std::sync::Arc;

use chrono::Days;
use pundit_model::ModelName;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::ab::{self, Arm};
use crate::{
    db::entities::{ab_test, model_promotion, model_version},
    error::{ApiError, ApiResult},
    forecasts::{
        registry::{Fitted, VersionInfo},
        render::ServingInfo,
    },
    state::AppState,
};

/// The model served when nothing is promoted.
pub const DEFAULT_MODEL: ModelName = ModelName::Best;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    AbTest,
    Promoted,
    Default,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AbTest => "ab_test",
            Self::Promoted => "promoted",
            Self::Default => "default",
        }
    }
}

/// What serves one match.
#[derive(Debug, Clone)]
pub struct Serving {
    pub source: Source,
    pub model: ModelName,
    /// `None` for the default: the current fit (whatever version that is) serves.
    pub version: Option<model_version::Model>,
    pub ab_test: Option<(Uuid, Arm)>,
}

impl Serving {
    pub fn info(&self) -> ServingInfo {
        ServingInfo {
            source: self.source.as_str().to_string(),
            model_version_id: self.version.as_ref().map(|v| v.id),
            ab_test_id: self.ab_test.map(|(id, _)| id),
            arm: self.ab_test.map(|(_, arm)| arm.as_str().to_string()),
        }
    }
}

/// The promotion in force: the newest one not rolled back.
pub async fn active_promotion(
    db: &impl ConnectionTrait,
    competition_id: i32,
) -> Result<Option<model_promotion::Model>, DbErr> {
    model_promotion::Entity::find()
        .filter(model_promotion::Column::CompetitionId.eq(competition_id))
        .filter(model_promotion::Column::RolledBackAt.is_null())
        .order_by_desc(model_promotion::Column::Id)
        .one(db)
        .await
}

/// The running A/B test of a competition (at most one runs at a time).
pub async fn running_test(
    db: &impl ConnectionTrait,
    competition_id: i32,
) -> Result<Option<ab_test::Model>, DbErr> {
    ab_test::Entity::find()
        .filter(ab_test::Column::CompetitionId.eq(competition_id))
        .filter(ab_test::Column::Status.eq(ab::RUNNING))
        .order_by_desc(ab_test::Column::CreatedAt)
        .one(db)
        .await
}

pub async fn version(db: &impl ConnectionTrait, id: i32) -> ApiResult<model_version::Model> {
    model_version::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("model version"))
}

fn model_of(version: &model_version::Model) -> ApiResult<ModelName> {
    version
        .model
        .parse()
        .map_err(|e: pundit_model::ModelError| ApiError::Internal(anyhow::anyhow!("stored model name: {e}")))
}

/// Which version forecasts `match_id` of a competition.
pub async fn resolve(state: &AppState, competition_id: i32, match_id: i32) -> ApiResult<Serving> {
    if let Some(test) = running_test(&state.db, competition_id).await? {
        let arm = ab::assign_match(&test, match_id);
        let chosen = version(&state.db, arm.version_of(&test)).await?;
        return Ok(Serving {
            source: Source::AbTest,
            model: model_of(&chosen)?,
            version: Some(chosen),
            ab_test: Some((test.id, arm)),
        });
    }
    if let Some(promotion) = active_promotion(&state.db, competition_id).await? {
        let chosen = version(&state.db, promotion.model_version_id).await?;
        return Ok(Serving {
            source: Source::Promoted,
            model: model_of(&chosen)?,
            version: Some(chosen),
            ab_test: None,
        });
    }
    Ok(Serving {
        source: Source::Default,
        model: DEFAULT_MODEL,
        version: None,
        ab_test: None,
    })
}

/// The latest recorded version of the default model: what the default served last.
pub async fn latest_default(
    db: &impl ConnectionTrait,
    competition_id: i32,
) -> Result<Option<model_version::Model>, DbErr> {
    model_version::Entity::find()
        .filter(model_version::Column::CompetitionId.eq(competition_id))
        .filter(model_version::Column::Model.eq(DEFAULT_MODEL.as_str()))
        .order_by_desc(model_version::Column::Version)
        .one(db)
        .await
}

/// The versions serving a competition's matches now: both arms of a running A/B test, the
/// promoted version, or the default model's latest version.
pub async fn serving_versions(state: &AppState, competition_id: i32) -> ApiResult<Vec<model_version::Model>> {
    if let Some(test) = running_test(&state.db, competition_id).await? {
        return Ok(vec![
            version(&state.db, test.version_a).await?,
            version(&state.db, test.version_b).await?,
        ]);
    }
    if let Some(promotion) = active_promotion(&state.db, competition_id).await? {
        return Ok(vec![version(&state.db, promotion.model_version_id).await?]);
    }
    Ok(latest_default(&state.db, competition_id)
        .await?
        .into_iter()
        .collect())
}

/// The version refitted on exactly its training span (cached by the registry).
pub async fn frozen(state: &AppState, version: &model_version::Model) -> ApiResult<Arc<Fitted>> {
    let as_of = version
        .trained_through
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .ok_or_else(|| ApiError::Unprocessable {
            code: "version_not_servable",
            message: format!("model version {} has no training span", version.id),
        })?;
    let model = model_of(version)?;
    let fitted = state
        .forecasts
        .fitted(&state.db, version.competition_id, model, Some(as_of))
        .await?;
    if fitted.fingerprint != version.fingerprint {
        tracing::warn!(
            version_id = version.id,
            "results inside the version's training span changed since it was recorded"
        );
    }
    Ok(Arc::new(Fitted {
        model,
        competition_id: version.competition_id,
        as_of: fitted.as_of,
        forecaster: fitted.forecaster.clone(),
        matches: fitted.matches,
        fingerprint: fitted.fingerprint.clone(),
        trained_from: fitted.trained_from,
        trained_through: fitted.trained_through,
        version: Some(VersionInfo::from(version)),
    }))
}
