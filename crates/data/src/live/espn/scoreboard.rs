//! The scoreboard: `{"leagues": [...], "events": [{"id", "date", "status", "competitions"}]}`.

use serde_json::Value;

use super::json::{array, text, whole};
use super::parts::{
    max_cards, pair_stats, read_key_event, read_score, read_stats, read_team, read_venue, red_cards_in,
    split_competitors,
};
use super::status::read_status;
use crate::live::time::parse_timestamp;
use crate::live::{LiveError, LiveMatch};
use crate::record::HomeAway;

/// Parses a scoreboard payload. Events without an id, two identifiable teams or a kick-off
/// time are skipped: nothing could be matched to them. An `events` array that is present but
/// empty (a day without fixtures) is an empty list, not an error.
pub fn parse_scoreboard(bytes: &[u8]) -> Result<Vec<LiveMatch>, LiveError> {
    let root: Value = serde_json::from_slice(bytes)?;
    let events = root
        .get("events")
        .and_then(Value::as_array)
        .ok_or(LiveError::Missing("events array"))?;
    let league = text(&root, "/leagues/0/slug");
    Ok(events
        .iter()
        .filter_map(|event| read_event(event, league.as_deref()))
        .collect())
}

fn read_event(event: &Value, league: Option<&str>) -> Option<LiveMatch> {
    let provider_id = text(event, "/id")?;
    let null = Value::Null;
    let competition = array(event, "/competitions").first().unwrap_or(&null);
    let kickoff = text(competition, "/date")
        .or_else(|| text(event, "/date"))
        .and_then(|t| parse_timestamp(&t))?;
    let competitors = split_competitors(array(competition, "/competitors"))?;
    let teams = HomeAway {
        home: read_team(competitors.home.get("team")?)?,
        away: read_team(competitors.away.get("team")?)?,
    };
    let status = read_status(event.get("status").or_else(|| competition.get("status")));
    let stats = pair_stats(
        read_stats(array(competitors.home, "/statistics")),
        read_stats(array(competitors.away, "/statistics")),
    );
    let key_events: Vec<_> = array(competition, "/details")
        .iter()
        .map(|detail| read_key_event(detail, &teams))
        .collect();
    Some(LiveMatch {
        provider_id,
        league: league.map(str::to_string),
        kickoff,
        score: read_score(&competitors, status.status),
        status: status.status,
        status_detail: status.detail,
        minute: status.minute,
        red_cards: max_cards(red_cards_in(&key_events), stats),
        venue: read_venue(competition.get("venue").or_else(|| event.get("venue"))),
        attendance: competition.get("attendance").and_then(whole).filter(|&n| n > 0),
        stats,
        key_events,
        lineups: None,
        home: teams.home,
        away: teams.away,
    })
}
