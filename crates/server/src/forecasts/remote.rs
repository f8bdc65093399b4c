//! The optional remote model: the seeds' external ML service (`ML_SERVICE_URL`), called with
//! timeouts, retries and a circuit breaker. Its answers are shaped like local forecasts.

use std::time::Duration;

use pundit_model::{MatchForecast, Outcome3, markets::ScoreMatrix};
use serde_json::{Value, json};

use super::render::{self, ForecastBody, ForecastKind, Header};
use crate::{
    error::ApiError,
    outbound::{CircuitBreaker, RetryPolicy, http_client, retry},
};

pub struct RemoteModel {
    client: reqwest::Client,
    base: String,
    breaker: CircuitBreaker,
}

#[derive(Debug, thiserror::Error)]
enum CallError {
    #[error("{0}")]
    Transport(#[from] reqwest::Error),
    #[error("status {0}")]
    Status(reqwest::StatusCode),
}

impl CallError {
    /// Client errors are answers, not outages: don't retry them or count them against the service.
    fn is_outage(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Status(s) => s.is_server_error() || *s == reqwest::StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

impl RemoteModel {
    pub fn new(base: &str, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            client: http_client(timeout)?,
            base: base.trim_end_matches('/').to_string(),
            breaker: CircuitBreaker::new("ml-service", 3, Duration::from_secs(30)),
        })
    }

    pub fn breaker(&self) -> &CircuitBreaker {
        &self.breaker
    }

    async fn call(&self, path: &str, body: Option<&Value>) -> Result<Value, ApiError> {
        self.breaker
            .allow()
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        let url = format!("{}{}", self.base, path);
        let policy = RetryPolicy {
            attempts: 2,
            ..RetryPolicy::default()
        };
        let result = retry(policy, CallError::is_outage, || async {
            let request = match body {
                Some(b) => self.client.post(&url).json(b),
                None => self.client.get(&url),
            };
            let response = request.send().await?;
            if !response.status().is_success() {
                return Err(CallError::Status(response.status()));
            }
            Ok(response.json::<Value>().await?)
        })
        .await;
        match result {
            Ok(value) => {
                self.breaker.record_success();
                Ok(value)
            }
            Err(e) => {
                if e.is_outage() {
                    self.breaker.record_failure();
                    Err(ApiError::Unavailable(format!(
                        "the remote ML service failed: {e}"
                    )))
                } else if matches!(e, CallError::Status(s) if s == reqwest::StatusCode::NOT_FOUND) {
                    Err(ApiError::NotFound(
                        "the remote ML service does not know this match".into(),
                    ))
                } else {
                    Err(ApiError::Unprocessable {
                        code: "remote_model_error",
                        message: format!("the remote ML service refused: {e}"),
                    })
                }
            }
        }
    }

    pub async fn health(&self) -> Value {
        match self.call("/health", None).await {
            Ok(v) => json!({ "status": "ok", "circuit": self.breaker.state(), "service": v }),
            Err(e) => {
                json!({ "status": "unavailable", "circuit": self.breaker.state(), "error": e.to_string() })
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
