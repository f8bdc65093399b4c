//! Model versions over HTTP: list, detail with live accuracy, promote, roll back, and what serves.

use std::collections::{HashMap, HashSet};

use axum::{Json, extract::State};
use chrono::Utc;
use pundit_model::metrics::MetricsAccumulator;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, NotSet, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{
    evaluate::evaluate,
    serving::{self, DEFAULT_MODEL},
    types::{
        AbTestBrief, PromoteRequest, PromotionView, Scores, ServingView, VersionDetail, VersionView,
        VersionsQuery,
    },
};
use crate::{
    auth::extract::AuthUser,
    db::entities::{competition, model_promotion, model_version},
    error::{ApiError, ApiResult, ErrorBody},
    forecasts::types::model_name,
    http::{
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    matches::{handlers::find_competition, store},
    state::AppState,
    users::types::Role,
};

pub async fn slugs(state: &AppState) -> ApiResult<HashMap<i32, String>> {
    Ok(store::competitions(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect())
}

/// Ids of every version serving some competition now.
async fn serving_ids(
    state: &AppState,
    competitions: impl IntoIterator<Item = i32>,
) -> ApiResult<HashSet<i32>> {
    let mut ids = HashSet::new();
    for id in competitions {
        if let Some(test) = serving::running_test(&state.db, id).await? {
            ids.extend([test.version_a, test.version_b]);
        } else if let Some(p) = serving::active_promotion(&state.db, id).await? {
            ids.insert(p.model_version_id);
        }
    }
    Ok(ids)
}

/// Every model version, newest first, with its training span, backtest and whether it serves.
#[utoipa::path(get, path = "/versions", tag = "monitoring", params(VersionsQuery),
    responses((status = 200, body = Page<VersionView>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_versions(
    State(state): State<AppState>,
    Query(query): Query<VersionsQuery>,
) -> ApiResult<Json<Page<VersionView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let mut select = model_version::Entity::find();
    if let Some(key) = &query.competition {
        select =
            select.filter(model_version::Column::CompetitionId.eq(find_competition(&state, key).await?.id));
    }
    if let Some(name) = query.model.as_deref() {
        select = select.filter(model_version::Column::Model.eq(model_name(Some(name))?.as_str()));
    }
    let total = select.clone().count(&state.db).await?;
    let rows = select
        .order_by_desc(model_version::Column::CreatedAt)
        .order_by_desc(model_version::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(&state.db)
        .await?;
    let names = slugs(&state).await?;
    let serving = serving_ids(
        &state,
        rows.iter().map(|v| v.competition_id).collect::<HashSet<_>>(),
    )
    .await?;
    let items = rows
        .iter()
        .map(|v| {
            let slug = names.get(&v.competition_id).map_or("", String::as_str);
            VersionView::new(v, slug, serving.contains(&v.id))
        })
        .collect();
    Ok(Json(Page {
        items,
        total,
        page,
        limit,
    }))
}

/// One version: parameters, training span, backtest metrics, whether it serves, and its live
/// accuracy on the finished matches after its training data.
#[utoipa::path(get, path = "/versions/{id}", tag = "monitoring", params(("id" = i32, Path)),
    responses((status = 200, body = VersionDetail), (status = 404, body = ErrorBody)))]
pub async fn get_version(
    State(state): State<AppState>,
    Path(id): Path<i32>,
) -> ApiResult<Json<VersionDetail>> {
    let version = serving::version(&state.db, id).await?;
    let names = slugs(&state).await?;
    let serving = serving_ids(&state, [version.competition_id]).await?;
    let evaluated = evaluate(&state, &version).await?;
    let live = (!evaluated.is_empty()).then(|| {
        let mut acc = MetricsAccumulator::new();
        for e in &evaluated {
            acc.push(e.probabilities, e.outcome);
        }
        Scores::from(acc.summary())
    });
    let slug = names.get(&version.competition_id).map_or("", String::as_str);
    Ok(Json(VersionDetail {
        version: VersionView::new(&version, slug, serving.contains(&version.id)),
        live,
    }))
}

/// What serves a competition now, and why.
pub async fn serving_view(state: &AppState, c: &competition::Model) -> ApiResult<ServingView> {
    let serving_set = serving_ids(state, [c.id]).await?;
    let view = |v: &model_version::Model| VersionView::new(v, &c.slug, serving_set.contains(&v.id));
    if let Some(test) = serving::running_test(&state.db, c.id).await? {
        return Ok(ServingView {
            competition_id: c.id,
            competition: c.slug.clone(),
            source: serving::Source::AbTest.as_str().into(),
            model: serving::version(&state.db, test.version_a).await?.model,
            version: None,
            promotion: None,
            ab_test: Some(AbTestBrief {
                id: test.id,
                name: test.name,
                version_a: test.version_a,
                version_b: test.version_b,
                split: test.split,
            }),
        });
    }
    if let Some(p) = serving::active_promotion(&state.db, c.id).await? {
        let version = serving::version(&state.db, p.model_version_id).await?;
        return Ok(ServingView {
            competition_id: c.id,
            competition: c.slug.clone(),
            source: serving::Source::Promoted.as_str().into(),
            model: version.model.clone(),
            version: Some(view(&version)),
            promotion: Some(PromotionView {
                id: p.id,
                promoted_by: p.promoted_by,
                reason: p.reason,
                created_at: p.created_at,
            }),
            ab_test: None,
        });
    }
    let latest = serving::latest_default(&state.db, c.id).await?;
    Ok(ServingView {
        competition_id: c.id,
        competition: c.slug.clone(),
        source: serving::Source::Default.as_str().into(),
        model: DEFAULT_MODEL.as_str().into(),
        version: latest.as_ref().map(view),
        promotion: None,
        ab_test: None,
    })
}

/// Per competition with model versions: which version serves its forecasts and why (a running
/// A/B test, a promotion, or the default model's current fit).
#[utoipa::path(get, path = "/serving", tag = "monitoring", responses((status = 200, body = Vec<ServingView>)))]
pub async fn list_serving(State(state): State<AppState>) -> ApiResult<Json<Vec<ServingView>>> {
    let with_versions: HashSet<i32> = model_version::Entity::find()
        .select_only()
        .column(model_version::Column::CompetitionId)
        .distinct()
        .into_tuple::<i32>()
        .all(&state.db)
        .await?
        .into_iter()
        .collect();
    let mut out = Vec::new();
    for c in store::competitions(&state.db).await? {
        if with_versions.contains(&c.id) {
            out.push(serving_view(&state, &c).await?);
        }
    }
    out.sort_by(|a, b| a.competition.cmp(&b.competition));
    Ok(Json(out))
}

/// Put a version in charge of its competition's forecasts (admin). A running A/B test still
/// decides the matches it covers until it is stopped.
#[utoipa::path(post, path = "/versions/{id}/promote", tag = "monitoring", params(("id" = i32, Path)),
    request_body = PromoteRequest, security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = ServingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn promote(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<i32>,
    ValidJson(req): ValidJson<PromoteRequest>,
) -> ApiResult<Json<ServingView>> {
    auth.require_role(Role::Admin)?;
    let version = serving::version(&state.db, id).await?;
    if version.trained_through.is_none() {
        return Err(ApiError::Unprocessable {
            code: "version_not_servable",
            message: "a version trained on no matches cannot serve".into(),
        });
    }
    model_promotion::ActiveModel {
        id: NotSet,
        competition_id: Set(version.competition_id),
        model_version_id: Set(version.id),
        promoted_by: Set(Some(auth.id())),
        reason: Set(req.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty())),
        created_at: Set(Utc::now()),
        rolled_back_at: Set(None),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(version_id = id, admin = %auth.id(), "model version promoted");
    let c = find_competition(&state, &version.competition_id.to_string()).await?;
    Ok(Json(serving_view(&state, &c).await?))
}

/// Go back to the version promoted before the current one (admin); 409 when there is none.
#[utoipa::path(post, path = "/competitions/{id}/rollback", tag = "monitoring", params(("id" = String, Path, description = "competition id or slug")),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = ServingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn rollback(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(key): Path<String>,
) -> ApiResult<Json<ServingView>> {
    auth.require_role(Role::Admin)?;
    let c = find_competition(&state, &key).await?;
    let active: Vec<model_promotion::Model> = model_promotion::Entity::find()
        .filter(model_promotion::Column::CompetitionId.eq(c.id))
        .filter(model_promotion::Column::RolledBackAt.is_null())
        .order_by_desc(model_promotion::Column::Id)
        .limit(2)
        .all(&state.db)
        .await?;
    let [current, _previous] = active.as_slice() else {
        return Err(ApiError::Conflict {
            code: "nothing_to_roll_back",
            message: format!("{} has no earlier promoted version to go back to", c.slug),
        });
    };
    let mut undone = current.clone().into_active_model();
    undone.rolled_back_at = Set(Some(Utc::now()));
    undone.update(&state.db).await?;
    tracing::info!(competition = %c.slug, admin = %auth.id(), "model promotion rolled back");
    Ok(Json(serving_view(&state, &c).await?))
}
