//! Audit log queries.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::db::entities::audit_log::{self, Column};

/// What to list; every field narrows the result.
#[derive(Debug, Default)]
pub struct Filter {
    pub actor: Option<Uuid>,
    pub action: Option<ActionFilter>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug)]
pub enum ActionFilter {
    Exact(String),
    /// Ends with a dot: `auth.` matches every `auth.*` action.
    Prefix(String),
}

/// Up to `limit` entries older than `before`, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &Filter,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<audit_log::Model>, DbErr> {
    let mut select = audit_log::Entity::find();
    if let Some(actor) = filter.actor {
        select = select.filter(Column::ActorId.eq(actor));
    }
    match &filter.action {
        Some(ActionFilter::Exact(a)) => select = select.filter(Column::Action.eq(a.as_str())),
        Some(ActionFilter::Prefix(p)) => {
            select = select.filter(Column::Action.like(crate::db::like_prefix(p)))
        }
        None => {}
    }
    if let Some(t) = &filter.target_type {
        select = select.filter(Column::TargetType.eq(t.as_str()));
    }
    if let Some(t) = &filter.target_id {
        select = select.filter(Column::TargetId.eq(t.as_str()));
    }
    if let Some(since) = filter.since {
        select = select.filter(Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        select = select.filter(Column::At.lt(until));
    }
    if let Some(before) = before {
        select = select.filter(Column::Id.lt(before));
    }
    select.order_by_desc(Column::Id).limit(limit).all(db).await
}

/// Every entry by or about one user, oldest first (for their data export).
pub async fn about_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<audit_log::Model>, DbErr> {
    let about = sea_orm::Condition::any().add(Column::ActorId.eq(user_id)).add(
        sea_orm::Condition::all()
            .add(Column::TargetType.eq("user"))
            .add(Column::TargetId.eq(user_id.to_string())),
    );
    audit_log::Entity::find()
        .filter(about)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}
