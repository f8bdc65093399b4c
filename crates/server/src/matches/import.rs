//! Idempotent bulk import: rows are upserted on (competition, date, home, away). A second run of the
//! same files changes nothing; a richer file for the same matches (say, one with odds) fills gaps.

use std::collections::{HashMap, hash_map::Entry};

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};
use serde::Serialize;

use super::rows::ImportRow;
use crate::db::entities::{competition, football_match, season, team};

/// Rows per multi-row INSERT: well inside SQLite's bound-parameter limit.
const BATCH: usize = 400;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct ImportCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

type Key = (i32, NaiveDate, i32, i32);

/// The columns an import may change on an existing match.
#[derive(Debug, Clone, PartialEq)]
struct Fields {
    season_id: i32,
    kickoff_at: chrono::DateTime<Utc>,
    status: String,
    score: Option<(i16, i16)>,
    half_time: Option<(i16, i16)>,
    referee: Option<String>,
    neutral: bool,
    stats: Option<serde_json::Value>,
    odds: Option<serde_json::Value>,
}

impl Fields {
    fn of(m: &football_match::Model) -> Self {
        Self {
            season_id: m.season_id,
            kickoff_at: m.kickoff_at,
            status: m.status.clone(),
            score: m.home_goals.zip(m.away_goals),
            half_time: m.home_half_time_goals.zip(m.away_half_time_goals),
            referee: m.referee.clone(),
            neutral: m.neutral,
            stats: m.stats.clone(),
            odds: m.odds.clone(),
        }
    }

    fn from_row(row: &ImportRow, season_id: i32) -> Self {
        Self {
            season_id,
            kickoff_at: row.kickoff_at,
            status: row.status().to_string(),
            score: row.score,
            half_time: row.half_time,
            referee: row.referee.clone(),
            neutral: row.neutral,
            stats: row.stats.clone(),
            odds: row.odds.clone(),
        }
    }

    /// What is known after seeing `row`: its values where it has them, ours elsewhere.
    fn merged(&self, row: &ImportRow, season_id: i32) -> Self {
        let score = row.score.or(self.score);
        Self {
            season_id,
            kickoff_at: if row.kickoff_known {
                row.kickoff_at
            } else {
                self.kickoff_at
            },
            // A result settles the status; otherwise keep what live data or admins set.
            status: if score.is_some() {
                "finished".into()
            } else {
                self.status.clone()
            },
            score,
            half_time: row.half_time.or(self.half_time),
            referee: row.referee.clone().or_else(|| self.referee.clone()),
            neutral: row.neutral || self.neutral,
            stats: row.stats.clone().or_else(|| self.stats.clone()),
            odds: row.odds.clone().or_else(|| self.odds.clone()),
        }
    }
}

enum Pending {
    /// Not in the database yet.
    New(Fields),
    /// In the database with `id`; `original` is what the database holds.
    Existing {
        id: i32,
        original: Fields,
        current: Fields,
    },
}

/// Upserts `rows` in one transaction. `progress` is called with the number of rows written so far.
pub async fn import(
    db: &DatabaseConnection,
    rows: &[ImportRow],
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ImportCounts, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let competitions = ensure_competitions(&txn, rows).await?;
    let seasons = ensure_seasons(&txn, rows, &competitions).await?;
    let teams = ensure_teams(&txn, rows).await?;

    let competition_ids: Vec<i32> = competitions.values().copied().collect();
    let mut pending: HashMap<Key, Pending> = HashMap::new();
    for chunk in competition_ids.chunks(200) {
        let existing = football_match::Entity::find()
            .filter(football_match::Column::CompetitionId.is_in(chunk.to_vec()))
            .all(&txn)
            .await?;
        for m in existing {
            let fields = Fields::of(&m);
            let key = (m.competition_id, m.match_date, m.home_team_id, m.away_team_id);
            pending.insert(
                key,
                Pending::Existing {
                    id: m.id,
                    original: fields.clone(),
                    current: fields,
                },
            );
        }
    }

    // Touched keys in first-seen order, so inserts keep file order.
    let mut order: Vec<Key> = Vec::new();
    let mut touched: std::collections::HashSet<Key> = std::collections::HashSet::new();
    for row in rows {
        let (Some(&competition_id), Some(&home), Some(&away)) = (
            competitions.get(&row.competition.slug),
            teams.get(&row.home),
            teams.get(&row.away),
        ) else {
            continue;
        };
        let Some(&season_id) = seasons.get(&(competition_id, row.season.clone())) else {
            continue;
        };
        let key = (competition_id, row.date, home, away);
        match pending.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(Pending::New(Fields::from_row(row, season_id)));
                touched.insert(key);
                order.push(key);
            }
            Entry::Occupied(mut slot) => match slot.get_mut() {
                Pending::New(fields) => *fields = fields.merged(row, season_id),
                Pending::Existing { current, .. } => {
                    if touched.insert(key) {
                        order.push(key);
                    }
                    *current = current.merged(row, season_id);
                }
            },
        }
    }

    let now = Utc::now();
    let mut counts = ImportCounts::default();
    let mut inserts = Vec::new();
    let mut written = 0u64;
    for key in &order {
        let Some(entry) = pending.get(key) else { continue };
        match entry {
            Pending::New(fields) => {
                inserts.push(new_match(*key, fields, now));
                counts.inserted += 1;
                if inserts.len() == BATCH {
                    written += inserts.len() as u64;
                    football_match::Entity::insert_many(std::mem::take(&mut inserts))
                        .exec(&txn)
                        .await?;
                    progress(written);
                }
            }
            Pending::Existing {
                id,
                original,
                current,
            } if original != current => {
                update_match(*id, current, now).update(&txn).await?;
                counts.updated += 1;
            }
            Pending::Existing { .. } => counts.unchanged += 1,
        }
    }
    if !inserts.is_empty() {
        football_match::Entity::insert_many(inserts).exec(&txn).await?;
    }
    txn.commit().await?;
    progress(rows.len() as u64);
    Ok(counts)
}

fn new_match(key: Key, f: &Fields, now: chrono::DateTime<Utc>) -> football_match::ActiveModel {
    let (competition_id, match_date, home_team_id, away_team_id) = key;
    football_match::ActiveModel {
        id: sea_orm::NotSet,
        competition_id: Set(competition_id),
        season_id: Set(f.season_id),
        home_team_id: Set(home_team_id),
        away_team_id: Set(away_team_id),
        match_date: Set(match_date),
        kickoff_at: Set(f.kickoff_at),
        status: Set(f.status.clone()),
        minute: Set(None),
        home_goals: Set(f.score.map(|s| s.0)),
        away_goals: Set(f.score.map(|s| s.1)),
        home_half_time_goals: Set(f.half_time.map(|s| s.0)),
        away_half_time_goals: Set(f.half_time.map(|s| s.1)),
        referee: Set(f.referee.clone()),
        neutral: Set(f.neutral),
        stats: Set(f.stats.clone()),
        odds: Set(f.odds.clone()),
        source: Set("import".into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn update_match(id: i32, f: &Fields, now: chrono::DateTime<Utc>) -> football_match::ActiveModel {
    football_match::ActiveModel {
        id: sea_orm::Unchanged(id),
        season_id: Set(f.season_id),
        kickoff_at: Set(f.kickoff_at),
        status: Set(f.status.clone()),
        home_goals: Set(f.score.map(|s| s.0)),
        away_goals: Set(f.score.map(|s| s.1)),
        home_half_time_goals: Set(f.half_time.map(|s| s.0)),
        away_half_time_goals: Set(f.half_time.map(|s| s.1)),
        referee: Set(f.referee.clone()),
        neutral: Set(f.neutral),
        stats: Set(f.stats.clone()),
        odds: Set(f.odds.clone()),
        updated_at: Set(now),
        ..Default::default()
    }
}

async fn ensure_competitions(
    txn: &impl sea_orm::ConnectionTrait,
    rows: &[ImportRow],
) -> Result<HashMap<String, i32>, DbErr> {
    let mut wanted: HashMap<&str, &super::rows::CompetitionInfo> = HashMap::new();
    for row in rows {
        wanted
            .entry(row.competition.slug.as_str())
            .or_insert(&row.competition);
    }
    let mut ids: HashMap<String, i32> = competition::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|c| (c.slug, c.id))
        .collect();
    let missing: Vec<competition::ActiveModel> = wanted
        .values()
        .filter(|info| !ids.contains_key(&info.slug))
        .map(|info| competition::ActiveModel {
            id: sea_orm::NotSet,
            slug: Set(info.slug.clone()),
            name: Set(info.name.clone()),
            country: Set(info.country.clone()),
            kind: Set(info.kind.to_string()),
            created_at: Set(Utc::now()),
        })
        .collect();
    if !missing.is_empty() {
        insert_batched(txn, missing).await?;
        ids = competition::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|c| (c.slug, c.id))
            .collect();
    }
    Ok(ids)
}

async fn ensure_seasons(
    txn: &impl sea_orm::ConnectionTrait,
    rows: &[ImportRow],
    competitions: &HashMap<String, i32>,
) -> Result<HashMap<(i32, String), i32>, DbErr> {
    let load = || async {
        Ok::<_, DbErr>(
            season::Entity::find()
                .all(txn)
                .await?
                .into_iter()
                .map(|s| ((s.competition_id, s.name), s.id))
                .collect::<HashMap<_, _>>(),
        )
    };
    let mut ids = load().await?;
    let mut missing: HashMap<(i32, String), i32> = HashMap::new();
    for row in rows {
        if let Some(&competition_id) = competitions.get(&row.competition.slug) {
            let key = (competition_id, row.season.clone());
            if !ids.contains_key(&key) {
                missing.entry(key).or_insert(row.season_start_year);
            }
        }
    }
    if !missing.is_empty() {
        let models: Vec<season::ActiveModel> = missing
            .into_iter()
            .map(|((competition_id, name), start_year)| season::ActiveModel {
                id: sea_orm::NotSet,
                competition_id: Set(competition_id),
                name: Set(name),
                start_year: Set(start_year),
            })
            .collect();
        insert_batched(txn, models).await?;
        ids = load().await?;
    }
    Ok(ids)
}

async fn ensure_teams(
    txn: &impl sea_orm::ConnectionTrait,
    rows: &[ImportRow],
) -> Result<HashMap<String, i32>, DbErr> {
    let existing = team::Entity::find().all(txn).await?;
    let mut slugs: std::collections::HashSet<String> = existing.iter().map(|t| t.slug.clone()).collect();
    let mut ids: HashMap<String, i32> = existing.into_iter().map(|t| (t.name, t.id)).collect();
    let mut names: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.home.as_str(), r.away.as_str()])
        .collect();
    names.sort_unstable();
    names.dedup();
    let missing: Vec<team::ActiveModel> = names
        .into_iter()
        .filter(|name| !ids.contains_key(*name))
        .map(|name| team::ActiveModel {
            id: sea_orm::NotSet,
            name: Set(name.to_string()),
            slug: Set(unique_slug(name, &mut slugs)),
            country: Set(None),
            venue: Set(None),
            latitude: Set(None),
            longitude: Set(None),
            created_at: Set(Utc::now()),
        })
        .collect();
    if !missing.is_empty() {
        insert_batched(txn, missing).await?;
        ids = team::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|t| (t.name, t.id))
            .collect();
    }
    Ok(ids)
}

/// Multi-row INSERTs of at most [`BATCH`] rows each.
async fn insert_batched<A>(txn: &impl sea_orm::ConnectionTrait, models: Vec<A>) -> Result<(), DbErr>
where
    A: sea_orm::ActiveModelTrait + Clone + Send,
{
    for chunk in models.chunks(BATCH) {
        <A::Entity as EntityTrait>::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// `Nott'm Forest` → `nottm-forest`; a clash with another team's slug gets a numeric suffix.
pub fn unique_slug(name: &str, taken: &mut std::collections::HashSet<String>) -> String {
    let base = pundit_data::slugify(name);
    let base = if base.is_empty() { "team".to_string() } else { base };
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(slug.clone());
    slug
}
