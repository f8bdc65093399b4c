//! Task workers: every instance runs `PUNDIT_AGENT_WORKERS` of them. Each claims a task, runs
//! it under its timeout while renewing the lease, and records one outcome. On shutdown a
//! running task is released to the queue, to be finished later by this or another instance.

use std::time::{Duration, Instant};

use sea_orm::DatabaseBackend;
use serde_json::json;
use tokio::time::MissedTickBehavior;
use uuid::Uuid;

use super::{emit, events, performance, queue, runners, store, workflows};
use crate::{db::entities::agent_task, state::AppState};

pub fn start(state: &AppState) {
    for n in 0..state.config.agent_workers {
        let worker_state = state.clone();
        state.agents.workers().spawn(async move {
            tracing::debug!(worker = n, "agent worker started");
            work(worker_state).await;
        });
    }
}

fn lease(state: &AppState) -> Duration {
    state.config.agent_lease.max(Duration::from_secs(1))
}

async fn work(state: AppState) {
    let mut sweeps = 0_u32;
    loop {
        if state.shutdown.is_cancelled() {
            return;
        }
        match claim(&state).await {
            Ok(Some((task, claim))) => {
                run_claimed(&state, task, &claim).await;
                continue;
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "agent task claim failed"),
        }
        // Now and then, close out tasks whose workers kept dying.
        sweeps = sweeps.wrapping_add(1);
        if sweeps.is_multiple_of(30) {
            sweep_abandoned(&state).await;
        }
        tokio::select! {
            () = state.shutdown.cancelled() => return,
            () = state.agents.tasks_wanted() => {}
            () = tokio::time::sleep(state.config.agent_poll_interval.max(Duration::from_millis(100))) => {}
        }
    }
}

async fn claim(state: &AppState) -> Result<Option<(agent_task::Model, String)>, sea_orm::DbErr> {
    let claim = Uuid::new_v4().to_string();
    let task = if state.db.get_database_backend() == DatabaseBackend::Sqlite {
        let _single_writer = state.agents.claim_lock().lock().await;
        queue::claim(&state.db, &claim, lease(state)).await?
    } else {
        queue::claim(&state.db, &claim, lease(state)).await?
    };
    Ok(task.map(|t| (t, claim)))
}

async fn sweep_abandoned(state: &AppState) {
    match queue::fail_abandoned(&state.db).await {
        Ok(failed) => {
            for task in failed {
                after_finish(state, &task, Duration::ZERO).await;
            }
        }
        Err(e) => tracing::warn!(error = %e, "abandoned agent tasks not swept"),
    }
}

async fn run_claimed(state: &AppState, task: agent_task::Model, claim: &str) {
    emit::task_update(state, &task).await;
    let started = Instant::now();
    let outcome = match store::get(state, task.agent_id).await {
        Ok(agent) => {
            let timeout = Duration::from_secs(u64::try_from(task.timeout_secs.max(1)).unwrap_or(120));
            let work = runners::run(state, &agent, &task);
            tokio::pin!(work);
            let deadline = tokio::time::sleep(timeout);
            tokio::pin!(deadline);
            let mut beat = tokio::time::interval(lease(state) / 3);
            beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
            beat.tick().await;
            loop {
                tokio::select! {
                    result = &mut work => break match result {
                        Ok(value) => queue::Outcome::Completed(value),
                        Err(error) => queue::Outcome::Failed(error),
                    },
                    () = &mut deadline => break queue::Outcome::Failed(format!("timed out after {}s", timeout.as_secs())),
                    () = state.shutdown.cancelled() => break queue::Outcome::Released,
                    _ = beat.tick() => match queue::heartbeat(&state.db, task.id, claim, lease(state)).await {
                        Ok(true) => {}
                        Ok(false) => {
                            // Cancelled, or retaken after this worker stalled: stop working on it.
                            tracing::info!(task = %task.id, "agent task lost its lease; abandoning this attempt");
                            return;
                        }
                        Err(e) => tracing::warn!(error = %e, task = %task.id, "lease not renewed"),
                    },
                }
            }
        }
        Err(e) => queue::Outcome::Failed(format!("agent unavailable: {e}")),
    };
    let released = matches!(outcome, queue::Outcome::Released);
    match queue::finish(&state.db, task.id, claim, outcome).await {
        Ok(Some(done)) if !released => after_finish(state, &done, started.elapsed()).await,
        Ok(Some(_)) => tracing::info!(task = %task.id, "agent task released for another worker"),
        Ok(None) => tracing::info!(task = %task.id, "agent task finished elsewhere; this result was dropped"),
        Err(e) => {
            tracing::warn!(error = %e, task = %task.id, "agent task outcome not stored; its lease will expire")
        }
    }
}

/// Announces the task's new state, records it on the agent, and moves its workflow on.
async fn after_finish(state: &AppState, task: &agent_task::Model, took: Duration) {
    emit::task_update(state, task).await;
    let status = task.status.as_str();
    metrics::counter!("pundit_agent_tasks_total", "type" => task.kind.clone(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("pundit_agent_task_seconds", "type" => task.kind.clone()).record(took.as_secs_f64());
    let data = json!({ "task_id": task.id, "type": task.kind, "attempts": task.attempts });
    match status {
        queue::COMPLETED => {
            events::note(
                state,
                task.agent_id,
                "task_completed",
                "info",
                &format!("{} completed", task.kind),
                data,
            )
            .await;
            store::record_run(state, task.agent_id, None).await;
        }
        queue::FAILED => {
            let error = task.error.clone().unwrap_or_default();
            events::note(
                state,
                task.agent_id,
                "task_failed",
                "error",
                &format!("{} failed: {error}", task.kind),
                data,
            )
            .await;
            emit::publish(
                state,
                task.agent_id,
                emit::ERROR,
                json!({ "task_id": task.id, "error": error }),
            )
            .await;
            store::record_run(state, task.agent_id, Some(error)).await;
        }
        _ => {
            let error = task.error.clone().unwrap_or_default();
            let message = format!(
                "{} attempt {} failed, retrying at {}: {error}",
                task.kind, task.attempts, task.run_at
            );
            events::note(state, task.agent_id, "task_retry", "warning", &message, data).await;
        }
    }
    if task.execution_id.is_some() && status != queue::PENDING {
        workflows::advance(state, task).await;
    }
    performance::announce(state, task.agent_id).await;
}
