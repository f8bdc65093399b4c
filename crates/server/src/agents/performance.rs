//! Per-agent performance from its task rows: success rate, latency percentiles, throughput,
//! and an hourly series.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, DurationRound, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use super::{
    emit, queue,
    types::{Latency, PerformanceBucket, PerformanceView},
};
use crate::{db::entities::agent_task, state::AppState};

/// Most finished tasks one report reads.
const MAX_TASKS: u64 = 20_000;

/// The `q` quantile (0..=1) of sorted values, nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

struct Finished {
    status: String,
    attempts: i32,
    started_at: Option<DateTime<Utc>>,
    finished_at: DateTime<Utc>,
}

impl Finished {
    fn millis(&self) -> Option<f64> {
        let started = self.started_at?;
        Some((self.finished_at - started).num_microseconds()? as f64 / 1000.0)
    }
}

fn latency(mut ms: Vec<f64>) -> Option<Latency> {
    if ms.is_empty() {
        return None;
    }
    ms.sort_by(f64::total_cmp);
    Some(Latency {
        p50_ms: quantile(&ms, 0.5),
        p90_ms: quantile(&ms, 0.9),
        p99_ms: quantile(&ms, 0.99),
        max_ms: ms[ms.len() - 1],
    })
}

fn report(agent_id: Uuid, hours: u32, tasks: &[Finished]) -> PerformanceView {
    let count = |status: &str| tasks.iter().filter(|t| t.status == status).count() as u64;
    let (completed, failed, cancelled) = (
        count(queue::COMPLETED),
        count(queue::FAILED),
        count(queue::CANCELLED),
    );
    let durations = |list: &mut dyn Iterator<Item = &Finished>| -> Vec<f64> {
        list.filter(|t| t.status == queue::COMPLETED)
            .filter_map(Finished::millis)
            .collect()
    };
    let mut hourly: BTreeMap<DateTime<Utc>, Vec<&Finished>> = BTreeMap::new();
    for t in tasks {
        let hour = t
            .finished_at
            .duration_trunc(Duration::hours(1))
            .unwrap_or(t.finished_at);
        hourly.entry(hour).or_default().push(t);
    }
    let series = hourly
        .into_iter()
        .map(|(hour, list)| PerformanceBucket {
            hour,
            completed: list.iter().filter(|t| t.status == queue::COMPLETED).count() as u64,
            failed: list.iter().filter(|t| t.status == queue::FAILED).count() as u64,
            p50_ms: latency(durations(&mut list.iter().copied())).map(|l| l.p50_ms),
        })
        .collect();
    PerformanceView {
        agent_id,
        hours,
        completed,
        failed,
        cancelled,
        success_rate: (completed + failed > 0).then(|| completed as f64 / (completed + failed) as f64),
        throughput_per_hour: completed as f64 / f64::from(hours.max(1)),
        latency: latency(durations(&mut tasks.iter())),
        retries: tasks
            .iter()
            .map(|t| u64::try_from(t.attempts.max(1) - 1).unwrap_or(0))
            .sum(),
        series,
    }
}

/// The agent's performance over the last `hours`.
pub async fn compute(
    state: &AppState,
    agent_id: Uuid,
    hours: u32,
) -> Result<PerformanceView, sea_orm::DbErr> {
    let since = Utc::now() - Duration::hours(i64::from(hours));
    let rows = agent_task::Entity::find()
        .filter(agent_task::Column::AgentId.eq(agent_id))
        .filter(agent_task::Column::FinishedAt.gte(since))
        .order_by_desc(agent_task::Column::FinishedAt)
        .limit(MAX_TASKS)
        .all(&state.db)
        .await?;
    let tasks: Vec<Finished> = rows
        .into_iter()
        .filter_map(|t| {
            Some(Finished {
                status: t.status,
                attempts: t.attempts,
                started_at: t.started_at,
                finished_at: t.finished_at?,
            })
        })
        .collect();
    Ok(report(agent_id, hours, &tasks))
}

/// Sends the last day's figures to the agent's room (`agentPerformanceUpdate`).
pub async fn announce(state: &AppState, agent_id: Uuid) {
    match compute(state, agent_id, 24).await {
        Ok(view) => {
            emit::publish(
                state,
                agent_id,
                emit::PERFORMANCE_UPDATE,
                json!({ "performance": view }),
            )
            .await
        }
        Err(e) => tracing::warn!(error = %e, %agent_id, "agent performance not computed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(status: &str, ms: i64, attempts: i32) -> Finished {
        let finished_at = Utc::now();
        Finished {
            status: status.into(),
            attempts,
            started_at: Some(finished_at - Duration::milliseconds(ms)),
            finished_at,
        }
    }

    #[test]
    fn rates_and_percentiles() {
        let mut tasks: Vec<Finished> = (1..=100).map(|ms| task(queue::COMPLETED, ms, 1)).collect();
        tasks.push(task(queue::FAILED, 5, 3));
        let view = report(Uuid::nil(), 10, &tasks);
        assert_eq!((view.completed, view.failed), (100, 1));
        assert!((view.success_rate.unwrap_or_default() - 100.0 / 101.0).abs() < 1e-12);
        let latency = view.latency.unwrap_or(Latency {
            p50_ms: 0.0,
            p90_ms: 0.0,
            p99_ms: 0.0,
            max_ms: 0.0,
        });
        assert!((latency.p50_ms - 50.0).abs() < 1e-6);
        assert!((latency.p90_ms - 90.0).abs() < 1e-6);
        assert!((latency.p99_ms - 99.0).abs() < 1e-6);
        assert!((view.throughput_per_hour - 10.0).abs() < 1e-12);
        assert_eq!(view.retries, 2);
    }

    #[test]
    fn empty_window_has_no_rates() {
        let view = report(Uuid::nil(), 24, &[]);
        assert!(view.success_rate.is_none() && view.latency.is_none());
    }
}
