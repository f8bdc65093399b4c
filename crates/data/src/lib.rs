//! Football data parsers and normalisers.
//!
//! - football-data.co.uk CSV, both the per-league season files (`leagues/<league>/season-YYYY.csv`)
//!   and the raw files with a `Div` column and bookmaker odds (`odds/E0-1213.csv`):
//!   [`parse_football_data`].
//! - International results and former country names: [`parse_international`],
//!   [`parse_former_names`].
//! - Format detection and file walking: [`detect_format`], [`list_csv_files`], [`parse_path`],
//!   [`parse_reader`].
//! - Team-name aliases: [`TeamAliases`], [`canonical_name`].
//! - Live provider payloads (ESPN scoreboard/summary, Open-Meteo forecasts, RSS/Atom news):
//!   [`live`].
//!
//! Bad rows never abort a file: they are collected as [`RowError`]s next to the good records.

mod aliases;
mod bookmakers;
mod competition;
mod date;
mod error;
mod files;
mod football_data;
mod format;
mod header;
mod international;
pub mod live;
mod odds;
mod odds_columns;
mod reader;
mod record;
mod season;
mod source;

pub use aliases::{AliasConflict, TeamAliases, alias_key, canonical_name, fold_accents};
pub use bookmakers::bookmaker_name;
pub use competition::{competition_from_div, slugify};
pub use date::{parse_kickoff, parse_match_date};
pub use error::{DataError, RowError};
pub use files::{ParsedAny, list_csv_files, parse_path, parse_reader};
pub use football_data::parse_football_data;
pub use format::{CsvFormat, detect_format};
pub use international::{parse_former_names, parse_international};
pub use odds::{AsianHandicapOdds, BookmakerOdds, MatchOdds, OverUnderOdds};
pub use record::{
    FormerName, HomeAway, InternationalMatch, MatchRecord, MatchStats, Outcome, ParsedFile, Score,
};
pub use season::Season;
pub use source::Source;
