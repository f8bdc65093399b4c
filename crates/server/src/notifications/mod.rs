//! Notifications: a per-user inbox, live delivery on the event bus, and optional email, each
//! governed by the user's per-type, per-channel preferences.
//!
//! Other modules call [`notify`]:
//!
//! ```ignore
//! notifications::notify(&state, user_id, NotificationKind::Goal, "Goal!", "Saka 54'", json!({"match_id": 42})).await?;
//! ```

pub mod email;
pub mod handlers;
pub mod preferences;
pub mod store;
pub mod types;

use chrono::Utc;
use serde_json::Value;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

pub use types::{Channel, NotificationKind};

use crate::{
    bus::Event, db::entities::notification, error::ApiError, state::AppState, users::store as users,
};
use types::NotificationView;

/// Longest title and body kept; longer text is cut (on a character boundary).
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 5000;

/// The bus event name of a new notification, published on topic `user:<id>`.
pub const EVENT_NEW: &str = "notification:new";

/// The bus topic of one user's private events.
pub fn user_topic(user_id: Uuid) -> String {
    format!("user:{user_id}")
}

fn clip(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Notifies one user, honouring their preferences for `kind`:
/// - `in_app`: the notification is stored and returned (otherwise `None` is returned);
/// - `realtime`: a `notification:new` event with the notification view is published on
///   `user:<id>`;
/// - `email`: when SMTP is configured and the account is active, an email is sent in the
///   background (failures are logged, never returned).
///
/// `data` is free-form JSON for clients (`match_id`, `post_id`, actor username, ...); `Null`
/// stores nothing. Unknown users are a 404.
#[tracing::instrument(skip_all, fields(user_id = %user_id, kind = kind.as_str()))]
pub async fn notify(
    state: &AppState,
    user_id: Uuid,
    kind: NotificationKind,
    title: &str,
    body: &str,
    data: Value,
) -> Result<Option<notification::Model>, ApiError> {
    let prefs = preferences::load(&state.db, user_id).await?;
    let in_app = prefs.enabled(kind, Channel::InApp);
    let realtime = prefs.enabled(kind, Channel::Realtime);
    let email = prefs.enabled(kind, Channel::Email) && email::configured(&state.config);
    if !(in_app || realtime || email) {
        tracing::debug!("notification type disabled by the user");
        return Ok(None);
    }
    let user = users::by_id(&state.db, user_id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    let title = clip(title.trim(), MAX_TITLE_CHARS);
    let body = clip(body.trim(), MAX_BODY_CHARS);
    let data = Some(data).filter(|d| !d.is_null());

    let stored = if in_app {
        let new = store::NewNotification {
            user_id,
            kind,
            title,
            body,
            data: data.clone(),
        };
        Some(store::insert(&state.db, new).await?)
    } else {
        None
    };
    metrics::counter!("pundit_notifications_total", "type" => kind.as_str()).increment(1);

    if realtime {
        // Not stored: the live event still carries a view, with an id that is never persisted.
        let view = match &stored {
            Some(model) => NotificationView::from(model.clone()),
            None => NotificationView {
                id: Uuid::now_v7(),
                kind: kind.as_str().to_string(),
                title: title.to_string(),
                body: body.to_string(),
                data,
                read: false,
                read_at: None,
                created_at: Utc::now(),
            },
        };
        match serde_json::to_value(&view) {
            Ok(json) => {
                state
                    .bus
                    .publish(Event::new(user_topic(user_id), EVENT_NEW, json))
                    .await;
            }
            Err(e) => tracing::warn!(error = %e, "notification event not serialised"),
        }
    }

    if email && user.is_active && !user.email.is_empty() {
        email::spawn_send(
            &state.config,
            email::Email {
                to: user.email,
                subject: title.to_string(),
                body: body.to_string(),
            },
        );
    }
    Ok(stored)
}

/// Mounted at `/api/v1`: `/notifications/*` and `/admin/notifications`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::list))
        .routes(routes!(handlers::unread_count))
        .routes(routes!(handlers::mark_read))
        .routes(routes!(handlers::mark_all_read))
        .routes(routes!(handlers::delete))
        .routes(routes!(handlers::preferences, handlers::update_preferences))
        .routes(routes!(handlers::admin_send))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_cuts_on_character_boundaries() {
        assert_eq!(clip("héllo", 2), "hé");
        assert_eq!(clip("héllo", 10), "héllo");
        assert_eq!(clip("", 3), "");
    }
}
