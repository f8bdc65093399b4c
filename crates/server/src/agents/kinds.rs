//! The built-in agent kinds, the task types they run, and how their settings are checked.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::error::ApiError;

/// What an agent does on its schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentKind {
    /// Refreshes forecasts of upcoming matches.
    Forecaster,
    /// Writes match insights (LLM, or the deterministic writer).
    Analyst,
    /// Runs model drift checks.
    Monitor,
    /// Pulls live data from the providers.
    Ingestor,
    /// Sends users a digest of their coming matches and open picks.
    Notifier,
    /// Delegates its tasks to the remote Agent OS.
    Remote,
}

impl AgentKind {
    pub const ALL: [Self; 6] = [
        Self::Forecaster,
        Self::Analyst,
        Self::Monitor,
        Self::Ingestor,
        Self::Notifier,
        Self::Remote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forecaster => "forecaster",
            Self::Analyst => "analyst",
            Self::Monitor => "monitor",
            Self::Ingestor => "ingestor",
            Self::Notifier => "notifier",
            Self::Remote => "remote",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The task the scheduler queues every `interval_secs`.
    pub fn routine(self) -> TaskType {
        match self {
            Self::Forecaster => TaskType::RefreshForecasts,
            Self::Analyst => TaskType::WriteInsights,
            Self::Monitor => TaskType::CheckDrift,
            Self::Ingestor => TaskType::IngestLive,
            Self::Notifier => TaskType::SendDigest,
            Self::Remote => TaskType::RemoteTask,
        }
    }
}

/// A unit of work a task row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskType {
    RefreshForecasts,
    WriteInsights,
    CheckDrift,
    IngestLive,
    SendDigest,
    /// Sent to the Agent OS as it is.
    RemoteTask,
    /// Fetches the Agent OS's insights for a match and stores them.
    RemoteInsights,
}

impl TaskType {
    pub const ALL: [Self; 7] = [
        Self::RefreshForecasts,
        Self::WriteInsights,
        Self::CheckDrift,
        Self::IngestLive,
        Self::SendDigest,
        Self::RemoteTask,
        Self::RemoteInsights,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RefreshForecasts => "refresh_forecasts",
            Self::WriteInsights => "write_insights",
            Self::CheckDrift => "check_drift",
            Self::IngestLive => "ingest_live",
            Self::SendDigest => "send_digest",
            Self::RemoteTask => "remote_task",
            Self::RemoteInsights => "remote_insights",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    fn is_remote(self) -> bool {
        matches!(self, Self::RemoteTask | Self::RemoteInsights)
    }

    /// Whether an agent of `kind` may run this type: remote work needs a remote agent, and a
    /// remote agent only delegates.
    pub fn allowed_for(self, kind: AgentKind) -> bool {
        self.is_remote() == (kind == AgentKind::Remote)
    }
}

/// Settings every agent has, next to its kind's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    /// Seconds between routine tasks; absent or 0: only tasks queued by hand or by workflows.
    #[serde(default)]
    pub interval_secs: u32,
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u32,
    /// Parameters of the routine task (checked like a task's).
    #[serde(default = "empty_object")]
    pub params: Value,
}

fn default_max_attempts() -> u32 {
    3
}

fn default_timeout_secs() -> u32 {
    120
}

fn empty_object() -> Value {
    json!({})
}

pub const MIN_INTERVAL_SECS: u32 = 5;
pub const MAX_INTERVAL_SECS: u32 = 7 * 24 * 3600;
pub const MAX_ATTEMPTS: u32 = 10;
pub const MAX_TIMEOUT_SECS: u32 = 3600;

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::invalid_field(field, "invalid", message)
}

impl AgentConfig {
    /// Parses and checks `config` for an agent of `kind`.
    pub fn parse(kind: AgentKind, config: &Value) -> Result<Self, ApiError> {
        let parsed: Self = serde_json::from_value(config.clone())
            .map_err(|e| invalid("config", &format!("unreadable config: {e}")))?;
        if parsed.interval_secs != 0
            && !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&parsed.interval_secs)
        {
            return Err(invalid(
                "config.interval_secs",
                &format!("0 (no schedule) or {MIN_INTERVAL_SECS} to {MAX_INTERVAL_SECS} seconds"),
            ));
        }
        if !(1..=MAX_ATTEMPTS).contains(&parsed.max_attempts) {
            return Err(invalid("config.max_attempts", &format!("1 to {MAX_ATTEMPTS}")));
        }
        if !(1..=MAX_TIMEOUT_SECS).contains(&parsed.timeout_secs) {
            return Err(invalid(
                "config.timeout_secs",
                &format!("1 to {MAX_TIMEOUT_SECS} seconds"),
            ));
        }
        check_params(kind.routine(), &parsed.params).map_err(|e| prefix(e, "config.params"))?;
        Ok(parsed)
    }
}

fn prefix(e: ApiError, field: &str) -> ApiError {
    match e {
        ApiError::Validation(details) => {
            let message = details
                .pointer("/fields")
                .and_then(Value::as_object)
                .and_then(|f| f.values().next())
                .and_then(|v| v.pointer("/0/message"))
                .and_then(Value::as_str)
                .unwrap_or("invalid")
                .to_string();
            invalid(field, &message)
        }
        other => other,
    }
}

/// Checks a task's parameters: only known keys, with values of the right shape.
pub fn check_params(task: TaskType, params: &Value) -> Result<(), ApiError> {
    let Some(map) = params.as_object() else {
        return Err(invalid("params", "an object"));
    };
    let allowed: &[&str] = match task {
        TaskType::RefreshForecasts => &["competition", "days_ahead", "model"],
        TaskType::WriteInsights => &["competition", "days_ahead", "max_matches", "match_id"],
        TaskType::CheckDrift => &["competition"],
        TaskType::IngestLive => &["upcoming"],
        TaskType::SendDigest => &["hours_ahead"],
        // Passed through to the Agent OS, which validates its own tasks.
        TaskType::RemoteTask => return Ok(()),
        TaskType::RemoteInsights => &["match_id"],
    };
    if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(
            "params",
            &format!(
                "unknown parameter `{unknown}` for {} (allowed: {})",
                task.as_str(),
                allowed.join(", ")
            ),
        ));
    }
    number(map, "days_ahead", 1, 60)?;
    number(map, "max_matches", 1, 100)?;
    number(map, "hours_ahead", 1, 168)?;
    number(map, "match_id", 1, i64::from(i32::MAX))?;
    if task == TaskType::RemoteInsights && !map.contains_key("match_id") {
        return Err(invalid("params.match_id", "required"));
    }
    for text in ["competition", "model"] {
        if map.get(text).is_some_and(|v| !v.is_string()) {
            return Err(invalid(&format!("params.{text}"), "a string"));
        }
    }
    if let Some(model) = map.get("model").and_then(Value::as_str)
        && model.parse::<pundit_model::ModelName>().is_err()
    {
        return Err(invalid("params.model", "an unknown model"));
    }
    if map.get("upcoming").is_some_and(|v| !v.is_boolean()) {
        return Err(invalid("params.upcoming", "true or false"));
    }
    Ok(())
}

fn number(map: &Map<String, Value>, key: &str, min: i64, max: i64) -> Result<(), ApiError> {
    match map.get(key) {
        None => Ok(()),
        Some(v) if v.as_i64().is_some_and(|n| (min..=max).contains(&n)) => Ok(()),
        Some(_) => Err(invalid(
            &format!("params.{key}"),
            &format!("a whole number from {min} to {max}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn config_defaults_and_limits() {
        let c = AgentConfig::parse(AgentKind::Forecaster, &json!({})).unwrap();
        assert_eq!((c.interval_secs, c.max_attempts, c.timeout_secs), (0, 3, 120));
        assert!(AgentConfig::parse(AgentKind::Forecaster, &json!({ "interval_secs": 2 })).is_err());
        assert!(AgentConfig::parse(AgentKind::Forecaster, &json!({ "colour": "red" })).is_err());
        assert!(
            AgentConfig::parse(AgentKind::Forecaster, &json!({ "params": { "days_ahead": 0 } })).is_err()
        );
        assert!(
            AgentConfig::parse(AgentKind::Forecaster, &json!({ "params": { "model": "nope" } })).is_err()
        );
        assert!(AgentConfig::parse(AgentKind::Monitor, &json!({ "params": { "days_ahead": 3 } })).is_err());
        AgentConfig::parse(
            AgentKind::Analyst,
            &json!({ "interval_secs": 60, "params": { "max_matches": 5 } }),
        )
        .unwrap();
    }

    #[test]
    fn remote_work_only_on_remote_agents() {
        assert!(TaskType::RemoteTask.allowed_for(AgentKind::Remote));
        assert!(!TaskType::RemoteTask.allowed_for(AgentKind::Forecaster));
        assert!(!TaskType::RefreshForecasts.allowed_for(AgentKind::Remote));
        assert!(TaskType::WriteInsights.allowed_for(AgentKind::Forecaster));
        assert!(check_params(TaskType::RemoteInsights, &json!({})).is_err());
    }
}
