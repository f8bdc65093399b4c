//! The latest live picture of a match — score, minute, red cards, statistics, key events,
//! line-ups — as a provider (or the replay) last described it. Kept in the shared cache.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::{
    matches::types::{MatchStatus, ScoreView},
    state::AppState,
};

const TTL: Duration = Duration::from_secs(6 * 3600);

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LiveSnapshot {
    pub match_id: i32,
    /// `espn`, `replay` or `database` (no provider has described it).
    pub source: String,
    /// True for replays: a finished match played back as if live, not real live data.
    pub simulated: bool,
    pub status: MatchStatus,
    pub minute: Option<i16>,
    pub score: Option<ScoreView>,
    pub red_cards: ScoreView,
    /// Possession, shots, shots on target, corners, fouls, cards per side.
    #[schema(value_type = Option<Object>)]
    pub stats: Option<Value>,
    /// Goals, cards and substitutions in order.
    #[schema(value_type = Vec<Object>)]
    pub key_events: Vec<Value>,
    #[schema(value_type = Option<Object>)]
    pub lineups: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub venue: Option<Value>,
    pub fetched_at: DateTime<Utc>,
    /// The provider failed on the last poll; this is its last good answer.
    pub stale: bool,
}

fn key(match_id: i32) -> String {
    format!("live:{match_id}")
}

pub async fn store(state: &AppState, snapshot: &LiveSnapshot) {
    if let Ok(json) = serde_json::to_vec(snapshot) {
        state.cache.set(&key(snapshot.match_id), json, TTL).await;
    }
}

pub async fn load(state: &AppState, match_id: i32) -> Option<LiveSnapshot> {
    state
        .cache
        .get(&key(match_id))
        .await
        .and_then(|json| serde_json::from_slice(&json).ok())
}
