//! League rows: create with a unique invite code, membership, hand-over and deletion.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, SqlErr, sea_query::OnConflict,
};
use uuid::Uuid;

use crate::db::entities::{league, league_member, user};

/// No 0/O or 1/I: codes are read aloud and typed from screenshots. 32 symbols, so a byte
/// modulo 32 is unbiased.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 10;
/// Fresh codes to try when one collides with an existing league's (2^-50 each).
const CODE_ATTEMPTS: usize = 5;

/// A random invite code of `CODE_LEN` symbols (50 bits).
pub fn new_code() -> String {
    let bytes: [u8; CODE_LEN] = rand::random();
    bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect()
}

/// What a user typed, as stored: upper case, without spaces or dashes.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

pub struct NewLeague {
    pub name: String,
    pub description: Option<String>,
    pub competition_id: Option<i32>,
    pub owner_id: Uuid,
}

/// Creates the league with its owner as the first member.
pub async fn create(db: &DatabaseConnection, new: NewLeague) -> Result<league::Model, DbErr> {
    let now = Utc::now();
    for attempt in 1..=CODE_ATTEMPTS {
        let txn = crate::db::begin(db).await?;
        let row = league::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(new.name.clone()),
            description: Set(new.description.clone()),
            competition_id: Set(new.competition_id),
            owner_id: Set(new.owner_id),
            invite_code: Set(new_code()),
            created_at: Set(now),
        };
        match league::Entity::insert(row).exec_with_returning(&txn).await {
            Ok(created) => {
                add_member(&txn, created.id, new.owner_id).await?;
                txn.commit().await?;
                return Ok(created);
            }
            Err(e) if is_unique_violation(&e) && attempt < CODE_ATTEMPTS => {
                txn.rollback().await?;
            }
            Err(e) => return Err(e),
        }
    }
    Err(DbErr::Custom("no free invite code".into()))
}

/// Gives the league a fresh code; the old one stops working.
pub async fn rotate_code(db: &impl ConnectionTrait, id: Uuid) -> Result<league::Model, DbErr> {
    let mut last = DbErr::Custom("no free invite code".into());
    for _ in 0..CODE_ATTEMPTS {
        let row = league::ActiveModel {
            id: Set(id),
            invite_code: Set(new_code()),
            ..Default::default()
        };
        match league::Entity::update(row).exec(db).await {
            Ok(updated) => return Ok(updated),
            Err(e) if is_unique_violation(&e) => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<league::Model>, DbErr> {
    league::Entity::find_by_id(id).one(db).await
}

pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<league::Model>, DbErr> {
    league::Entity::find()
        .filter(league::Column::InviteCode.eq(code))
        .one(db)
        .await
}

pub async fn is_member(db: &impl ConnectionTrait, league_id: Uuid, user_id: Uuid) -> Result<bool, DbErr> {
    league_member::Entity::find_by_id((league_id, user_id))
        .one(db)
        .await
        .map(|m| m.is_some())
}

/// `true` if the membership is new; a repeat is a no-op.
pub async fn add_member(db: &impl ConnectionTrait, league_id: Uuid, user_id: Uuid) -> Result<bool, DbErr> {
    let row = league_member::ActiveModel {
        league_id: Set(league_id),
        user_id: Set(user_id),
        joined_at: Set(Utc::now()),
    };
    league_member::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([league_member::Column::LeagueId, league_member::Column::UserId])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map(|n| n > 0)
}

pub async fn member_count(db: &impl ConnectionTrait, league_id: Uuid) -> Result<u64, DbErr> {
    league_member::Entity::find()
        .filter(league_member::Column::LeagueId.eq(league_id))
        .count(db)
        .await
}

/// Members with their accounts, in joining order.
pub async fn members(
    db: &impl ConnectionTrait,
    league_id: Uuid,
) -> Result<Vec<(league_member::Model, user::Model)>, DbErr> {
    let rows = league_member::Entity::find()
        .filter(league_member::Column::LeagueId.eq(league_id))
        .order_by_asc(league_member::Column::JoinedAt)
        .order_by_asc(league_member::Column::UserId)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|m| m.user_id).collect();
    let mut users: HashMap<Uuid, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|m| users.remove(&m.user_id).map(|u| (m, u)))
        .collect())
}

pub async fn member_ids(db: &impl ConnectionTrait, league_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    league_member::Entity::find()
        .select_only()
        .column(league_member::Column::UserId)
        .filter(league_member::Column::LeagueId.eq(league_id))
        .into_tuple()
        .all(db)
        .await
}

fn member_league() -> RelationDef {
    league_member::Entity::belongs_to(league::Entity)
        .from(league_member::Column::LeagueId)
        .to(league::Column::Id)
        .into()
}

/// One page of the leagues `user_id` belongs to, newest first, and their number.
pub async fn leagues_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    page: u64,
    limit: u64,
) -> Result<(Vec<league::Model>, u64), DbErr> {
    let select = league::Entity::find()
        .join(JoinType::InnerJoin, member_league().rev())
        .filter(league_member::Column::UserId.eq(user_id));
    let total = select.clone().count(db).await?;
    let rows = select
        .order_by_desc(league::Column::Id)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// What leaving did.
pub enum Leave {
    Left,
    HandedOver(Uuid),
    Deleted,
}

/// Removes `user_id`. An owner hands the league to the longest-standing other member, or
/// deletes it when nobody else is left — so a league never lacks an owner.
pub async fn leave(db: &DatabaseConnection, league: &league::Model, user_id: Uuid) -> Result<Leave, DbErr> {
    // Reads the successor before writing: on SQLite the write lock is taken first.
    let txn = crate::db::begin_write(db).await?;
    let outcome = if league.owner_id != user_id {
        Leave::Left
    } else {
        let successor: Option<Uuid> = league_member::Entity::find()
            .select_only()
            .column(league_member::Column::UserId)
            .filter(league_member::Column::LeagueId.eq(league.id))
            .filter(league_member::Column::UserId.ne(user_id))
            .order_by_asc(league_member::Column::JoinedAt)
            .order_by_asc(league_member::Column::UserId)
            .into_tuple()
            .one(&txn)
            .await?;
        match successor {
            Some(next) => {
                let row = league::ActiveModel {
                    id: Set(league.id),
                    owner_id: Set(next),
                    ..Default::default()
                };
                league::Entity::update(row).exec(&txn).await?;
                Leave::HandedOver(next)
            }
            None => Leave::Deleted,
        }
    };
    if matches!(outcome, Leave::Deleted) {
        delete_in(&txn, league.id).await?;
    } else {
        league_member::Entity::delete_by_id((league.id, user_id))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(outcome)
}

async fn delete_in(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    // Members first: no reliance on cascades being enabled.
    league_member::Entity::delete_many()
        .filter(league_member::Column::LeagueId.eq(id))
        .exec(db)
        .await?;
    league::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

pub async fn delete(db: &DatabaseConnection, id: Uuid) -> Result<(), DbErr> {
    let txn = crate::db::begin(db).await?;
    delete_in(&txn, id).await?;
    txn.commit().await
}
