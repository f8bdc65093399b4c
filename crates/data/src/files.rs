//! File-system edge: listing CSV files and parsing a file whatever its format.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::DataError;
use crate::football_data::parse_football_data;
use crate::format::{CsvFormat, detect};
use crate::header::Header;
use crate::international::{parse_former_names, parse_international};
use crate::reader::csv_reader;
use crate::record::{FormerName, InternationalMatch, MatchRecord, ParsedFile};
use crate::source::Source;

/// A parsed file of any supported format.
#[derive(Debug, Clone, PartialEq)]
pub enum ParsedAny {
    Matches(ParsedFile<MatchRecord>),
    International(ParsedFile<InternationalMatch>),
    FormerNames(ParsedFile<FormerName>),
}

impl ParsedAny {
    pub fn format(&self) -> CsvFormat {
        match self {
            Self::Matches(p) => p.format,
            Self::International(p) => p.format,
            Self::FormerNames(p) => p.format,
        }
    }

    pub fn errors(&self) -> &[crate::RowError] {
        match self {
            Self::Matches(p) => &p.errors,
            Self::International(p) => &p.errors,
            Self::FormerNames(p) => &p.errors,
        }
    }
}

/// Every `.csv` file under `dir`, recursively, sorted by path so runs are repeatable.
pub fn list_csv_files(dir: &Path) -> Result<Vec<PathBuf>, DataError> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let io_error = |source| DataError::Io {
            path: current.clone(),
            source,
        };
        for entry in std::fs::read_dir(&current).map_err(io_error)? {
            let path = entry.map_err(io_error)?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Opens `path`, detects its format from the header and parses it, taking competition and
/// season from the path (see [`Source::from_path`]).
pub fn parse_path(path: &Path) -> Result<ParsedAny, DataError> {
    let io_error = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = BufReader::new(File::open(path).map_err(io_error)?);
    let source = Source::from_path(path);
    let format = sniff_format(&mut file, &source)?;
    file.seek(SeekFrom::Start(0)).map_err(io_error)?;
    parse_as(format, file, &source)
}

/// Parses in-memory or streamed CSV of any supported format.
pub fn parse_reader<R: Read>(reader: R, source: &Source) -> Result<ParsedAny, DataError> {
    // Read the header line first, then hand the parser that line plus the untouched rest.
    let mut reader = BufReader::new(reader);
    let mut first_line = Vec::new();
    std::io::BufRead::read_until(&mut reader, b'\n', &mut first_line).map_err(|e| DataError::Io {
        path: PathBuf::from(&source.label),
        source: e,
    })?;
    let format = sniff_format(&mut first_line.as_slice(), source)?;
    parse_as(format, first_line.as_slice().chain(reader), source)
}

fn sniff_format<R: Read>(reader: &mut R, source: &Source) -> Result<CsvFormat, DataError> {
    let mut csv = csv_reader(reader);
    let raw = csv.headers().map_err(|e| DataError::Csv {
        file: source.label.clone(),
        source: e,
    })?;
    detect(&Header::new(raw)).ok_or_else(|| DataError::UnknownFormat {
        file: source.label.clone(),
    })
}

fn parse_as<R: Read>(format: CsvFormat, reader: R, source: &Source) -> Result<ParsedAny, DataError> {
    Ok(match format {
        CsvFormat::LeagueSeason | CsvFormat::FootballData => {
            ParsedAny::Matches(parse_football_data(reader, source)?)
        }
        CsvFormat::International => ParsedAny::International(parse_international(reader, source)?),
        CsvFormat::FormerNames => ParsedAny::FormerNames(parse_former_names(reader, source)?),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lists_csv_files_recursively_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b/season-0001.csv",
            "a/z.CSV",
            "a/notes.txt",
            "top.csv",
            "a/deeper/x.csv",
        ] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x\n").unwrap();
        }
        let files = list_csv_files(dir.path()).unwrap();
        let relative: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            relative,
            ["a/deeper/x.csv", "a/z.CSV", "b/season-0001.csv", "top.csv"]
        );
    }

    #[test]
    fn missing_directory_is_an_io_error() {
        let err = list_csv_files(Path::new("/definitely/not/here")).unwrap_err();
        assert!(matches!(err, DataError::Io { .. }));
    }

    #[test]
    fn parse_path_uses_folder_and_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("la-liga").join("season-9900.csv");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "Date,HomeTeam,AwayTeam,FTHG,FTAG\n2000-05-20,Betis,Celta,1,1\n",
        )
        .unwrap();
        let ParsedAny::Matches(parsed) = parse_path(&path).unwrap() else {
            panic!("expected matches");
        };
        assert_eq!(parsed.records[0].competition, "la-liga");
        assert_eq!(parsed.records[0].season.to_string(), "1999-00");
    }

    #[test]
    fn parse_reader_detects_each_format() {
        let cases = [
            (
                "Date,HomeTeam,AwayTeam,FTHG,FTAG\n2000-05-20,A,B,1,1\n",
                CsvFormat::LeagueSeason,
            ),
            (
                "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\nE0,20/05/00,A,B,1,1\n",
                CsvFormat::FootballData,
            ),
            (
                "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n\
                 1872-11-30,Scotland,England,0,0,Friendly,Glasgow,Scotland,FALSE\n",
                CsvFormat::International,
            ),
            (
                "current,former,start_date,end_date\nBenin,Dahomey,,\n",
                CsvFormat::FormerNames,
            ),
        ];
        for (csv, format) in cases {
            let source = Source::named("mem").with_competition("premier-league");
            let parsed = parse_reader(csv.as_bytes(), &source).unwrap();
            assert_eq!(parsed.format(), format);
            assert!(parsed.errors().is_empty(), "{:?}", parsed.errors());
        }
        let header_only = parse_reader("Div,Date,HomeTeam,AwayTeam".as_bytes(), &Source::named("m")).unwrap();
        assert_eq!(header_only.format(), CsvFormat::FootballData);
    }
}
