//! Value bets: the model's probabilities against offered odds — edge, fractional Kelly stake,
//! risk grade — with the market's own margin-free view beside them.

use axum::{Json, extract::State};
use pundit_model::odds::{DevigMethod, implied_probabilities, kelly_stake, overround, risk_grade};

use super::{
    service,
    types::{OfferedOdds, ValueBetLine, ValueBetRequest, ValueBetResponse, model_name},
};
use crate::{
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::{Json as JsonBody, Path},
    matches::store,
    state::AppState,
};

const RESPONSIBLE_GAMBLING: &str = "Forecasts are estimates, not certainties: even a real edge loses often \
    in the short run. Only stake what you can afford to lose, set limits, and seek help (e.g. BeGambleAware) \
    if gambling stops being fun. 18+.";

fn unit_interval(field: &str, value: Option<f64>, default: f64) -> ApiResult<f64> {
    let v = value.unwrap_or(default);
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(ApiError::invalid_field(field, "range", "must be between 0 and 1"))
    }
}

/// Stored prices of a bookmaker (the first stored one by default).
fn stored_odds(odds: Option<&serde_json::Value>, bookmaker: Option<&str>) -> Option<(String, OfferedOdds)> {
    let list = odds?.get("one_x_two")?.as_array()?;
    let entry = match bookmaker {
        Some(name) => list
            .iter()
            .find(|o| o.get("bookmaker").and_then(|b| b.as_str()) == Some(name))?,
        None => list.first()?,
    };
    let price = |k: &str| entry.get(k).and_then(serde_json::Value::as_f64);
    Some((
        entry.get("bookmaker")?.as_str()?.to_string(),
        OfferedOdds {
            home: price("home")?,
            draw: price("draw")?,
            away: price("away")?,
        },
    ))
}

/// Compare offered (or stored) odds with the model: edges, Kelly stakes and risk grades.
#[utoipa::path(post, path = "/matches/{id}/value-bets", tag = "forecasts", params(("id" = i32, Path)),
    request_body = ValueBetRequest,
    responses((status = 200, body = ValueBetResponse), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn value_bets(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    JsonBody(req): JsonBody<ValueBetRequest>,
) -> ApiResult<Json<ValueBetResponse>> {
    let model = model_name(req.model.as_deref())?;
    let fraction = unit_interval("kelly_fraction", req.kelly_fraction, 0.25)?;
    let cap = unit_interval("max_stake", req.max_stake, 0.05)?;
    let bankroll = req.bankroll.unwrap_or(100.0);
    if !bankroll.is_finite() || bankroll <= 0.0 {
        return Err(ApiError::invalid_field(
            "bankroll",
            "range",
            "must be a positive amount",
        ));
    }
    let method = match req.devig.as_deref().unwrap_or("shin") {
        "proportional" => DevigMethod::Proportional,
        "shin" => DevigMethod::Shin,
        "power" => DevigMethod::Power,
        _ => {
            return Err(ApiError::invalid_field(
                "devig",
                "unknown_method",
                "use proportional, shin or power",
            ));
        }
    };
    let m = store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let (bookmaker, odds) = match req.odds {
        Some(odds) => (None, odds),
        None => {
            let (name, odds) = stored_odds(m.odds.as_ref(), req.bookmaker.as_deref()).ok_or_else(|| {
                ApiError::invalid_field(
                    "odds",
                    "no_odds",
                    "send odds: this match has no stored prices for that bookmaker",
                )
            })?;
            (Some(name), odds)
        }
    };
    let prices = [odds.home, odds.draw, odds.away];
    if prices.iter().any(|p| !p.is_finite() || *p <= 1.0 || *p > 1000.0) {
        return Err(ApiError::invalid_field(
            "odds",
            "range",
            "decimal odds must be above 1.0 and at most 1000",
        ));
    }
    let market = implied_probabilities(&prices, method)
        .map_err(|e| ApiError::invalid_field("odds", "invalid_odds", &e.to_string()))?;
    let margin =
        overround(&prices).map_err(|e| ApiError::invalid_field("odds", "invalid_odds", &e.to_string()))?;

    let served = service::for_match(&state, &m, model).await?;
    let forecast: super::render::ForecastBody =
        serde_json::from_slice(&served.json).map_err(|e| ApiError::Internal(e.into()))?;
    let p = forecast.probabilities;
    let mut lines = Vec::with_capacity(3);
    for (i, (outcome, probability)) in [("home", p.home), ("draw", p.draw), ("away", p.away)]
        .into_iter()
        .enumerate()
    {
        let price = prices[i];
        let stake_fraction =
            kelly_stake(probability, price, fraction, cap).map_err(|e| ApiError::Internal(e.into()))?;
        let edge = probability * price - 1.0;
        let risk = risk_grade(probability, price).map_err(|e| ApiError::Internal(e.into()))?;
        lines.push(ValueBetLine {
            outcome,
            odds: price,
            model_probability: probability,
            market_probability: market.get(i).copied().unwrap_or_default(),
            edge,
            is_value: edge > 0.0,
            stake_fraction,
            stake: (stake_fraction * bankroll * 100.0).round() / 100.0,
            risk: format!("{risk:?}").to_lowercase(),
        });
    }
    Ok(Json(ValueBetResponse {
        match_id: id,
        model: model.as_str().into(),
        bookmaker,
        overround: margin,
        lines,
        responsible_gambling: RESPONSIBLE_GAMBLING,
    }))
}
