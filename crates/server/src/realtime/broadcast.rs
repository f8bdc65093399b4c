//! What clients watching a match hear when it changes: `match:update`, then the recomputed
//! forecast as `prediction:update`. Called by whoever changed the match, so with several
//! instances the forecast is computed once and fanned out through the bus.

use serde_json::json;

use crate::{
    bus::Event, db::entities::football_match as fm, error::ApiResult, forecasts::service, matches::store,
    state::AppState,
};

pub async fn match_changed(state: &AppState, m: &fm::Model) -> ApiResult<()> {
    let topic = format!("match:{}", m.id);
    // Joiners get a snapshot from a short-lived cache; this change makes it stale.
    state.cache.delete(&format!("match-view:{}", m.id)).await;
    if let Some(view) = store::match_views(&state.db, std::slice::from_ref(m))
        .await?
        .pop()
    {
        state
            .bus
            .publish(Event::new(topic.clone(), "match:update", json!(view)))
            .await;
    }
    let forecast = match service::default_for_match(state, m).await {
        Ok(served) => serde_json::from_slice::<serde_json::Value>(&served.json).ok(),
        Err(e) => {
            tracing::warn!(match_id = m.id, error = %e, "no forecast for the update");
            None
        }
    };
    if let Some(forecast) = forecast {
        let payload = json!({ "match_id": m.id, "forecast": forecast });
        state
            .bus
            .publish(Event::new(topic, "prediction:update", payload))
            .await;
    }
    Ok(())
}
