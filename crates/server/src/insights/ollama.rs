//! The Ollama client: `POST /api/chat` with a streamed answer, read piece by piece under an
//! overall deadline and a per-piece idle timeout, stopped at the token cap, behind a circuit
//! breaker so a dead server is skipped quickly instead of being asked on every page view.

use std::time::{Duration, Instant};

use serde_json::json;

use super::chat_stream::{ChatStream, StreamError, trim_to_sentence};
use crate::{
    config::Config,
    outbound::{CircuitBreaker, CircuitOpen, http_client},
};

/// Longest silence between two pieces of a streamed answer (capped by the overall timeout).
const IDLE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum OllamaError {
    #[error(transparent)]
    CircuitOpen(#[from] CircuitOpen),
    #[error("cannot reach Ollama: {0}")]
    Transport(#[from] reqwest::Error),
    #[error("Ollama answered {status}: {body}")]
    Status {
        status: reqwest::StatusCode,
        body: String,
    },
    #[error("Ollama took longer than {0:?}")]
    Timeout(Duration),
    #[error("Ollama went silent for {0:?} mid-answer")]
    Idle(Duration),
    #[error(transparent)]
    Stream(#[from] StreamError),
    #[error("Ollama sent an empty answer")]
    Empty,
}

pub struct Ollama {
    client: reqwest::Client,
    base: String,
    model: String,
    timeout: Duration,
    max_tokens: u32,
    breaker: CircuitBreaker,
}

impl Ollama {
    /// The client for `OLLAMA_URL`, or `None` when no LLM is configured.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        let Some(url) = &config.ollama_url else {
            return Ok(None);
        };
        Ok(Some(Self {
            // The overall deadline is enforced around the whole exchange below; the client's own
            // timeout is a backstop a little beyond it.
            client: http_client(config.ollama_timeout + Duration::from_secs(1))?,
            base: url.trim_end_matches('/').to_string(),
            model: config.ollama_model.clone(),
            timeout: config.ollama_timeout,
            max_tokens: config.insight_max_tokens.max(1),
            breaker: CircuitBreaker::new("ollama", 3, Duration::from_secs(30)),
        }))
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn breaker(&self) -> &CircuitBreaker {
        &self.breaker
    }

    /// The assistant's reply to a system and a user message.
    pub async fn chat(&self, system: &str, user: &str) -> Result<String, OllamaError> {
        self.breaker.allow()?;
        let started = Instant::now();
        let result = match tokio::time::timeout(self.timeout, self.stream_reply(system, user)).await {
            Ok(result) => result,
            Err(_) => Err(OllamaError::Timeout(self.timeout)),
        };
        match &result {
            Ok(text) => {
                self.breaker.record_success();
                tracing::info!(model = %self.model, chars = text.len(), elapsed = ?started.elapsed(), "LLM insight written");
            }
            Err(e) => {
                self.breaker.record_failure();
                tracing::warn!(model = %self.model, error = %e, "LLM insight failed");
            }
        }
        metrics::counter!("pundit_llm_requests_total", "outcome" => if result.is_ok() { "ok" } else { "error" })
            .increment(1);
        result
    }

    async fn stream_reply(&self, system: &str, user: &str) -> Result<String, OllamaError> {
        let body = json!({
            "model": self.model,
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user },
            ],
            "stream": true,
            "options": { "num_predict": self.max_tokens, "temperature": 0.3 },
        });
        let mut response = self
            .client
            .post(format!("{}/api/chat", self.base))
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            let text = response.text().await.unwrap_or_default();
            let body = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("error")?.as_str().map(String::from))
                .unwrap_or_else(|| text.chars().take(200).collect());
            return Err(OllamaError::Status { status, body });
        }
        let idle = IDLE_TIMEOUT.min(self.timeout);
        let mut stream = ChatStream::default();
        let mut capped = false;
        while !stream.done {
            let chunk = tokio::time::timeout(idle, response.chunk())
                .await
                .map_err(|_| OllamaError::Idle(idle))??;
            let Some(chunk) = chunk else {
                stream.finish()?;
                break;
            };
            stream.feed(&chunk)?;
            // The server honours `num_predict`; this guards against one that doesn't.
            if stream.tokens >= self.max_tokens && !stream.done {
                capped = true;
                break;
            }
        }
        let text = if capped {
            trim_to_sentence(&stream.text)
        } else {
            stream.text.trim()
        };
        if text.is_empty() {
            return Err(OllamaError::Empty);
        }
        Ok(text.to_string())
    }

    /// Reachability for the gateway registry: `GET /api/tags` lists the installed models.
    pub async fn probe(&self, timeout: Duration) -> Result<Duration, String> {
        let started = Instant::now();
        let request = self
            .client
            .get(format!("{}/api/tags", self.base))
            .timeout(timeout);
        match request.send().await {
            Ok(r) if r.status().is_success() => Ok(started.elapsed()),
            Ok(r) => Err(format!("status {}", r.status())),
            Err(e) => Err(e.to_string()),
        }
    }
}
