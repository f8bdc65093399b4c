//! Pick, stats and achievement queries. Reads of picks are always scoped to their owner.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{
    scoring::{Grade, Selection},
    types::{PickKind, PickStatus},
};
use crate::db::entities::{achievement, football_match as fm, pick, pick_stats};

/// The columns of a selection, as an active model's values.
fn set_selection(active: &mut pick::ActiveModel, selection: &Selection) {
    let f = selection.fields();
    active.outcome = Set(f.outcome.map(|o| o.as_str().to_string()));
    active.home_goals = Set(f.home_goals);
    active.away_goals = Set(f.away_goals);
    active.line = Set(f.line);
    active.side = Set(f.side.map(|s| s.as_str().to_string()));
    active.home_probability = Set(f.home);
    active.draw_probability = Set(f.draw);
    active.away_probability = Set(f.away);
}

pub async fn insert(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    match_id: i32,
    selection: &Selection,
) -> Result<pick::Model, DbErr> {
    let now = Utc::now();
    let mut active = pick::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        match_id: Set(match_id),
        kind: Set(selection.kind().as_str().to_string()),
        status: Set(PickStatus::Pending.as_str().to_string()),
        points: Set(0),
        correct: Set(None),
        rps: Set(None),
        model_rps: Set(None),
        model_correct: Set(None),
        scored_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    set_selection(&mut active, selection);
    active.insert(db).await
}

pub async fn update_selection(
    db: &impl ConnectionTrait,
    current: pick::Model,
    selection: &Selection,
) -> Result<pick::Model, DbErr> {
    let mut active: pick::ActiveModel = current.into();
    set_selection(&mut active, selection);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// One of the user's picks; `None` for an unknown id or someone else's pick.
pub async fn of_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    id: Uuid,
) -> Result<Option<pick::Model>, DbErr> {
    pick::Entity::find_by_id(id)
        .filter(pick::Column::UserId.eq(user_id))
        .one(db)
        .await
}

/// The user's pick of one type for one match.
pub async fn existing(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    match_id: i32,
    kind: PickKind,
) -> Result<Option<pick::Model>, DbErr> {
    pick::Entity::find()
        .filter(pick::Column::UserId.eq(user_id))
        .filter(pick::Column::MatchId.eq(match_id))
        .filter(pick::Column::Kind.eq(kind.as_str()))
        .one(db)
        .await
}

/// One page of the user's picks, newest first, and the total matching the filter.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    match_id: Option<i32>,
    status: Option<PickStatus>,
    page: u64,
    limit: u64,
) -> Result<(Vec<pick::Model>, u64), DbErr> {
    let mut select = pick::Entity::find().filter(pick::Column::UserId.eq(user_id));
    if let Some(match_id) = match_id {
        select = select.filter(pick::Column::MatchId.eq(match_id));
    }
    if let Some(status) = status {
        select = select.filter(pick::Column::Status.eq(status.as_str()));
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_desc(pick::Column::CreatedAt)
        .order_by_desc(pick::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

pub async fn delete(db: &impl ConnectionTrait, user_id: Uuid, id: Uuid) -> Result<bool, DbErr> {
    pick::Entity::delete_many()
        .filter(pick::Column::UserId.eq(user_id))
        .filter(pick::Column::Id.eq(id))
        .exec(db)
        .await
        .map(|r| r.rows_affected > 0)
}

pub async fn of_match(db: &impl ConnectionTrait, match_id: i32) -> Result<Vec<pick::Model>, DbErr> {
    pick::Entity::find()
        .filter(pick::Column::MatchId.eq(match_id))
        .order_by_asc(pick::Column::Id)
        .all(db)
        .await
}

/// The platform model's showing on a pick's match: its RPS and whether its likeliest outcome won.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Benchmark {
    pub rps: f64,
    pub correct: bool,
}

/// Stores a grade. With `first_time`, only a pick still pending is changed (so two scorers
/// racing score it once); otherwise a scored pick is re-graded (a corrected result). Returns
/// whether the row changed.
pub async fn save_grade(
    db: &impl ConnectionTrait,
    id: Uuid,
    grade: Grade,
    benchmark: Option<Benchmark>,
    first_time: bool,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let mut update = pick::Entity::update_many()
        .col_expr(pick::Column::Status, Expr::value(PickStatus::Scored.as_str()))
        .col_expr(pick::Column::Points, Expr::value(grade.points))
        .col_expr(pick::Column::Correct, Expr::value(grade.correct))
        .col_expr(pick::Column::Rps, Expr::value(grade.rps))
        .col_expr(pick::Column::ModelRps, Expr::value(benchmark.map(|b| b.rps)))
        .col_expr(
            pick::Column::ModelCorrect,
            Expr::value(benchmark.map(|b| b.correct)),
        )
        .col_expr(pick::Column::UpdatedAt, Expr::value(now))
        .filter(pick::Column::Id.eq(id));
    let status = if first_time {
        update = update.col_expr(pick::Column::ScoredAt, Expr::value(now));
        PickStatus::Pending
    } else {
        PickStatus::Scored
    };
    update = update.filter(pick::Column::Status.eq(status.as_str()));
    Ok(update.exec(db).await?.rows_affected > 0)
}

/// Users with a pick for the match.
pub async fn players_of(db: &impl ConnectionTrait, match_id: i32) -> Result<Vec<Uuid>, DbErr> {
    pick::Entity::find()
        .select_only()
        .column(pick::Column::UserId)
        .distinct()
        .filter(pick::Column::MatchId.eq(match_id))
        .into_tuple()
        .all(db)
        .await
}

/// Voids the pending picks of a cancelled match; returns the users whose picks changed.
pub async fn void_pending(db: &impl ConnectionTrait, match_id: i32) -> Result<Vec<Uuid>, DbErr> {
    let users = players_of(db, match_id).await?;
    pick::Entity::update_many()
        .col_expr(pick::Column::Status, Expr::value(PickStatus::Void.as_str()))
        .col_expr(pick::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(pick::Column::MatchId.eq(match_id))
        .filter(pick::Column::Status.eq(PickStatus::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(users)
}

/// Matches that are settled (finished with a score, or cancelled) but still have pending picks.
pub async fn settled_with_pending(db: &impl ConnectionTrait) -> Result<Vec<i32>, DbErr> {
    let finished = Expr::col((fm::Entity, fm::Column::Status))
        .eq("finished")
        .and(Expr::col((fm::Entity, fm::Column::HomeGoals)).is_not_null())
        .and(Expr::col((fm::Entity, fm::Column::AwayGoals)).is_not_null());
    let cancelled = Expr::col((fm::Entity, fm::Column::Status)).eq("cancelled");
    pick::Entity::find()
        .select_only()
        .column(pick::Column::MatchId)
        .distinct()
        .join(JoinType::InnerJoin, pick::Relation::Match.def())
        .filter(pick::Column::Status.eq(PickStatus::Pending.as_str()))
        .filter(finished.or(cancelled))
        .order_by_asc(pick::Column::MatchId)
        .into_tuple()
        .all(db)
        .await
}

/// All the user's picks, in the order their matches kicked off (ties by match, then pick).
pub async fn picks_in_kickoff_order(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<pick::Model>, DbErr> {
    pick::Entity::find()
        .join(JoinType::InnerJoin, pick::Relation::Match.def())
        .filter(pick::Column::UserId.eq(user_id))
        .order_by_asc(fm::Column::KickoffAt)
        .order_by_asc(fm::Column::Id)
        .order_by_asc(pick::Column::Id)
        .all(db)
        .await
}

pub async fn save_stats(db: &impl ConnectionTrait, stats: pick_stats::Model) -> Result<(), DbErr> {
    let active: pick_stats::ActiveModel = stats.into();
    let active = active.reset_all();
    pick_stats::Entity::insert(active)
        .on_conflict(
            OnConflict::column(pick_stats::Column::UserId)
                .update_columns([
                    pick_stats::Column::Picks,
                    pick_stats::Column::Pending,
                    pick_stats::Column::Scored,
                    pick_stats::Column::Graded,
                    pick_stats::Column::Correct,
                    pick_stats::Column::Points,
                    pick_stats::Column::ExactScores,
                    pick_stats::Column::CurrentStreak,
                    pick_stats::Column::BestStreak,
                    pick_stats::Column::ProbabilityPicks,
                    pick_stats::Column::MeanRps,
                    pick_stats::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|_| ())
}

pub async fn stats(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Option<pick_stats::Model>, DbErr> {
    pick_stats::Entity::find_by_id(user_id).one(db).await
}

/// Records an achievement; `false` if the user already had it.
pub async fn grant(db: &impl ConnectionTrait, user_id: Uuid, code: &str) -> Result<bool, DbErr> {
    let row = achievement::ActiveModel {
        user_id: Set(user_id),
        code: Set(code.to_string()),
        granted_at: Set(Utc::now()),
    };
    let inserted = achievement::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([achievement::Column::UserId, achievement::Column::Code])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted > 0)
}

/// The user's achievements, oldest first.
pub async fn achievements(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<achievement::Model>, DbErr> {
    achievement::Entity::find()
        .filter(achievement::Column::UserId.eq(user_id))
        .order_by_asc(achievement::Column::GrantedAt)
        .order_by_asc(achievement::Column::Code)
        .all(db)
        .await
}
