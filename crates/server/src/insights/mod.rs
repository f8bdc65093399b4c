//! Match insights: a short written analysis of a match from its forecast, form, head-to-head,
//! live data and news. An LLM (Ollama) writes it when configured; when it is not, or fails, a
//! deterministic writer produces one from the same facts, marked `source = "deterministic"`.
//! Nothing fails because the LLM is down.
//!
//! Other modules (the agents) call:
//! - [`generate`] to write, store and broadcast a fresh insight for a match;
//! - [`store::create`] / [`store::list`] to store and read their own insights.

pub mod chat_stream;
pub mod deterministic;
pub mod facts;
pub mod handlers;
pub mod ollama;
pub mod prompt;
pub mod store;
pub mod types;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub use ollama::Ollama;

use crate::{
    bus::Event,
    config::Config,
    db::entities::{football_match as fm, insight},
    error::ApiResult,
    state::AppState,
};
use store::NewInsight;
use types::InsightView;

/// The bus event of a stored insight, published on `match:<id>` with the [`InsightView`].
pub const EVENT_NEW: &str = "insight:new";

/// The LLM client (when configured) and per-match locks so simultaneous first views of a match
/// write one insight, not one each.
pub struct Insights {
    llm: Option<Ollama>,
    writing: Mutex<HashMap<i32, Arc<tokio::sync::Mutex<()>>>>,
}

impl Insights {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        Ok(Self {
            llm: Ollama::from_config(config)?,
            writing: Mutex::default(),
        })
    }

    /// The LLM client, when `OLLAMA_URL` is set.
    pub fn llm(&self) -> Option<&Ollama> {
        self.llm.as_ref()
    }

    fn lock_for(&self, match_id: i32) -> Arc<tokio::sync::Mutex<()>> {
        let Ok(mut locks) = self.writing.lock() else {
            return Arc::default();
        };
        // Forget locks nobody holds any more, so the map stays small.
        locks.retain(|_, lock| Arc::strong_count(lock) > 1);
        locks.entry(match_id).or_default().clone()
    }
}

/// Mounted at `/api/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handlers::list, handlers::create))
}

/// The kind of insight a match in this state gets.
pub fn kind_for(status: &str) -> &'static str {
    match status {
        "live" => "live",
        "finished" => "match_review",
        _ => "match_preview",
    }
}

/// Writes a fresh insight for a match (LLM when configured, else or on failure the
/// deterministic writer), stores it, and publishes `insight:new` on `match:<id>`.
/// `agent_id` marks insights an agent asked for. 404 for an unknown match; an LLM failure is
/// never an error.
#[tracing::instrument(skip(state))]
pub async fn generate(state: &AppState, match_id: i32, agent_id: Option<Uuid>) -> ApiResult<insight::Model> {
    let facts = facts::gather(state, match_id).await?;
    let written = deterministic::write(&facts);
    let mut recorded = serde_json::to_value(&facts).unwrap_or_else(|_| json!({}));
    let (content, source, model) = match state.insights.llm() {
        Some(llm) => match llm.chat(prompt::SYSTEM, &prompt::user(&facts)).await {
            Ok(text) => (text, "llm", Some(llm.model().to_string())),
            Err(e) => {
                recorded["fallback_reason"] = json!(e.to_string());
                (written.content, "deterministic", None)
            }
        },
        None => {
            recorded["fallback_reason"] = json!("no LLM configured (OLLAMA_URL is not set)");
            (written.content, "deterministic", None)
        }
    };
    let stored = store::create(
        &state.db,
        NewInsight {
            agent_id,
            match_id: Some(match_id),
            kind: kind_for(&facts.status).to_string(),
            title: written.title,
            content,
            confidence: written.confidence,
            source: source.to_string(),
            model,
            facts: Some(recorded),
        },
    )
    .await?;
    let view = InsightView::from(stored.clone());
    state
        .bus
        .publish(Event::new(format!("match:{match_id}"), EVENT_NEW, json!(view)))
        .await;
    Ok(stored)
}

/// The match's newest insight for its current state (a preview before kick-off, `live` while
/// in play, a review once finished), writing one first if there is none. One writer per match
/// per instance at a time; the others wait and read what it stored.
pub async fn latest_or_generate(state: &AppState, m: &fm::Model) -> ApiResult<insight::Model> {
    let match_id = m.id;
    let newest = || store::InsightFilter {
        match_id: Some(match_id),
        kind: Some(kind_for(&m.status).to_string()),
        limit: Some(1),
        ..Default::default()
    };
    if let Some(found) = store::list(&state.db, &newest()).await?.pop() {
        return Ok(found);
    }
    let lock = state.insights.lock_for(match_id);
    let _guard = lock.lock().await;
    if let Some(found) = store::list(&state.db, &newest()).await?.pop() {
        return Ok(found);
    }
    generate(state, match_id, None).await
}
