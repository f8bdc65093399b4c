//! Read endpoints: competitions, seasons, standings, teams, matches, head-to-head.

use axum::{Json, extract::State};

use super::{
    standings, store,
    types::{
        CompetitionDetail, CompetitionView, HeadToHead, MatchDetail, MatchQuery, MatchView, SeasonQuery,
        SeasonView, Standings, TeamQuery, TeamRef, TeamView,
    },
};
use crate::{
    db::entities::{competition, season},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Path, Query},
        pagination::{Page, page_and_limit},
    },
    state::AppState,
};

pub async fn find_competition(state: &AppState, key: &str) -> ApiResult<competition::Model> {
    store::competition(&state.db, key)
        .await?
        .ok_or_else(|| ApiError::not_found("competition"))
}

/// The named season, or the latest one.
pub async fn find_season(
    state: &AppState,
    competition_id: i32,
    name: Option<&str>,
) -> ApiResult<season::Model> {
    let found = match name {
        Some(name) => store::season_named(&state.db, competition_id, name).await?,
        None => store::seasons(&state.db, competition_id)
            .await?
            .into_iter()
            .next(),
    };
    found.ok_or_else(|| ApiError::not_found("season"))
}

/// All competitions.
#[utoipa::path(get, path = "/competitions", tag = "matches", responses((status = 200, body = Vec<CompetitionView>)))]
pub async fn list_competitions(State(state): State<AppState>) -> ApiResult<Json<Vec<CompetitionView>>> {
    let all = store::competitions(&state.db).await?;
    Ok(Json(all.iter().map(CompetitionView::from).collect()))
}

/// A competition (by id or slug) and its seasons.
#[utoipa::path(get, path = "/competitions/{competition}", tag = "matches",
    params(("competition" = String, Path, description = "id or slug, e.g. premier-league")),
    responses((status = 200, body = CompetitionDetail), (status = 404, body = ErrorBody)))]
pub async fn get_competition(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> ApiResult<Json<CompetitionDetail>> {
    let competition = find_competition(&state, &key).await?;
    let seasons = store::seasons(&state.db, competition.id).await?;
    Ok(Json(CompetitionDetail {
        competition: (&competition).into(),
        seasons: seasons.iter().map(SeasonView::from).collect(),
    }))
}

/// The league table of a season: points, goal difference, form of the last five.
#[utoipa::path(get, path = "/competitions/{competition}/standings", tag = "matches",
    params(("competition" = String, Path, description = "id or slug"), SeasonQuery),
    responses((status = 200, body = Standings), (status = 404, body = ErrorBody)))]
pub async fn get_standings(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<SeasonQuery>,
) -> ApiResult<Json<Standings>> {
    let competition = find_competition(&state, &key).await?;
    let season = find_season(&state, competition.id, query.season.as_deref()).await?;
    let matches = store::season_matches(&state.db, season.id).await?;
    let team_ids = matches
        .iter()
        .flat_map(|m| [m.home_team_id, m.away_team_id])
        .collect();
    let teams = store::teams_by_id(&state.db, team_ids).await?;
    Ok(Json(Standings {
        competition: (&competition).into(),
        season: season.name,
        rows: standings::table(&matches, &teams),
    }))
}

/// Teams, by name fragment and competition.
#[utoipa::path(get, path = "/teams", tag = "matches", params(TeamQuery),
    responses((status = 200, body = Page<TeamView>),
        (status = 404, description = "the competition filter names no competition", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_teams(
    State(state): State<AppState>,
    Query(query): Query<TeamQuery>,
) -> ApiResult<Json<Page<TeamView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let competition_id = match &query.competition {
        Some(key) => Some(find_competition(&state, key).await?.id),
        None => None,
    };
    let (teams, total) = store::teams(&state.db, query.q.as_deref(), competition_id, page, limit).await?;
    Ok(Json(Page {
        items: teams.into_iter().map(TeamView::from).collect(),
        total,
        page,
        limit,
    }))
}

/// One team.
#[utoipa::path(get, path = "/teams/{id}", tag = "matches", params(("id" = i32, Path)),
    responses((status = 200, body = TeamView), (status = 404, body = ErrorBody)))]
pub async fn get_team(State(state): State<AppState>, Path(id): Path<i32>) -> ApiResult<Json<TeamView>> {
    let team = store::team(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))?;
    Ok(Json(team.into()))
}

/// Every finished meeting of two teams, with the record from the first team's side.
#[utoipa::path(get, path = "/teams/{id}/head-to-head/{opponent}", tag = "matches",
    params(("id" = i32, Path), ("opponent" = i32, Path)),
    responses((status = 200, body = HeadToHead), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn head_to_head(
    State(state): State<AppState>,
    Path((id, opponent)): Path<(i32, i32)>,
) -> ApiResult<Json<HeadToHead>> {
    if id == opponent {
        return Err(ApiError::invalid_field(
            "opponent",
            "same_team",
            "pick two different teams",
        ));
    }
    let team = store::team(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("team"))?;
    let other = store::team(&state.db, opponent)
        .await?
        .ok_or_else(|| ApiError::not_found("opponent"))?;
    let meetings = store::head_to_head(&state.db, id, opponent).await?;
    let mut record = HeadToHead {
        team: TeamRef::from(&team),
        opponent: TeamRef::from(&other),
        played: 0,
        wins: 0,
        draws: 0,
        losses: 0,
        goals_for: 0,
        goals_against: 0,
        matches: Vec::new(),
    };
    for m in &meetings {
        let (Some(hg), Some(ag)) = (m.home_goals, m.away_goals) else {
            continue;
        };
        let (scored, conceded) = if m.home_team_id == id { (hg, ag) } else { (ag, hg) };
        record.played += 1;
        record.goals_for += u32::try_from(scored).unwrap_or(0);
        record.goals_against += u32::try_from(conceded).unwrap_or(0);
        match scored.cmp(&conceded) {
            std::cmp::Ordering::Greater => record.wins += 1,
            std::cmp::Ordering::Equal => record.draws += 1,
            std::cmp::Ordering::Less => record.losses += 1,
        }
    }
    record.matches = store::match_views(&state.db, &meetings[..meetings.len().min(20)]).await?;
    Ok(Json(record))
}

/// Fixtures and results with filters, sorting and pagination.
#[utoipa::path(get, path = "/matches", tag = "matches", params(MatchQuery),
    responses((status = 200, body = Page<MatchView>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_matches(
    State(state): State<AppState>,
    Query(query): Query<MatchQuery>,
) -> ApiResult<Json<Page<MatchView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(ApiError::invalid_field(
            "from",
            "range",
            "`from` must not be after `to`",
        ));
    }
    let competition = match &query.competition {
        Some(key) => Some(find_competition(&state, key).await?),
        None => None,
    };
    let season_id = match (&query.season, &competition) {
        (Some(name), Some(c)) => Some(find_season(&state, c.id, Some(name)).await?.id),
        (Some(_), None) => {
            return Err(ApiError::invalid_field(
                "season",
                "needs_competition",
                "filter by competition too",
            ));
        }
        _ => None,
    };
    let select = store::match_filter(&query, competition.map(|c| c.id), season_id);
    let (matches, total) =
        store::match_page(&state.db, select, query.sort.unwrap_or_default(), page, limit).await?;
    let items = store::match_views(&state.db, &matches).await?;
    Ok(Json(Page {
        items,
        total,
        page,
        limit,
    }))
}

/// One match with its statistics and bookmaker odds.
#[utoipa::path(get, path = "/matches/{id}", tag = "matches", params(("id" = i32, Path)),
    responses((status = 200, body = MatchDetail), (status = 404, body = ErrorBody)))]
pub async fn get_match(State(state): State<AppState>, Path(id): Path<i32>) -> ApiResult<Json<MatchDetail>> {
    let m = store::football_match(&state.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    Ok(Json(store::match_detail(&state.db, m).await?))
}
