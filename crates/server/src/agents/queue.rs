//! The durable task queue. Workers claim the most urgent due task under a lease: on PostgreSQL
//! with `FOR UPDATE SKIP LOCKED`, so instances never take the same row; on SQLite through one
//! claim at a time (SQLite has a single writer anyway). A task whose worker died is taken again
//! once its lease has expired, and only the current claim may record a result, so it ends once.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, Set,
    Statement, sea_query::Expr, sea_query::ExprTrait,
};
use serde_json::Value;
use uuid::Uuid;

use crate::db::entities::agent_task;

pub const PENDING: &str = "pending";
pub const RUNNING: &str = "running";
pub const COMPLETED: &str = "completed";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";

/// A task to queue.
pub struct NewTask {
    pub agent_id: Uuid,
    pub kind: String,
    pub params: Value,
    pub priority: i32,
    pub max_attempts: i32,
    pub timeout_secs: i32,
    pub execution_id: Option<Uuid>,
    pub step: Option<i32>,
}

pub async fn enqueue(db: &impl ConnectionTrait, task: NewTask) -> Result<agent_task::Model, DbErr> {
    let now = Utc::now();
    agent_task::ActiveModel {
        id: Set(Uuid::now_v7()),
        agent_id: Set(task.agent_id),
        kind: Set(task.kind),
        params: Set(task.params),
        priority: Set(task.priority),
        status: Set(PENDING.into()),
        attempts: Set(0),
        max_attempts: Set(task.max_attempts),
        timeout_secs: Set(task.timeout_secs),
        run_at: Set(now),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        result: Set(None),
        error: Set(None),
        execution_id: Set(task.execution_id),
        step: Set(task.step),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
    }
    .insert(db)
    .await
}

/// Which tasks may be claimed at `{now}`: of a running agent, pending and due, or running with
/// an expired lease and attempts left; the most urgent first.
const CLAIMABLE: &str = "SELECT t.id FROM agent_tasks t JOIN agents a ON a.id = t.agent_id \
     WHERE a.status IN ('running', 'error') AND ((t.status = 'pending' AND t.run_at <= {now}) \
       OR (t.status = 'running' AND t.lease_expires_at < {now} AND t.attempts < t.max_attempts)) \
     ORDER BY t.priority DESC, t.run_at, t.id LIMIT 1";

/// Takes the most urgent claimable task. `claim` identifies this attempt; it must be new each time.
///
/// PostgreSQL: one `UPDATE ... RETURNING` whose row is picked `FOR UPDATE SKIP LOCKED`, so
/// instances never take the same task. SQLite (callers hold the process's claim lock): look
/// first and write only when there is something to take, so idle workers never hold SQLite's
/// single write lock, then claim that row if it is still claimable.
pub async fn claim(
    db: &impl ConnectionTrait,
    claim: &str,
    lease: std::time::Duration,
) -> Result<Option<agent_task::Model>, DbErr> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let expires = now + Duration::from_std(lease).unwrap_or(Duration::seconds(30));
    let set = "UPDATE agent_tasks SET status = 'running', lease_owner = {owner}, lease_expires_at = {expires}, \
         attempts = attempts + 1, started_at = {start}";
    let (sql, values): (String, Vec<sea_orm::Value>) = if backend == DatabaseBackend::Postgres {
        let pick = CLAIMABLE.replace("{now}", "$3");
        let update = set
            .replace("{owner}", "$1")
            .replace("{expires}", "$2")
            .replace("{start}", "$3");
        (
            format!("{update} WHERE id = ({pick} FOR UPDATE OF t SKIP LOCKED) RETURNING *"),
            vec![claim.into(), expires.into(), now.into()],
        )
    } else {
        let pick = CLAIMABLE.replace("{now}", "?");
        let found = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                pick.clone(),
                [now.into(), now.into()],
            ))
            .await?;
        let Some(id) = found.map(|row| row.try_get::<Uuid>("", "id")).transpose()? else {
            return Ok(None);
        };
        let update = set
            .replace("{owner}", "?")
            .replace("{expires}", "?")
            .replace("{start}", "?");
        // `?` are numbered by position: each value is bound where it appears.
        (
            format!("{update} WHERE id = ? AND id IN ({pick}) RETURNING *"),
            vec![
                claim.into(),
                expires.into(),
                now.into(),
                id.into(),
                now.into(),
                now.into(),
            ],
        )
    };
    agent_task::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .one(db)
        .await
}

/// Fails running tasks whose lease expired with no attempts left (their worker died each time).
pub async fn fail_abandoned(db: &impl ConnectionTrait) -> Result<Vec<agent_task::Model>, DbErr> {
    let now = Utc::now();
    let abandoned = agent_task::Entity::find()
        .filter(agent_task::Column::Status.eq(RUNNING))
        .filter(agent_task::Column::LeaseExpiresAt.lt(now))
        .filter(Expr::col(agent_task::Column::Attempts).gte(Expr::col(agent_task::Column::MaxAttempts)))
        .all(db)
        .await?;
    let mut failed = Vec::new();
    for task in abandoned {
        let Some(owner) = task.lease_owner.clone() else {
            continue;
        };
        if let Some(done) = finish(
            db,
            task.id,
            &owner,
            Outcome::Failed("the worker stopped responding".into()),
        )
        .await?
        {
            failed.push(done);
        }
    }
    Ok(failed)
}

/// Extends the lease; `false` when the claim no longer holds the task (retaken or cancelled).
pub async fn heartbeat(
    db: &impl ConnectionTrait,
    id: Uuid,
    claim: &str,
    lease: std::time::Duration,
) -> Result<bool, DbErr> {
    let expires = Utc::now() + Duration::from_std(lease).unwrap_or(Duration::seconds(30));
    let updated = agent_task::Entity::update_many()
        .col_expr(agent_task::Column::LeaseExpiresAt, Expr::value(expires))
        .filter(agent_task::Column::Id.eq(id))
        .filter(agent_task::Column::LeaseOwner.eq(claim))
        .filter(agent_task::Column::Status.eq(RUNNING))
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// How an attempt ended.
pub enum Outcome {
    Completed(Value),
    /// Retried after a backoff while attempts remain.
    Failed(String),
    /// Shutting down: back to the queue for another worker, the attempt not counted.
    Released,
}

/// Seconds before retry `attempt` (1-based): 2, 4, 8, ... capped at five minutes.
pub fn backoff(attempt: i32) -> Duration {
    let exp = u32::try_from(attempt.clamp(1, 9) - 1).unwrap_or(0);
    Duration::seconds(std::cmp::min(2_i64 << exp, 300))
}

/// Records how the attempt held by `claim` ended; `None` when the claim lost the task, so a
/// task taken over by another worker keeps the one result its current holder records.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    claim: &str,
    outcome: Outcome,
) -> Result<Option<agent_task::Model>, DbErr> {
    let Some(task) = agent_task::Entity::find_by_id(id)
        .filter(agent_task::Column::LeaseOwner.eq(claim))
        .filter(agent_task::Column::Status.eq(RUNNING))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    let mut update = agent_task::Entity::update_many()
        .col_expr(
            agent_task::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            agent_task::Column::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    update = match outcome {
        Outcome::Completed(result) => update
            .col_expr(agent_task::Column::Status, Expr::value(COMPLETED))
            .col_expr(agent_task::Column::Result, Expr::value(result))
            .col_expr(agent_task::Column::Error, Expr::value(Option::<String>::None))
            .col_expr(agent_task::Column::FinishedAt, Expr::value(now)),
        Outcome::Failed(error) if task.attempts < task.max_attempts => update
            .col_expr(agent_task::Column::Status, Expr::value(PENDING))
            .col_expr(agent_task::Column::Error, Expr::value(error))
            .col_expr(
                agent_task::Column::RunAt,
                Expr::value(now + backoff(task.attempts)),
            ),
        Outcome::Failed(error) => update
            .col_expr(agent_task::Column::Status, Expr::value(FAILED))
            .col_expr(agent_task::Column::Error, Expr::value(error))
            .col_expr(agent_task::Column::FinishedAt, Expr::value(now)),
        Outcome::Released => update
            .col_expr(agent_task::Column::Status, Expr::value(PENDING))
            .col_expr(
                agent_task::Column::Attempts,
                Expr::value(task.attempts.saturating_sub(1)),
            )
            .col_expr(agent_task::Column::RunAt, Expr::value(now)),
    };
    let updated = update
        .filter(agent_task::Column::Id.eq(id))
        .filter(agent_task::Column::LeaseOwner.eq(claim))
        .filter(agent_task::Column::Status.eq(RUNNING))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Ok(None);
    }
    agent_task::Entity::find_by_id(id).one(db).await
}

/// Cancels a task that has not finished; `None` when it already had.
pub async fn cancel(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<agent_task::Model>, DbErr> {
    let updated = agent_task::Entity::update_many()
        .col_expr(agent_task::Column::Status, Expr::value(CANCELLED))
        .col_expr(
            agent_task::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            agent_task::Column::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(agent_task::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(agent_task::Column::Id.eq(id))
        .filter(agent_task::Column::Status.is_in([PENDING, RUNNING]))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Ok(None);
    }
    agent_task::Entity::find_by_id(id).one(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(1), Duration::seconds(2));
        assert_eq!(backoff(2), Duration::seconds(4));
        assert_eq!(backoff(4), Duration::seconds(16));
        assert_eq!(backoff(50), Duration::seconds(300));
    }
}
