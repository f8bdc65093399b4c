//! Admin reports: rows created in a date range (picks, users, forecasts, posts), as a table of
//! JSON cells that the handler renders as JSON objects or CSV.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use super::types::DateRange;
use crate::db::entities::{competition, football_match as fm, forecast, pick, pick_stats, post, team, user};

/// Most rows one report returns; the rest is cut off (and the JSON says `truncated`).
pub const MAX_ROWS: u64 = 50_000;
/// Ids per `IN (...)` lookup: well under PostgreSQL's bind-parameter limit.
const CHUNK: usize = 1_000;

pub const KINDS: [&str; 4] = ["picks", "users", "forecasts", "posts"];

pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    pub truncated: bool,
}

fn table(columns: &[&str], mut rows: Vec<Vec<Value>>) -> Table {
    let truncated = rows.len() as u64 > MAX_ROWS;
    rows.truncate(usize::try_from(MAX_ROWS).unwrap_or(usize::MAX));
    Table {
        columns: columns.iter().map(|c| (*c).to_string()).collect(),
        rows,
        truncated,
    }
}

async fn usernames(db: &impl ConnectionTrait, mut ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>, DbErr> {
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(u.id, u.username);
        }
    }
    Ok(out)
}

async fn matches(db: &impl ConnectionTrait, mut ids: Vec<i32>) -> Result<HashMap<i32, fm::Model>, DbErr> {
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for m in fm::Entity::find()
            .filter(fm::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            out.insert(m.id, m);
        }
    }
    Ok(out)
}

async fn slugs(db: &impl ConnectionTrait) -> Result<HashMap<i32, String>, DbErr> {
    Ok(competition::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.slug))
        .collect())
}

/// `None` for an unknown kind.
pub async fn build(db: &impl ConnectionTrait, kind: &str, range: DateRange) -> Result<Option<Table>, DbErr> {
    let table = match kind {
        "picks" => picks(db, range).await?,
        "users" => users(db, range).await?,
        "forecasts" => forecasts(db, range).await?,
        "posts" => posts(db, range).await?,
        _ => return Ok(None),
    };
    Ok(Some(table))
}

/// Picks made in the range.
async fn picks(db: &impl ConnectionTrait, range: DateRange) -> Result<Table, DbErr> {
    let picks = pick::Entity::find()
        .filter(pick::Column::CreatedAt.gte(range.since()))
        .filter(pick::Column::CreatedAt.lt(range.until()))
        .order_by_asc(pick::Column::CreatedAt)
        .order_by_asc(pick::Column::Id)
        .limit(MAX_ROWS + 1)
        .all(db)
        .await?;
    let names = usernames(db, picks.iter().map(|p| p.user_id).collect()).await?;
    let games = matches(db, picks.iter().map(|p| p.match_id).collect()).await?;
    let slugs = slugs(db).await?;
    let rows = picks
        .into_iter()
        .map(|p| {
            let m = games.get(&p.match_id);
            vec![
                json!(p.id),
                json!(names.get(&p.user_id)),
                json!(p.match_id),
                json!(m.and_then(|m| slugs.get(&m.competition_id))),
                json!(m.map(|m| m.kickoff_at)),
                json!(p.kind),
                json!(p.outcome),
                json!(p.home_goals),
                json!(p.away_goals),
                json!(p.line),
                json!(p.side),
                json!(p.home_probability),
                json!(p.draw_probability),
                json!(p.away_probability),
                json!(p.status),
                json!(p.points),
                json!(p.correct),
                json!(p.rps),
                json!(p.model_rps),
                json!(p.created_at),
            ]
        })
        .collect();
    Ok(table(
        &[
            "id",
            "username",
            "match_id",
            "competition",
            "kickoff_at",
            "type",
            "outcome",
            "home_goals",
            "away_goals",
            "line",
            "side",
            "home_probability",
            "draw_probability",
            "away_probability",
            "status",
            "points",
            "correct",
            "rps",
            "model_rps",
            "created_at",
        ],
        rows,
    ))
}

/// Accounts created in the range, with their all-time game totals.
async fn users(db: &impl ConnectionTrait, range: DateRange) -> Result<Table, DbErr> {
    let users = user::Entity::find()
        .filter(user::Column::CreatedAt.gte(range.since()))
        .filter(user::Column::CreatedAt.lt(range.until()))
        .order_by_asc(user::Column::CreatedAt)
        .order_by_asc(user::Column::Id)
        .limit(MAX_ROWS + 1)
        .all(db)
        .await?;
    let mut stats = HashMap::new();
    let ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    for chunk in ids.chunks(CHUNK) {
        for s in pick_stats::Entity::find()
            .filter(pick_stats::Column::UserId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            stats.insert(s.user_id, s);
        }
    }
    let rows = users
        .into_iter()
        .map(|u| {
            let s = stats.get(&u.id);
            vec![
                json!(u.id),
                json!(u.username),
                json!(u.role),
                json!(u.is_active),
                json!(u.created_at),
                json!(u.last_login_at),
                json!(s.map_or(0, |s| s.picks)),
                json!(s.map_or(0, |s| s.points)),
            ]
        })
        .collect();
    Ok(table(
        &[
            "id",
            "username",
            "role",
            "is_active",
            "created_at",
            "last_login_at",
            "picks",
            "points",
        ],
        rows,
    ))
}

/// Forecasts issued in the range.
async fn forecasts(db: &impl ConnectionTrait, range: DateRange) -> Result<Table, DbErr> {
    let served = forecast::Entity::find()
        .filter(forecast::Column::IssuedAt.gte(range.since()))
        .filter(forecast::Column::IssuedAt.lt(range.until()))
        .order_by_asc(forecast::Column::IssuedAt)
        .order_by_asc(forecast::Column::Id)
        .limit(MAX_ROWS + 1)
        .all(db)
        .await?;
    let games = matches(db, served.iter().map(|f| f.match_id).collect()).await?;
    let slugs = slugs(db).await?;
    let teams: HashMap<i32, String> = team::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let rows = served
        .into_iter()
        .map(|f| {
            let m = games.get(&f.match_id);
            vec![
                json!(f.id),
                json!(f.match_id),
                json!(m.and_then(|m| slugs.get(&m.competition_id))),
                json!(m.and_then(|m| teams.get(&m.home_team_id))),
                json!(m.and_then(|m| teams.get(&m.away_team_id))),
                json!(m.map(|m| m.kickoff_at)),
                json!(f.model),
                json!(f.model_version_id),
                json!(f.reason),
                json!(f.home_probability),
                json!(f.draw_probability),
                json!(f.away_probability),
                json!(f.issued_at),
            ]
        })
        .collect();
    Ok(table(
        &[
            "id",
            "match_id",
            "competition",
            "home_team",
            "away_team",
            "kickoff_at",
            "model",
            "model_version_id",
            "reason",
            "home_probability",
            "draw_probability",
            "away_probability",
            "issued_at",
        ],
        rows,
    ))
}

/// Posts written in the range, hidden ones included (this is the moderators' view).
async fn posts(db: &impl ConnectionTrait, range: DateRange) -> Result<Table, DbErr> {
    let posts = post::Entity::find()
        .filter(post::Column::CreatedAt.gte(range.since()))
        .filter(post::Column::CreatedAt.lt(range.until()))
        .order_by_asc(post::Column::CreatedAt)
        .order_by_asc(post::Column::Id)
        .limit(MAX_ROWS + 1)
        .all(db)
        .await?;
    let names = usernames(db, posts.iter().map(|p| p.user_id).collect()).await?;
    let rows = posts
        .into_iter()
        .map(|p| {
            vec![
                json!(p.id),
                json!(names.get(&p.user_id)),
                json!(p.kind),
                json!(p.visibility),
                json!(p.match_id),
                json!(p.body),
                json!(p.hidden_at.is_some()),
                json!(p.created_at),
            ]
        })
        .collect();
    Ok(table(
        &[
            "id",
            "username",
            "type",
            "visibility",
            "match_id",
            "body",
            "hidden",
            "created_at",
        ],
        rows,
    ))
}
