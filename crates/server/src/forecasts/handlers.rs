//! Forecast endpoints: one match, its history, and the ML service's predict / batch-predict.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    render::ForecastBody,
    service::{self, Served},
    types::{
        BatchItem, BatchPredictRequest, BatchPredictResponse, MAX_BATCH, ModelQuery, PredictRequest,
        StoredForecast, model_name,
    },
};
use crate::{
    db::entities::forecast,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Json as JsonBody, Path, Query},
    matches::store,
    state::AppState,
};

fn json_response(served: Served, headers: &HeaderMap) -> Response {
    let etag = HeaderValue::from_str(&served.etag).ok();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .zip(etag.as_ref())
        .is_some_and(|(sent, ours)| sent.as_bytes() == ours.as_bytes());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            served.json,
        )
            .into_response()
    };
    if let Some(etag) = etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn serve(state: &AppState, match_id: i32, model: Option<&str>) -> ApiResult<Served> {
    if model == Some("remote") {
        return serve_remote(state, match_id).await;
    }
    // Validate the name before looking the match up (a bad name is a 422 either way).
    let model = model.map(|name| model_name(Some(name))).transpose()?;
    let m = store::football_match(&state.db, match_id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    match model {
        Some(model) => service::for_match(state, &m, model).await,
        // No model asked for: the version that serves this match (promotion, A/B test, default).
        None => service::default_for_match(state, &m).await,
    }
}

/// The external ML service's forecast (not cached: the service owns its freshness).
async fn serve_remote(state: &AppState, match_id: i32) -> ApiResult<Served> {
    let remote = state.remote_model.as_ref().ok_or_else(|| {
        ApiError::invalid_field(
            "model",
            "unknown_model",
            "the remote model is offered only when ML_SERVICE_URL is set",
        )
    })?;
    let m = store::football_match(&state.db, match_id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let teams = store::teams_by_id(&state.db, [m.home_team_id, m.away_team_id].into()).await?;
    let name = |id: i32| teams.get(&id).map(|t| t.name.clone()).unwrap_or_default();
    let body = remote
        .predict(m.id, &name(m.home_team_id), &name(m.away_team_id))
        .await?;
    let json = serde_json::to_vec(&body).map_err(|e| ApiError::Internal(e.into()))?;
    let etag = format!("\"remote-{}-{}\"", m.id, json.len());
    Ok(Served {
        json: json.into(),
        etag,
    })
}

/// The model's forecast for a match: 1X2 with intervals, expected goals, exact scores,
/// over/under, both teams to score, Asian handicap lines. Upcoming matches use the current fit;
/// past matches the fit from before their day; live matches are recomputed in play.
/// Answers `304` to a matching `If-None-Match`.
#[utoipa::path(get, path = "/matches/{id}/forecast", tag = "forecasts", params(("id" = i32, Path), ModelQuery),
    responses((status = 200, body = ForecastBody), (status = 304, description = "unchanged"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn match_forecast(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    Query(query): Query<ModelQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    Ok(json_response(
        serve(&state, id, query.model.as_deref()).await?,
        &headers,
    ))
}

/// Every forecast served for a match, oldest first: how the probabilities moved with refits
/// and live events.
#[utoipa::path(get, path = "/matches/{id}/forecast/history", tag = "forecasts", params(("id" = i32, Path), ModelQuery),
    responses((status = 200, body = Vec<StoredForecast>), (status = 404, body = ErrorBody)))]
pub async fn forecast_history(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    Query(query): Query<ModelQuery>,
) -> ApiResult<Json<Vec<StoredForecast>>> {
    store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let mut select = forecast::Entity::find().filter(forecast::Column::MatchId.eq(id));
    if let Some(name) = query.model.as_deref() {
        select = select.filter(forecast::Column::Model.eq(model_name(Some(name))?.as_str()));
    }
    let rows = select
        .order_by_asc(forecast::Column::IssuedAt)
        .order_by_asc(forecast::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|f| StoredForecast {
                id: f.id,
                model: f.model,
                model_version_id: f.model_version_id,
                home: f.home_probability,
                draw: f.draw_probability,
                away: f.away_probability,
                expected_home_goals: f.expected_home_goals,
                expected_away_goals: f.expected_away_goals,
                reason: f.reason,
                issued_at: f.issued_at,
            })
            .collect(),
    ))
}

/// The seeds' ML-service predict: the forecast of one match.
#[utoipa::path(post, path = "/predictions/ml/predict", tag = "forecasts", request_body = PredictRequest,
    responses((status = 200, body = ForecastBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn predict(
    State(state): State<AppState>,
    headers: HeaderMap,
    JsonBody(req): JsonBody<PredictRequest>,
) -> ApiResult<Response> {
    Ok(json_response(
        serve(&state, req.match_id, req.model.as_deref()).await?,
        &headers,
    ))
}

/// Forecasts for up to 100 matches; a match that cannot be forecast is reported in its own item.
#[utoipa::path(post, path = "/predictions/ml/batch-predict", tag = "forecasts", request_body = BatchPredictRequest,
    responses((status = 200, body = BatchPredictResponse), (status = 422, body = ErrorBody)))]
pub async fn batch_predict(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<BatchPredictRequest>,
) -> ApiResult<Json<BatchPredictResponse>> {
    if req.match_ids.is_empty() || req.match_ids.len() > MAX_BATCH {
        return Err(ApiError::invalid_field(
            "match_ids",
            "length",
            &format!("send 1 to {MAX_BATCH} match ids"),
        ));
    }
    // `remote` is served by the external ML service; anything else must be a catalogue model;
    // none: each match's serving version, as for a single forecast.
    let model = match req.model.as_deref() {
        None => None,
        Some("remote") => Some("remote".to_string()),
        other => Some(model_name(other)?.as_str().to_string()),
    };
    let mut results = Vec::with_capacity(req.match_ids.len());
    for id in req.match_ids {
        let outcome = serve(&state, id, model.as_deref()).await.and_then(|served| {
            serde_json::from_slice::<serde_json::Value>(&served.json)
                .map_err(|e| ApiError::Internal(e.into()))
        });
        results.push(match outcome {
            Ok(forecast) => BatchItem {
                match_id: id,
                forecast: Some(forecast),
                error: None,
            },
            Err(e) => BatchItem {
                match_id: id,
                forecast: None,
                error: Some(e.body().error),
            },
        });
    }
    let succeeded = results.iter().filter(|r| r.forecast.is_some()).count();
    Ok(Json(BatchPredictResponse {
        model: model.unwrap_or_else(|| "serving".into()),
        succeeded,
        failed: results.len() - succeeded,
        results,
    }))
}
