//! Parsers for the international results dataset: `results.csv` and `former_names.csv`.

use std::io::Read;

use csv::ByteRecord;

use crate::competition::slugify;
use crate::date::parse_match_date;
use crate::error::DataError;
use crate::format::CsvFormat;
use crate::header::{Header, field, text_field};
use crate::reader::{collect_rows, csv_reader, expect_format, read_header};
use crate::record::{FormerName, HomeAway, InternationalMatch, ParsedFile, Score};
use crate::source::Source;

/// Parses `results.csv`. Rows whose scores are `NA` (scheduled fixtures) become matches
/// with `score: None` rather than errors.
pub fn parse_international<R: Read>(
    reader: R,
    source: &Source,
) -> Result<ParsedFile<InternationalMatch>, DataError> {
    let mut csv = csv_reader(reader);
    let (header, format) = read_header(&mut csv, source)?;
    expect_format(format, &[CsvFormat::International], source)?;
    let columns = Columns::new(&header);
    let mut parsed = ParsedFile::new(format);
    // Tournaments repeat thousands of times; slug each name once.
    let mut last_slug: Option<(String, String)> = None;
    collect_rows(&mut csv, source, &mut parsed, |row| {
        columns.parse(row, &mut last_slug)
    })?;
    Ok(parsed)
}

/// Parses `former_names.csv` (`current,former,start_date,end_date`).
pub fn parse_former_names<R: Read>(reader: R, source: &Source) -> Result<ParsedFile<FormerName>, DataError> {
    let mut csv = csv_reader(reader);
    let (header, format) = read_header(&mut csv, source)?;
    expect_format(format, &[CsvFormat::FormerNames], source)?;
    let (current, former) = (header.index("current"), header.index("former"));
    let (start, end) = (header.index("start_date"), header.index("end_date"));
    let mut parsed = ParsedFile::new(format);
    collect_rows(&mut csv, source, &mut parsed, |row| {
        Ok(FormerName {
            current: text_field(row, current).ok_or("missing current name")?,
            former: text_field(row, former).ok_or("missing former name")?,
            start_date: parse_match_date(field(row, start)),
            end_date: parse_match_date(field(row, end)),
        })
    })?;
    Ok(parsed)
}

struct Columns {
    date: Option<usize>,
    home: Option<usize>,
    away: Option<usize>,
    home_score: Option<usize>,
    away_score: Option<usize>,
    tournament: Option<usize>,
    city: Option<usize>,
    country: Option<usize>,
    neutral: Option<usize>,
}

impl Columns {
    fn new(header: &Header) -> Self {
        Self {
            date: header.index("date"),
            home: header.index("home_team"),
            away: header.index("away_team"),
            home_score: header.index("home_score"),
            away_score: header.index("away_score"),
            tournament: header.index("tournament"),
            city: header.index("city"),
            country: header.index("country"),
            neutral: header.index("neutral"),
        }
    }

    fn parse(
        &self,
        row: &ByteRecord,
        last_slug: &mut Option<(String, String)>,
    ) -> Result<InternationalMatch, String> {
        let date_text = field(row, self.date);
        let date = parse_match_date(date_text).ok_or_else(|| format!("unparseable date {date_text:?}"))?;
        let home = text_field(row, self.home).ok_or("missing home team")?;
        let away = text_field(row, self.away).ok_or("missing away team")?;
        let score = score(field(row, self.home_score), field(row, self.away_score))?;
        let tournament = text_field(row, self.tournament).unwrap_or_default();
        let competition = match last_slug {
            Some((name, slug)) if *name == tournament => slug.clone(),
            _ => {
                let slug = slugify(&tournament);
                *last_slug = Some((tournament.clone(), slug.clone()));
                slug
            }
        };
        Ok(InternationalMatch {
            date,
            home,
            away,
            score,
            tournament,
            competition,
            city: text_field(row, self.city),
            country: text_field(row, self.country),
            neutral: neutral(field(row, self.neutral))?,
        })
    }
}

fn is_missing(text: &str) -> bool {
    text.is_empty() || text.eq_ignore_ascii_case("NA")
}

fn score(home: &str, away: &str) -> Result<Option<Score>, String> {
    if is_missing(home) && is_missing(away) {
        return Ok(None);
    }
    match (home.parse(), away.parse()) {
        (Ok(home), Ok(away)) => Ok(Some(HomeAway { home, away })),
        _ => Err(format!("non-numeric score {home:?}-{away:?}")),
    }
}

fn neutral(text: &str) -> Result<bool, String> {
    match text {
        "" => Ok(false),
        t if t.eq_ignore_ascii_case("true") || t == "1" => Ok(true),
        t if t.eq_ignore_ascii_case("false") || t == "0" => Ok(false),
        t => Err(format!("neutral flag {t:?} is not TRUE or FALSE")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const RESULTS: &str = "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral
1872-11-30,Scotland,England,0,0,Friendly,Glasgow,Scotland,FALSE
1977-10-06,United States,China,1,1,Friendly,\"Washington, D.C.\",United States,FALSE
2026-06-11,Mexico,South Africa,NA,NA,FIFA World Cup,Mexico City,Mexico,FALSE
2026-06-12,Curaçao,Haiti,NA,NA,FIFA World Cup,Toronto,Canada,TRUE
2024-01-01,Nowhere,,1,0,Friendly,,,FALSE
2024-01-02,A,B,x,0,Friendly,,,FALSE
";

    #[test]
    fn parses_results_and_fixtures() {
        let parsed = parse_international(RESULTS.as_bytes(), &Source::named("results.csv")).unwrap();
        assert_eq!(parsed.format, CsvFormat::International);
        assert_eq!(parsed.records.len(), 4);
        let first = &parsed.records[0];
        assert_eq!(first.score, Some(HomeAway { home: 0, away: 0 }));
        assert_eq!(first.competition, "friendly");
        assert!(!first.neutral);
        assert_eq!(parsed.records[1].city.as_deref(), Some("Washington, D.C."));
        let fixture = &parsed.records[3];
        assert_eq!(fixture.home, "Curaçao");
        assert_eq!(fixture.score, None);
        assert!(fixture.neutral);
        assert_eq!(fixture.competition, "fifa-world-cup");
        assert_eq!(fixture.tournament, "FIFA World Cup");
    }

    #[test]
    fn bad_international_rows_are_reported() {
        let parsed = parse_international(RESULTS.as_bytes(), &Source::named("results.csv")).unwrap();
        let lines: Vec<u64> = parsed.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 7]);
        assert!(parsed.errors[0].message.contains("away team"));
        assert!(parsed.errors[1].message.contains("score"));
    }

    #[test]
    fn parses_former_names() {
        let csv = "current,former,start_date,end_date\nBenin,Dahomey,1959-11-08,1975-11-30\n";
        let parsed = parse_former_names(csv.as_bytes(), &Source::named("former_names.csv")).unwrap();
        assert_eq!(parsed.records[0].former, "Dahomey");
        assert_eq!(parsed.records[0].current, "Benin");
        assert!(parsed.records[0].end_date.is_some());
    }

    #[test]
    fn wrong_parser_is_an_error() {
        let csv = "current,former,start_date,end_date\n";
        assert!(matches!(
            parse_international(csv.as_bytes(), &Source::named("x")),
            Err(DataError::WrongFormat { .. })
        ));
    }
}
