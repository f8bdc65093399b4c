//! Parses the real files in the shared data folder when it is present.
//! Set `PUNDIT_SHARED_DATA` to point elsewhere; without the folder these tests only print a note.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use pundit_data::{
    CsvFormat, MatchRecord, ParsedAny, Source, TeamAliases, list_csv_files, parse_former_names,
    parse_international, parse_path,
};

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("PUNDIT_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipping: no shared data at {}", dir.display());
        None
    }
}

fn parse_all_matches(dir: &std::path::Path) -> Vec<(PathBuf, Vec<MatchRecord>)> {
    list_csv_files(dir)
        .unwrap()
        .into_iter()
        .map(|path| {
            let ParsedAny::Matches(parsed) = parse_path(&path).unwrap() else {
                panic!("{} is not a match file", path.display());
            };
            assert!(
                parsed.errors.is_empty(),
                "{}: {:?}",
                path.display(),
                parsed.errors
            );
            (path, parsed.records)
        })
        .collect()
}

#[test]
fn per_league_files() {
    let Some(data) = shared_data() else { return };
    let started = Instant::now();
    let files = parse_all_matches(&data.join("leagues"));
    let elapsed = started.elapsed();
    let total: usize = files.iter().map(|(_, r)| r.len()).sum();
    println!("{} league files, {total} matches in {elapsed:?}", files.len());
    assert_eq!(files.len(), 160);
    assert!((55_000..60_000).contains(&total), "{total}");

    let competitions: HashSet<&str> = files
        .iter()
        .flat_map(|(_, r)| r.iter().map(|m| m.competition.as_str()))
        .collect();
    let expected = ["bundesliga", "la-liga", "ligue-1", "premier-league", "serie-a"];
    assert_eq!(competitions, expected.into_iter().collect());

    for (path, records) in &files {
        let season = pundit_data::Season::from_file_name(&path.file_name().unwrap().to_string_lossy());
        assert!(
            records.iter().all(|r| Some(r.season) == season),
            "{}",
            path.display()
        );
        assert!(
            records.iter().all(|r| r.full_time.is_some()),
            "{}",
            path.display()
        );
    }

    let pl_2324 = files
        .iter()
        .find(|(p, _)| p.ends_with("premier-league/season-2324.csv"))
        .unwrap();
    assert_eq!(pl_2324.1.len(), 380);
    assert_eq!(pl_2324.1[0].season.to_string(), "2023-24");

    // Every name in the data is either its own canonical name or a known alias of one.
    let aliases = TeamAliases::builtin();
    let unknown: HashSet<&str> = files
        .iter()
        .flat_map(|(_, r)| r.iter().flat_map(|m| [m.home.as_str(), m.away.as_str()]))
        .filter(|name| !aliases.contains(name))
        .collect();
    assert!(
        unknown.is_empty(),
        "names missing from the alias table: {unknown:?}"
    );
    assert_eq!(aliases.canonical_name("M'Gladbach"), "M'gladbach");
}

#[test]
fn raw_odds_files() {
    let Some(data) = shared_data() else { return };
    let files = parse_all_matches(&data.join("odds"));
    assert_eq!(files.len(), 13);
    for (path, records) in &files {
        assert_eq!(records.len(), 380, "{}", path.display());
        assert!(records.iter().all(|r| r.competition == "premier-league"));
        let bet365 = records
            .iter()
            .filter(|r| r.odds.one_x_two("bet365").is_some())
            .count();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.as_ref() >= "E0-0203.csv" {
            assert!(bet365 >= 370, "{name}: {bet365} matches with bet365 odds");
        }
    }

    let (_, e0_1213) = files.iter().find(|(p, _)| p.ends_with("E0-1213.csv")).unwrap();
    assert_eq!(e0_1213[0].season.to_string(), "2012-13");
    let pinnacle = e0_1213
        .iter()
        .filter(|r| r.odds.one_x_two("pinnacle").is_some())
        .count();
    assert_eq!(pinnacle, 380);
    let closing = e0_1213
        .iter()
        .filter(|r| r.odds.one_x_two("pinnacle_closing").is_some())
        .count();
    assert_eq!(closing, 380);
    assert!(e0_1213.iter().all(|r| !r.odds.over_under.is_empty()));
    assert!(e0_1213.iter().all(|r| !r.odds.asian_handicap.is_empty()));

    // Dashed dates (DD-MM-YYYY) in 2003-04.
    let (_, e0_0304) = files.iter().find(|(p, _)| p.ends_with("E0-0304.csv")).unwrap();
    assert_eq!(e0_0304[0].date.to_string(), "2003-08-16");
    assert_eq!(e0_0304[0].odds.asian_handicap[0].bookmaker, "gamebookers");

    // The raw 2012-13 file agrees with the per-league file on every result.
    let league_file = data.join("leagues/premier-league/season-1213.csv");
    let ParsedAny::Matches(league) = parse_path(&league_file).unwrap() else {
        panic!()
    };
    let key = |r: &MatchRecord| (r.date, r.home.clone(), r.away.clone(), r.full_time);
    let raw_keys: HashSet<_> = e0_1213.iter().map(key).collect();
    let league_keys: HashSet<_> = league.records.iter().map(key).collect();
    assert_eq!(raw_keys, league_keys);
}

#[test]
fn international_results() {
    let Some(data) = shared_data() else { return };
    let intl = data.join("international");
    let file = std::fs::File::open(intl.join("results.csv")).unwrap();
    let parsed = parse_international(file, &Source::named("results.csv")).unwrap();
    assert_eq!(parsed.format, CsvFormat::International);
    assert!(
        parsed.errors.is_empty(),
        "{:?}",
        &parsed.errors[..parsed.errors.len().min(5)]
    );
    assert!(parsed.records.len() > 49_000, "{}", parsed.records.len());
    let first = &parsed.records[0];
    assert_eq!(
        (first.home.as_str(), first.away.as_str()),
        ("Scotland", "England")
    );
    assert_eq!(first.competition, "friendly");
    assert!(parsed.records.iter().any(|r| r.neutral));
    assert!(parsed.records.iter().any(|r| r.competition == "fifa-world-cup"));

    let file = std::fs::File::open(intl.join("former_names.csv")).unwrap();
    let former = parse_former_names(file, &Source::named("former_names.csv")).unwrap();
    assert!(former.errors.is_empty());
    let mut aliases = TeamAliases::new();
    assert_eq!(aliases.add_former_names(&former.records), Vec::new());
    assert_eq!(aliases.canonical_name("Zaire"), "DR Congo");
    assert_eq!(aliases.canonical_name("Upper Volta"), "Burkina Faso");
}
