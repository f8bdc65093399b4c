//! Bookmaker prices captured from football-data.co.uk odds columns (decimal odds).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Home/draw/away prices from one bookmaker (or a market maximum/average).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BookmakerOdds {
    /// Readable name such as "bet365" or "pinnacle_closing"; see [`crate::bookmaker_name`].
    pub bookmaker: Cow<'static, str>,
    pub home: f64,
    pub draw: f64,
    pub away: f64,
}

/// Over/under total-goals prices; football-data only offers the 2.5 line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverUnderOdds {
    pub bookmaker: Cow<'static, str>,
    pub line: f64,
    pub over: f64,
    pub under: f64,
}

/// Asian handicap prices; `line` is the handicap given to the home team (e.g. -1.25).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AsianHandicapOdds {
    pub bookmaker: Cow<'static, str>,
    pub line: f64,
    pub home: f64,
    pub away: f64,
}

/// All prices found for one match, in header order. Empty when the file has no odds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchOdds {
    pub one_x_two: Vec<BookmakerOdds>,
    pub over_under: Vec<OverUnderOdds>,
    pub asian_handicap: Vec<AsianHandicapOdds>,
}

impl MatchOdds {
    /// The 1X2 prices of one bookmaker by readable name, e.g. `odds.one_x_two("pinnacle")`.
    pub fn one_x_two(&self, bookmaker: &str) -> Option<&BookmakerOdds> {
        self.one_x_two.iter().find(|o| o.bookmaker == bookmaker)
    }

    pub fn is_empty(&self) -> bool {
        self.one_x_two.is_empty() && self.over_under.is_empty() && self.asian_handicap.is_empty()
    }
}

/// Decimal odds must be above 1.0 to mean anything; blanks and junk are dropped.
pub(crate) fn parse_price(text: &str) -> Option<f64> {
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && value > 1.0).then_some(value)
}
