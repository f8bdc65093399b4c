//! Forecasts for matches: fit (or reuse) the model, price the markets, cache the JSON, and
//! record what was served for upcoming matches so accuracy is measured on real forecasts.

use std::{sync::Arc, time::Duration};

use axum::body::Bytes;
use chrono::Utc;
use pundit_model::{
    MatchOutcome, ModelName,
    inplay::{InPlayConfig, MatchState, in_play_score_matrix},
    metrics::ranked_probability_score,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, NotSet, PaginatorTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use super::{
    registry::Fitted,
    render::{self, Evaluation, ForecastBody, ForecastKind, Header, ServingInfo},
};
use crate::{
    db::entities::{football_match as fm, forecast},
    error::{ApiError, ApiResult},
    matches::{store, types::MatchStatus},
    state::AppState,
};

/// A serialised forecast, ready to send, and its entity tag.
pub struct Served {
    pub json: Bytes,
    pub etag: String,
}

fn model_error(e: pundit_model::ModelError) -> ApiError {
    ApiError::Unprocessable {
        code: "cannot_forecast",
        message: e.to_string(),
    }
}

/// Live minute, score and red cards of a match in play.
fn live_state(m: &fm::Model) -> Option<MatchState> {
    let reds = |side: &str| {
        m.stats
            .as_ref()?
            .get("red_cards")?
            .get(side)?
            .as_u64()
            .and_then(|v| u8::try_from(v).ok())
    };
    Some(MatchState {
        minute: f64::from(m.minute?),
        home_goals: u8::try_from(m.home_goals.unwrap_or(0)).ok()?,
        away_goals: u8::try_from(m.away_goals.unwrap_or(0)).ok()?,
        home_red_cards: reds("home").unwrap_or(0),
        away_red_cards: reds("away").unwrap_or(0),
    })
}

/// The forecast of a stored match with `model`: pre-match for upcoming and past matches (a past
/// match is forecast from data before its day), in-play while it is live.
pub async fn for_match(state: &AppState, m: &fm::Model, model: ModelName) -> ApiResult<Served> {
    let fitted = fit_for(state, m, model).await?;
    serve_fitted(state, m, &fitted, None).await
}

/// The current fit of `model` for an upcoming match, the fit from before its day otherwise.
async fn fit_for(state: &AppState, m: &fm::Model, model: ModelName) -> ApiResult<Arc<Fitted>> {
    let upcoming = matches!(
        MatchStatus::from_db(&m.status),
        MatchStatus::Scheduled | MatchStatus::Postponed
    );
    let as_of = (!upcoming).then_some(m.match_date);
    state
        .forecasts
        .fitted(&state.db, m.competition_id, model, as_of)
        .await
}

/// The forecast a client gets without naming a model: upcoming and live matches are forecast by
/// the version that serves them (a running A/B test's assignment, the promoted version, or the
/// default model's current fit); past matches by that version's model, fitted before their day.
pub async fn default_for_match(state: &AppState, m: &fm::Model) -> ApiResult<Served> {
    let serving = crate::monitoring::serving::resolve(state, m.competition_id, m.id).await?;
    let status = MatchStatus::from_db(&m.status);
    let current = matches!(
        status,
        MatchStatus::Scheduled | MatchStatus::Postponed | MatchStatus::Live
    );
    let mut info = serving.info();
    let fitted = match (&serving.version, current) {
        (Some(version), true) => crate::monitoring::serving::frozen(state, version).await?,
        _ => {
            let fitted = fit_for(state, m, serving.model).await?;
            // What actually forecast: the current fit's version, or none for a fit before the day.
            info.model_version_id = fitted.version.as_ref().map(|v| v.id);
            fitted
        }
    };
    serve_fitted(state, m, &fitted, Some(info)).await
}

async fn serve_fitted(
    state: &AppState,
    m: &fm::Model,
    fitted: &Fitted,
    serving: Option<ServingInfo>,
) -> ApiResult<Served> {
    let status = MatchStatus::from_db(&m.status);
    let upcoming = matches!(status, MatchStatus::Scheduled | MatchStatus::Postponed);
    let live = (status == MatchStatus::Live).then(|| live_state(m)).flatten();
    let key = format!(
        "fc:{}:{}:{}:{:?}:{}:{:?}:{:?}",
        m.id,
        fitted.model,
        fitted.fingerprint,
        serving,
        m.status,
        live.map(|s| (
            s.minute as u32,
            s.home_goals,
            s.away_goals,
            s.home_red_cards,
            s.away_red_cards
        )),
        m.home_goals.zip(m.away_goals),
    );
    let etag = format!("\"{}\"", &hex(&Sha256::digest(key.as_bytes()))[..32]);
    if let Some(json) = state.cache.get(&key).await {
        return Ok(Served {
            json: json.into(),
            etag,
        });
    }

    let teams = store::teams_by_id(&state.db, [m.home_team_id, m.away_team_id].into()).await?;
    let (Some(home), Some(away)) = (teams.get(&m.home_team_id), teams.get(&m.away_team_id)) else {
        return Err(ApiError::not_found("team"));
    };
    let mut body = compute(fitted, &home.name, &away.name, live)?;
    body.match_id = Some(m.id);
    body.serving = serving;
    if status == MatchStatus::Finished
        && let (Some(hg), Some(ag)) = (m.home_goals, m.away_goals)
    {
        let result = MatchOutcome::from_goals(u8::try_from(hg).unwrap_or(0), u8::try_from(ag).unwrap_or(0));
        let p = pundit_model::Outcome3 {
            home: body.probabilities.home,
            draw: body.probabilities.draw,
            away: body.probabilities.away,
        };
        body.evaluation = Some(Evaluation {
            result: match result {
                MatchOutcome::Home => "home",
                MatchOutcome::Draw => "draw",
                MatchOutcome::Away => "away",
            }
            .to_string(),
            rps: ranked_probability_score(&p, result),
            probability_of_result: p.probability_of(result),
        });
    }
    let json = serde_json::to_vec(&body).map_err(|e| ApiError::Internal(e.into()))?;
    let ttl = match status {
        MatchStatus::Live => Duration::from_secs(30),
        MatchStatus::Scheduled | MatchStatus::Postponed => Duration::from_secs(3600),
        _ => Duration::from_secs(24 * 3600),
    };
    state.cache.set(&key, json.clone(), ttl).await;
    if upcoming || live.is_some() {
        record_served(
            state,
            m.id,
            fitted,
            &body,
            if live.is_some() { "live" } else { "refit" },
        )
        .await?;
    }
    Ok(Served {
        json: json.into(),
        etag,
    })
}

/// A forecast between two named teams of a competition with its current fit (no stored match).
pub fn compute(fitted: &Fitted, home: &str, away: &str, live: Option<MatchState>) -> ApiResult<ForecastBody> {
    let forecast = fitted.forecaster.forecast(home, away).map_err(model_error)?;
    let header = |kind| Header {
        match_id: None,
        home_team: home.to_string(),
        away_team: away.to_string(),
        model: fitted.model.as_str().to_string(),
        version: fitted.version.clone(),
        as_of: fitted.as_of,
        trained_on_matches: fitted.matches,
        kind,
    };
    match (live, forecast.expected_goals) {
        (Some(state), Some((home_xg, away_xg))) => {
            let matrix = in_play_score_matrix(home_xg, away_xg, &state, &InPlayConfig::default())
                .map_err(model_error)?;
            let outcome = matrix.outcome3().map_err(model_error)?;
            let markets = render::markets(&forecast, Some(&matrix));
            Ok(render::body(
                header(ForecastKind::InPlay),
                outcome,
                None,
                markets,
                None,
            ))
        }
        _ => {
            let intervals = forecast.intervals.as_ref().map(render::intervals);
            let markets = render::markets(&forecast, None);
            Ok(render::body(
                header(ForecastKind::PreMatch),
                forecast.outcome,
                intervals,
                markets,
                None,
            ))
        }
    }
}

/// Stores a served forecast once per match, model version and live state.
async fn record_served(
    state: &AppState,
    match_id: i32,
    fitted: &Fitted,
    body: &ForecastBody,
    reason: &str,
) -> ApiResult<()> {
    let version_id = fitted.version.as_ref().map(|v| v.id);
    let p = body.probabilities;
    let already = forecast::Entity::find()
        .filter(forecast::Column::MatchId.eq(match_id))
        .filter(forecast::Column::Model.eq(fitted.model.as_str()))
        .filter(forecast::Column::HomeProbability.eq(p.home))
        .filter(forecast::Column::AwayProbability.eq(p.away))
        .count(&state.db)
        .await?;
    if already > 0 {
        return Ok(());
    }
    forecast::ActiveModel {
        id: NotSet,
        match_id: Set(match_id),
        model: Set(fitted.model.as_str().to_string()),
        model_version_id: Set(version_id),
        home_probability: Set(p.home),
        draw_probability: Set(p.draw),
        away_probability: Set(p.away),
        expected_home_goals: Set(body.expected_goals.map(|g| g.home)),
        expected_away_goals: Set(body.expected_goals.map(|g| g.away)),
        reason: Set(reason.to_string()),
        issued_at: Set(Utc::now()),
    }
    .insert(&state.db)
    .await?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
