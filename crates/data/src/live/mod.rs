//! Live-data payloads from public providers, parsed into provider-neutral types.
//!
//! - ESPN's public soccer JSON (scoreboard and match summary): [`espn`].
//! - Open-Meteo hourly forecasts, for the weather at kick-off: [`weather`].
//! - RSS/Atom news feeds, tagged (injury, line-up...) and matched to teams: [`news`].
//!
//! The parsers are pure (bytes in, values out) so the server owns all HTTP and caching.
//! Provider payloads drift and vary by league, so every optional part is read leniently:
//! a missing or oddly typed field becomes `None`, and only input with nothing usable in it
//! (not JSON, no events, no hourly times, not a feed) is a [`LiveError`].

mod error;
pub mod espn;
mod matches;
pub mod news;
mod time;
pub mod weather;

pub use error::LiveError;
pub use matches::{
    KeyEvent, KeyEventKind, Lineup, LineupPlayer, LiveMatch, LiveStats, LiveStatus, LiveTeam, Side, Venue,
};
pub use news::{NewsItem, NewsTag, parse_feed, parse_feed_with};
pub use weather::{WeatherCondition, WeatherHour, WeatherReport, parse_forecast, weather_at};
