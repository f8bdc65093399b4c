//! ESPN's public soccer scoreboard: fetched per league and day, matched to stored fixtures
//! (created when new), applied as live updates.

use chrono::{Duration as Days, NaiveDate, Utc};
use pundit_data::{
    TeamAliases,
    live::{LiveMatch, LiveStatus, espn},
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use serde_json::json;

use super::{
    Live,
    snapshot::{self, LiveSnapshot},
    sync::{self, LiveUpdate},
};
use crate::{
    db::entities::{competition, football_match as fm, team},
    error::{ApiError, ApiResult},
    matches::{
        fixtures,
        types::{MatchStatus, ScoreView},
    },
    state::AppState,
};

/// ESPN league codes of the competitions Pundit ships.
pub const LEAGUES: [(&str, &str); 5] = [
    ("eng.1", "premier-league"),
    ("esp.1", "la-liga"),
    ("ger.1", "bundesliga"),
    ("ita.1", "serie-a"),
    ("fra.1", "ligue-1"),
];

pub fn league_of(competition_slug: &str) -> Option<&'static str> {
    LEAGUES
        .iter()
        .find(|(_, slug)| *slug == competition_slug)
        .map(|(code, _)| *code)
}

#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct PollReport {
    pub league: String,
    pub date: NaiveDate,
    pub events: usize,
    pub matched: usize,
    pub created: usize,
    pub updated: usize,
    pub stale: bool,
}

fn status(s: LiveStatus) -> MatchStatus {
    match s {
        LiveStatus::Scheduled => MatchStatus::Scheduled,
        LiveStatus::Live | LiveStatus::HalfTime => MatchStatus::Live,
        LiveStatus::Finished => MatchStatus::Finished,
        LiveStatus::Postponed => MatchStatus::Postponed,
        LiveStatus::Cancelled => MatchStatus::Cancelled,
    }
}

/// Polls one league's scoreboard for `date` and applies every event it can match.
pub async fn poll(state: &AppState, live: &Live, league: &str, date: NaiveDate) -> ApiResult<PollReport> {
    let Some((_, slug)) = LEAGUES.iter().find(|(code, _)| *code == league) else {
        return Err(ApiError::invalid_field(
            "league",
            "unknown_league",
            "use eng.1, esp.1, ger.1, ita.1 or fra.1",
        ));
    };
    let competition = competition::Entity::find()
        .filter(competition::Column::Slug.eq(*slug))
        .one(&state.db)
        .await?
        .ok_or_else(|| ApiError::not_found("competition"))?;
    let path = format!("/{league}/scoreboard?dates={}", date.format("%Y%m%d"));
    // Live scores go stale in seconds; the scoreboard is cached just long enough to absorb bursts.
    let fetched = live
        .espn
        .get(&path, state.config.live_cache_ttl)
        .await
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let events = espn::parse_scoreboard(&fetched.body).map_err(|e| ApiError::Unprocessable {
        code: "provider_payload",
        message: e.to_string(),
    })?;
    let aliases = TeamAliases::builtin();
    let mut report = PollReport {
        league: league.into(),
        date,
        events: events.len(),
        stale: fetched.stale,
        ..PollReport::default()
    };
    for event in &events {
        let names = event.canonical_names(&aliases);
        let (Some(home), Some(away)) = (
            team_named(state, &names.home).await?,
            team_named(state, &names.away).await?,
        ) else {
            continue;
        };
        let m = match find_match(state, competition.id, home.id, away.id, event).await? {
            Some(m) => m,
            None if !fetched.stale => {
                let fixture = fixtures::Fixture {
                    competition_id: competition.id,
                    season: None,
                    home_team_id: home.id,
                    away_team_id: away.id,
                    kickoff_at: event.kickoff,
                    neutral: false,
                    source: "espn",
                };
                report.created += 1;
                fixtures::create(&state.db, fixture).await?
            }
            None => continue,
        };
        report.matched += 1;
        let update = LiveUpdate {
            status: status(event.status),
            minute: event.minute.and_then(|m| i16::try_from(m).ok()),
            score: event
                .score
                .and_then(|s| Some((i16::try_from(s.home).ok()?, i16::try_from(s.away).ok()?))),
            red_cards: (event.red_cards.home, event.red_cards.away),
        };
        let (stored, changed) = sync::apply(state, m, update).await?;
        report.updated += usize::from(changed);
        // Matches in play get the summary too: box score, line-ups and every key event.
        let detail = match event.status.is_in_play() {
            true => summary(state, live, league, &event.provider_id).await,
            false => None,
        };
        let described = detail.as_ref().unwrap_or(event);
        snapshot::store(
            state,
            &to_snapshot(&stored, described, fetched.fetched_at, fetched.stale),
        )
        .await;
    }
    Ok(report)
}

/// The match summary, or `None` when the provider cannot give one right now.
async fn summary(state: &AppState, live: &Live, league: &str, event_id: &str) -> Option<LiveMatch> {
    let path = format!("/{league}/summary?event={event_id}");
    match live.espn.get(&path, state.config.live_cache_ttl).await {
        Ok(fetched) => espn::parse_summary(&fetched.body).ok(),
        Err(e) => {
            tracing::debug!(error = %e, event_id, "match summary unavailable");
            None
        }
    }
}

async fn team_named(state: &AppState, name: &str) -> ApiResult<Option<team::Model>> {
    Ok(team::Entity::find()
        .filter(team::Column::Name.eq(name))
        .one(&state.db)
        .await?)
}

/// The stored match of this pairing within a day of the provider's kick-off time.
async fn find_match(
    state: &AppState,
    competition_id: i32,
    home: i32,
    away: i32,
    event: &LiveMatch,
) -> ApiResult<Option<fm::Model>> {
    let day = event.kickoff.date_naive();
    Ok(fm::Entity::find()
        .filter(fm::Column::CompetitionId.eq(competition_id))
        .filter(fm::Column::HomeTeamId.eq(home))
        .filter(fm::Column::AwayTeamId.eq(away))
        .filter(fm::Column::MatchDate.between(day - Days::days(1), day + Days::days(1)))
        .one(&state.db)
        .await?)
}

fn to_snapshot(
    m: &fm::Model,
    event: &LiveMatch,
    fetched_at: chrono::DateTime<Utc>,
    stale: bool,
) -> LiveSnapshot {
    LiveSnapshot {
        match_id: m.id,
        source: "espn".into(),
        simulated: false,
        status: MatchStatus::from_db(&m.status),
        minute: m.minute,
        score: m
            .home_goals
            .zip(m.away_goals)
            .map(|(home, away)| ScoreView { home, away }),
        red_cards: ScoreView {
            home: i16::try_from(event.red_cards.home).unwrap_or(0),
            away: i16::try_from(event.red_cards.away).unwrap_or(0),
        },
        stats: event.stats.as_ref().and_then(|s| serde_json::to_value(s).ok()),
        key_events: event
            .key_events
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect(),
        lineups: event.lineups.as_ref().and_then(|l| serde_json::to_value(l).ok()),
        venue: event.venue.as_ref().map(|v| json!(v)),
        fetched_at,
        stale,
    }
}
