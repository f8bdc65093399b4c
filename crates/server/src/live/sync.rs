//! Applying a live update to a stored match: only real changes are written and broadcast;
//! a match that just finished tells the forecasting models about the new result and has its
//! picks scored.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
use serde_json::json;

use crate::{
    db::entities::football_match as fm, error::ApiResult, matches::types::MatchStatus, realtime::broadcast,
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveUpdate {
    pub status: MatchStatus,
    pub minute: Option<i16>,
    pub score: Option<(i16, i16)>,
    pub red_cards: (u16, u16),
}

/// Red cards per side as stored in the match's statistics.
pub fn red_cards_of(m: &fm::Model) -> (u16, u16) {
    let side = |s: &str| {
        m.stats
            .as_ref()
            .and_then(|v| v.get("red_cards")?.get(s)?.as_u64())
            .and_then(|v| u16::try_from(v).ok())
            .unwrap_or(0)
    };
    (side("home"), side("away"))
}

/// Writes `update` if it changes anything; returns the stored match and whether it changed.
pub async fn apply(state: &AppState, m: fm::Model, update: LiveUpdate) -> ApiResult<(fm::Model, bool)> {
    let current = MatchStatus::from_db(&m.status);
    // Providers can lag or repeat themselves; never move a match backwards.
    if !current.can_become(update.status) {
        return Ok((m, false));
    }
    let minute = if update.status == MatchStatus::Live {
        update.minute
    } else {
        None
    };
    let score = update.score.or(m.home_goals.zip(m.away_goals));
    let unchanged = current == update.status
        && m.minute == minute
        && m.home_goals.zip(m.away_goals) == score
        && red_cards_of(&m) == update.red_cards;
    if unchanged {
        return Ok((m, false));
    }
    let competition_id = m.competition_id;
    let mut stats = m.stats.clone().unwrap_or_else(|| json!({}));
    if let Some(obj) = stats.as_object_mut() {
        obj.insert(
            "red_cards".into(),
            json!({ "home": update.red_cards.0, "away": update.red_cards.1 }),
        );
    }
    let mut active = m.into_active_model();
    active.status = Set(update.status.as_str().into());
    active.minute = Set(minute);
    active.home_goals = Set(score.map(|s| s.0));
    active.away_goals = Set(score.map(|s| s.1));
    active.stats = Set(Some(stats));
    active.updated_at = Set(Utc::now());
    let updated = active.update(&state.db).await?;
    if update.status == MatchStatus::Finished && current != MatchStatus::Finished {
        crate::forecasts::publish_results_changed(state, competition_id).await;
    }
    // A no-op unless the match is finished (or cancelled); also catches corrected final scores.
    crate::picks::settle(state, &updated).await;
    broadcast::match_changed(state, &updated).await?;
    Ok((updated, true))
}
