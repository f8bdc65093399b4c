//! What an insight is written from: the match, its forecast, both teams' form, past meetings,
//! and the live picture, weather and news when they are already at hand. Every piece but the
//! match itself is optional: a missing piece is left out, never an error.

use chrono::{DateTime, Utc};
use pundit_data::live::{news, weather};
use pundit_model::ModelName;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    db::entities::{competition, football_match as fm, season},
    error::{ApiError, ApiResult},
    forecasts::{render::ForecastBody, service},
    live::{handlers::weather_path, snapshot},
    matches::store,
    state::AppState,
};

/// Recent results and past meetings considered.
const FORM_MATCHES: u64 = 5;
const MEETINGS: usize = 5;
const HEADLINES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub home: i16,
    pub away: i16,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LikelyScore {
    pub home: u32,
    pub away: u32,
    pub probability: f64,
}

/// The numbers of the best model's forecast that an analysis talks about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastFacts {
    pub model: String,
    /// `pre_match` or `in_play`.
    pub kind: String,
    pub home: f64,
    pub draw: f64,
    pub away: f64,
    pub home_xg: Option<f64>,
    pub away_xg: Option<f64>,
    pub likely_score: Option<LikelyScore>,
    pub over_2_5: Option<f64>,
    pub btts: Option<f64>,
}

/// A team's last finished matches before this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Form {
    /// `W`, `D` or `L`, oldest first (like the standings' form column).
    pub results: String,
    pub goals_for: u32,
    pub goals_against: u32,
}

/// Earlier meetings of the two teams, counted from the home side of this match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meetings {
    pub played: u32,
    pub home_wins: u32,
    pub draws: u32,
    pub away_wins: u32,
    /// Newest first, e.g. `2023-10-21 Arsenal 2-2 Chelsea`.
    pub last: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchFacts {
    pub match_id: i32,
    pub home_team: String,
    pub away_team: String,
    pub competition: String,
    pub season: Option<String>,
    pub kickoff_at: DateTime<Utc>,
    /// `scheduled`, `live`, `finished`, `postponed` or `cancelled`.
    pub status: String,
    pub neutral: bool,
    /// Live or final score.
    pub score: Option<Score>,
    pub minute: Option<i16>,
    /// Shots, cards, corners... per side, while live or once finished.
    pub stats: Option<Value>,
    /// Key events of a live or finished match, e.g. `54' goal (home) Saka`.
    pub events: Vec<String>,
    pub forecast: Option<ForecastFacts>,
    pub home_form: Option<Form>,
    pub away_form: Option<Form>,
    pub head_to_head: Option<Meetings>,
    /// Weather at kick-off, when it was fetched already.
    pub weather: Option<String>,
    /// Headlines about either team from feeds already fetched.
    pub news: Vec<String>,
}

/// Gathers the facts of match `match_id`; 404 when there is no such match.
pub async fn gather(state: &AppState, match_id: i32) -> ApiResult<MatchFacts> {
    let m = store::football_match(&state.db, match_id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let teams = store::teams_by_id(&state.db, [m.home_team_id, m.away_team_id].into()).await?;
    let (Some(home), Some(away)) = (teams.get(&m.home_team_id), teams.get(&m.away_team_id)) else {
        return Err(ApiError::not_found("team"));
    };
    let competition = competition::Entity::find_by_id(m.competition_id)
        .one(&state.db)
        .await?
        .map_or_else(String::new, |c| c.name);
    let season = season::Entity::find_by_id(m.season_id)
        .one(&state.db)
        .await?
        .map(|s| s.name);
    let in_play_or_done = matches!(m.status.as_str(), "live" | "finished");
    let live = if in_play_or_done {
        snapshot::load(state, m.id).await
    } else {
        None
    };
    let events = live
        .as_ref()
        .map(|s| s.key_events.iter().filter_map(describe_event).collect())
        .unwrap_or_default();
    let stats = if in_play_or_done {
        m.stats
            .clone()
            .or_else(|| live.as_ref().and_then(|s| s.stats.clone()))
    } else {
        None
    };
    let forecast = match service::for_match(state, &m, ModelName::Best).await {
        Ok(served) => serde_json::from_slice::<ForecastBody>(&served.json)
            .ok()
            .map(|body| forecast_facts(&body)),
        Err(e) => {
            tracing::debug!(match_id, error = %e, "insight written without a forecast");
            None
        }
    };
    Ok(MatchFacts {
        match_id: m.id,
        home_team: home.name.clone(),
        away_team: away.name.clone(),
        competition,
        season,
        kickoff_at: m.kickoff_at,
        status: m.status.clone(),
        neutral: m.neutral,
        score: if in_play_or_done {
            m.home_goals
                .zip(m.away_goals)
                .map(|(home, away)| Score { home, away })
        } else {
            None
        },
        minute: (m.status == "live").then_some(m.minute).flatten(),
        stats,
        events,
        forecast,
        home_form: form(state, &m, m.home_team_id).await?,
        away_form: form(state, &m, m.away_team_id).await?,
        head_to_head: meetings(state, &m, &home.name, &away.name).await?,
        weather: cached_weather(state, &m, home.latitude.zip(home.longitude)).await,
        news: cached_news(state, &[home.name.clone(), away.name.clone()]).await,
    })
}

fn forecast_facts(body: &ForecastBody) -> ForecastFacts {
    let kind = match body.kind {
        crate::forecasts::render::ForecastKind::PreMatch => "pre_match",
        crate::forecasts::render::ForecastKind::InPlay => "in_play",
    };
    ForecastFacts {
        model: body.model.clone(),
        kind: kind.to_string(),
        home: body.probabilities.home,
        draw: body.probabilities.draw,
        away: body.probabilities.away,
        home_xg: body.expected_goals.map(|g| g.home),
        away_xg: body.expected_goals.map(|g| g.away),
        likely_score: body.top_scores.first().map(|s| LikelyScore {
            home: s.home,
            away: s.away,
            probability: s.probability,
        }),
        over_2_5: body
            .over_under
            .iter()
            .find(|o| (o.line - 2.5).abs() < 1e-9)
            .map(|o| o.over),
        btts: body.both_teams_to_score.map(|b| b.yes),
    }
}

/// `54' goal (home) Saka` from a provider's key event.
fn describe_event(e: &Value) -> Option<String> {
    let text = |k: &str| e.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let kind = text("kind")?;
    let minute = e.get("minute").and_then(Value::as_i64).map(|m| format!("{m}' "));
    let team = text("team").map(|t| format!(" ({t})")).unwrap_or_default();
    let who = text("player").or_else(|| text("text")).map(|p| format!(" {p}"));
    Some(format!(
        "{}{kind}{team}{}",
        minute.unwrap_or_default(),
        who.unwrap_or_default()
    ))
}

/// The team's last finished results before the match.
async fn form(state: &AppState, m: &fm::Model, team_id: i32) -> ApiResult<Option<Form>> {
    let recent = fm::Entity::find()
        .filter(
            Condition::any()
                .add(fm::Column::HomeTeamId.eq(team_id))
                .add(fm::Column::AwayTeamId.eq(team_id)),
        )
        .filter(fm::Column::Status.eq("finished"))
        .filter(fm::Column::KickoffAt.lt(m.kickoff_at))
        .filter(fm::Column::Id.ne(m.id))
        .order_by_desc(fm::Column::KickoffAt)
        .limit(FORM_MATCHES)
        .all(&state.db)
        .await?;
    let mut form = Form {
        results: String::new(),
        goals_for: 0,
        goals_against: 0,
    };
    for r in recent.iter().rev() {
        let (Some(hg), Some(ag)) = (r.home_goals, r.away_goals) else {
            continue;
        };
        let (scored, conceded) = if r.home_team_id == team_id {
            (hg, ag)
        } else {
            (ag, hg)
        };
        form.goals_for += u32::try_from(scored).unwrap_or(0);
        form.goals_against += u32::try_from(conceded).unwrap_or(0);
        form.results.push(match scored.cmp(&conceded) {
            std::cmp::Ordering::Greater => 'W',
            std::cmp::Ordering::Equal => 'D',
            std::cmp::Ordering::Less => 'L',
        });
    }
    Ok((!form.results.is_empty()).then_some(form))
}

/// Earlier finished meetings of the two sides.
async fn meetings(state: &AppState, m: &fm::Model, home: &str, away: &str) -> ApiResult<Option<Meetings>> {
    let all = store::head_to_head(&state.db, m.home_team_id, m.away_team_id).await?;
    let mut out = Meetings {
        played: 0,
        home_wins: 0,
        draws: 0,
        away_wins: 0,
        last: Vec::new(),
    };
    for r in all.iter().filter(|r| r.id != m.id && r.kickoff_at < m.kickoff_at) {
        let (Some(hg), Some(ag)) = (r.home_goals, r.away_goals) else {
            continue;
        };
        // Goals of this match's home side and away side.
        let (ours, theirs) = if r.home_team_id == m.home_team_id {
            (hg, ag)
        } else {
            (ag, hg)
        };
        out.played += 1;
        match ours.cmp(&theirs) {
            std::cmp::Ordering::Greater => out.home_wins += 1,
            std::cmp::Ordering::Equal => out.draws += 1,
            std::cmp::Ordering::Less => out.away_wins += 1,
        }
        if out.last.len() < MEETINGS {
            let (first, second) = if r.home_team_id == m.home_team_id {
                (home, away)
            } else {
                (away, home)
            };
            out.last
                .push(format!("{} {first} {hg}-{ag} {second}", r.match_date));
        }
    }
    Ok((out.played > 0).then_some(out))
}

/// The kick-off weather, if the weather endpoint already fetched it (no call from here).
async fn cached_weather(state: &AppState, m: &fm::Model, venue: Option<(f64, f64)>) -> Option<String> {
    let (latitude, longitude) = venue?;
    let path = weather_path(latitude, longitude, m.kickoff_at.date_naive());
    let fetched = state.live.weather.cached(&path).await?;
    let hours = weather::parse_forecast(&fetched.body).ok()?;
    weather::weather_at(&hours, m.kickoff_at).map(|r| r.summary)
}

/// Headlines about either team from feeds already fetched (no call from here).
async fn cached_news(state: &AppState, teams: &[String]) -> Vec<String> {
    let mut items = Vec::new();
    for feed in &state.live.news {
        if let Some(fetched) = feed.cached("").await
            && let Ok(parsed) = news::parse_feed(&fetched.body)
        {
            items.extend(
                parsed
                    .into_iter()
                    .filter(|i| teams.iter().any(|t| i.teams.contains(t))),
            );
        }
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.published));
    let mut titles: Vec<String> = items.into_iter().map(|i| i.title).collect();
    titles.dedup();
    titles.truncate(HEADLINES);
    titles
}
