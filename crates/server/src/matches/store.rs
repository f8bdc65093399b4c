//! Queries for competitions, seasons, teams and matches.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select, sea_query::ExprTrait,
};

use super::types::{MatchDetail, MatchQuery, MatchSort, MatchView, ScoreView};
use crate::db::entities::{competition, football_match as fm, season, team};

/// A competition by numeric id or slug.
pub async fn competition(db: &impl ConnectionTrait, key: &str) -> Result<Option<competition::Model>, DbErr> {
    match key.parse::<i32>() {
        Ok(id) => competition::Entity::find_by_id(id).one(db).await,
        Err(_) => {
            competition::Entity::find()
                .filter(competition::Column::Slug.eq(key))
                .one(db)
                .await
        }
    }
}

pub async fn competitions(db: &impl ConnectionTrait) -> Result<Vec<competition::Model>, DbErr> {
    competition::Entity::find()
        .order_by_asc(competition::Column::Name)
        .all(db)
        .await
}

/// Seasons of a competition, newest first.
pub async fn seasons(db: &impl ConnectionTrait, competition_id: i32) -> Result<Vec<season::Model>, DbErr> {
    season::Entity::find()
        .filter(season::Column::CompetitionId.eq(competition_id))
        .order_by_desc(season::Column::StartYear)
        .all(db)
        .await
}

pub async fn season_named(
    db: &impl ConnectionTrait,
    competition_id: i32,
    name: &str,
) -> Result<Option<season::Model>, DbErr> {
    season::Entity::find()
        .filter(season::Column::CompetitionId.eq(competition_id))
        .filter(season::Column::Name.eq(name))
        .one(db)
        .await
}

pub async fn team(db: &impl ConnectionTrait, id: i32) -> Result<Option<team::Model>, DbErr> {
    team::Entity::find_by_id(id).one(db).await
}

pub async fn teams_by_id(
    db: &impl ConnectionTrait,
    ids: HashSet<i32>,
) -> Result<HashMap<i32, team::Model>, DbErr> {
    let teams = team::Entity::find()
        .filter(team::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(teams.into_iter().map(|t| (t.id, t)).collect())
}

/// Teams matching a name fragment and, optionally, having played in a competition.
pub async fn teams(
    db: &impl ConnectionTrait,
    name: Option<&str>,
    competition_id: Option<i32>,
    page: u64,
    limit: u64,
) -> Result<(Vec<team::Model>, u64), DbErr> {
    let mut select = team::Entity::find();
    if let Some(q) = name.filter(|q| !q.trim().is_empty()) {
        // Slugs are lowercase ASCII, so matching on them is case-insensitive on both backends.
        let pattern = format!("%{}%", pundit_data::slugify(q));
        select = select.filter(team::Column::Slug.like(pattern));
    }
    if let Some(competition_id) = competition_id {
        let home = fm::Entity::find()
            .select_only()
            .column(fm::Column::HomeTeamId)
            .filter(fm::Column::CompetitionId.eq(competition_id))
            .into_query();
        select = select.filter(team::Column::Id.in_subquery(home));
    }
    let total = select.clone().count(db).await?;
    let items = select
        .order_by_asc(team::Column::Name)
        .offset((page - 1) * limit)
        .limit(limit)
        .all(db)
        .await?;
    Ok((items, total))
}

/// The filtered match query before sorting and paging.
pub fn match_filter(
    query: &MatchQuery,
    competition_id: Option<i32>,
    season_id: Option<i32>,
) -> Select<fm::Entity> {
    let mut select = fm::Entity::find();
    if let Some(id) = competition_id {
        select = select.filter(fm::Column::CompetitionId.eq(id));
    }
    if let Some(id) = season_id {
        select = select.filter(fm::Column::SeasonId.eq(id));
    }
    if let Some(team) = query.team {
        select = select.filter(
            Condition::any()
                .add(fm::Column::HomeTeamId.eq(team))
                .add(fm::Column::AwayTeamId.eq(team)),
        );
    }
    if let Some(status) = query.status {
        select = select.filter(fm::Column::Status.eq(status.as_str()));
    }
    if let Some(from) = query.from {
        select = select.filter(fm::Column::MatchDate.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(fm::Column::MatchDate.lte(to));
    }
    select
}

pub async fn match_page(
    db: &impl ConnectionTrait,
    select: Select<fm::Entity>,
    sort: MatchSort,
    page: u64,
    limit: u64,
) -> Result<(Vec<fm::Model>, u64), DbErr> {
    let total = select.clone().count(db).await?;
    let select = match sort {
        MatchSort::KickoffAsc => select
            .order_by_asc(fm::Column::KickoffAt)
            .order_by_asc(fm::Column::Id),
        MatchSort::KickoffDesc => select
            .order_by_desc(fm::Column::KickoffAt)
            .order_by_desc(fm::Column::Id),
    };
    let items = select.offset((page - 1) * limit).limit(limit).all(db).await?;
    Ok((items, total))
}

pub async fn football_match(db: &impl ConnectionTrait, id: i32) -> Result<Option<fm::Model>, DbErr> {
    fm::Entity::find_by_id(id).one(db).await
}

/// Finished matches between two teams, newest first.
pub async fn head_to_head(db: &impl ConnectionTrait, a: i32, b: i32) -> Result<Vec<fm::Model>, DbErr> {
    fm::Entity::find()
        .filter(
            Condition::any()
                .add(fm::Column::HomeTeamId.eq(a).and(fm::Column::AwayTeamId.eq(b)))
                .add(fm::Column::HomeTeamId.eq(b).and(fm::Column::AwayTeamId.eq(a))),
        )
        .filter(fm::Column::Status.eq("finished"))
        .order_by_desc(fm::Column::KickoffAt)
        .all(db)
        .await
}

pub async fn season_matches(db: &impl ConnectionTrait, season_id: i32) -> Result<Vec<fm::Model>, DbErr> {
    fm::Entity::find()
        .filter(fm::Column::SeasonId.eq(season_id))
        .order_by_asc(fm::Column::KickoffAt)
        .order_by_asc(fm::Column::Id)
        .all(db)
        .await
}

pub async fn count_matches(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    fm::Entity::find().count(db).await
}

/// Views for a list of matches, loading their competitions, seasons and teams in three queries.
pub async fn match_views(db: &impl ConnectionTrait, matches: &[fm::Model]) -> Result<Vec<MatchView>, DbErr> {
    let team_ids: HashSet<i32> = matches
        .iter()
        .flat_map(|m| [m.home_team_id, m.away_team_id])
        .collect();
    let competition_ids: HashSet<i32> = matches.iter().map(|m| m.competition_id).collect();
    let season_ids: HashSet<i32> = matches.iter().map(|m| m.season_id).collect();
    let teams = teams_by_id(db, team_ids).await?;
    let competitions: HashMap<i32, competition::Model> = competition::Entity::find()
        .filter(competition::Column::Id.is_in(competition_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let seasons: HashMap<i32, String> = season::Entity::find()
        .filter(season::Column::Id.is_in(season_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut views = Vec::with_capacity(matches.len());
    for m in matches {
        let (Some(home), Some(away), Some(competition)) = (
            teams.get(&m.home_team_id),
            teams.get(&m.away_team_id),
            competitions.get(&m.competition_id),
        ) else {
            return Err(DbErr::RecordNotFound(format!("references of match {}", m.id)));
        };
        views.push(MatchView {
            id: m.id,
            competition: competition.into(),
            season: seasons.get(&m.season_id).cloned().unwrap_or_default(),
            home_team: home.into(),
            away_team: away.into(),
            kickoff_at: m.kickoff_at,
            status: super::types::MatchStatus::from_db(&m.status),
            minute: m.minute,
            score: m
                .home_goals
                .zip(m.away_goals)
                .map(|(home, away)| ScoreView { home, away }),
            half_time_score: m
                .home_half_time_goals
                .zip(m.away_half_time_goals)
                .map(|(home, away)| ScoreView { home, away }),
            neutral: m.neutral,
        });
    }
    Ok(views)
}

pub async fn match_detail(db: &impl ConnectionTrait, m: fm::Model) -> Result<MatchDetail, DbErr> {
    let summary = match_views(db, std::slice::from_ref(&m))
        .await?
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound(format!("match {}", m.id)))?;
    Ok(MatchDetail {
        summary,
        referee: m.referee,
        stats: m.stats,
        odds: m.odds,
        source: m.source,
        updated_at: m.updated_at,
    })
}
