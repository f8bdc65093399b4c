//! Replays: a finished match played back as a live timeline, so the whole live path (updates,
//! in-play forecasts, sockets, SSE) can be shown offline. Clearly simulated: the replay is a new
//! fixture with source `replay` (excluded from model training), its snapshots say
//! `simulated: true`, and goal minutes are drawn at random within each half (the data has only
//! half-time and full-time scores), seeded by the match so a replay is repeatable.

use std::time::Duration;

use chrono::Utc;
use pundit_model::simulation::{RandomSource, Xoshiro256PlusPlus};
use serde_json::json;

use super::{
    snapshot::{self, LiveSnapshot},
    sync::{self, LiveUpdate},
};
use crate::{
    db::entities::football_match as fm,
    error::{ApiError, ApiResult},
    matches::{
        fixtures, store,
        types::{MatchStatus, ScoreView},
    },
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Home,
    Away,
}

/// When goals and red cards happen, minute by minute.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    goals: Vec<(u16, Side)>,
    red_cards: Vec<(u16, Side)>,
    pub final_score: (i16, i16),
}

fn minutes(rng: &mut Xoshiro256PlusPlus, count: i16, from: u16, to: u16) -> Vec<u16> {
    (0..count.max(0))
        .map(|_| from + (rng.next_u64() % u64::from(to - from + 1)) as u16)
        .collect()
}

/// Draws a plausible timeline consistent with the half-time and full-time scores.
pub fn timeline(m: &fm::Model) -> Option<Timeline> {
    let (home, away) = m.home_goals.zip(m.away_goals)?;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(u64::from(m.id.unsigned_abs()));
    let (ht_home, ht_away) = m
        .home_half_time_goals
        .zip(m.away_half_time_goals)
        .unwrap_or((0, 0));
    let mut goals = Vec::new();
    let halves = [
        (ht_home, ht_away, 1, 45),
        (home - ht_home, away - ht_away, 46, 90),
    ];
    for (h, a, from, to) in halves {
        goals.extend(
            minutes(&mut rng, h, from, to)
                .into_iter()
                .map(|t| (t, Side::Home)),
        );
        goals.extend(
            minutes(&mut rng, a, from, to)
                .into_iter()
                .map(|t| (t, Side::Away)),
        );
    }
    goals.sort_by_key(|g| g.0);
    let (home_reds, away_reds) = super::sync::red_cards_of(m);
    let mut red_cards: Vec<(u16, Side)> = minutes(&mut rng, i16::try_from(home_reds).unwrap_or(0), 20, 85)
        .into_iter()
        .map(|t| (t, Side::Home))
        .collect();
    red_cards.extend(
        minutes(&mut rng, i16::try_from(away_reds).unwrap_or(0), 20, 85)
            .into_iter()
            .map(|t| (t, Side::Away)),
    );
    red_cards.sort_by_key(|r| r.0);
    Some(Timeline {
        goals,
        red_cards,
        final_score: (home, away),
    })
}

impl Timeline {
    fn at(&self, minute: u16) -> ((i16, i16), (u16, u16)) {
        let count =
            |events: &[(u16, Side)], side| events.iter().filter(|(t, s)| *t <= minute && *s == side).count();
        let goals = |side| i16::try_from(count(&self.goals, side)).unwrap_or(0);
        let cards = |side| u16::try_from(count(&self.red_cards, side)).unwrap_or(0);
        (
            (goals(Side::Home), goals(Side::Away)),
            (cards(Side::Home), cards(Side::Away)),
        )
    }

    fn events_until(&self, minute: u16) -> Vec<serde_json::Value> {
        let side = |s: Side| if s == Side::Home { "home" } else { "away" };
        let mut out: Vec<_> = self
            .goals
            .iter()
            .filter(|(t, _)| *t <= minute)
            .map(|(t, s)| json!({ "minute": t, "kind": "goal", "team": side(*s), "text": "Goal (simulated minute)" }))
            .chain(self.red_cards.iter().filter(|(t, _)| *t <= minute).map(
                |(t, s)| json!({ "minute": t, "kind": "red_card", "team": side(*s), "text": "Red card (simulated minute)" }),
            ))
            .collect();
        out.sort_by_key(|e| e["minute"].as_u64());
        out
    }
}

/// Creates the replay fixture (kick-off now) and starts playing it: `speed` match minutes per second.
pub async fn start(state: &AppState, source_id: i32, speed: f64) -> ApiResult<fm::Model> {
    if !(0.1..=600.0).contains(&speed) || !speed.is_finite() {
        return Err(ApiError::invalid_field(
            "speed",
            "range",
            "speed is match minutes per second, 0.1 to 600",
        ));
    }
    let source = store::football_match(&state.db, source_id)
        .await?
        .ok_or_else(|| ApiError::not_found("match"))?;
    let timeline = timeline(&source).ok_or_else(|| {
        ApiError::invalid_field(
            "match_id",
            "not_finished",
            "only a finished match with a score can be replayed",
        )
    })?;
    let fixture = fixtures::Fixture {
        competition_id: source.competition_id,
        season: None,
        home_team_id: source.home_team_id,
        away_team_id: source.away_team_id,
        kickoff_at: Utc::now(),
        neutral: source.neutral,
        source: "replay",
    };
    let replay = fixtures::create(&state.db, fixture).await?;
    tracing::info!(
        source_match = source_id,
        replay_match = replay.id,
        speed,
        "replay started (simulated)"
    );
    tokio::spawn(play(state.clone(), replay.clone(), timeline, speed));
    Ok(replay)
}

async fn play(state: AppState, mut m: fm::Model, timeline: Timeline, speed: f64) {
    let tick = Duration::from_secs_f64(1.0 / speed);
    for minute in 0..=90u16 {
        let finished = minute == 90;
        let (score, reds) = if finished {
            (timeline.final_score, timeline.at(90).1)
        } else {
            timeline.at(minute)
        };
        let update = LiveUpdate {
            status: if finished {
                MatchStatus::Finished
            } else {
                MatchStatus::Live
            },
            minute: Some(i16::try_from(minute).unwrap_or(90)),
            score: Some(score),
            red_cards: reds,
        };
        match sync::apply(&state, m.clone(), update).await {
            Ok((stored, _)) => m = stored,
            Err(e) => {
                tracing::warn!(match_id = m.id, error = %e, "replay step failed");
                return;
            }
        }
        let snap = LiveSnapshot {
            match_id: m.id,
            source: "replay".into(),
            simulated: true,
            status: MatchStatus::from_db(&m.status),
            minute: m.minute,
            score: Some(ScoreView {
                home: score.0,
                away: score.1,
            }),
            red_cards: ScoreView {
                home: i16::try_from(reds.0).unwrap_or(0),
                away: i16::try_from(reds.1).unwrap_or(0),
            },
            stats: None,
            key_events: timeline.events_until(minute),
            lineups: None,
            venue: None,
            fetched_at: Utc::now(),
            stale: false,
        };
        snapshot::store(&state, &snap).await;
        if finished {
            return;
        }
        tokio::select! {
            () = state.shutdown.cancelled() => return,
            () = tokio::time::sleep(tick) => {}
        }
    }
}
