//! The rules of the game: picks are made, changed and withdrawn only before kick-off, and are
//! scored (idempotently) once the match is settled.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, SqlErr};
use serde_json::json;
use uuid::Uuid;

use super::{
    achievements, benchmark,
    scoring::{Grade, Selection},
    stats, store,
    types::{CreatePick, PickFields, PickStatus, PickView},
};
use crate::{
    db::entities::{football_match as fm, pick},
    error::{ApiError, ApiResult},
    matches::{store as matches, types::MatchStatus},
    notifications::{self, NotificationKind},
    state::AppState,
};

/// Picks are open while the match is scheduled and has not kicked off.
pub fn is_open(m: &fm::Model) -> bool {
    MatchStatus::from_db(&m.status) == MatchStatus::Scheduled && Utc::now() < m.kickoff_at
}

fn locked() -> ApiError {
    ApiError::Conflict {
        code: "pick_locked",
        message: "picks for this match are locked: it has kicked off or is no longer scheduled".into(),
    }
}

fn already_picked(existing: Option<Uuid>) -> ApiError {
    let message = match existing {
        Some(id) => format!("you already have a pick of this type for this match ({id}); PATCH it instead"),
        None => "you already have a pick of this type for this match; PATCH it instead".into(),
    };
    ApiError::Conflict {
        code: "pick_exists",
        message,
    }
}

async fn open_match(state: &AppState, match_id: i32) -> ApiResult<fm::Model> {
    let m = matches::football_match(&state.db, match_id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    if is_open(&m) { Ok(m) } else { Err(locked()) }
}

/// Views of picks with their matches (three queries for the matches, whatever the count).
pub async fn views(state: &AppState, picks: Vec<pick::Model>) -> ApiResult<Vec<PickView>> {
    let ids: BTreeSet<i32> = picks.iter().map(|p| p.match_id).collect();
    let models = fm::Entity::find()
        .filter(fm::Column::Id.is_in(ids))
        .all(&state.db)
        .await?;
    let open: HashMap<i32, bool> = models.iter().map(|m| (m.id, is_open(m))).collect();
    let match_views: HashMap<i32, _> = matches::match_views(&state.db, &models)
        .await?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    Ok(picks
        .into_iter()
        .map(|p| {
            let editable = open.get(&p.match_id).copied().unwrap_or(false);
            let view = match_views.get(&p.match_id).cloned();
            PickView::new(p, editable, view)
        })
        .collect())
}

pub async fn view(state: &AppState, pick: pick::Model) -> ApiResult<PickView> {
    views(state, vec![pick])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("pick"))
}

/// A new pick. One per type per match per user: a second one is a 409 (`PATCH` changes a pick).
pub async fn create(state: &AppState, user_id: Uuid, req: &CreatePick) -> ApiResult<pick::Model> {
    let selection = Selection::parse(req.kind, &req.fields())?;
    let m = open_match(state, req.match_id).await?;
    if let Some(existing) = store::existing(&state.db, user_id, m.id, req.kind).await? {
        return Err(already_picked(Some(existing.id)));
    }
    let created = match store::insert(&state.db, user_id, m.id, &selection).await {
        Ok(created) => created,
        // Two requests raced past the check above; the unique index decided.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(already_picked(None));
        }
        Err(e) => return Err(e.into()),
    };
    let stats = stats::recompute(&state.db, user_id).await?;
    achievements::check(state, user_id, &stats, None).await?;
    tracing::info!(pick_id = %created.id, match_id = m.id, kind = req.kind.as_str(), "pick made");
    Ok(created)
}

/// Changes the prediction of one of the user's picks (not its type or match).
pub async fn update(
    state: &AppState,
    user_id: Uuid,
    id: Uuid,
    change: &PickFields,
) -> ApiResult<pick::Model> {
    let current = store::of_user(&state.db, user_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("pick"))?;
    open_match(state, current.match_id).await?;
    let before = Selection::of(&current)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("pick {} is inconsistent", current.id)))?;
    let old = before.fields();
    let merged = PickFields {
        outcome: change.outcome.or(old.outcome),
        home_goals: change.home_goals.or(old.home_goals),
        away_goals: change.away_goals.or(old.away_goals),
        line: change.line.or(old.line),
        side: change.side.or(old.side),
        home: change.home.or(old.home),
        draw: change.draw.or(old.draw),
        away: change.away.or(old.away),
    };
    let selection = Selection::parse(before.kind(), &merged)?;
    Ok(store::update_selection(&state.db, current, &selection).await?)
}

/// Withdraws one of the user's picks before kick-off.
pub async fn withdraw(state: &AppState, user_id: Uuid, id: Uuid) -> ApiResult<()> {
    let current = store::of_user(&state.db, user_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found("pick"))?;
    open_match(state, current.match_id).await?;
    if !store::delete(&state.db, user_id, id).await? {
        return Err(ApiError::not_found("pick"));
    }
    stats::recompute(&state.db, user_id).await?;
    Ok(())
}

/// The hook for every path that writes a match (admin edits, live updates): scores its picks
/// when it has finished, voids them when it was cancelled, and does nothing otherwise. Never
/// fails the caller: errors are logged and the sweep retries pending picks.
pub async fn settle(state: &AppState, m: &fm::Model) {
    if !matches!(
        MatchStatus::from_db(&m.status),
        MatchStatus::Finished | MatchStatus::Cancelled
    ) {
        return;
    }
    if let Err(e) = score_match(state, m.id).await {
        tracing::warn!(match_id = m.id, error = %e, "picks not scored yet; the sweep will retry");
    }
}

/// Recomputes the stats of `users` after their picks went away with a deleted match.
pub async fn refresh_stats(state: &AppState, users: &[Uuid]) {
    for &user_id in users {
        if let Err(e) = stats::recompute(&state.db, user_id).await {
            tracing::warn!(user_id = %user_id, error = %e, "stats not recomputed");
        }
    }
}

/// Scores (or voids) every pick of one match from its stored result. Idempotent: a pending pick
/// is scored once even when two scorers race; a scored pick is re-graded only if the result was
/// corrected; stats are recomputed, never incremented.
pub async fn score_match(state: &AppState, match_id: i32) -> ApiResult<()> {
    let Some(m) = matches::football_match(&state.db, match_id).await? else {
        return Ok(());
    };
    let affected: BTreeSet<Uuid> = match (MatchStatus::from_db(&m.status), m.home_goals.zip(m.away_goals)) {
        (MatchStatus::Cancelled, _) => store::void_pending(&state.db, m.id).await?.into_iter().collect(),
        (MatchStatus::Finished, Some((home, away))) => grade_all(state, &m, home, away).await?,
        _ => return Ok(()),
    };
    let month_of = Some(m.kickoff_at.date_naive());
    for &user_id in &affected {
        let stats = stats::recompute(&state.db, user_id).await?;
        achievements::check(state, user_id, &stats, month_of).await?;
    }
    Ok(())
}

/// Grades the picks of a finished match; returns the users whose picks changed, and notifies
/// those whose picks were scored for the first time.
async fn grade_all(state: &AppState, m: &fm::Model, home: i16, away: i16) -> ApiResult<BTreeSet<Uuid>> {
    let mut work: Vec<(pick::Model, Grade)> = Vec::new();
    for p in store::of_match(&state.db, m.id).await? {
        let Some(selection) = Selection::of(&p) else {
            tracing::warn!(pick_id = %p.id, "inconsistent pick skipped");
            continue;
        };
        let grade = selection.grade(home, away, &state.config.points);
        let changed = match PickStatus::from_db(&p.status) {
            PickStatus::Pending => true,
            PickStatus::Scored => (p.points, p.correct, p.rps) != (grade.points, grade.correct, grade.rps),
            PickStatus::Void => false,
        };
        if changed {
            work.push((p, grade));
        }
    }
    let mut affected = BTreeSet::new();
    if work.is_empty() {
        return Ok(affected);
    }
    // Only now, since it may mean fitting a model.
    let bench = benchmark::forecast(state, m)
        .await?
        .map(|p| benchmark::judge(&p, home, away));
    let mut first_scored: BTreeMap<Uuid, Vec<(pick::Model, Grade)>> = BTreeMap::new();
    for (p, grade) in work {
        let first_time = PickStatus::from_db(&p.status) == PickStatus::Pending;
        if store::save_grade(&state.db, p.id, grade, bench, first_time).await? {
            affected.insert(p.user_id);
            if first_time {
                first_scored.entry(p.user_id).or_default().push((p, grade));
            }
        }
    }
    tracing::info!(match_id = m.id, users = affected.len(), "picks scored");
    for (user_id, picks) in first_scored {
        announce(state, m, user_id, &picks).await;
    }
    Ok(affected)
}

/// One `pick_scored` notification per user and match, however many picks they made.
async fn announce(state: &AppState, m: &fm::Model, user_id: Uuid, picks: &[(pick::Model, Grade)]) {
    let points: i32 = picks.iter().map(|(_, g)| g.points).sum();
    let teams = matches::teams_by_id(&state.db, [m.home_team_id, m.away_team_id].into())
        .await
        .unwrap_or_default();
    let name = |id: i32| {
        teams
            .get(&id)
            .map_or_else(|| format!("team {id}"), |t| t.name.clone())
    };
    let score = format!(
        "{} {}–{} {}",
        name(m.home_team_id),
        m.home_goals.unwrap_or_default(),
        m.away_goals.unwrap_or_default(),
        name(m.away_team_id)
    );
    let title = format!("{score}: {points} point{}", if points == 1 { "" } else { "s" });
    let body = format!(
        "Your {} pick{} on {score} scored {points} point{}.",
        picks.len(),
        if picks.len() == 1 { "" } else { "s" },
        if points == 1 { "" } else { "s" },
    );
    let ids: Vec<Uuid> = picks.iter().map(|(p, _)| p.id).collect();
    let data = json!({ "match_id": m.id, "points": points, "pick_ids": ids });
    if let Err(e) =
        notifications::notify(state, user_id, NotificationKind::PickScored, &title, &body, data).await
    {
        tracing::warn!(error = %e, "pick_scored notification not sent");
    }
}

/// Scores the pending picks of every settled match: results imported without a hook (the
/// `pundit import` CLI runs in its own process) and any scoring that failed earlier.
pub async fn score_settled(state: &AppState) -> ApiResult<usize> {
    let ids = store::settled_with_pending(&state.db).await?;
    for &id in &ids {
        score_match(state, id).await?;
    }
    Ok(ids.len())
}

/// Runs [`score_settled`] every `scoring_sweep_interval` until shutdown (off when zero).
pub fn start_sweep(state: &AppState) {
    let every = state.config.scoring_sweep_interval;
    if every.is_zero() {
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = state.shutdown.cancelled() => return,
                _ = ticks.tick() => {}
            }
            match score_settled(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(matches = n, "sweep scored picks of settled matches"),
                Err(e) => tracing::warn!(error = %e, "pick scoring sweep failed"),
            }
        }
    });
}
