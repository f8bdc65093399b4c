//! Errors: whole-file failures (`DataError`) versus single bad rows (`RowError`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// A failure that stops a whole file from being parsed.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: malformed CSV: {source}")]
    Csv {
        file: String,
        #[source]
        source: csv::Error,
    },
    #[error(
        "{file}: unrecognised CSV header (expected football-data.co.uk or international results columns)"
    )]
    UnknownFormat { file: String },
    #[error("{file}: expected {expected} data but the header looks like {found}")]
    WrongFormat {
        file: String,
        expected: &'static str,
        found: &'static str,
    },
}

/// One row that could not be turned into a record; parsing carries on past it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct RowError {
    /// File name or label given by the caller.
    pub file: String,
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub message: String,
}
