//! What a file's path tells us that its rows may not: label, competition and season.

use std::path::Path;

use crate::competition::competition_from_div;
use crate::season::Season;

/// Context for parsing one file. Per-league files need `competition` (their rows have no
/// `Div`); `season` is preferred over the date-derived season when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// Name used in [`crate::RowError::file`], usually the path.
    pub label: String,
    pub competition: Option<String>,
    pub season: Option<Season>,
}

impl Source {
    /// A source known only by a label (e.g. an in-memory string in a test).
    pub fn named(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            ..Self::default()
        }
    }

    pub fn with_competition(mut self, competition: impl Into<String>) -> Self {
        self.competition = Some(competition.into());
        self
    }

    pub fn with_season(mut self, season: Season) -> Self {
        self.season = Some(season);
        self
    }

    /// Reads the context from paths like `leagues/premier-league/season-2324.csv`
    /// (competition = folder) or `odds/E0-1213.csv` (competition = division code).
    pub fn from_path(path: &Path) -> Self {
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let stem = path.file_stem().and_then(|n| n.to_str()).unwrap_or("");
        let competition = match stem.split_once('-') {
            Some((code, _)) if is_div_code(code) => Some(competition_from_div(code).into_owned()),
            _ => path
                .parent()
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                .map(str::to_string),
        };
        Self {
            label: path.display().to_string(),
            competition,
            season: Season::from_file_name(file_name),
        }
    }
}

/// football-data.co.uk division codes look like `E0`, `SP1`, `SC0`: capitals then digits.
fn is_div_code(code: &str) -> bool {
    let letters = code.trim_end_matches(|c: char| c.is_ascii_digit());
    !letters.is_empty() && letters.len() < code.len() && letters.chars().all(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn league_path() {
        let source = Source::from_path(Path::new("data/leagues/premier-league/season-9900.csv"));
        assert_eq!(source.competition.as_deref(), Some("premier-league"));
        assert_eq!(source.season.map(|s| s.to_string()).as_deref(), Some("1999-00"));
    }

    #[test]
    fn raw_path() {
        let source = Source::from_path(Path::new("data/odds/SP1-1213.csv"));
        assert_eq!(source.competition.as_deref(), Some("la-liga"));
        assert_eq!(source.season.map(|s| s.to_string()).as_deref(), Some("2012-13"));
    }

    #[test]
    fn international_path() {
        let source = Source::from_path(Path::new("data/international/results.csv"));
        assert_eq!(source.competition.as_deref(), Some("international"));
        assert_eq!(source.season, None);
    }
}
