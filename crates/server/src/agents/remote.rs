//! The optional remote Agent OS (`AGENT_OS_URL`), on the seeds' contract: `POST /agents`,
//! `GET /agents/{id}/status`, `POST /agents/{id}/tasks`, `GET /insights/match/{id}`.

use std::time::Duration;

use serde_json::{Value, json};

use crate::{
    db::entities::agent,
    outbound::{CallError, CircuitBreaker, JsonService},
};

pub struct AgentOs {
    service: JsonService,
}

fn describe(e: &CallError) -> String {
    format!("the Agent OS failed: {e}")
}

impl AgentOs {
    pub fn new(base: &str, timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            service: JsonService::new("agent-os", base, timeout)?,
        })
    }

    pub fn breaker(&self) -> &CircuitBreaker {
        self.service.breaker()
    }

    pub fn base(&self) -> &str {
        self.service.base()
    }

    /// Registers the agent; the Agent OS's id for it (`id` or `agent_id` in the answer).
    pub async fn create_agent(&self, a: &agent::Model) -> Result<String, String> {
        let body = json!({
            "name": a.name,
            "agent_type": a.config.pointer("/params/agent_type").and_then(Value::as_str).unwrap_or("general"),
            "config": a.config,
            "external_id": a.id,
        });
        let answer = self
            .service
            .call("/agents", Some(&body))
            .await
            .map_err(|e| describe(&e))?;
        ["id", "agent_id"]
            .iter()
            .find_map(|k| match answer.get(*k) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
            .ok_or_else(|| "the Agent OS answered without an agent id".to_string())
    }

    pub async fn status(&self, remote_id: &str) -> Result<Value, String> {
        self.service
            .call(&format!("/agents/{}/status", encode(remote_id)), None)
            .await
            .map_err(|e| describe(&e))
    }

    /// Runs a task there and returns its answer as the task's result.
    pub async fn run_task(&self, remote_id: &str, task: &Value) -> Result<Value, String> {
        self.service
            .call(&format!("/agents/{}/tasks", encode(remote_id)), Some(task))
            .await
            .map_err(|e| describe(&e))
    }

    /// The Agent OS's insights on a match (a list, or an object holding `insights`).
    pub async fn match_insights(&self, match_id: i32) -> Result<Vec<Value>, String> {
        let answer = self
            .service
            .call(&format!("/insights/match/{match_id}"), None)
            .await
            .map_err(|e| describe(&e))?;
        Ok(match answer {
            Value::Array(items) => items,
            Value::Object(mut map) => match map.remove("insights") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        })
    }
}

/// Ids come from another service: keep them inside one path segment.
fn encode(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect()
}
