#![allow(clippy::unwrap_used)]

use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::error::DataError;

fn league_source() -> Source {
    Source::named("season-2324.csv")
        .with_competition("premier-league")
        .with_season(Season::new(2023))
}

fn parse(csv: &str, source: &Source) -> ParsedFile<MatchRecord> {
    parse_football_data(csv.as_bytes(), source).unwrap()
}

const LEAGUE: &str =
    "Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,HTR,Referee,HS,AS,HST,AST,HF,AF,HC,AC,HY,AY,HR,AR
2023-08-11,Burnley,Man City,0,3,A,0,2,A,C Pawson,6,17,1,8,11,8,6,5,0,0,1,0
2024-05-19,Arsenal,Everton,2,1,H,1,1,D,J Gillett,,,,,,,,,,,,
";

#[test]
fn per_league_file() {
    let parsed = parse(LEAGUE, &league_source());
    assert_eq!(parsed.format, CsvFormat::LeagueSeason);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let first = &parsed.records[0];
    assert_eq!(first.date, NaiveDate::from_ymd_opt(2023, 8, 11).unwrap());
    assert_eq!(first.competition, "premier-league");
    assert_eq!(first.season.to_string(), "2023-24");
    assert_eq!(
        (first.home.as_str(), first.away.as_str()),
        ("Burnley", "Man City")
    );
    assert_eq!(first.full_time, Some(HomeAway { home: 0, away: 3 }));
    assert_eq!(first.half_time, Some(HomeAway { home: 0, away: 2 }));
    assert_eq!(first.result, Some(Outcome::AwayWin));
    assert_eq!(first.referee.as_deref(), Some("C Pawson"));
    assert_eq!(first.stats.shots, Some(HomeAway { home: 6, away: 17 }));
    assert_eq!(first.stats.red_cards, Some(HomeAway { home: 1, away: 0 }));
    assert!(first.odds.is_empty());
    // Blank stat cells leave the stats unknown.
    assert_eq!(parsed.records[1].stats, MatchStats::default());
}

#[test]
fn missing_columns_are_none() {
    let csv = "Date,HomeTeam,AwayTeam,FTHG,FTAG\n1993-08-14,Arsenal,Coventry,0,3\n";
    let parsed = parse(csv, &league_source());
    let record = &parsed.records[0];
    assert_eq!(record.result, Some(Outcome::AwayWin), "derived from the score");
    assert_eq!(record.half_time, None);
    assert_eq!(record.referee, None);
    assert_eq!(record.kickoff, None);
    assert_eq!(record.stats, MatchStats::default());
}

#[test]
fn season_falls_back_to_the_date() {
    let csv = "Date,HomeTeam,AwayTeam,FTHG,FTAG\n2013-05-19,Arsenal,Coventry,0,3\n";
    let parsed = parse(csv, &Source::named("x.csv").with_competition("premier-league"));
    assert_eq!(parsed.records[0].season.to_string(), "2012-13");
}

#[test]
fn league_file_without_competition_reports_rows() {
    let parsed = parse(
        "Date,HomeTeam,AwayTeam,FTHG,FTAG\n2013-05-19,A,B,0,3\n",
        &Source::named("x"),
    );
    assert_eq!(parsed.records.len(), 0);
    assert!(parsed.errors[0].message.contains("competition"));
}

const RAW: &str = "Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,B365H,B365D,B365A,PSH,PSD,PSA,BbMxH,BbAvH,BbMxD,BbAvD,BbMxA,BbAvA,BbMx>2.5,BbAv>2.5,BbMx<2.5,BbAv<2.5,BbAHh,BbMxAHH,BbAvAHH,BbMxAHA,BbAvAHA,B365AHH,B365AHA,B365AH,PSCH,PSCD,PSCA
E0,18/08/12,15:00,Arsenal,Sunderland,0,0,D,1.4,4.5,8.5,1.44,4.76,8.78,1.5,1.42,4.8,4.4,9.5,8.3,2.1,2.0,1.9,1.8,-1.25,2.0,1.9,2.0,1.95,1.9,1.95,-1.25,1.45,4.6,8.5
SP1,19/08/2012,,Barcelona,Sociedad,5,1,H,1.1,9,21,,,,,,,,,,,,,,,,,,,,,,,,
G1,20/08/12,,Olympiakos,PAOK,1,1,D,2,3.2,3.5,,,,,,,,,,,,,,,,,,,,,,,,
";

#[test]
fn raw_file_with_odds() {
    let parsed = parse(RAW, &Source::named("E0-1213.csv"));
    assert_eq!(parsed.format, CsvFormat::FootballData);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let first = &parsed.records[0];
    assert_eq!(first.date, NaiveDate::from_ymd_opt(2012, 8, 18).unwrap());
    assert_eq!(first.kickoff, NaiveTime::from_hms_opt(15, 0, 0));
    assert_eq!(first.competition, "premier-league");
    assert_eq!(first.season.to_string(), "2012-13");

    let names: Vec<&str> = first
        .odds
        .one_x_two
        .iter()
        .map(|o| o.bookmaker.as_ref())
        .collect();
    assert_eq!(
        names,
        [
            "bet365",
            "pinnacle",
            "market_max",
            "market_average",
            "pinnacle_closing"
        ]
    );
    let pinnacle = first.odds.one_x_two("pinnacle").unwrap();
    assert_eq!((pinnacle.home, pinnacle.draw, pinnacle.away), (1.44, 4.76, 8.78));
    let max = first.odds.one_x_two("market_max").unwrap();
    assert_eq!((max.home, max.draw, max.away), (1.5, 4.8, 9.5));
    assert_eq!(first.odds.one_x_two("pinnacle_closing").unwrap().home, 1.45);

    let ou: Vec<(&str, f64, f64, f64)> = first
        .odds
        .over_under
        .iter()
        .map(|o| (o.bookmaker.as_ref(), o.line, o.over, o.under))
        .collect();
    assert_eq!(
        ou,
        [("market_max", 2.5, 2.1, 1.9), ("market_average", 2.5, 2.0, 1.8)]
    );

    let ah: Vec<(&str, f64, f64, f64)> = first
        .odds
        .asian_handicap
        .iter()
        .map(|o| (o.bookmaker.as_ref(), o.line, o.home, o.away))
        .collect();
    assert_eq!(
        ah,
        [
            ("market_max", -1.25, 2.0, 2.0),
            ("market_average", -1.25, 1.9, 1.95),
            ("bet365", -1.25, 1.9, 1.95)
        ]
    );
}

#[test]
fn raw_file_div_codes_and_partial_odds() {
    let parsed = parse(RAW, &Source::named("mixed.csv"));
    let second = &parsed.records[1];
    assert_eq!(second.competition, "la-liga");
    assert_eq!(second.date, NaiveDate::from_ymd_opt(2012, 8, 19).unwrap());
    assert_eq!(
        second.season.to_string(),
        "2012-13",
        "from the date: no season in the label"
    );
    assert_eq!(second.kickoff, None);
    assert_eq!(second.odds.one_x_two.len(), 1, "blank bookmakers are skipped");
    assert!(second.odds.over_under.is_empty());
    assert_eq!(parsed.records[2].competition, "g1");
}

#[test]
fn dash_dates_and_old_per_bookmaker_handicap_lines() {
    let csv = "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,GB>2.5,GB<2.5,GBAHH,GBAHA,GBAH\n\
               E0,16-08-2003,Arsenal,Everton,2,1,1.75,1.95,1.9,1.9,-1.25\n";
    let record = &parse(csv, &Source::named("E0-0304.csv")).records[0];
    assert_eq!(record.date, NaiveDate::from_ymd_opt(2003, 8, 16).unwrap());
    assert_eq!(record.odds.over_under[0].bookmaker, "gamebookers");
    assert_eq!(record.odds.asian_handicap[0].line, -1.25);
}

#[test]
fn blank_trailing_rows_are_skipped() {
    let csv = format!("{LEAGUE},,,,,,,,,\n\n,,,\n   ,  ,\n");
    let parsed = parse(&csv, &league_source());
    assert_eq!(parsed.records.len(), 2);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
}

#[test]
fn bom_and_trailing_whitespace() {
    let csv = "\u{feff}Date ,HomeTeam,AwayTeam ,FTHG,FTAG,Referee\r\n2023-08-11 , Burnley ,Man City  ,0 , 3,M Dean \r\n";
    let parsed = parse(csv, &league_source());
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let record = &parsed.records[0];
    assert_eq!(
        (record.home.as_str(), record.away.as_str()),
        ("Burnley", "Man City")
    );
    assert_eq!(record.full_time, Some(HomeAway { home: 0, away: 3 }));
    assert_eq!(record.referee.as_deref(), Some("M Dean"));
}

#[test]
fn bad_rows_are_reported_with_line_numbers() {
    let csv = "Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR
2023-08-11,Burnley,Man City,0,3,A
31/02/23,Arsenal,Forest,2,1,H
2023-08-12,,Forest,2,1,H
2023-08-12,Bournemouth,West Ham,one,1,D
2023-08-12,Brighton,Luton,4,,H
2023-08-12,Everton,Fulham,0,1,H
2023-08-13,Brentford,Tottenham,2,2,D
";
    let parsed = parse(csv, &league_source());
    assert_eq!(parsed.records.len(), 2);
    let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7]);
    assert!(parsed.errors[0].message.contains("date"), "{}", parsed.errors[0]);
    assert!(parsed.errors[1].message.contains("home team"));
    assert!(parsed.errors[2].message.contains("goals"));
    assert!(parsed.errors[3].message.contains("goals"));
    assert!(parsed.errors[4].message.contains("contradicts"));
    assert_eq!(parsed.errors[0].file, "season-2324.csv");
    assert_eq!(
        parsed.errors[0].to_string(),
        format!("season-2324.csv:3: {}", parsed.errors[0].message)
    );
}

#[test]
fn fixtures_have_no_score() {
    let csv = "Div,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR\nE0,24/05/2025,16:00,Arsenal,Southampton,,,\n";
    let record = &parse(csv, &Source::named("fixtures.csv")).records[0];
    assert_eq!(record.full_time, None);
    assert_eq!(record.result, None);
}

#[test]
fn latin1_team_names_are_decoded() {
    let mut csv = b"Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nSP1,19/08/12,".to_vec();
    csv.extend_from_slice(b"M\xe1laga,C\xe1diz,1,0\n");
    let parsed = parse_football_data(csv.as_slice(), &Source::named("latin1.csv")).unwrap();
    assert_eq!(parsed.records[0].home, "Málaga");
    assert_eq!(parsed.records[0].away, "Cádiz");
}

#[test]
fn other_formats_are_refused() {
    let csv = "date,home_team,away_team,home_score,away_score\n";
    let err = parse_football_data(csv.as_bytes(), &Source::named("results.csv")).unwrap_err();
    assert!(matches!(err, DataError::WrongFormat { .. }), "{err}");
    let err = parse_football_data("a,b\n1,2\n".as_bytes(), &Source::named("junk.csv")).unwrap_err();
    assert!(matches!(err, DataError::UnknownFormat { .. }), "{err}");
}

#[test]
fn empty_input_is_unknown_format() {
    let err = parse_football_data("".as_bytes(), &Source::named("empty.csv")).unwrap_err();
    assert!(matches!(err, DataError::UnknownFormat { .. }), "{err}");
}
