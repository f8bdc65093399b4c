//! Provider-neutral live match types: what the server shows and feeds to in-play models.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::aliases::TeamAliases;
use crate::record::{HomeAway, Score};

/// Where a match stands. Providers have many more states (first half, extra time, abandoned...);
/// they are folded into the few a predictor acts on differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LiveStatus {
    Scheduled,
    Live,
    HalfTime,
    Finished,
    Postponed,
    /// Cancelled or abandoned: no result will come from this fixture.
    Cancelled,
}

impl LiveStatus {
    /// Whether the ball is (or was, at half time) in play, so scores and minutes are live.
    pub fn is_in_play(self) -> bool {
        matches!(self, Self::Live | Self::HalfTime)
    }
}

/// A team as the provider names it; map it to the crate's names with [`TeamAliases`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveTeam {
    /// The provider's own id ("359" for Arsenal at ESPN), stable across its endpoints.
    pub provider_id: Option<String>,
    /// Full display name ("Manchester United").
    pub name: String,
    pub short_name: Option<String>,
    pub abbreviation: Option<String>,
}

impl LiveTeam {
    /// The crate's canonical name ("Man United") or the provider's name when unknown.
    pub fn canonical_name(&self, aliases: &TeamAliases) -> String {
        if aliases.contains(&self.name) {
            return aliases.canonical_name(&self.name).into_owned();
        }
        // ESPN's short names are sometimes the only spelling the table knows ("Spurs").
        self.short_name
            .as_deref()
            .filter(|short| aliases.contains(short))
            .map_or_else(
                || aliases.canonical_name(&self.name).into_owned(),
                |short| aliases.canonical_name(short).into_owned(),
            )
    }
}

/// Stadium details; every part may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    pub name: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// One side's match statistics; each is `None` when the provider left it out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LiveStats {
    /// Possession in percent (0-100).
    pub possession: Option<f32>,
    pub shots: Option<u16>,
    pub shots_on_target: Option<u16>,
    pub corners: Option<u16>,
    pub fouls: Option<u16>,
    pub yellow_cards: Option<u16>,
    pub red_cards: Option<u16>,
}

impl LiveStats {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Which side an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    Home,
    Away,
    Unknown,
}

/// What happened in a key event.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyEventKind {
    Goal,
    OwnGoal,
    /// A scored penalty (missed and saved penalties are [`KeyEventKind::Other`]).
    Penalty,
    YellowCard,
    /// A straight red or a second yellow: either way the side is a player down.
    RedCard,
    Substitution,
    /// Anything else, with the provider's label ("Kickoff", "Penalty - Missed").
    Other(String),
}

impl KeyEventKind {
    /// Whether the event changed the score.
    pub fn is_goal(&self) -> bool {
        matches!(self, Self::Goal | Self::OwnGoal | Self::Penalty)
    }
}

/// A goal, card, substitution or other moment of a match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvent {
    /// Minutes played, stoppage time included ("90'+3'" is 93).
    pub minute: Option<u16>,
    pub kind: KeyEventKind,
    /// The side the provider credits. For own goals ESPN is inconsistent about which side
    /// that is, so it is passed on as given rather than guessed.
    pub team: Side,
    /// The main player involved (scorer, booked player, player coming on).
    pub player: Option<String>,
    /// The provider's commentary line, when it has one.
    pub text: Option<String>,
}

/// One player in a line-up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineupPlayer {
    pub name: String,
    pub jersey: Option<u16>,
    /// Position abbreviation as the provider writes it ("G", "CD-L", "F").
    pub position: Option<String>,
    pub subbed_in: bool,
    pub subbed_out: bool,
}

/// A side's team sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineup {
    /// Formation such as "4-3-3", when announced.
    pub formation: Option<String>,
    pub starters: Vec<LineupPlayer>,
    pub substitutes: Vec<LineupPlayer>,
}

/// A match from a live provider, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveMatch {
    /// The provider's event id (ESPN's `event=` parameter for the summary).
    pub provider_id: String,
    /// League code when the payload names one ("eng.1").
    pub league: Option<String>,
    pub kickoff: DateTime<Utc>,
    pub status: LiveStatus,
    /// The provider's short status text for display ("67'", "HT", "FT", "Postponed").
    pub status_detail: Option<String>,
    /// Minutes played, stoppage time included; only while the match is in play.
    pub minute: Option<u16>,
    pub home: LiveTeam,
    pub away: LiveTeam,
    /// `None` before kick-off and whenever the provider gives no usable score.
    pub score: Option<Score>,
    /// Red cards shown so far, from statistics or key events, whichever counts more.
    pub red_cards: HomeAway<u16>,
    pub venue: Option<Venue>,
    pub attendance: Option<u32>,
    pub stats: Option<HomeAway<LiveStats>>,
    pub key_events: Vec<KeyEvent>,
    pub lineups: Option<HomeAway<Lineup>>,
}

impl LiveMatch {
    /// Home and away names as the crate's canonical names, so the server can find its teams.
    pub fn canonical_names(&self, aliases: &TeamAliases) -> HomeAway<String> {
        HomeAway {
            home: self.home.canonical_name(aliases),
            away: self.away.canonical_name(aliases),
        }
    }

    /// Goals in the key events, in order, for a timeline.
    pub fn goals(&self) -> impl Iterator<Item = &KeyEvent> {
        self.key_events.iter().filter(|e| e.kind.is_goal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names_use_aliases() {
        let team = |name: &str, short: Option<&str>| LiveTeam {
            name: name.into(),
            short_name: short.map(Into::into),
            ..LiveTeam::default()
        };
        let aliases = TeamAliases::builtin();
        assert_eq!(
            team("Manchester United", Some("Man United")).canonical_name(&aliases),
            "Man United"
        );
        assert_eq!(
            team("Tottenham Hotspur FC", None).canonical_name(&aliases),
            "Tottenham"
        );
        assert_eq!(
            team("Tottenham Hotspur Football Club", Some("Spurs")).canonical_name(&aliases),
            "Tottenham"
        );
        assert_eq!(
            team("Accrington Stanley", None).canonical_name(&aliases),
            "Accrington Stanley"
        );
    }
}
