//! Background jobs clients can poll: a row per job with status, progress, result or error.
//! (The durable multi-instance queue with leases comes with the agents module.)

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::extract::AuthUser,
    db::entities::job,
    error::{ApiError, ApiResult, ErrorBody},
    http::extract::Path,
    state::AppState,
    users::types::Role,
};

#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    pub id: Uuid,
    pub kind: String,
    /// `pending`, `running`, `completed` or `failed`.
    pub status: String,
    /// 0.0 to 1.0.
    pub progress: f64,
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<job::Model> for JobView {
    fn from(j: job::Model) -> Self {
        Self {
            id: j.id,
            kind: j.kind,
            status: j.status,
            progress: j.progress,
            params: j.params,
            result: j.result,
            error: j.error,
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
        }
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    kind: &str,
    params: Value,
    by: Option<Uuid>,
) -> Result<job::Model, DbErr> {
    job::ActiveModel {
        id: Set(Uuid::now_v7()),
        kind: Set(kind.to_string()),
        status: Set("pending".into()),
        progress: Set(0.0),
        params: Set(Some(params)),
        result: Set(None),
        error: Set(None),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        started_at: Set(None),
        finished_at: Set(None),
    }
    .insert(db)
    .await
}

async fn set(
    db: &impl ConnectionTrait,
    id: Uuid,
    columns: Vec<(job::Column, sea_orm::sea_query::SimpleExpr)>,
) -> Result<(), DbErr> {
    let mut update = job::Entity::update_many();
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    update.filter(job::Column::Id.eq(id)).exec(db).await.map(|_| ())
}

pub async fn start(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    set(
        db,
        id,
        vec![
            (job::Column::Status, Expr::value("running")),
            (job::Column::StartedAt, Expr::value(Utc::now())),
        ],
    )
    .await
}

pub async fn progress(db: &impl ConnectionTrait, id: Uuid, progress: f64) -> Result<(), DbErr> {
    set(
        db,
        id,
        vec![(job::Column::Progress, Expr::value(progress.clamp(0.0, 1.0)))],
    )
    .await
}

pub async fn complete(db: &impl ConnectionTrait, id: Uuid, result: Value) -> Result<(), DbErr> {
    set(
        db,
        id,
        vec![
            (job::Column::Status, Expr::value("completed")),
            (job::Column::Progress, Expr::value(1.0)),
            (job::Column::Result, Expr::value(result)),
            (job::Column::FinishedAt, Expr::value(Utc::now())),
        ],
    )
    .await
}

pub async fn fail(db: &impl ConnectionTrait, id: Uuid, error: &str) -> Result<(), DbErr> {
    set(
        db,
        id,
        vec![
            (job::Column::Status, Expr::value("failed")),
            (job::Column::Error, Expr::value(error)),
            (job::Column::FinishedAt, Expr::value(Utc::now())),
        ],
    )
    .await
}

/// A job's status, progress and result (its creator or an admin).
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = JobView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<JobView>> {
    let job = job::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("job"))?;
    if job.created_by != Some(auth.id()) && auth.role < Role::Admin {
        return Err(ApiError::not_found("job"));
    }
    Ok(Json(job.into()))
}
