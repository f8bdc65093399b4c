//! ESPN's public soccer JSON (`site.api.espn.com/apis/site/v2/sports/soccer/{league}/...`).
//!
//! - `scoreboard?dates=YYYYMMDD`: every match of a league on a day, with scores, status,
//!   competitor statistics and goal/card details: [`parse_scoreboard`].
//! - `summary?event={id}`: one match in depth (box score, rosters, key events):
//!   [`parse_summary`].
//!
//! The API is undocumented and its payloads differ between leagues and over a match's life,
//! so everything past the event's id, teams and kick-off is optional.

mod json;
mod parts;
mod scoreboard;
mod status;
mod summary;

pub use scoreboard::parse_scoreboard;
pub use summary::parse_summary;

/// ESPN's league codes for the five leagues the crate's aliases cover.
pub const LEAGUES: [&str; 5] = ["eng.1", "esp.1", "ger.1", "ita.1", "fra.1"];
