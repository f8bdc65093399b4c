//! Parser for both football-data.co.uk forms: per-league season files and raw `Div` files.

use std::io::Read;

use csv::ByteRecord;

use crate::competition::competition_from_div;
use crate::date::{parse_kickoff, parse_match_date};
use crate::error::DataError;
use crate::format::CsvFormat;
use crate::header::{Header, field, text_field};
use crate::odds::MatchOdds;
use crate::odds_columns::OddsColumns;
use crate::reader::{collect_rows, csv_reader, expect_format, read_header};
use crate::record::{HomeAway, MatchRecord, MatchStats, Outcome, ParsedFile, Score};
use crate::season::Season;
use crate::source::Source;

/// Parses a per-league or raw football-data.co.uk CSV. Bad rows become [`crate::RowError`]s;
/// only unreadable input or a header of another format fails the whole call.
pub fn parse_football_data<R: Read>(
    reader: R,
    source: &Source,
) -> Result<ParsedFile<MatchRecord>, DataError> {
    let mut csv = csv_reader(reader);
    let (header, format) = read_header(&mut csv, source)?;
    expect_format(
        format,
        &[CsvFormat::FootballData, CsvFormat::LeagueSeason],
        source,
    )?;
    let columns = Columns::new(&header);
    let mut parsed = ParsedFile::new(format);
    collect_rows(&mut csv, source, &mut parsed, |row| columns.parse(row, source))?;
    Ok(parsed)
}

/// Column indices found once per file; any may be absent.
struct Columns {
    div: Option<usize>,
    date: Option<usize>,
    time: Option<usize>,
    home: Option<usize>,
    away: Option<usize>,
    full_time: (Option<usize>, Option<usize>),
    half_time: (Option<usize>, Option<usize>),
    result: Option<usize>,
    referee: Option<usize>,
    shots: (Option<usize>, Option<usize>),
    shots_on_target: (Option<usize>, Option<usize>),
    fouls: (Option<usize>, Option<usize>),
    corners: (Option<usize>, Option<usize>),
    yellow_cards: (Option<usize>, Option<usize>),
    red_cards: (Option<usize>, Option<usize>),
    odds: OddsColumns,
}

impl Columns {
    fn new(header: &Header) -> Self {
        let pair = |home: &str, away: &str| (header.index(home), header.index(away));
        Self {
            div: header.index("Div"),
            date: header.index("Date"),
            time: header.index("Time"),
            // The "extra leagues" files spell these Home/Away/HG/AG/Res.
            home: header.index_any(&["HomeTeam", "Home"]),
            away: header.index_any(&["AwayTeam", "Away"]),
            full_time: (
                header.index_any(&["FTHG", "HG"]),
                header.index_any(&["FTAG", "AG"]),
            ),
            half_time: pair("HTHG", "HTAG"),
            result: header.index_any(&["FTR", "Res"]),
            referee: header.index("Referee"),
            shots: pair("HS", "AS"),
            shots_on_target: pair("HST", "AST"),
            fouls: pair("HF", "AF"),
            corners: pair("HC", "AC"),
            yellow_cards: pair("HY", "AY"),
            red_cards: pair("HR", "AR"),
            odds: OddsColumns::new(header),
        }
    }

    fn parse(&self, row: &ByteRecord, source: &Source) -> Result<MatchRecord, String> {
        let date_text = field(row, self.date);
        let date = parse_match_date(date_text).ok_or_else(|| format!("unparseable date {date_text:?}"))?;
        let home = text_field(row, self.home).ok_or("missing home team")?;
        let away = text_field(row, self.away).ok_or("missing away team")?;
        let full_time = self.goals(row, self.full_time, "full-time")?;
        let half_time = self.goals(row, self.half_time, "half-time")?;
        let result = resolve_result(full_time, field(row, self.result))?;
        let competition = match field(row, self.div) {
            "" => source
                .competition
                .clone()
                .ok_or("no Div column and no competition given for the file")?,
            div => competition_from_div(div).into_owned(),
        };
        Ok(MatchRecord {
            date,
            kickoff: parse_kickoff(field(row, self.time)),
            competition,
            season: source.season.unwrap_or_else(|| Season::from_date(date)),
            home,
            away,
            full_time,
            half_time,
            result,
            referee: text_field(row, self.referee),
            stats: MatchStats {
                shots: stat_pair(row, self.shots),
                shots_on_target: stat_pair(row, self.shots_on_target),
                fouls: stat_pair(row, self.fouls),
                corners: stat_pair(row, self.corners),
                yellow_cards: stat_pair(row, self.yellow_cards),
                red_cards: stat_pair(row, self.red_cards),
            },
            odds: if self.odds.is_empty() {
                MatchOdds::default()
            } else {
                self.odds.read(row)
            },
        })
    }

    /// Goals are strict: blank on both sides means "not played", anything else must be numbers.
    fn goals(
        &self,
        row: &ByteRecord,
        (home, away): (Option<usize>, Option<usize>),
        what: &str,
    ) -> Result<Option<Score>, String> {
        let (home_text, away_text) = (field(row, home), field(row, away));
        match (home_text, away_text) {
            ("", "") => Ok(None),
            _ => match (home_text.parse(), away_text.parse()) {
                (Ok(home), Ok(away)) => Ok(Some(HomeAway { home, away })),
                _ => Err(format!("non-numeric {what} goals {home_text:?}-{away_text:?}")),
            },
        }
    }
}

/// The score decides the result; a contradicting `FTR` letter means the row is corrupt.
fn resolve_result(score: Option<Score>, letter: &str) -> Result<Option<Outcome>, String> {
    let from_letter = Outcome::from_letter(letter);
    match score.map(Outcome::from_score) {
        Some(derived) if from_letter.is_some_and(|l| l != derived) => {
            Err(format!("result {letter:?} contradicts the score"))
        }
        Some(derived) => Ok(Some(derived)),
        None => Ok(from_letter),
    }
}

/// Statistics are lenient: a blank or garbled cell just leaves the pair unknown.
fn stat_pair(row: &ByteRecord, (home, away): (Option<usize>, Option<usize>)) -> Option<HomeAway<u16>> {
    let home = field(row, home).parse().ok()?;
    let away = field(row, away).parse().ok()?;
    Some(HomeAway { home, away })
}

#[cfg(test)]
mod tests;
