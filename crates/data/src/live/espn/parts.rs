//! The pieces the scoreboard and summary payloads share: teams, competitors, statistics,
//! key events, venues and rosters.

use serde_json::Value;

use super::json::{array, count, flag, number, stat, text};
use crate::live::time::parse_minute;
use crate::live::{
    KeyEvent, KeyEventKind, Lineup, LineupPlayer, LiveStats, LiveStatus, LiveTeam, Side, Venue,
};
use crate::record::{HomeAway, Score};

/// `{"id", "displayName", "shortDisplayName", "abbreviation", "location", "name"}`.
/// `None` without any name: a team nobody can identify is of no use.
pub(super) fn read_team(team: &Value) -> Option<LiveTeam> {
    let name = text(team, "/displayName")
        .or_else(|| text(team, "/name"))
        .or_else(|| text(team, "/location"))
        .or_else(|| text(team, "/shortDisplayName"))?;
    Some(LiveTeam {
        provider_id: text(team, "/id"),
        name,
        short_name: text(team, "/shortDisplayName"),
        abbreviation: text(team, "/abbreviation"),
    })
}

/// Home and away competitors of a competition, by `homeAway`, else by ESPN's usual order
/// (home first) when neither is labelled.
pub(super) fn split_competitors(competitors: &[Value]) -> Option<HomeAway<&Value>> {
    let side = |label: &str| {
        competitors
            .iter()
            .find(|c| c.get("homeAway").and_then(Value::as_str) == Some(label))
    };
    match (side("home"), side("away")) {
        (Some(home), Some(away)) => Some(HomeAway { home, away }),
        (None, None) if competitors.len() == 2 => Some(HomeAway {
            home: &competitors[0],
            away: &competitors[1],
        }),
        _ => None,
    }
}

/// The score, only once the match has started: ESPN writes "0" for unplayed fixtures.
pub(super) fn read_score(competitors: &HomeAway<&Value>, status: LiveStatus) -> Option<Score> {
    if !matches!(
        status,
        LiveStatus::Live | LiveStatus::HalfTime | LiveStatus::Finished
    ) {
        return None;
    }
    Some(Score {
        home: count(competitors.home.get("score")?)?,
        away: count(competitors.away.get("score")?)?,
    })
}

/// Statistics from an ESPN `statistics` array; `None` when none of ours is there.
pub(super) fn read_stats(stats: &[Value]) -> Option<LiveStats> {
    let counted = |name: &str| stat(stats, name).and_then(count);
    let read = LiveStats {
        possession: stat(stats, "possessionPct")
            .and_then(number)
            .filter(|p| (0.0..=100.0).contains(p))
            .map(|p| p as f32),
        shots: counted("totalShots"),
        shots_on_target: counted("shotsOnTarget"),
        corners: counted("wonCorners"),
        fouls: counted("foulsCommitted"),
        yellow_cards: counted("yellowCards"),
        red_cards: counted("redCards"),
    };
    (!read.is_empty()).then_some(read)
}

/// Both sides' statistics when at least one side has some.
pub(super) fn pair_stats(home: Option<LiveStats>, away: Option<LiveStats>) -> Option<HomeAway<LiveStats>> {
    (home.is_some() || away.is_some()).then(|| HomeAway {
        home: home.unwrap_or_default(),
        away: away.unwrap_or_default(),
    })
}

/// `{"fullName", "address": {"city", "country"}}`.
pub(super) fn read_venue(venue: Option<&Value>) -> Option<Venue> {
    let venue = venue?;
    let read = Venue {
        name: text(venue, "/fullName").or_else(|| text(venue, "/name")),
        city: text(venue, "/address/city"),
        country: text(venue, "/address/country"),
    };
    (read != Venue::default()).then_some(read)
}

/// Which side a `team` reference (`{"id"}` or `{"displayName"}`) points at.
pub(super) fn side_of(team: Option<&Value>, teams: &HomeAway<LiveTeam>) -> Side {
    let Some(team) = team else {
        return Side::Unknown;
    };
    if let Some(id) = text(team, "/id") {
        if teams.home.provider_id.as_deref() == Some(id.as_str()) {
            return Side::Home;
        }
        if teams.away.provider_id.as_deref() == Some(id.as_str()) {
            return Side::Away;
        }
    }
    let names = ["/displayName", "/name", "/shortDisplayName"]
        .iter()
        .filter_map(|p| text(team, p))
        .collect::<Vec<_>>();
    let is = |t: &LiveTeam| {
        names.iter().any(|n| {
            n.eq_ignore_ascii_case(&t.name)
                || t.short_name.as_deref().is_some_and(|s| n.eq_ignore_ascii_case(s))
        })
    };
    match (is(&teams.home), is(&teams.away)) {
        (true, false) => Side::Home,
        (false, true) => Side::Away,
        _ => Side::Unknown,
    }
}

/// A scoreboard `details` entry or a summary `keyEvents` entry; both shapes are read.
pub(super) fn read_key_event(event: &Value, teams: &HomeAway<LiveTeam>) -> KeyEvent {
    let minute = text(event, "/clock/displayValue")
        .and_then(|clock| parse_minute(&clock))
        .or_else(|| {
            let seconds = number(event.pointer("/clock/value")?)?;
            (0.0..=12_000.0)
                .contains(&seconds)
                .then(|| (seconds / 60.0).ceil() as u16)
        });
    let player = text(event, "/athletesInvolved/0/displayName")
        .or_else(|| text(event, "/participants/0/athlete/displayName"))
        .or_else(|| text(event, "/athletesInvolved/0/fullName"));
    KeyEvent {
        minute,
        kind: event_kind(event),
        team: side_of(event.get("team"), teams),
        player,
        text: text(event, "/text").or_else(|| text(event, "/shortText")),
    }
}

/// ESPN labels ("Goal - Header", "Penalty - Scored", "Own Goal", "Red Card") plus the
/// boolean flags the scoreboard adds (`ownGoal`, `penaltyKick`, `redCard`...), which are
/// trusted over the label when present.
fn event_kind(event: &Value) -> KeyEventKind {
    let label = text(event, "/type/text")
        .or_else(|| text(event, "/type/type"))
        .unwrap_or_default();
    let lower = label.to_ascii_lowercase();
    let is = |name: &str| flag(event, name) == Some(true);
    let scoring = is("/scoringPlay");
    let penalty_label = lower.starts_with("penalty");
    if is("/ownGoal") || lower.contains("own goal") {
        KeyEventKind::OwnGoal
    } else if (penalty_label && (lower.contains("scored") || scoring)) || (is("/penaltyKick") && scoring) {
        KeyEventKind::Penalty
    } else if penalty_label {
        KeyEventKind::Other(label)
    } else if scoring
        || (lower.starts_with("goal") && !lower.contains("kick") && !lower.contains("disallowed"))
    {
        KeyEventKind::Goal
    } else if is("/redCard") || lower.contains("red card") || lower.contains("second yellow") {
        KeyEventKind::RedCard
    } else if is("/yellowCard") || lower.contains("yellow card") {
        KeyEventKind::YellowCard
    } else if lower.contains("substitution") {
        KeyEventKind::Substitution
    } else if label.is_empty() {
        KeyEventKind::Other("Unknown".to_string())
    } else {
        KeyEventKind::Other(label)
    }
}

/// Red cards per side in the key events.
pub(super) fn red_cards_in(events: &[KeyEvent]) -> HomeAway<u16> {
    let mut cards = HomeAway { home: 0_u16, away: 0 };
    for event in events.iter().filter(|e| e.kind == KeyEventKind::RedCard) {
        match event.team {
            Side::Home => cards.home = cards.home.saturating_add(1),
            Side::Away => cards.away = cards.away.saturating_add(1),
            Side::Unknown => {}
        }
    }
    cards
}

/// The larger of two red-card counts per side: statistics lag events and vice versa.
pub(super) fn max_cards(a: HomeAway<u16>, b: Option<HomeAway<LiveStats>>) -> HomeAway<u16> {
    let stat = |s: Option<&LiveStats>| s.and_then(|s| s.red_cards).unwrap_or(0);
    HomeAway {
        home: a.home.max(stat(b.as_ref().map(|b| &b.home))),
        away: a.away.max(stat(b.as_ref().map(|b| &b.away))),
    }
}

/// A summary `rosters` entry: `{"formation", "roster": [{"starter", "jersey", "athlete",
/// "position", "subbedIn", "subbedOut"}]}`. `None` when it lists nobody.
pub(super) fn read_lineup(roster: &Value) -> Option<Lineup> {
    let mut lineup = Lineup {
        formation: text(roster, "/formation").or_else(|| text(roster, "/formation/name")),
        ..Lineup::default()
    };
    for entry in array(roster, "/roster") {
        let Some(name) = text(entry, "/athlete/displayName")
            .or_else(|| text(entry, "/athlete/fullName"))
            .or_else(|| text(entry, "/displayName"))
        else {
            continue;
        };
        let player = LineupPlayer {
            name,
            jersey: entry.get("jersey").and_then(count),
            position: text(entry, "/position/abbreviation").or_else(|| text(entry, "/position/displayName")),
            subbed_in: subbed(entry.get("subbedIn")),
            subbed_out: subbed(entry.get("subbedOut")),
        };
        if flag(entry, "/starter") == Some(true) {
            lineup.starters.push(player);
        } else {
            lineup.substitutes.push(player);
        }
    }
    (!lineup.starters.is_empty() || !lineup.substitutes.is_empty()).then_some(lineup)
}

/// `subbedIn` is a boolean in older payloads and `{"didSub": true, ...}` in newer ones.
fn subbed(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(v @ Value::Object(_)) => flag(v, "/didSub") == Some(true),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn teams() -> HomeAway<LiveTeam> {
        let team = |id: &str, name: &str| LiveTeam {
            provider_id: Some(id.into()),
            name: name.into(),
            ..LiveTeam::default()
        };
        HomeAway {
            home: team("359", "Arsenal"),
            away: team("360", "Manchester United"),
        }
    }

    #[test]
    fn event_kinds_from_labels_and_flags() {
        let kind = |v: Value| event_kind(&v);
        assert_eq!(
            kind(json!({"type": {"text": "Goal - Header"}})),
            KeyEventKind::Goal
        );
        assert_eq!(
            kind(json!({"type": {"text": "Goal"}, "scoringPlay": true})),
            KeyEventKind::Goal
        );
        assert_eq!(
            kind(json!({"type": {"text": "Penalty - Scored"}})),
            KeyEventKind::Penalty
        );
        assert_eq!(
            kind(json!({"type": {"text": "Goal"}, "penaltyKick": true, "scoringPlay": true})),
            KeyEventKind::Penalty
        );
        assert_eq!(
            kind(json!({"type": {"text": "Penalty - Saved"}})),
            KeyEventKind::Other("Penalty - Saved".into())
        );
        assert_eq!(kind(json!({"type": {"text": "Own Goal"}})), KeyEventKind::OwnGoal);
        assert_eq!(
            kind(json!({"type": {"text": "Goal"}, "ownGoal": true, "scoringPlay": true})),
            KeyEventKind::OwnGoal
        );
        assert_eq!(kind(json!({"type": {"text": "Red Card"}})), KeyEventKind::RedCard);
        assert_eq!(
            kind(json!({"type": {"text": "Card"}, "redCard": true})),
            KeyEventKind::RedCard
        );
        assert_eq!(
            kind(json!({"type": {"text": "Yellow Card"}})),
            KeyEventKind::YellowCard
        );
        assert_eq!(
            kind(json!({"type": {"text": "Substitution"}})),
            KeyEventKind::Substitution
        );
        assert_eq!(
            kind(json!({"type": {"text": "Kickoff"}})),
            KeyEventKind::Other("Kickoff".into())
        );
        assert_eq!(kind(json!({})), KeyEventKind::Other("Unknown".into()));
    }

    #[test]
    fn sides_by_id_then_name() {
        let teams = teams();
        assert_eq!(side_of(Some(&json!({"id": "360"})), &teams), Side::Away);
        assert_eq!(side_of(Some(&json!({"id": 359})), &teams), Side::Home);
        assert_eq!(
            side_of(Some(&json!({"displayName": "manchester united"})), &teams),
            Side::Away
        );
        assert_eq!(side_of(Some(&json!({"id": "1"})), &teams), Side::Unknown);
        assert_eq!(side_of(None, &teams), Side::Unknown);
    }

    #[test]
    fn competitors_by_label_or_order() {
        let labelled = [
            json!({"homeAway": "away", "id": "a"}),
            json!({"homeAway": "home", "id": "h"}),
        ];
        let split = split_competitors(&labelled);
        assert_eq!(split.map(|s| s.home["id"].clone()), Some(json!("h")));
        let unlabelled = [json!({"id": "h"}), json!({"id": "a"})];
        assert_eq!(
            split_competitors(&unlabelled).map(|s| s.away["id"].clone()),
            Some(json!("a"))
        );
        assert!(split_competitors(&[json!({"homeAway": "home"})]).is_none());
        assert!(split_competitors(&[]).is_none());
    }

    #[test]
    fn lineups_with_both_subbed_spellings() {
        let lineup = read_lineup(&json!({
            "formation": "4-3-3",
            "roster": [
                {"starter": true, "jersey": "1", "athlete": {"displayName": "David Raya"},
                 "position": {"abbreviation": "G"}, "subbedOut": false},
                {"starter": true, "jersey": "7", "athlete": {"displayName": "Bukayo Saka"},
                 "subbedOut": {"didSub": true}},
                {"starter": false, "jersey": "29", "athlete": {"displayName": "Kai Havertz"},
                 "subbedIn": true},
                {"starter": true, "athlete": {}}
            ]
        }));
        let lineup = lineup.unwrap_or_default();
        assert_eq!(lineup.formation.as_deref(), Some("4-3-3"));
        assert_eq!(lineup.starters.len(), 2);
        assert!(lineup.starters[1].subbed_out);
        assert_eq!(lineup.substitutes[0].jersey, Some(29));
        assert!(lineup.substitutes[0].subbed_in);
        assert_eq!(read_lineup(&json!({"formation": "4-4-2"})), None);
    }
}
