//! The live-data parsers on recorded provider payloads (`tests/fixtures/live/`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use pundit_data::TeamAliases;
use pundit_data::live::espn::{parse_scoreboard, parse_summary};
use pundit_data::live::{
    KeyEventKind, LiveError, LiveMatch, LiveStatus, NewsTag, Side, WeatherCondition, parse_feed,
    parse_forecast, weather_at,
};
use pundit_data::{HomeAway, Score};

const SCOREBOARD: &[u8] = include_bytes!("fixtures/live/espn_scoreboard_epl.json");
const SUMMARY: &[u8] = include_bytes!("fixtures/live/espn_summary_live.json");
const FORECAST: &[u8] = include_bytes!("fixtures/live/open_meteo_forecast.json");
const RSS: &[u8] = include_bytes!("fixtures/live/bbc_football_rss.xml");
const ATOM: &[u8] = include_bytes!("fixtures/live/reddit_soccer_atom.xml");

fn utc(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 8, day, hour, minute, 0).unwrap()
}

fn by_id<'a>(matches: &'a [LiveMatch], id: &str) -> &'a LiveMatch {
    matches.iter().find(|m| m.provider_id == id).unwrap()
}

#[test]
fn scoreboard_statuses_scores_and_minutes() {
    let matches = parse_scoreboard(SCOREBOARD).unwrap();
    assert_eq!(matches.len(), 5);
    assert!(matches.iter().all(|m| m.league.as_deref() == Some("eng.1")));

    let finished = by_id(&matches, "740598");
    assert_eq!(finished.status, LiveStatus::Finished);
    assert_eq!(finished.status_detail.as_deref(), Some("FT"));
    assert_eq!(finished.minute, None);
    assert_eq!(finished.score, Some(Score { home: 0, away: 0 }));
    assert_eq!(finished.kickoff, utc(16, 11, 30));
    assert_eq!(finished.attendance, Some(41_923));
    assert_eq!(finished.red_cards, HomeAway { home: 1, away: 0 });

    let live = by_id(&matches, "740601");
    assert_eq!(live.status, LiveStatus::Live);
    assert_eq!(live.minute, Some(93), "90'+3' is 93 minutes played");
    assert_eq!(live.score, Some(Score { home: 2, away: 1 }));
    assert_eq!(live.home.name, "Arsenal");
    assert_eq!(live.away.name, "Manchester United");
    assert_eq!(live.away.provider_id.as_deref(), Some("360"));
    assert_eq!(live.red_cards, HomeAway { home: 0, away: 1 });
    assert_eq!(live.attendance, None, "ESPN's 0 means unknown");
    let venue = live.venue.as_ref().unwrap();
    assert_eq!(venue.name.as_deref(), Some("Emirates Stadium"));
    assert_eq!(venue.city.as_deref(), Some("London"));
    assert_eq!(venue.country.as_deref(), Some("England"));

    let halftime = by_id(&matches, "740599");
    assert_eq!(halftime.status, LiveStatus::HalfTime);
    assert_eq!(halftime.minute, Some(47));
    assert_eq!(halftime.score, Some(Score { home: 1, away: 0 }));

    let postponed = by_id(&matches, "740600");
    assert_eq!(postponed.status, LiveStatus::Postponed);
    assert_eq!(postponed.score, None);

    let scheduled = by_id(&matches, "740602");
    assert_eq!(scheduled.status, LiveStatus::Scheduled);
    assert_eq!(scheduled.score, None, "ESPN's \"0\" before kick-off is no score");
    assert_eq!(scheduled.minute, None);
    assert_eq!(scheduled.kickoff, utc(16, 16, 30));
    assert!(scheduled.stats.is_none());
    assert!(scheduled.key_events.is_empty());
}

#[test]
fn scoreboard_stats_and_details() {
    let matches = parse_scoreboard(SCOREBOARD).unwrap();
    let live = by_id(&matches, "740601");
    let stats = live.stats.unwrap();
    assert_eq!(stats.home.possession, Some(61.4));
    assert_eq!(stats.home.shots, Some(17));
    assert_eq!(stats.away.shots_on_target, Some(2));
    assert_eq!(stats.away.corners, Some(2));
    assert_eq!(stats.away.fouls, Some(14));
    assert_eq!(stats.home.red_cards, None, "not in this scoreboard's stats");

    let kinds: Vec<_> = live
        .key_events
        .iter()
        .map(|e| (e.minute, e.kind.clone(), e.team))
        .collect();
    assert_eq!(
        kinds,
        [
            (Some(23), KeyEventKind::Goal, Side::Home),
            (Some(30), KeyEventKind::YellowCard, Side::Home),
            (Some(41), KeyEventKind::Penalty, Side::Away),
            (Some(55), KeyEventKind::RedCard, Side::Away),
            (Some(67), KeyEventKind::Goal, Side::Home),
        ]
    );
    assert_eq!(live.goals().count(), 3);
    assert_eq!(live.key_events[0].player.as_deref(), Some("Bukayo Saka"));

    let own_goal = &by_id(&matches, "740599").key_events[0];
    assert_eq!(own_goal.kind, KeyEventKind::OwnGoal);
    assert_eq!(own_goal.player.as_deref(), Some("Max Kilman"));
}

#[test]
fn espn_names_map_to_canonical_names() {
    let aliases = TeamAliases::builtin();
    let matches = parse_scoreboard(SCOREBOARD).unwrap();
    let names: Vec<_> = matches
        .iter()
        .map(|m| {
            let n = m.canonical_names(&aliases);
            (n.home, n.away)
        })
        .collect();
    let pair = |h: &str, a: &str| (h.to_string(), a.to_string());
    assert_eq!(
        names,
        [
            pair("Aston Villa", "Newcastle"),
            pair("Arsenal", "Man United"),
            pair("Bournemouth", "West Ham"),
            pair("Brighton", "Wolves"),
            pair("Nott'm Forest", "Tottenham"),
        ]
    );
}

#[test]
fn summary_box_score_rosters_and_key_events() {
    let live = parse_summary(SUMMARY).unwrap();
    assert_eq!(live.provider_id, "740601");
    assert_eq!(live.league.as_deref(), Some("eng.1"));
    assert_eq!(live.status, LiveStatus::Live);
    assert_eq!(live.minute, Some(93));
    assert_eq!(live.score, Some(Score { home: 2, away: 1 }));
    assert_eq!(live.attendance, Some(60_326));
    assert_eq!(
        live.venue.as_ref().and_then(|v| v.name.as_deref()),
        Some("Emirates Stadium")
    );

    // The box score lists the away side first and has no homeAway labels: ids decide.
    let stats = live.stats.unwrap();
    assert_eq!(stats.home.possession, Some(61.4));
    assert_eq!(stats.away.possession, Some(38.6));
    assert_eq!((stats.home.shots, stats.away.shots), (Some(17), Some(6)));
    assert_eq!(stats.home.shots_on_target, Some(7));
    assert_eq!((stats.home.corners, stats.away.corners), (Some(8), Some(2)));
    assert_eq!(stats.away.fouls, Some(14));
    assert_eq!(stats.away.yellow_cards, Some(2));
    assert_eq!((stats.home.red_cards, stats.away.red_cards), (Some(0), Some(1)));
    assert_eq!(live.red_cards, HomeAway { home: 0, away: 1 });

    let lineups = live.lineups.as_ref().unwrap();
    assert_eq!(lineups.home.formation.as_deref(), Some("4-3-3"));
    assert_eq!(lineups.away.formation.as_deref(), Some("3-4-2-1"));
    assert_eq!(lineups.home.starters.len(), 11);
    assert_eq!(lineups.away.starters.len(), 11);
    assert_eq!(lineups.home.substitutes.len(), 4);
    let raya = &lineups.home.starters[0];
    assert_eq!(
        (raya.name.as_str(), raya.jersey, raya.position.as_deref()),
        ("David Raya", Some(1), Some("G"))
    );
    assert!(
        lineups
            .home
            .starters
            .iter()
            .any(|p| p.name == "Gabriel Martinelli" && p.subbed_out)
    );
    assert!(
        lineups
            .away
            .substitutes
            .iter()
            .any(|p| p.name == "Mason Mount" && p.subbed_in)
    );
    assert!(
        lineups
            .away
            .starters
            .iter()
            .any(|p| p.name == "Matheus Cunha" && p.subbed_out)
    );

    let events: Vec<_> = live
        .key_events
        .iter()
        .map(|e| (e.minute, e.kind.clone(), e.team, e.player.as_deref()))
        .collect();
    assert_eq!(events.len(), 11);
    assert_eq!(
        events[0],
        (
            Some(0),
            KeyEventKind::Other("Kickoff".into()),
            Side::Unknown,
            None
        )
    );
    assert_eq!(
        events[1],
        (Some(23), KeyEventKind::Goal, Side::Home, Some("Bukayo Saka"))
    );
    assert_eq!(
        events[3],
        (
            Some(41),
            KeyEventKind::Penalty,
            Side::Away,
            Some("Bruno Fernandes")
        )
    );
    assert_eq!(events[4].0, Some(47), "half time at 45'+2'");
    assert_eq!(
        events[6],
        (Some(55), KeyEventKind::RedCard, Side::Away, Some("Casemiro"))
    );
    assert_eq!(
        events[7],
        (
            Some(61),
            KeyEventKind::Substitution,
            Side::Home,
            Some("Leandro Trossard")
        )
    );
    assert_eq!(
        events[8],
        (Some(67), KeyEventKind::Goal, Side::Home, Some("Kai Havertz"))
    );
    assert!(
        live.key_events[1]
            .text
            .as_deref()
            .unwrap()
            .starts_with("Goal! Arsenal 1")
    );
    assert_eq!(
        live.canonical_names(&TeamAliases::builtin()),
        HomeAway {
            home: "Arsenal".to_string(),
            away: "Man United".to_string()
        }
    );
}

#[test]
fn espn_tolerates_missing_parts() {
    // A bare event: no status, no stats, no venue, scores as numbers.
    let bare = br#"{"events": [{"id": "1", "date": "2025-08-16T14:00Z", "competitions": [{
        "competitors": [{"homeAway": "home", "score": 1, "team": {"displayName": "Chelsea"}},
                        {"homeAway": "away", "score": 0, "team": {"displayName": "Fulham"}}]}]}]}"#;
    let matches = parse_scoreboard(bare).unwrap();
    assert_eq!(matches.len(), 1);
    let m = &matches[0];
    assert_eq!(m.status, LiveStatus::Scheduled);
    assert_eq!((m.score, m.venue.as_ref(), m.stats), (None, None, None));
    assert_eq!(m.home.provider_id, None);

    // Events that cannot be identified are skipped, not errors.
    let unusable = br#"{"events": [
        {"id": "2", "date": "2025-08-16T14:00Z", "competitions": [{}]},
        {"id": "3", "date": "2025-08-16T14:00Z"},
        {"id": "4", "competitions": [{"competitors": [{"team": {"displayName": "A"}}, {"team": {"displayName": "B"}}]}]},
        {"date": "2025-08-16T14:00Z"},
        "junk", 7, null
    ]}"#;
    assert_eq!(parse_scoreboard(unusable).unwrap(), Vec::new());
    assert_eq!(parse_scoreboard(br#"{"events": []}"#).unwrap(), Vec::new());

    // A summary before kick-off: header only.
    let header_only = br#"{"header": {"id": "9", "competitions": [{"date": "2025-08-17T15:30Z",
        "status": {"type": {"name": "STATUS_SCHEDULED", "state": "pre"}},
        "competitors": [{"homeAway": "home", "score": "", "team": {"id": "363", "displayName": "Chelsea"}},
                        {"homeAway": "away", "team": {"id": "370", "displayName": "Fulham"}}]}]},
        "boxscore": {}, "rosters": [{"homeAway": "home", "roster": []}], "keyEvents": null}"#;
    let m = parse_summary(header_only).unwrap();
    assert_eq!(m.kickoff, utc(17, 15, 30));
    assert_eq!((m.stats, m.lineups, m.score), (None, None, None));
    assert!(m.key_events.is_empty());
}

#[test]
fn espn_garbage_is_an_error_not_a_panic() {
    for bad in [&b""[..], b"<html>503</html>", b"{\"events\": ", b"\xff\xfe\x00"] {
        assert!(matches!(parse_scoreboard(bad), Err(LiveError::Json(_))));
        assert!(matches!(parse_summary(bad), Err(LiveError::Json(_))));
    }
    for structural in [&b"{}"[..], b"[]", b"null", b"{\"events\": {}}", b"42"] {
        assert!(matches!(parse_scoreboard(structural), Err(LiveError::Missing(_))));
        assert!(matches!(parse_summary(structural), Err(LiveError::Missing(_))));
    }
    let no_competitors = br#"{"header": {"id": "1", "competitions": [{"date": "2025-08-16T14:00Z"}]}}"#;
    assert!(matches!(
        parse_summary(no_competitors),
        Err(LiveError::Missing(_))
    ));
    // The scoreboard is not a summary and vice versa.
    assert!(parse_summary(SCOREBOARD).is_err());
    assert!(parse_scoreboard(SUMMARY).is_err());
}

#[test]
fn weather_at_kickoff() {
    let hours = parse_forecast(FORECAST).unwrap();
    assert_eq!(hours.len(), 48);
    assert_eq!(hours[0].time, utc(16, 0, 0));
    assert_eq!(hours[0].precipitation_probability, None, "null in the payload");

    let report = weather_at(&hours, utc(16, 14, 10)).unwrap();
    assert_eq!(report.hour.time, utc(16, 14, 0));
    assert_eq!(report.hour.weather_code, Some(61));
    assert_eq!(report.condition, WeatherCondition::Rain);
    assert!(report.condition.is_wet());
    assert_eq!(
        report.summary,
        "Light rain, 18°C, 65% chance of rain, wind 15 km/h"
    );

    let evening = weather_at(&hours, utc(16, 19, 45)).unwrap();
    assert_eq!(evening.hour.time, utc(16, 20, 0));
    assert_eq!(evening.condition, WeatherCondition::Cloudy);
    assert_eq!(weather_at(&hours, utc(18, 15, 0)), None, "beyond the forecast");
}

#[test]
fn rss_items_tags_and_teams() {
    let items = parse_feed(RSS).unwrap();
    assert_eq!(items.len(), 6);
    let saka = &items[0];
    assert_eq!(
        saka.title,
        "Saka faces late fitness test before Manchester United visit"
    );
    assert_eq!(saka.teams, ["Man United", "Arsenal"]);
    assert_eq!(saka.tags, [NewsTag::Injury]);
    assert_eq!(
        saka.published,
        Some(utc(16, 8, 41) + chrono::Duration::seconds(12))
    );
    assert_eq!(
        saka.link.as_deref(),
        Some("https://www.bbc.com/sport/football/articles/c0k4z1v2w3xo?at_medium=RSS&at_campaign=rss")
    );
    assert_eq!(
        saka.id,
        "https://www.bbc.com/sport/football/articles/c0k4z1v2w3xo#0"
    );

    assert_eq!(items[1].teams, ["Nott'm Forest", "Brentford"]);
    assert_eq!(items[1].tags, [NewsTag::Transfer]);
    assert_eq!(items[2].teams, ["Tottenham", "Nott'm Forest"]);
    assert_eq!(items[2].tags, [NewsTag::Lineup]);
    assert_eq!(items[3].teams, ["Man United", "Arsenal"]);
    assert_eq!(items[3].tags, [NewsTag::Suspension]);
    assert_eq!(
        items[3].summary.as_deref(),
        Some(
            "Manchester United midfielder Casemiro will be suspended for three matches after being sent off against Arsenal."
        )
    );
    assert_eq!(items[4].teams, ["Brighton", "Wolves"]);
    assert!(items[4].tags.is_empty());
    assert!(items[5].teams.is_empty(), "'a nice mix' is not OGC Nice");
    assert!(items[5].tags.is_empty());
}

#[test]
fn atom_items_with_html_content() {
    let items = parse_feed(ATOM).unwrap();
    assert_eq!(items.len(), 4);
    let lineups = &items[0];
    assert_eq!(lineups.id, "t3_1mrx2b9");
    assert_eq!(lineups.teams, ["Arsenal", "Man United"]);
    assert_eq!(lineups.tags, [NewsTag::Lineup]);
    assert_eq!(
        lineups.published,
        Some(utc(16, 13, 1) + chrono::Duration::seconds(53))
    );
    let summary = lineups.summary.as_deref().unwrap();
    assert!(summary.starts_with("Arsenal XI: Raya; Timber"), "{summary}");
    assert!(!summary.contains('<'), "{summary}");
    assert!(lineups.link.as_deref().unwrap().contains("/comments/1mrx2b9/"));

    assert_eq!(items[1].teams, ["Aston Villa", "Newcastle"]);
    assert_eq!(items[1].tags, [NewsTag::Suspension]);
    assert_eq!(items[2].teams, ["Bayern Munich", "Chelsea"]);
    assert_eq!(items[2].tags, [NewsTag::Transfer]);
    assert_eq!(items[2].summary, None, "an image-only body has no text");
    assert_eq!(items[3].teams, ["Paris SG", "Angers"]);
    assert!(items[3].has_tag(NewsTag::Injury));
    assert!(items[3].mentions("Paris SG"));
}
