//! Workflows: a named sequence of task steps. An execution queues one step at a time; a step
//! with a `when` condition on an earlier step's result is skipped when it does not hold, and a
//! failed step fails the execution.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    kinds::{TaskType, check_params},
    queue::{self, NewTask},
    store,
    types::{StepCondition, WorkflowStep},
};
use crate::{
    db::entities::{agent, agent_task, agent_workflow, workflow_execution},
    error::{ApiError, ApiResult},
    state::AppState,
};

pub const RUNNING: &str = "running";
const COMPLETED: &str = "completed";
const FAILED: &str = "failed";

const OPS: [&str; 6] = ["eq", "ne", "gt", "gte", "lt", "lte"];

/// Checks the steps against what the agent may run.
pub fn validate(a: &agent::Model, steps: &[WorkflowStep]) -> ApiResult<()> {
    let kind = store::kind_of(a)?;
    for (i, step) in steps.iter().enumerate() {
        let field = format!("steps[{i}]");
        let task = TaskType::parse(&step.kind)
            .filter(|t| t.allowed_for(kind))
            .ok_or_else(|| {
                ApiError::invalid_field(
                    &field,
                    "invalid",
                    &format!("a {} agent cannot run `{}`", kind.as_str(), step.kind),
                )
            })?;
        check_params(task, step.params.as_ref().unwrap_or(&json!({})))?;
        if let Some(when) = &step.when {
            if when.step >= i {
                return Err(ApiError::invalid_field(
                    &field,
                    "invalid",
                    "a condition can only look at an earlier step",
                ));
            }
            if !OPS.contains(&when.op.as_str()) {
                return Err(ApiError::invalid_field(
                    &field,
                    "invalid",
                    "op is one of eq, ne, gt, gte, lt, lte",
                ));
            }
        }
    }
    Ok(())
}

fn steps_of(w: &agent_workflow::Model) -> Vec<WorkflowStep> {
    serde_json::from_value(w.steps.clone()).unwrap_or_default()
}

/// Whether `when` holds for the results so far (a missing result or field does not hold).
pub fn holds(when: &StepCondition, results: &[Value]) -> bool {
    let pointer = format!("/{}", when.field.replace('.', "/"));
    let Some(actual) = results
        .get(when.step)
        .and_then(|r| r.pointer("/result"))
        .and_then(|r| r.pointer(&pointer))
    else {
        return false;
    };
    match (actual.as_f64(), when.value.as_f64()) {
        (Some(a), Some(b)) => match when.op.as_str() {
            "eq" => (a - b).abs() < f64::EPSILON,
            "ne" => (a - b).abs() >= f64::EPSILON,
            "gt" => a > b,
            "gte" => a >= b,
            "lt" => a < b,
            "lte" => a <= b,
            _ => false,
        },
        _ => match when.op.as_str() {
            "eq" => actual == &when.value,
            "ne" => actual != &when.value,
            _ => false,
        },
    }
}

/// Starts an execution of the workflow and queues its first runnable step.
pub async fn start(state: &AppState, w: &agent_workflow::Model) -> ApiResult<workflow_execution::Model> {
    let execution = workflow_execution::ActiveModel {
        id: Set(Uuid::now_v7()),
        workflow_id: Set(w.id),
        agent_id: Set(w.agent_id),
        status: Set(RUNNING.into()),
        current_step: Set(0),
        data: Set(json!({ "steps": [] })),
        error: Set(None),
        started_at: Set(Utc::now()),
        finished_at: Set(None),
    }
    .insert(&state.db)
    .await?;
    queue_from(state, w, execution, 0).await
}

/// Queues the first step at or after `from` whose condition holds, marking the others skipped;
/// completes the execution when none is left.
async fn queue_from(
    state: &AppState,
    w: &agent_workflow::Model,
    execution: workflow_execution::Model,
    from: usize,
) -> ApiResult<workflow_execution::Model> {
    let steps = steps_of(w);
    let mut results: Vec<Value> = execution
        .data
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let a = store::get(state, w.agent_id).await?;
    let config = store::config_of(&a)?;
    let mut next = from;
    while let Some(step) = steps.get(next) {
        if step.when.as_ref().is_none_or(|when| holds(when, &results)) {
            break;
        }
        results.resize(next, Value::Null);
        results.push(json!({ "type": step.kind, "status": "skipped" }));
        next += 1;
    }
    let mut row = execution.into_active_model();
    row.current_step = Set(i32::try_from(next).unwrap_or(i32::MAX));
    match steps.get(next) {
        Some(step) => {
            results.resize(next, Value::Null);
            results.push(json!({ "type": step.kind, "status": "queued" }));
            row.data = Set(json!({ "steps": results }));
            let execution = row.update(&state.db).await?;
            queue::enqueue(
                &state.db,
                NewTask {
                    agent_id: w.agent_id,
                    kind: step.kind.clone(),
                    params: step.params.clone().unwrap_or_else(|| json!({})),
                    priority: 0,
                    max_attempts: i32::try_from(config.max_attempts).unwrap_or(3),
                    timeout_secs: i32::try_from(config.timeout_secs).unwrap_or(120),
                    execution_id: Some(execution.id),
                    step: Some(i32::try_from(next).unwrap_or(i32::MAX)),
                },
            )
            .await?;
            state.agents.wake_workers();
            Ok(execution)
        }
        None => {
            // Done: the current step stays on the last one.
            row.current_step = Set(i32::try_from(steps.len().saturating_sub(1)).unwrap_or(i32::MAX));
            row.data = Set(json!({ "steps": results }));
            row.status = Set(COMPLETED.into());
            row.finished_at = Set(Some(Utc::now()));
            Ok(row.update(&state.db).await?)
        }
    }
}

/// A step's task finished: record it and queue the next step, or end the execution.
pub async fn advance(state: &AppState, task: &agent_task::Model) {
    if let Err(e) = try_advance(state, task).await {
        tracing::warn!(error = %e, task = %task.id, "workflow not advanced");
    }
}

async fn try_advance(state: &AppState, task: &agent_task::Model) -> ApiResult<()> {
    let (Some(execution_id), Some(step)) = (task.execution_id, task.step) else {
        return Ok(());
    };
    let Some(execution) = workflow_execution::Entity::find_by_id(execution_id)
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    if execution.status != RUNNING || execution.current_step != step {
        return Ok(());
    }
    let Some(w) = agent_workflow::Entity::find_by_id(execution.workflow_id)
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    let index = usize::try_from(step).unwrap_or(0);
    let mut results: Vec<Value> = execution
        .data
        .get("steps")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    results.resize(index + 1, Value::Null);
    results[index] = json!({
        "type": task.kind,
        "status": task.status,
        "task_id": task.id,
        "result": task.result,
        "error": task.error,
    });
    let mut row = execution.into_active_model();
    row.data = Set(json!({ "steps": results }));
    if task.status == queue::COMPLETED {
        let execution = row.update(&state.db).await?;
        queue_from(state, &w, execution, index + 1).await?;
    } else {
        row.status = Set(FAILED.into());
        row.error = Set(Some(format!(
            "step {index} ({}) {}: {}",
            task.kind,
            task.status,
            task.error.clone().unwrap_or_default()
        )));
        row.finished_at = Set(Some(Utc::now()));
        row.update(&state.db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(op: &str, value: Value) -> StepCondition {
        StepCondition {
            step: 0,
            field: "stats.refreshed".into(),
            op: op.into(),
            value,
        }
    }

    #[test]
    fn conditions_read_earlier_results() {
        let results =
            vec![json!({ "status": "completed", "result": { "stats": { "refreshed": 3 }, "ok": true } })];
        assert!(holds(&when("gt", json!(0)), &results));
        assert!(holds(&when("eq", json!(3)), &results));
        assert!(!holds(&when("lt", json!(3)), &results));
        assert!(!holds(&when("gt", json!(0)), &[]));
        let flag = StepCondition {
            step: 0,
            field: "ok".into(),
            op: "eq".into(),
            value: json!(true),
        };
        assert!(holds(&flag, &results));
    }
}
