//! Demo data compiled into the binary: recent seasons of the five big leagues, and three older
//! Premier League seasons with bookmaker odds (see data/demo/README.md for sources and licences). Imported on the first start of the embedded default.

use pundit_data::{ParsedAny, Season, Source, TeamAliases, parse_reader};

use super::{rows::ImportRow, sources::Loaded};

/// (league, file name, contents).
const FILES: &[(&str, &str, &str)] = &[
    // football-data.co.uk's own files, with bookmakers' 1X2, over/under and Asian-handicap prices.
    (
        "premier-league",
        "season-1011.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-1011.csv"),
    ),
    (
        "premier-league",
        "season-1112.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-1112.csv"),
    ),
    (
        "premier-league",
        "season-1213.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-1213.csv"),
    ),
    (
        "premier-league",
        "season-1920.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-1920.csv"),
    ),
    (
        "premier-league",
        "season-2021.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-2021.csv"),
    ),
    (
        "premier-league",
        "season-2122.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-2122.csv"),
    ),
    (
        "premier-league",
        "season-2223.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-2223.csv"),
    ),
    (
        "premier-league",
        "season-2324.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-2324.csv"),
    ),
    (
        "premier-league",
        "season-2425.csv",
        include_str!("../../../../data/demo/leagues/premier-league/season-2425.csv"),
    ),
    (
        "la-liga",
        "season-1920.csv",
        include_str!("../../../../data/demo/leagues/la-liga/season-1920.csv"),
    ),
    (
        "la-liga",
        "season-2021.csv",
        include_str!("../../../../data/demo/leagues/la-liga/season-2021.csv"),
    ),
    (
        "la-liga",
        "season-2122.csv",
        include_str!("../../../../data/demo/leagues/la-liga/season-2122.csv"),
    ),
    (
        "la-liga",
        "season-2223.csv",
        include_str!("../../../../data/demo/leagues/la-liga/season-2223.csv"),
    ),
    (
        "la-liga",
        "season-2324.csv",
        include_str!("../../../../data/demo/leagues/la-liga/season-2324.csv"),
    ),
    (
        "la-liga",
        "season-2425.csv",
        include_str!("../../../../data/demo/leagues/la-liga/season-2425.csv"),
    ),
    (
        "bundesliga",
        "season-1920.csv",
        include_str!("../../../../data/demo/leagues/bundesliga/season-1920.csv"),
    ),
    (
        "bundesliga",
        "season-2021.csv",
        include_str!("../../../../data/demo/leagues/bundesliga/season-2021.csv"),
    ),
    (
        "bundesliga",
        "season-2122.csv",
        include_str!("../../../../data/demo/leagues/bundesliga/season-2122.csv"),
    ),
    (
        "bundesliga",
        "season-2223.csv",
        include_str!("../../../../data/demo/leagues/bundesliga/season-2223.csv"),
    ),
    (
        "bundesliga",
        "season-2324.csv",
        include_str!("../../../../data/demo/leagues/bundesliga/season-2324.csv"),
    ),
    (
        "bundesliga",
        "season-2425.csv",
        include_str!("../../../../data/demo/leagues/bundesliga/season-2425.csv"),
    ),
    (
        "serie-a",
        "season-1920.csv",
        include_str!("../../../../data/demo/leagues/serie-a/season-1920.csv"),
    ),
    (
        "serie-a",
        "season-2021.csv",
        include_str!("../../../../data/demo/leagues/serie-a/season-2021.csv"),
    ),
    (
        "serie-a",
        "season-2122.csv",
        include_str!("../../../../data/demo/leagues/serie-a/season-2122.csv"),
    ),
    (
        "serie-a",
        "season-2223.csv",
        include_str!("../../../../data/demo/leagues/serie-a/season-2223.csv"),
    ),
    (
        "serie-a",
        "season-2324.csv",
        include_str!("../../../../data/demo/leagues/serie-a/season-2324.csv"),
    ),
    (
        "serie-a",
        "season-2425.csv",
        include_str!("../../../../data/demo/leagues/serie-a/season-2425.csv"),
    ),
    (
        "ligue-1",
        "season-1920.csv",
        include_str!("../../../../data/demo/leagues/ligue-1/season-1920.csv"),
    ),
    (
        "ligue-1",
        "season-2021.csv",
        include_str!("../../../../data/demo/leagues/ligue-1/season-2021.csv"),
    ),
    (
        "ligue-1",
        "season-2122.csv",
        include_str!("../../../../data/demo/leagues/ligue-1/season-2122.csv"),
    ),
    (
        "ligue-1",
        "season-2223.csv",
        include_str!("../../../../data/demo/leagues/ligue-1/season-2223.csv"),
    ),
    (
        "ligue-1",
        "season-2324.csv",
        include_str!("../../../../data/demo/leagues/ligue-1/season-2324.csv"),
    ),
    (
        "ligue-1",
        "season-2425.csv",
        include_str!("../../../../data/demo/leagues/ligue-1/season-2425.csv"),
    ),
];

/// Parses every demo file into import rows.
pub fn rows() -> Loaded {
    let aliases = TeamAliases::builtin();
    let mut loaded = Loaded::default();
    for (league, file, contents) in FILES {
        let mut source = Source::named(format!("demo/{league}/{file}")).with_competition(*league);
        if let Some(season) = Season::from_file_name(file) {
            source = source.with_season(season);
        }
        match parse_reader(contents.as_bytes(), &source) {
            Ok(ParsedAny::Matches(parsed)) => {
                loaded.rejected.extend(parsed.errors.into_iter().map(Into::into));
                loaded.rows.extend(
                    parsed
                        .records
                        .into_iter()
                        .map(|r| ImportRow::from_club(r, &aliases)),
                );
            }
            Ok(_) => {}
            Err(e) => loaded.failed_files.push(e.to_string()),
        }
    }
    loaded
}

#[cfg(test)]
mod tests {
    #[test]
    fn demo_files_parse_cleanly() {
        let loaded = super::rows();
        assert!(loaded.rejected.is_empty() && loaded.failed_files.is_empty());
        // 6 seasons of 5 leagues (and 3 older Premier League seasons): 380 matches a season, 306 in
        // the Bundesliga (and Ligue 1 since 2023).
        assert!(loaded.rows.len() > 10_000, "{}", loaded.rows.len());
    }
}
