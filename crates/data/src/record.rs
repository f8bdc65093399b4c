//! Parsed match records: club matches from football-data.co.uk and international results.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::error::RowError;
use crate::format::CsvFormat;
use crate::odds::MatchOdds;
use crate::season::Season;

/// A home/away pair of numbers (goals, shots, cards...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct HomeAway<T> {
    pub home: T,
    pub away: T,
}

/// Goals scored by each side.
pub type Score = HomeAway<u16>;

/// Full-time outcome from the home side's point of view (football-data's `FTR` H/D/A).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    HomeWin,
    Draw,
    AwayWin,
}

impl Outcome {
    pub fn from_score(score: Score) -> Self {
        match score.home.cmp(&score.away) {
            std::cmp::Ordering::Greater => Self::HomeWin,
            std::cmp::Ordering::Equal => Self::Draw,
            std::cmp::Ordering::Less => Self::AwayWin,
        }
    }

    /// Reads football-data's `H`/`D`/`A` letter.
    pub fn from_letter(letter: &str) -> Option<Self> {
        match letter {
            "H" => Some(Self::HomeWin),
            "D" => Some(Self::Draw),
            "A" => Some(Self::AwayWin),
            _ => None,
        }
    }
}

/// Match statistics; each is `None` when its columns are missing, blank or not numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchStats {
    pub shots: Option<HomeAway<u16>>,
    pub shots_on_target: Option<HomeAway<u16>>,
    pub fouls: Option<HomeAway<u16>>,
    pub corners: Option<HomeAway<u16>>,
    pub yellow_cards: Option<HomeAway<u16>>,
    pub red_cards: Option<HomeAway<u16>>,
}

/// One club match from either football-data.co.uk form. Team names are as written in
/// the file; run them through [`crate::TeamAliases`] to merge spellings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRecord {
    pub date: NaiveDate,
    pub kickoff: Option<NaiveTime>,
    /// Slug such as "premier-league".
    pub competition: String,
    pub season: Season,
    pub home: String,
    pub away: String,
    /// `None` for fixtures not yet played (blank goals).
    pub full_time: Option<Score>,
    pub half_time: Option<Score>,
    pub result: Option<Outcome>,
    pub referee: Option<String>,
    pub stats: MatchStats,
    pub odds: MatchOdds,
}

/// One men's full international from the `results.csv` dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InternationalMatch {
    pub date: NaiveDate,
    pub home: String,
    pub away: String,
    /// `None` for scheduled fixtures (scores written `NA`).
    pub score: Option<Score>,
    /// Tournament name as written, e.g. "FIFA World Cup qualification".
    pub tournament: String,
    /// Slug of the tournament, e.g. "fifa-world-cup-qualification".
    pub competition: String,
    pub city: Option<String>,
    pub country: Option<String>,
    /// Played at a neutral venue, so the "home" side had no home advantage.
    pub neutral: bool,
}

/// A country's earlier name and when it was used (`former_names.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerName {
    pub current: String,
    pub former: String,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
}

/// Everything parsed from one file: good records, the rows that were rejected, and the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedFile<R> {
    pub records: Vec<R>,
    pub errors: Vec<RowError>,
    pub format: CsvFormat,
}

impl<R> ParsedFile<R> {
    pub(crate) fn new(format: CsvFormat) -> Self {
        Self {
            records: Vec::new(),
            errors: Vec::new(),
            format,
        }
    }
}
