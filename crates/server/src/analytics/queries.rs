//! Model performance by month and the system totals.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, Utc};
use pundit_model::metrics::MetricsAccumulator;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, Func, Query},
};

use super::types::{DateRange, ModelMonthRow, SystemTotals};
use crate::{
    db::entities::{
        comment, comment_like, football_match as fm, forecast, job, notification, pick, post, post_like, user,
    },
    forecasts::models::{ServedFilter, scored_served},
};

/// RPS, Brier, log loss and accuracy of served forecasts per model version and month of kick-off.
pub async fn model_months(
    db: &impl ConnectionTrait,
    range: DateRange,
    competition_id: Option<i32>,
) -> Result<Vec<ModelMonthRow>, DbErr> {
    let filter = ServedFilter {
        competition_id,
        model: None,
        since: Some(range.since()),
        until: Some(range.until()),
    };
    let mut groups: HashMap<(String, Option<i32>, String), MetricsAccumulator> = HashMap::new();
    for f in scored_served(db, filter).await? {
        let month = f.kickoff_at.format("%Y-%m").to_string();
        groups
            .entry((f.model, f.model_version_id, month))
            .or_default()
            .push(f.probabilities, f.outcome);
    }
    let mut rows: Vec<ModelMonthRow> = groups
        .into_iter()
        .map(|((model, model_version_id, month), acc)| {
            let s = acc.summary();
            ModelMonthRow {
                model,
                model_version_id,
                month,
                matches: s.matches,
                rps: s.rps,
                brier: s.brier,
                log_loss: s.log_loss,
                accuracy: s.accuracy,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.model, a.model_version_id, &a.month).cmp(&(&b.model, b.model_version_id, &b.month))
    });
    Ok(rows)
}

/// Everything counted from scratch; the handler caches the result.
pub async fn system_totals(db: &impl ConnectionTrait) -> Result<SystemTotals, DbErr> {
    let now = Utc::now();
    let since = now - Duration::days(30);
    // "Active": signed in, or did something that leaves a row, within 30 days.
    let picked = Query::select()
        .column(pick::Column::UserId)
        .from(pick::Entity)
        .and_where(pick::Column::UpdatedAt.gte(since))
        .to_owned();
    let posted = Query::select()
        .column(post::Column::UserId)
        .from(post::Entity)
        .and_where(post::Column::CreatedAt.gte(since))
        .to_owned();
    let commented = Query::select()
        .column(comment::Column::UserId)
        .from(comment::Entity)
        .and_where(comment::Column::CreatedAt.gte(since))
        .to_owned();
    let active_users_30d = user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::LastLoginAt.gte(since))
                .add(user::Column::Id.in_subquery(picked))
                .add(user::Column::Id.in_subquery(posted))
                .add(user::Column::Id.in_subquery(commented)),
        )
        .count(db)
        .await?;
    let jobs: Vec<(String, i64)> = job::Entity::find()
        .select_only()
        .column(job::Column::Status)
        .expr_as(Func::count(Expr::col(job::Column::Id)), "n")
        .group_by(job::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(SystemTotals {
        users: user::Entity::find().count(db).await?,
        active_users_30d,
        matches: fm::Entity::find().count(db).await?,
        forecasts_served: forecast::Entity::find().count(db).await?,
        picks: pick::Entity::find().count(db).await?,
        posts: post::Entity::find().count(db).await?,
        comments: comment::Entity::find().count(db).await?,
        likes: post_like::Entity::find().count(db).await? + comment_like::Entity::find().count(db).await?,
        notifications: notification::Entity::find().count(db).await?,
        jobs_by_status: jobs
            .into_iter()
            .map(|(status, n)| (status, u64::try_from(n).unwrap_or(0)))
            .collect::<BTreeMap<_, _>>(),
        cached_at: now,
    })
}
