//! Queues routine tasks of running agents and starts scheduled workflows when they are due.
//! Every instance runs the loop, but only the holder of a lease in the shared cache acts; the
//! conditional update of `next_run_at` keeps a hand-over from queuing anything twice.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};

use super::{queue, store, workflows};
use crate::{
    db::entities::{agent, agent_task, agent_workflow},
    error::ApiResult,
    state::AppState,
};

const LEASE: &str = "agents:scheduler";

pub fn start(state: &AppState) {
    let state = state.clone();
    let owner = uuid::Uuid::new_v4().to_string();
    tokio::spawn(async move {
        let tick = state
            .config
            .agent_poll_interval
            .max(std::time::Duration::from_millis(200));
        loop {
            match state.cache.lease(LEASE, &owner, tick * 5).await {
                Ok(true) => {
                    if let Err(e) = tick_once(&state).await {
                        tracing::warn!(error = %e, "agent scheduler round failed");
                    }
                }
                Ok(false) => {}
                Err(e) => tracing::debug!(error = %e, "scheduler lease unavailable"),
            }
            tokio::select! {
                () = state.shutdown.cancelled() => return,
                () = tokio::time::sleep(tick) => {}
            }
        }
    });
}

/// Moves `next_run_at` on from `due`; `false` when someone else already did.
async fn take_slot<E: EntityTrait>(
    state: &AppState,
    id: uuid::Uuid,
    id_col: E::Column,
    next_col: E::Column,
    due: DateTime<Utc>,
    next: Option<DateTime<Utc>>,
) -> ApiResult<bool>
where
    E::Column: ColumnTrait,
{
    let updated = E::update_many()
        .col_expr(next_col, Expr::value(next))
        .filter(id_col.eq(id))
        .filter(next_col.eq(due))
        .exec(&state.db)
        .await?;
    Ok(updated.rows_affected == 1)
}

pub async fn tick_once(state: &AppState) -> ApiResult<()> {
    let now = Utc::now();
    let due = agent::Entity::find()
        .filter(agent::Column::Status.is_in([store::RUNNING, store::ERROR]))
        .filter(agent::Column::NextRunAt.lte(now))
        .all(&state.db)
        .await?;
    for a in due {
        let Some(when) = a.next_run_at else { continue };
        let Ok(config) = store::config_of(&a) else {
            continue;
        };
        let next = store::next_run(&config);
        if !take_slot::<agent::Entity>(
            state,
            a.id,
            agent::Column::Id,
            agent::Column::NextRunAt,
            when,
            next,
        )
        .await?
        {
            continue;
        }
        // A routine task still waiting or running is not doubled up by a slow agent.
        let routine = store::routine_task(&a)?;
        let open = agent_task::Entity::find()
            .filter(agent_task::Column::AgentId.eq(a.id))
            .filter(agent_task::Column::Kind.eq(routine.kind.clone()))
            .filter(agent_task::Column::ExecutionId.is_null())
            .filter(agent_task::Column::Status.is_in([queue::PENDING, queue::RUNNING]))
            .count(&state.db)
            .await?;
        if open == 0 {
            queue::enqueue(&state.db, routine).await?;
            state.agents.wake_workers();
        }
    }

    let workflows = agent_workflow::Entity::find()
        .filter(agent_workflow::Column::NextRunAt.lte(now))
        .all(&state.db)
        .await?;
    for w in workflows {
        let (Some(when), Some(every)) = (w.next_run_at, w.schedule_secs) else {
            continue;
        };
        let running = agent::Entity::find_by_id(w.agent_id)
            .one(&state.db)
            .await?
            .is_some_and(|a| a.status != store::STOPPED);
        if !running {
            continue;
        }
        let next = Some(now + Duration::seconds(i64::from(every)));
        if take_slot::<agent_workflow::Entity>(
            state,
            w.id,
            agent_workflow::Column::Id,
            agent_workflow::Column::NextRunAt,
            when,
            next,
        )
        .await?
        {
            workflows::start(state, &w).await?;
        }
    }
    Ok(())
}
