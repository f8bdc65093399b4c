//! Creating fixtures (admins, live providers, replays): the season follows from the kick-off date
//! (July–June) unless named, and is created when new.

use chrono::{DateTime, Datelike, Utc};
use sea_orm::{ActiveModelTrait, DatabaseConnection, NotSet, Set};

use super::{store, types::MatchStatus};
use crate::{
    db::entities::{football_match as fm, season},
    error::ApiError,
};

pub struct Fixture {
    pub competition_id: i32,
    /// `2025-26`; derived from `kickoff_at` when `None`.
    pub season: Option<String>,
    pub home_team_id: i32,
    pub away_team_id: i32,
    pub kickoff_at: DateTime<Utc>,
    pub neutral: bool,
    /// `admin`, `espn`, `replay`...
    pub source: &'static str,
}

/// The season a date falls in, named like `2025-26`.
pub fn season_name(kickoff: DateTime<Utc>) -> String {
    let d = kickoff.date_naive();
    let start = if d.month() >= 7 { d.year() } else { d.year() - 1 };
    format!("{start}-{:02}", (start + 1) % 100)
}

pub async fn find_or_create_season(
    db: &DatabaseConnection,
    competition_id: i32,
    name: &str,
) -> Result<season::Model, ApiError> {
    if let Some(existing) = store::season_named(db, competition_id, name).await? {
        return Ok(existing);
    }
    let start_year = name
        .get(..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| ApiError::invalid_field("season", "invalid_season", "seasons look like 2025-26"))?;
    let inserted = season::ActiveModel {
        id: NotSet,
        competition_id: Set(competition_id),
        name: Set(name.to_string()),
        start_year: Set(start_year),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(s) => Ok(s),
        // Created concurrently by someone else: use theirs.
        Err(e) => match crate::db::classify(e) {
            ApiError::Conflict { .. } => store::season_named(db, competition_id, name)
                .await?
                .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("season vanished"))),
            other => Err(other),
        },
    }
}

/// Inserts a scheduled fixture; the same pairing on the same day is a 409 `match_exists`.
pub async fn create(db: &DatabaseConnection, f: Fixture) -> Result<fm::Model, ApiError> {
    let name = f.season.clone().unwrap_or_else(|| season_name(f.kickoff_at));
    let season = find_or_create_season(db, f.competition_id, &name).await?;
    let now = Utc::now();
    fm::ActiveModel {
        id: NotSet,
        competition_id: Set(f.competition_id),
        season_id: Set(season.id),
        home_team_id: Set(f.home_team_id),
        away_team_id: Set(f.away_team_id),
        match_date: Set(f.kickoff_at.date_naive()),
        kickoff_at: Set(f.kickoff_at),
        status: Set(MatchStatus::Scheduled.as_str().into()),
        minute: Set(None),
        home_goals: Set(None),
        away_goals: Set(None),
        home_half_time_goals: Set(None),
        away_half_time_goals: Set(None),
        referee: Set(None),
        neutral: Set(f.neutral),
        stats: Set(None),
        odds: Set(None),
        source: Set(f.source.into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| match crate::db::classify(e) {
        ApiError::Conflict { .. } => ApiError::Conflict {
            code: "match_exists",
            message: "these teams already meet in this competition on that day".into(),
        },
        other => other,
    })
}
