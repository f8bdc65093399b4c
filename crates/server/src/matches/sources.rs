//! Turns files and folders into import rows, collecting every rejected row with its reason.

use std::path::{Path, PathBuf};

use pundit_data::{ParsedAny, RowError, TeamAliases, list_csv_files, parse_path};
use serde::Serialize;

use super::rows::ImportRow;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

impl From<RowError> for Rejection {
    fn from(e: RowError) -> Self {
        Self {
            file: e.file,
            line: e.line,
            reason: e.message,
        }
    }
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub rows: Vec<ImportRow>,
    pub rejected: Vec<Rejection>,
    /// Files that could not be read or recognised at all.
    pub failed_files: Vec<String>,
}

/// Expands folders into their CSV files (sorted), keeping files as given.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, pundit_data::DataError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(list_csv_files(path)?);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Parses `files`; `on_file` is called after each one (for progress bars).
pub fn load(files: &[PathBuf], mut on_file: impl FnMut(&Path)) -> Loaded {
    let mut aliases = TeamAliases::builtin();
    let mut loaded = Loaded::default();
    let mut parsed = Vec::with_capacity(files.len());
    for file in files {
        match parse_path(file) {
            Ok(ParsedAny::FormerNames(names)) => {
                // Former country names apply to every international file in this import.
                aliases.add_former_names(&names.records);
                loaded.rejected.extend(names.errors.into_iter().map(Into::into));
            }
            Ok(other) => parsed.push(other),
            Err(e) => loaded.failed_files.push(e.to_string()),
        }
        on_file(file);
    }
    for file in parsed {
        match file {
            ParsedAny::Matches(p) => {
                loaded.rejected.extend(p.errors.into_iter().map(Into::into));
                loaded
                    .rows
                    .extend(p.records.into_iter().map(|r| ImportRow::from_club(r, &aliases)));
            }
            ParsedAny::International(p) => {
                loaded.rejected.extend(p.errors.into_iter().map(Into::into));
                loaded.rows.extend(
                    p.records
                        .into_iter()
                        .map(|r| ImportRow::from_international(r, &aliases)),
                );
            }
            ParsedAny::FormerNames(_) => {}
        }
    }
    loaded
}
