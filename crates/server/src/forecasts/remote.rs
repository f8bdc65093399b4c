//! The optional remote model: the seeds' external ML service (`ML_SERVICE_URL`), called with
//! timeouts, retries and a circuit breaker. Its answers are shaped like local forecasts.

use std::time::Duration;

use pundit_model::{MatchForecast, Outcome3, markets::ScoreMatrix};
use serde_json::{Value, json};

use super::render::{self, ForecastBody, ForecastKind, Header};
use crate::{
    error::ApiError,
    outbound::{CircuitBreaker, JsonService},
};

pub struct RemoteModel {
    service: JsonService,
}

impl RemoteModel {
    pub fn new(base: &str, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            service: JsonService::new("ml-service", base, timeout)?,
        })
    }

    pub fn breaker(&self) -> &CircuitBreaker {
        self.service.breaker()
    }

    async fn call(&self, path: &str, body: Option<&Value>) -> Result<Value, ApiError> {
        self.service.call(path, body).await.map_err(|e| {
            if e.is_outage() {
                ApiError::Unavailable(format!("the remote ML service failed: {e}"))
            } else if e.is_not_found() {
                ApiError::NotFound("the remote ML service does not know this match".into())
            } else {
                ApiError::Unprocessable {
                    code: "remote_model_error",
                    message: format!("the remote ML service refused: {e}"),
                }
            }
        })
    }

    pub async fn health(&self) -> Value {
        match self.call("/health", None).await {
            Ok(v) => json!({ "status": "ok", "circuit": self.breaker().state(), "service": v }),
            Err(e) => {
                json!({ "status": "unavailable", "circuit": self.breaker().state(), "error": e.to_string() })
            }
        }
    }

    pub async fn info(&self) -> Result<Value, ApiError> {
        self.call("/models/info", None).await
    }

    pub async fn predict(&self, match_id: i32, home: &str, away: &str) -> Result<ForecastBody, ApiError> {
        let answer = self
            .call("/predictions/predict", Some(&json!({ "match_id": match_id })))
            .await?;
        to_body(&answer, match_id, home, away)
    }
}

/// Reads probabilities from the common shapes (`home_win`/`draw`/`away_win`, `home`/`draw`/`away`,
/// camelCase, optionally under `probabilities` or `prediction`), and expected goals if sent.
fn to_body(answer: &Value, match_id: i32, home: &str, away: &str) -> Result<ForecastBody, ApiError> {
    let scope = ["probabilities", "prediction", "predictions"]
        .iter()
        .find_map(|k| answer.get(k).filter(|v| v.is_object()))
        .unwrap_or(answer);
    let pick = |keys: &[&str]| keys.iter().find_map(|k| scope.get(*k).and_then(Value::as_f64));
    let bad = || ApiError::Unprocessable {
        code: "remote_model_error",
        message: "the remote ML service sent no 1X2 probabilities".into(),
    };
    let (h, d, a) = (
        pick(&["home_win", "home", "homeWin"]).ok_or_else(bad)?,
        pick(&["draw"]).ok_or_else(bad)?,
        pick(&["away_win", "away", "awayWin"]).ok_or_else(bad)?,
    );
    let outcome = Outcome3::normalized(h, d, a).map_err(|_| bad())?;
    let xg = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| answer.get(*k).or_else(|| scope.get(*k)).and_then(Value::as_f64))
    };
    let matrix = match (
        xg(&["home_xg", "expected_home_goals"]),
        xg(&["away_xg", "expected_away_goals"]),
    ) {
        (Some(hx), Some(ax)) => ScoreMatrix::from_rates(hx, ax, 0.0)
            .and_then(|m| m.with_outcome_probabilities(outcome))
            .ok(),
        _ => None,
    };
    let forecast = MatchForecast {
        outcome,
        expected_goals: matrix.as_ref().map(ScoreMatrix::expected_goals),
        score_matrix: matrix,
        intervals: None,
    };
    let header = Header {
        match_id: Some(match_id),
        home_team: home.to_string(),
        away_team: away.to_string(),
        model: "remote".into(),
        version: None,
        as_of: chrono::Utc::now().date_naive(),
        trained_on_matches: 0,
        kind: ForecastKind::PreMatch,
    };
    Ok(render::body(
        header,
        outcome,
        None,
        render::markets(&forecast, None),
        None,
    ))
}
