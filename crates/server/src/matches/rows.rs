//! One normalised shape for every imported match, whatever file it came from.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use pundit_data::{InternationalMatch, MatchRecord, TeamAliases};
use serde_json::Value;

/// Kick-off time assumed when a file gives only the date.
pub const DEFAULT_KICKOFF: NaiveTime = match NaiveTime::from_hms_opt(15, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub competition: CompetitionInfo,
    pub season: String,
    pub season_start_year: i32,
    pub date: NaiveDate,
    pub kickoff_at: DateTime<Utc>,
    /// False when the file had no time and `kickoff_at` uses [`DEFAULT_KICKOFF`].
    pub kickoff_known: bool,
    pub home: String,
    pub away: String,
    pub score: Option<(i16, i16)>,
    pub half_time: Option<(i16, i16)>,
    pub referee: Option<String>,
    pub neutral: bool,
    pub stats: Option<Value>,
    pub odds: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CompetitionInfo {
    pub slug: String,
    pub name: String,
    pub country: Option<String>,
    pub kind: &'static str,
}

impl CompetitionInfo {
    /// Display names for the leagues in the shipped data; other slugs are title-cased.
    pub fn league(slug: &str) -> Self {
        let (name, country) = match slug {
            "premier-league" => ("Premier League", Some("England")),
            "la-liga" => ("La Liga", Some("Spain")),
            "bundesliga" => ("Bundesliga", Some("Germany")),
            "serie-a" => ("Serie A", Some("Italy")),
            "ligue-1" => ("Ligue 1", Some("France")),
            _ => ("", None),
        };
        let name = if name.is_empty() {
            title_case(slug)
        } else {
            name.to_string()
        };
        Self {
            slug: slug.to_string(),
            name,
            country: country.map(String::from),
            kind: "league",
        }
    }
}

fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn kickoff(date: NaiveDate, time: Option<NaiveTime>) -> DateTime<Utc> {
    date.and_time(time.unwrap_or(DEFAULT_KICKOFF)).and_utc()
}

fn pair(score: Option<pundit_data::Score>) -> Option<(i16, i16)> {
    score.and_then(|s| Some((i16::try_from(s.home).ok()?, i16::try_from(s.away).ok()?)))
}

impl ImportRow {
    pub fn from_club(record: MatchRecord, aliases: &TeamAliases) -> Self {
        let stats = (record.stats != pundit_data::MatchStats::default())
            .then(|| serde_json::to_value(&record.stats).ok())
            .flatten();
        let odds = (!record.odds.is_empty())
            .then(|| serde_json::to_value(&record.odds).ok())
            .flatten();
        Self {
            competition: CompetitionInfo::league(&record.competition),
            season: record.season.to_string(),
            season_start_year: record.season.start_year(),
            date: record.date,
            kickoff_at: kickoff(record.date, record.kickoff),
            kickoff_known: record.kickoff.is_some(),
            home: aliases.canonical_name(&record.home).into_owned(),
            away: aliases.canonical_name(&record.away).into_owned(),
            score: pair(record.full_time),
            half_time: pair(record.half_time),
            referee: record.referee,
            neutral: false,
            stats,
            odds,
        }
    }

    pub fn from_international(record: InternationalMatch, aliases: &TeamAliases) -> Self {
        use chrono::Datelike;
        let year = record.date.year();
        Self {
            competition: CompetitionInfo {
                slug: record.competition.clone(),
                name: record.tournament,
                country: None,
                kind: "international",
            },
            season: year.to_string(),
            season_start_year: year,
            date: record.date,
            kickoff_at: kickoff(record.date, None),
            kickoff_known: false,
            home: aliases.canonical_name(&record.home).into_owned(),
            away: aliases.canonical_name(&record.away).into_owned(),
            score: pair(record.score),
            half_time: None,
            referee: None,
            neutral: record.neutral,
            stats: None,
            odds: None,
        }
    }

    pub fn status(&self) -> &'static str {
        if self.score.is_some() {
            "finished"
        } else {
            "scheduled"
        }
    }
}
