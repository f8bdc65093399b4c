//! Recognising which kind of CSV a file is from its header row alone.

use serde::{Deserialize, Serialize};

use crate::header::Header;

/// The CSV layouts this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CsvFormat {
    /// `leagues/<league>/season-YYYY.csv`: ISO dates, no `Div`; competition and season
    /// come from the path.
    LeagueSeason,
    /// football-data.co.uk's own files (`E0-1213.csv`): `Div` column, day-first dates, odds.
    FootballData,
    /// `international/results.csv`.
    International,
    /// `international/former_names.csv`.
    FormerNames,
}

impl CsvFormat {
    pub fn describe(self) -> &'static str {
        match self {
            Self::LeagueSeason => "per-league season",
            Self::FootballData => "football-data.co.uk",
            Self::International => "international results",
            Self::FormerNames => "former country names",
        }
    }
}

/// Detects the format from header names (BOM and whitespace are ignored).
pub fn detect_format<'a>(header: impl IntoIterator<Item = &'a str>) -> Option<CsvFormat> {
    let record: csv::StringRecord = header.into_iter().collect();
    detect(&Header::new(&record))
}

pub(crate) fn detect(header: &Header) -> Option<CsvFormat> {
    let has_all = |names: &[&str]| names.iter().all(|n| header.has(n));
    let has_teams = header.has("Date")
        && header.index_any(&["HomeTeam", "Home"]).is_some()
        && header.index_any(&["AwayTeam", "Away"]).is_some();
    if has_teams {
        Some(if header.has("Div") {
            CsvFormat::FootballData
        } else {
            CsvFormat::LeagueSeason
        })
    } else if has_all(&["date", "home_team", "away_team", "home_score", "away_score"]) {
        Some(CsvFormat::International)
    } else if has_all(&["current", "former"]) {
        Some(CsvFormat::FormerNames)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format() {
        let league = "Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR".split(',');
        assert_eq!(detect_format(league), Some(CsvFormat::LeagueSeason));
        let raw = "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,B365H".split(',');
        assert_eq!(detect_format(raw), Some(CsvFormat::FootballData));
        let with_bom = "\u{feff}Div,Date,HomeTeam,AwayTeam".split(',');
        assert_eq!(detect_format(with_bom), Some(CsvFormat::FootballData));
        let intl = "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral";
        assert_eq!(detect_format(intl.split(',')), Some(CsvFormat::International));
        let former = "current,former,start_date,end_date".split(',');
        assert_eq!(detect_format(former), Some(CsvFormat::FormerNames));
        assert_eq!(detect_format("date,home_team,away_team,winner".split(',')), None);
    }
}
