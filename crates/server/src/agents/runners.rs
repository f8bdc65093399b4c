//! What each task type does. A runner returns the task's result (JSON) or why it failed.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, Utc};
use pundit_model::ModelName;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{emit, events, kinds::TaskType};
use crate::{
    bus::Event,
    db::entities::{agent, agent_task, football_match as fm, pick},
    forecasts::service,
    insights::{self, store::NewInsight, types::InsightView},
    matches::store as matches,
    monitoring,
    notifications::{self, NotificationKind},
    state::AppState,
};

/// Most matches one task works through.
const MAX_MATCHES: u64 = 500;

pub type RunResult = Result<Value, String>;

fn text(params: &Value, key: &str) -> Option<String> {
    params.get(key).and_then(Value::as_str).map(str::to_string)
}

fn whole(params: &Value, key: &str, default: i64) -> i64 {
    params.get(key).and_then(Value::as_i64).unwrap_or(default)
}

pub async fn run(state: &AppState, a: &agent::Model, task: &agent_task::Model) -> RunResult {
    let Some(kind) = TaskType::parse(&task.kind) else {
        return Err(format!("unknown task type {}", task.kind));
    };
    let p = &task.params;
    match kind {
        TaskType::RefreshForecasts => refresh_forecasts(state, p).await,
        TaskType::WriteInsights => write_insights(state, a, p).await,
        TaskType::CheckDrift => check_drift(state, a, p).await,
        TaskType::IngestLive => ingest_live(state, p).await,
        TaskType::SendDigest => send_digest(state, p).await,
        TaskType::RemoteTask => remote_task(state, a, task).await,
        TaskType::RemoteInsights => remote_insights(state, a, p).await,
    }
}

/// Scheduled matches from now to `days` ahead, optionally in one competition, soonest first.
async fn upcoming(
    state: &AppState,
    competition: Option<&str>,
    days: i64,
    limit: u64,
) -> Result<Vec<fm::Model>, String> {
    let now = Utc::now();
    let mut query = fm::Entity::find()
        .filter(fm::Column::Status.eq("scheduled"))
        .filter(fm::Column::KickoffAt.gte(now - Duration::hours(3)))
        .filter(fm::Column::KickoffAt.lte(now + Duration::days(days)));
    if let Some(key) = competition {
        let c = matches::competition(&state.db, key)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no competition {key}"))?;
        query = query.filter(fm::Column::CompetitionId.eq(c.id));
    }
    query
        .order_by_asc(fm::Column::KickoffAt)
        .limit(limit)
        .all(&state.db)
        .await
        .map_err(|e| e.to_string())
}

/// Refits each competition with upcoming matches on its latest results and pushes the new
/// forecasts to the match rooms (`prediction:update`).
async fn refresh_forecasts(state: &AppState, p: &Value) -> RunResult {
    let model = text(p, "model")
        .and_then(|m| m.parse::<ModelName>().ok())
        .unwrap_or(ModelName::Best);
    let fixtures = upcoming(
        state,
        text(p, "competition").as_deref(),
        whole(p, "days_ahead", 7),
        MAX_MATCHES,
    )
    .await?;
    let competitions: BTreeSet<i32> = fixtures.iter().map(|m| m.competition_id).collect();
    for c in &competitions {
        state.forecasts.invalidate(*c);
    }
    let (mut refreshed, mut errors) = (0, Vec::new());
    for m in &fixtures {
        match service::for_match(state, m, model).await {
            Ok(served) => {
                refreshed += 1;
                if let Ok(forecast) = serde_json::from_slice::<Value>(&served.json) {
                    let payload = json!({ "match_id": m.id, "forecast": forecast });
                    state
                        .bus
                        .publish(Event::new(
                            format!("match:{}", m.id),
                            "prediction:update",
                            payload,
                        ))
                        .await;
                }
            }
            Err(e) => errors.push(json!({ "match_id": m.id, "error": e.to_string() })),
        }
    }
    if refreshed == 0 && !errors.is_empty() {
        return Err(format!(
            "no forecast could be made ({} matches failed)",
            errors.len()
        ));
    }
    Ok(json!({
        "model": model.as_str(),
        "competitions": competitions.len(),
        "matches": fixtures.len(),
        "refreshed": refreshed,
        "failed": errors.len(),
        "errors": errors.into_iter().take(5).collect::<Vec<_>>(),
    }))
}

/// Writes an insight for one match, or for the next upcoming ones, and sends each to the
/// agent's room (`agentInsight`).
async fn write_insights(state: &AppState, a: &agent::Model, p: &Value) -> RunResult {
    let ids: Vec<i32> = match p.get("match_id").and_then(Value::as_i64) {
        Some(id) => vec![i32::try_from(id).map_err(|_| "match_id out of range".to_string())?],
        None => upcoming(
            state,
            text(p, "competition").as_deref(),
            whole(p, "days_ahead", 3),
            u64::try_from(whole(p, "max_matches", 10)).unwrap_or(10),
        )
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect(),
    };
    let (mut llm, mut deterministic, mut errors) = (0, 0, Vec::new());
    for id in &ids {
        match insights::generate(state, *id, Some(a.id)).await {
            Ok(insight) => {
                if insight.source == "llm" {
                    llm += 1;
                } else {
                    deterministic += 1;
                }
                announce_insight(state, a.id, insight).await;
            }
            Err(e) => errors.push(json!({ "match_id": id, "error": e.to_string() })),
        }
    }
    if llm + deterministic == 0 && !errors.is_empty() {
        return Err(format!(
            "no insight could be written ({} matches failed)",
            errors.len()
        ));
    }
    Ok(json!({
        "matches": ids.len(),
        "written": llm + deterministic,
        "llm": llm,
        "deterministic": deterministic,
        "failed": errors.len(),
        "errors": errors.into_iter().take(5).collect::<Vec<_>>(),
    }))
}

async fn announce_insight(state: &AppState, agent_id: Uuid, insight: crate::db::entities::insight::Model) {
    let view = InsightView::from(insight);
    emit::publish(state, agent_id, emit::INSIGHT, json!({ "insight": view })).await;
}

/// Runs the drift checks (one competition, or all) and reports each alert as an event of the
/// alert's severity; the alerts themselves are stored and sent to admins by `monitoring`.
async fn check_drift(state: &AppState, a: &agent::Model, p: &Value) -> RunResult {
    let alerts = match text(p, "competition") {
        Some(key) => {
            let c = matches::competition(&state.db, &key)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no competition {key}"))?;
            monitoring::drift::check(state, c.id).await
        }
        None => monitoring::drift::check_all(state).await,
    }
    .map_err(|e| e.to_string())?;
    for alert in &alerts {
        let severity = match alert.severity.as_str() {
            "critical" => "critical",
            "warning" => "warning",
            _ => "info",
        };
        events::note(
            state,
            a.id,
            "drift_alert",
            severity,
            &alert.message,
            json!({ "alert": alert }),
        )
        .await;
    }
    Ok(json!({
        "alerts": alerts.len(),
        "critical": alerts.iter().filter(|x| x.severity == "critical").count(),
        "kinds": alerts.iter().map(|x| x.kind.as_str()).collect::<BTreeSet<_>>(),
    }))
}

/// One polling round of the live providers (scores, minute, events of today's matches).
async fn ingest_live(state: &AppState, p: &Value) -> RunResult {
    let upcoming = p.get("upcoming").and_then(Value::as_bool).unwrap_or(true);
    let polls = crate::live::poller::poll_round(state, &state.live, upcoming)
        .await
        .map_err(|e| e.to_string())?;
    Ok(json!({ "polls": polls, "upcoming": upcoming }))
}

/// Tells each player what kicks off in the next hours among the matches they picked.
async fn send_digest(state: &AppState, p: &Value) -> RunResult {
    let hours = whole(p, "hours_ahead", 24);
    let fixtures = upcoming(state, None, (hours + 23) / 24, MAX_MATCHES).await?;
    let horizon = Utc::now() + Duration::hours(hours);
    let ids: Vec<i32> = fixtures
        .iter()
        .filter(|m| m.kickoff_at <= horizon)
        .map(|m| m.id)
        .collect();
    let picks = pick::Entity::find()
        .filter(pick::Column::MatchId.is_in(ids.clone()))
        .filter(pick::Column::Status.eq("pending"))
        .all(&state.db)
        .await
        .map_err(|e| e.to_string())?;
    let mut per_user: HashMap<Uuid, BTreeSet<i32>> = HashMap::new();
    for pk in picks {
        per_user.entry(pk.user_id).or_default().insert(pk.match_id);
    }
    let mut notified = 0;
    for (user, picked) in &per_user {
        let body = format!(
            "{} of your picked matches kick off in the next {hours} hours ({} matches in all). Picks lock at kick-off.",
            picked.len(),
            ids.len()
        );
        let data = json!({ "match_ids": picked, "hours_ahead": hours });
        match notifications::notify(
            state,
            *user,
            NotificationKind::System,
            "Your matchday digest",
            &body,
            data,
        )
        .await
        {
            Ok(_) => notified += 1,
            Err(e) => tracing::warn!(error = %e, user = %user, "digest not sent"),
        }
    }
    Ok(json!({ "matches": ids.len(), "users_notified": notified }))
}

fn remote_of(
    state: &AppState,
    a: &agent::Model,
) -> Result<(std::sync::Arc<super::remote::AgentOs>, String), String> {
    let os = state
        .agents
        .remote()
        .ok_or("no Agent OS is configured (AGENT_OS_URL)")?
        .clone();
    let id = a
        .remote_id
        .clone()
        .ok_or("the agent is not registered with the Agent OS; start it")?;
    Ok((os, id))
}

async fn remote_task(state: &AppState, a: &agent::Model, task: &agent_task::Model) -> RunResult {
    let (os, id) = remote_of(state, a)?;
    let body = json!({
        "task_id": task.id,
        "task_type": task.params.get("type").and_then(Value::as_str).unwrap_or("analysis"),
        "input": task.params,
    });
    os.run_task(&id, &body).await
}

/// Fetches the Agent OS's insights on a match and stores them as this agent's.
async fn remote_insights(state: &AppState, a: &agent::Model, p: &Value) -> RunResult {
    let (os, _) = remote_of(state, a)?;
    let match_id = p
        .get("match_id")
        .and_then(Value::as_i64)
        .and_then(|id| i32::try_from(id).ok())
        .ok_or("match_id is required")?;
    matches::football_match(&state.db, match_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no match {match_id}"))?;
    let items = os.match_insights(match_id).await?;
    let mut stored = 0;
    for item in items {
        let field = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_string);
        let Some(content) = field("content")
            .or_else(|| field("text"))
            .or_else(|| item.as_str().map(str::to_string))
        else {
            continue;
        };
        let new = NewInsight {
            agent_id: Some(a.id),
            match_id: Some(match_id),
            kind: field("type").unwrap_or_else(|| "analysis".into()),
            title: field("title").unwrap_or_else(|| "Agent OS insight".into()),
            content,
            confidence: item.get("confidence").and_then(Value::as_f64).unwrap_or(0.5),
            source: "agent".into(),
            model: None,
            facts: Some(item.clone()),
        };
        let insight = insights::store::create(&state.db, new)
            .await
            .map_err(|e| e.to_string())?;
        announce_insight(state, a.id, insight).await;
        stored += 1;
    }
    Ok(json!({ "match_id": match_id, "stored": stored }))
}
