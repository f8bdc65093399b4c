//! Notification types and channels, the views sent to clients, and request bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::db::entities::notification;

/// What a notification is about. Stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    MatchStart,
    Goal,
    Result,
    PickScored,
    Achievement,
    Like,
    Comment,
    Follow,
    Mention,
    AgentInsight,
    /// A drift alert about a serving model version (sent to admins).
    ModelDrift,
    System,
}

impl NotificationKind {
    pub const ALL: [Self; 12] = [
        Self::MatchStart,
        Self::Goal,
        Self::Result,
        Self::PickScored,
        Self::Achievement,
        Self::Like,
        Self::Comment,
        Self::Follow,
        Self::Mention,
        Self::AgentInsight,
        Self::ModelDrift,
        Self::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MatchStart => "match_start",
            Self::Goal => "goal",
            Self::Result => "result",
            Self::PickScored => "pick_scored",
            Self::Achievement => "achievement",
            Self::Like => "like",
            Self::Comment => "comment",
            Self::Follow => "follow",
            Self::Mention => "mention",
            Self::AgentInsight => "agent_insight",
            Self::ModelDrift => "model_drift",
            Self::System => "system",
        }
    }
}

impl std::str::FromStr for NotificationKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown notification type {s:?}"))
    }
}

/// Where a notification goes: the stored inbox, the live event stream, or email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    InApp,
    Realtime,
    Email,
}

impl Channel {
    pub const ALL: [Self; 3] = [Self::InApp, Self::Realtime, Self::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InApp => "in_app",
            Self::Realtime => "realtime",
            Self::Email => "email",
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown channel {s:?}"))
    }
}

/// A notification as its recipient sees it (also the `data` of the `notification:new` event).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    /// The notification type, e.g. `goal` or `system`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Links for clients (match_id, post_id, actor username, ...), or null.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    pub read: bool,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<notification::Model> for NotificationView {
    fn from(n: notification::Model) -> Self {
        Self {
            id: n.id,
            kind: n.kind,
            title: n.title,
            body: n.body,
            data: n.data,
            read: n.read_at.is_some(),
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

/// One page of notifications, newest first, with the caller's unread count.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    /// Notifications matching the filter.
    pub total: u64,
    pub page: u64,
    pub limit: u64,
    /// All unread notifications of the caller, whatever the filter.
    pub unread_count: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only unread notifications.
    pub unread: Option<bool>,
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Items per page, 1–100 (default 20).
    pub limit: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCount {
    pub unread_count: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Updated {
    /// Notifications changed by the request.
    pub updated: u64,
}

/// The effective setting of one type on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PreferenceView {
    #[serde(rename = "type")]
    pub kind: NotificationKind,
    pub channel: Channel,
    pub enabled: bool,
}

/// Every type × channel with its effective value (a stored choice or the default).
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesView {
    pub preferences: Vec<PreferenceView>,
}

/// One change; `type` and `channel` are checked against the known names (422 otherwise).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferenceInput {
    #[serde(rename = "type")]
    pub kind: String,
    pub channel: String,
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePreferences {
    pub preferences: Vec<PreferenceInput>,
}

/// A `system` notification from an operator, to one user or (without `user_id`) to every active user.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminSend {
    pub user_id: Option<Uuid>,
    #[validate(length(min = 1, max = 200))]
    pub title: String,
    #[validate(length(min = 1, max = 5000))]
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminSendResult {
    /// Users the notification was addressed to.
    pub recipients: u64,
    /// Notifications stored (users who turned off in-app `system` notifications get none).
    pub stored: u64,
}
