//! The match summary: `{"header": {"id", "league", "competitions": [...]}, "boxscore",
//! "rosters", "keyEvents", "gameInfo"}`.

use serde_json::Value;

use super::json::{array, text, whole};
use super::parts::{
    max_cards, pair_stats, read_key_event, read_lineup, read_score, read_stats, read_team, read_venue,
    red_cards_in, side_of, split_competitors,
};
use super::status::read_status;
use crate::live::time::parse_timestamp;
use crate::live::{Lineup, LiveError, LiveMatch, LiveStats, LiveTeam, Side};
use crate::record::HomeAway;

/// Parses a summary payload. It needs the header's event id, both teams and the kick-off;
/// box score, rosters, key events and game info are all optional.
pub fn parse_summary(bytes: &[u8]) -> Result<LiveMatch, LiveError> {
    let root: Value = serde_json::from_slice(bytes)?;
    let header = root
        .get("header")
        .filter(|h| h.is_object())
        .ok_or(LiveError::Missing("summary header"))?;
    let competition = array(header, "/competitions")
        .first()
        .ok_or(LiveError::Missing("competition in the summary header"))?;
    let provider_id = text(header, "/id")
        .or_else(|| text(competition, "/id"))
        .ok_or(LiveError::Missing("event id"))?;
    let kickoff = text(competition, "/date")
        .and_then(|t| parse_timestamp(&t))
        .ok_or(LiveError::Missing("kick-off time"))?;
    let competitors = split_competitors(array(competition, "/competitors"))
        .ok_or(LiveError::Missing("home and away competitors"))?;
    let team_of = |c: &Value| c.get("team").and_then(read_team);
    let teams = HomeAway {
        home: team_of(competitors.home).ok_or(LiveError::Missing("home team"))?,
        away: team_of(competitors.away).ok_or(LiveError::Missing("away team"))?,
    };
    let status = read_status(competition.get("status").or_else(|| header.get("status")));

    let stats = box_score(&root, &teams);
    let events = match array(&root, "/keyEvents") {
        [] => array(competition, "/details"),
        events => events,
    };
    let key_events: Vec<_> = events.iter().map(|event| read_key_event(event, &teams)).collect();
    Ok(LiveMatch {
        provider_id,
        league: text(header, "/league/slug"),
        kickoff,
        score: read_score(&competitors, status.status),
        status: status.status,
        status_detail: status.detail,
        minute: status.minute,
        red_cards: max_cards(red_cards_in(&key_events), stats),
        venue: read_venue(
            root.pointer("/gameInfo/venue")
                .or_else(|| competition.get("venue")),
        ),
        attendance: root
            .pointer("/gameInfo/attendance")
            .and_then(whole)
            .filter(|&n| n > 0),
        stats,
        key_events,
        lineups: lineups(&root, &teams),
        home: teams.home,
        away: teams.away,
    })
}

/// The side of a box-score or roster entry: its `homeAway` label, else its team reference.
fn entry_side(entry: &Value, teams: &HomeAway<LiveTeam>) -> Side {
    match entry.get("homeAway").and_then(Value::as_str) {
        Some("home") => Side::Home,
        Some("away") => Side::Away,
        _ => side_of(entry.get("team"), teams),
    }
}

fn box_score(root: &Value, teams: &HomeAway<LiveTeam>) -> Option<HomeAway<LiveStats>> {
    let (mut home, mut away) = (None, None);
    for entry in array(root, "/boxscore/teams") {
        let stats = read_stats(array(entry, "/statistics"));
        match entry_side(entry, teams) {
            Side::Home => home = home.or(stats),
            Side::Away => away = away.or(stats),
            Side::Unknown => {}
        }
    }
    pair_stats(home, away)
}

/// Both team sheets, or `None` until both are out: half a pair is no use for a prediction.
fn lineups(root: &Value, teams: &HomeAway<LiveTeam>) -> Option<HomeAway<Lineup>> {
    let (mut home, mut away) = (None, None);
    for roster in array(root, "/rosters") {
        match entry_side(roster, teams) {
            Side::Home => home = home.or_else(|| read_lineup(roster)),
            Side::Away => away = away.or_else(|| read_lineup(roster)),
            Side::Unknown => {}
        }
    }
    Some(HomeAway {
        home: home?,
        away: away?,
    })
}
