//! Which channels a user wants for each notification type: stored choices over the defaults.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{
    store,
    types::{Channel, NotificationKind, PreferenceView},
};

/// With no stored choice: in-app and live on for every type, email only for `system`.
pub fn default_enabled(kind: NotificationKind, channel: Channel) -> bool {
    match channel {
        Channel::InApp | Channel::Realtime => true,
        Channel::Email => kind == NotificationKind::System,
    }
}

/// One user's effective preferences.
#[derive(Debug, Clone, Default)]
pub struct Preferences {
    stored: HashMap<(NotificationKind, Channel), bool>,
}

impl Preferences {
    pub fn enabled(&self, kind: NotificationKind, channel: Channel) -> bool {
        self.stored
            .get(&(kind, channel))
            .copied()
            .unwrap_or_else(|| default_enabled(kind, channel))
    }

    /// Every type × channel, in a stable order.
    pub fn effective(&self) -> Vec<PreferenceView> {
        NotificationKind::ALL
            .into_iter()
            .flat_map(|kind| {
                Channel::ALL.into_iter().map(move |channel| PreferenceView {
                    kind,
                    channel,
                    enabled: self.enabled(kind, channel),
                })
            })
            .collect()
    }
}

/// Loads the stored choices; rows naming types or channels this version does not know are ignored.
pub async fn load(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Preferences, DbErr> {
    let stored = store::preferences(db, user_id)
        .await?
        .into_iter()
        .filter_map(|row| {
            let kind = row.kind.parse().ok()?;
            let channel = row.channel.parse().ok()?;
            Some(((kind, channel), row.enabled))
        })
        .collect();
    Ok(Preferences { stored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_enable_in_app_and_realtime_and_email_only_for_system() {
        let prefs = Preferences::default();
        let all = prefs.effective();
        assert_eq!(all.len(), NotificationKind::ALL.len() * Channel::ALL.len());
        for p in all {
            let expected = p.channel != Channel::Email || p.kind == NotificationKind::System;
            assert_eq!(p.enabled, expected, "{p:?}");
        }
    }

    #[test]
    fn stored_choices_override_defaults() {
        let mut prefs = Preferences::default();
        prefs
            .stored
            .insert((NotificationKind::Goal, Channel::InApp), false);
        prefs
            .stored
            .insert((NotificationKind::Goal, Channel::Email), true);
        assert!(!prefs.enabled(NotificationKind::Goal, Channel::InApp));
        assert!(prefs.enabled(NotificationKind::Goal, Channel::Email));
        assert!(prefs.enabled(NotificationKind::Goal, Channel::Realtime));
    }

    #[test]
    fn names_round_trip() {
        for kind in NotificationKind::ALL {
            assert_eq!(kind.as_str().parse::<NotificationKind>(), Ok(kind));
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::json!(kind.as_str()))
            );
        }
        for channel in Channel::ALL {
            assert_eq!(channel.as_str().parse::<Channel>(), Ok(channel));
            assert_eq!(
                serde_json::to_value(channel).ok(),
                Some(serde_json::json!(channel.as_str()))
            );
        }
        assert!("nope".parse::<NotificationKind>().is_err());
    }
}
