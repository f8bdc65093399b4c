//! Finds the odds columns present in a football-data.co.uk header.
//!
//! Column sets change every few seasons, so instead of a fixed list we look for patterns:
//! `<P>H/<P>D/<P>A` (1X2), `<P>><L>` with `<P><<L>` (over/under line L), and
//! `<P>AHH/<P>AHA` with a handicap-line column (Asian handicap).

use std::borrow::Cow;

use csv::ByteRecord;

use crate::bookmakers::bookmaker_name;
use crate::header::{Header, field};
use crate::odds::{AsianHandicapOdds, BookmakerOdds, MatchOdds, OverUnderOdds, parse_price};

struct Triple {
    bookmaker: Cow<'static, str>,
    home: usize,
    draw: usize,
    away: usize,
}

struct OverUnderColumns {
    bookmaker: Cow<'static, str>,
    line: f64,
    over: usize,
    under: usize,
}

struct HandicapColumns {
    bookmaker: Cow<'static, str>,
    line: usize,
    home: usize,
    away: usize,
}

/// Column indices of every odds market in one file.
pub(crate) struct OddsColumns {
    one_x_two: Vec<Triple>,
    over_under: Vec<OverUnderColumns>,
    asian_handicap: Vec<HandicapColumns>,
}

impl OddsColumns {
    pub(crate) fn new(header: &Header) -> Self {
        let mut columns = Self {
            one_x_two: Vec::new(),
            over_under: Vec::new(),
            asian_handicap: Vec::new(),
        };
        for (index, name) in header.names().enumerate() {
            if let Some(triple) = one_x_two_at(header, index, name) {
                columns.one_x_two.push(triple);
            } else if let Some(ou) = over_under_at(header, index, name) {
                columns.over_under.push(ou);
            } else if let Some(ah) = handicap_at(header, index, name) {
                columns.asian_handicap.push(ah);
            }
        }
        columns
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.one_x_two.is_empty() && self.over_under.is_empty() && self.asian_handicap.is_empty()
    }

    /// Reads every market; a market with any blank or invalid price is left out.
    pub(crate) fn read(&self, row: &ByteRecord) -> MatchOdds {
        let price = |i| parse_price(field(row, Some(i)));
        let mut odds = MatchOdds::default();
        for t in &self.one_x_two {
            if let (Some(home), Some(draw), Some(away)) = (price(t.home), price(t.draw), price(t.away)) {
                odds.one_x_two.push(BookmakerOdds {
                    bookmaker: t.bookmaker.clone(),
                    home,
                    draw,
                    away,
                });
            }
        }
        for c in &self.over_under {
            if let (Some(over), Some(under)) = (price(c.over), price(c.under)) {
                let bookmaker = c.bookmaker.clone();
                odds.over_under.push(OverUnderOdds {
                    bookmaker,
                    line: c.line,
                    over,
                    under,
                });
            }
        }
        for c in &self.asian_handicap {
            let line = field(row, Some(c.line))
                .parse::<f64>()
                .ok()
                .filter(|l| l.is_finite());
            if let (Some(line), Some(home), Some(away)) = (line, price(c.home), price(c.away)) {
                let bookmaker = c.bookmaker.clone();
                odds.asian_handicap.push(AsianHandicapOdds {
                    bookmaker,
                    line,
                    home,
                    away,
                });
            }
        }
        odds
    }
}

fn one_x_two_at(header: &Header, home: usize, name: &str) -> Option<Triple> {
    let prefix = name.strip_suffix('H').filter(|p| !p.is_empty())?;
    let draw = header.index(&format!("{prefix}D"))?;
    let away = header.index(&format!("{prefix}A"))?;
    Some(Triple {
        bookmaker: bookmaker_name(prefix),
        home,
        draw,
        away,
    })
}

fn over_under_at(header: &Header, over: usize, name: &str) -> Option<OverUnderColumns> {
    let (prefix, line_text) = name.split_once('>')?;
    let line: f64 = line_text.parse().ok()?;
    let under = header.index(&format!("{prefix}<{line_text}"))?;
    Some(OverUnderColumns {
        bookmaker: bookmaker_name(prefix),
        line,
        over,
        under,
    })
}

fn handicap_at(header: &Header, home: usize, name: &str) -> Option<HandicapColumns> {
    let prefix = name.strip_suffix("AHH")?;
    let away = header.index(&format!("{prefix}AHA"))?;
    // Older files give each bookmaker its own line (`GBAH`); BetBrain columns share `BbAHh`;
    // newer files share `AHh`, or `AHCh` for closing prices.
    let bookmaker = bookmaker_name(prefix);
    let line = header.index(&format!("{prefix}AH")).or_else(|| {
        if prefix.starts_with("Bb") {
            header.index("BbAHh")
        } else if bookmaker.ends_with("_closing") && header.has("AHCh") {
            header.index("AHCh")
        } else {
            header.index("AHh")
        }
    })?;
    Some(HandicapColumns {
        bookmaker,
        line,
        home,
        away,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use csv::StringRecord;

    use super::*;

    fn columns(names: &str) -> OddsColumns {
        OddsColumns::new(&Header::new(&names.split(',').collect::<StringRecord>()))
    }

    /// The layout football-data.co.uk has used since 2019: Max/Avg, plain `P` for Pinnacle
    /// in side markets, a shared `AHh` line and `C`-suffixed closing prices.
    #[test]
    fn newer_header_layout() {
        let columns = columns(
            "Div,Date,HomeTeam,AwayTeam,PSH,PSD,PSA,VCH,VCD,VCA,MaxH,MaxD,MaxA,AvgH,AvgD,AvgA,\
             P>2.5,P<2.5,AHh,PAHH,PAHA,VCAHH,VCAHA,B365CH,B365CD,B365CA,PC>2.5,PC<2.5,AHCh,PCAHH,PCAHA",
        );
        let row: ByteRecord = "D1,18/08/23,A,B,2.1,3.4,3.6,2.0,3.3,3.5,2.2,3.6,3.8,2.05,3.4,3.55,\
                               1.9,1.95,-0.25,1.93,1.97,1.9,2.0,2.0,3.5,3.7,1.85,2.05,-0.5,2.02,1.88"
            .split(',')
            .collect();
        let odds = columns.read(&row);
        let names: Vec<&str> = odds.one_x_two.iter().map(|o| o.bookmaker.as_ref()).collect();
        assert_eq!(
            names,
            [
                "pinnacle",
                "bet_victor",
                "market_max",
                "market_average",
                "bet365_closing"
            ]
        );
        let ou: Vec<&str> = odds.over_under.iter().map(|o| o.bookmaker.as_ref()).collect();
        assert_eq!(ou, ["pinnacle", "pinnacle_closing"]);
        let ah: Vec<(&str, f64)> = odds
            .asian_handicap
            .iter()
            .map(|o| (o.bookmaker.as_ref(), o.line))
            .collect();
        assert_eq!(
            ah,
            [
                ("pinnacle", -0.25),
                ("bet_victor", -0.25),
                ("pinnacle_closing", -0.5)
            ]
        );
    }

    #[test]
    fn non_odds_columns_are_ignored() {
        let columns = columns("Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,HTHG,HTAG,HS,AS,HHW,AHW,Bb1X2,BbAH,BbOU");
        assert!(columns.is_empty());
    }

    #[test]
    fn prices_must_be_real_decimal_odds() {
        let columns = columns("B365H,B365D,B365A,WHH,WHD,WHA,IWH,IWD,IWA");
        let row: ByteRecord = "1.5,4,6,x,3,4,1.0,3,4".split(',').collect();
        let odds = columns.read(&row);
        assert_eq!(odds.one_x_two.len(), 1);
        assert_eq!(odds.one_x_two[0].bookmaker, "bet365");
    }
}
