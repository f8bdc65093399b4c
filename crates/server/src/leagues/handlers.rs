//! `/api/v1/leagues`: private leagues, their members, leaderboard and weekly winners.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{Days, NaiveDate, Utc};
use sea_orm::EntityTrait;
use uuid::Uuid;

use super::{
    MAX_MEMBERS, store,
    types::{
        BoardQuery, CreateLeague, JoinLeague, LeagueDetail, LeagueView, Left, ListQuery, MemberView,
        WeekWinners, Winners, WinnersQuery,
    },
};
use crate::{
    auth::extract::AuthUser,
    db::entities::{competition, league},
    error::{ApiError, ApiResult, ErrorBody},
    http::{
        extract::{Path, Query, ValidJson},
        pagination::{Page, page_and_limit},
    },
    matches::store as matches,
    picks::{
        leaderboard::{self, BoardRow, Scope},
        types::{Leaderboard, LeaderboardEntry, Period, ratio},
    },
    state::AppState,
    users::store as users,
};

const MAX_DESCRIPTION_CHARS: usize = 500;
const DEFAULT_WEEKS: u32 = 8;
const MAX_WEEKS: u32 = 52;

/// The league, if the caller is a member; otherwise a 404, so outsiders cannot probe ids.
async fn member_league(state: &AppState, id: Uuid, user_id: Uuid) -> ApiResult<league::Model> {
    let found = store::by_id(&state.db, id).await?;
    match found {
        Some(l) if store::is_member(&state.db, id, user_id).await? => Ok(l),
        _ => Err(ApiError::not_found("league")),
    }
}

/// The league, if the caller owns it (a member who does not gets a 403).
async fn owned_league(state: &AppState, id: Uuid, user_id: Uuid) -> ApiResult<league::Model> {
    let l = member_league(state, id, user_id).await?;
    if l.owner_id != user_id {
        return Err(ApiError::Forbidden("only the league's owner can do that".into()));
    }
    Ok(l)
}

async fn view(state: &AppState, l: league::Model, caller: Uuid) -> ApiResult<LeagueView> {
    let owner = users::by_id(&state.db, l.owner_id)
        .await?
        .map(|u| u.username)
        .unwrap_or_default();
    let competition = match l.competition_id {
        Some(id) => competition::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|c| c.slug),
        None => None,
    };
    Ok(LeagueView {
        id: l.id,
        name: l.name,
        description: l.description,
        competition,
        owner,
        is_owner: l.owner_id == caller,
        invite_code: l.invite_code,
        member_count: store::member_count(&state.db, l.id).await?,
        created_at: l.created_at,
    })
}

/// Create a league: you become its owner and first member. The response carries the invite code.
#[utoipa::path(post, path = "/leagues", tag = "leagues", request_body = CreateLeague,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 201, body = LeagueView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<CreateLeague>,
) -> ApiResult<(StatusCode, Json<LeagueView>)> {
    let name = req.name.trim();
    if !(3..=60).contains(&name.chars().count()) {
        return Err(ApiError::invalid_field("name", "length", "3 to 60 characters"));
    }
    let description = req
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        return Err(ApiError::invalid_field(
            "description",
            "length",
            "at most 500 characters",
        ));
    }
    let competition_id = match req.competition.as_deref() {
        Some(key) => Some(
            matches::competition(&state.db, key.trim())
                .await?
                .ok_or_else(|| ApiError::invalid_field("competition", "unknown", "no such competition"))?
                .id,
        ),
        None => None,
    };
    let new = store::NewLeague {
        name: name.to_string(),
        description: description.map(str::to_string),
        competition_id,
        owner_id: auth.id(),
    };
    let created = store::create(&state.db, new).await?;
    Ok((StatusCode::CREATED, Json(view(&state, created, auth.id()).await?)))
}

/// The leagues you belong to, newest first.
#[utoipa::path(get, path = "/leagues", tag = "leagues", params(ListQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Page<LeagueView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Page<LeagueView>>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let (rows, total) = store::leagues_of(&state.db, auth.id(), page, limit).await?;
    let mut items = Vec::with_capacity(rows.len());
    for l in rows {
        items.push(view(&state, l, auth.id()).await?);
    }
    Ok(Json(Page {
        items,
        total,
        page,
        limit,
    }))
}

/// One of your leagues with its members. Leagues you are not in are a 404.
#[utoipa::path(get, path = "/leagues/{id}", tag = "leagues", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LeagueDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeagueDetail>> {
    let l = member_league(&state, id, auth.id()).await?;
    let owner_id = l.owner_id;
    let members = store::members(&state.db, id)
        .await?
        .into_iter()
        .map(|(m, u)| MemberView {
            is_owner: u.id == owner_id,
            username: u.username,
            joined_at: m.joined_at,
        })
        .collect();
    Ok(Json(LeagueDetail {
        league: view(&state, l, auth.id()).await?,
        members,
    }))
}

/// Join a league by its invite code. Joining one you are in already changes nothing.
#[utoipa::path(post, path = "/leagues/join", tag = "leagues", request_body = JoinLeague,
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LeagueView), (status = 401, body = ErrorBody),
        (status = 404, description = "no league has that code", body = ErrorBody),
        (status = 409, description = "`league_full`", body = ErrorBody), (status = 422, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id()))]
pub async fn join(
    State(state): State<AppState>,
    auth: AuthUser,
    ValidJson(req): ValidJson<JoinLeague>,
) -> ApiResult<Json<LeagueView>> {
    let l = store::by_code(&state.db, &store::normalise_code(&req.code))
        .await?
        .ok_or_else(|| ApiError::not_found("league"))?;
    if !store::is_member(&state.db, l.id, auth.id()).await? {
        // Checked before the insert: concurrent joins may overshoot the cap by a few.
        if store::member_count(&state.db, l.id).await? >= MAX_MEMBERS {
            return Err(ApiError::Conflict {
                code: "league_full",
                message: format!("a league has at most {MAX_MEMBERS} members"),
            });
        }
        store::add_member(&state.db, l.id, auth.id()).await?;
    }
    Ok(Json(view(&state, l, auth.id()).await?))
}

/// Leave a league. An owner hands it to the longest-standing other member, or deletes it when
/// they were the last one.
#[utoipa::path(delete, path = "/leagues/{id}/members/me", tag = "leagues", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Left), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), league_id = %id))]
pub async fn leave(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<Left>> {
    let l = member_league(&state, id, auth.id()).await?;
    let left = match store::leave(&state.db, &l, auth.id()).await? {
        store::Leave::Left => Left {
            league_deleted: false,
            new_owner: None,
        },
        store::Leave::Deleted => Left {
            league_deleted: true,
            new_owner: None,
        },
        store::Leave::HandedOver(next) => Left {
            league_deleted: false,
            new_owner: users::by_id(&state.db, next).await?.map(|u| u.username),
        },
    };
    Ok(Json(left))
}

/// Give the league a new invite code (owner only); the old one stops working.
#[utoipa::path(post, path = "/leagues/{id}/invite-code", tag = "leagues", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = LeagueView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), league_id = %id))]
pub async fn rotate_code(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<Json<LeagueView>> {
    owned_league(&state, id, auth.id()).await?;
    let updated = store::rotate_code(&state.db, id).await?;
    Ok(Json(view(&state, updated, auth.id()).await?))
}

/// Delete a league (owner only). Members' picks are untouched.
#[utoipa::path(delete, path = "/leagues/{id}", tag = "leagues", params(("id" = Uuid, Path)),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
#[tracing::instrument(skip_all, fields(user_id = %auth.id(), league_id = %id))]
pub async fn delete(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    owned_league(&state, id, auth.id()).await?;
    store::delete(&state.db, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The picks board restricted to this league's members (and its competition).
async fn league_scope(state: &AppState, l: &league::Model) -> ApiResult<Scope> {
    Ok(Scope {
        competition_id: l.competition_id,
        user_ids: Some(store::member_ids(&state.db, l.id).await?),
        ..Scope::default()
    })
}

fn entries(rows: Vec<BoardRow>, first_rank: u64) -> Vec<LeaderboardEntry> {
    rows.into_iter()
        .zip(first_rank..)
        .map(|(r, rank)| LeaderboardEntry {
            rank,
            accuracy: ratio(r.total_correct as f64, r.total_graded as f64),
            username: r.username,
            points: r.total_points,
            picks: r.total_scored,
            correct: r.total_correct,
            mean_rps: r.mean_rps,
        })
        .collect()
}

/// The league's leaderboard: the same ranking and points as `/leaderboards`, among members only.
#[utoipa::path(get, path = "/leagues/{id}/leaderboard", tag = "leagues", params(("id" = Uuid, Path), BoardQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Leaderboard), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leaderboard(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<BoardQuery>,
) -> ApiResult<Json<Leaderboard>> {
    let (page, limit) = page_and_limit(query.page, query.limit)?;
    let l = member_league(&state, id, auth.id()).await?;
    let period = query.period.unwrap_or_default();
    let days = leaderboard::period_days(period, query.date.unwrap_or_else(|| Utc::now().date_naive()));
    let scope = league_scope(&state, &l).await?.days(days);
    let (rows, total) = leaderboard::points(&state.db, &scope, page, limit).await?;
    let competition = view(&state, l, auth.id()).await?.competition;
    Ok(Json(Leaderboard {
        period: period.as_str().into(),
        from: days.map(|d| d.0),
        to: days.map(|d| d.1),
        competition,
        items: entries(rows, (page - 1) * limit + 1),
        total,
        page,
        limit,
    }))
}

/// The top of each of the last `weeks` weeks (Monday–Sunday, UTC), newest first.
#[utoipa::path(get, path = "/leagues/{id}/winners", tag = "leagues", params(("id" = Uuid, Path), WinnersQuery),
    security(("bearer" = []), ("api_key" = [])),
    responses((status = 200, body = Winners), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn winners(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(id): Path<Uuid>,
    Query(query): Query<WinnersQuery>,
) -> ApiResult<Json<Winners>> {
    let weeks = query.weeks.unwrap_or(DEFAULT_WEEKS);
    if !(1..=MAX_WEEKS).contains(&weeks) {
        return Err(ApiError::invalid_field(
            "weeks",
            "range",
            "weeks must be between 1 and 52",
        ));
    }
    let l = member_league(&state, id, auth.id()).await?;
    let scope = league_scope(&state, &l).await?;
    let mut day: NaiveDate = query.date.unwrap_or_else(|| Utc::now().date_naive());
    let mut out = Vec::new();
    for _ in 0..weeks {
        let Some((from, to)) = leaderboard::period_days(Period::Week, day) else {
            break;
        };
        // Every member fits on one page, so all ties on top points are present.
        let (rows, _) =
            leaderboard::points(&state.db, &scope.clone().days(Some((from, to))), 1, MAX_MEMBERS).await?;
        let top = rows.first().map_or(0, |r| r.total_points);
        let winners = if top > 0 {
            entries(
                rows.into_iter().take_while(|r| r.total_points == top).collect(),
                1,
            )
        } else {
            Vec::new()
        };
        out.push(WeekWinners { from, to, winners });
        let Some(previous) = from.checked_sub_days(Days::new(1)) else {
            break;
        };
        day = previous;
    }
    Ok(Json(Winners {
        league_id: l.id,
        weeks: out,
    }))
}
