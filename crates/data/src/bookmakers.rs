//! Readable names for football-data.co.uk bookmaker column prefixes (see its notes.txt).

use std::borrow::Cow;

/// Maps a column prefix such as `B365` or `PSC` to a readable name such as "bet365" or
/// "pinnacle_closing". Newer files mark closing prices with a `C` suffix (`B365C`), which
/// becomes "_closing". Unknown prefixes are kept, lower-cased.
pub fn bookmaker_name(prefix: &str) -> Cow<'static, str> {
    if let Some(name) = known(prefix) {
        return Cow::Borrowed(name);
    }
    if let Some(base) = prefix.strip_suffix('C').and_then(known) {
        return Cow::Owned(format!("{base}_closing"));
    }
    Cow::Owned(prefix.to_ascii_lowercase())
}

fn known(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "B365" => "bet365",
        "BW" => "bet_and_win",
        "GB" => "gamebookers",
        "IW" => "interwetten",
        "LB" => "ladbrokes",
        // `PS` in 1X2 columns, plain `P` in newer over/under and Asian handicap columns.
        "PS" | "P" => "pinnacle",
        "PSC" => "pinnacle_closing",
        "WH" => "william_hill",
        "SJ" => "stan_james",
        "VC" => "bet_victor",
        "BS" => "blue_square",
        "SB" => "sportingbet",
        "SO" => "sporting_odds",
        "SY" => "stanleybet",
        "1XB" => "1xbet",
        "BF" => "betfair",
        "BFE" => "betfair_exchange",
        "BV" => "betvictor",
        "CL" => "coral",
        "BMGM" => "bet_mgm",
        "BbMx" | "Max" => "market_max",
        "BbAv" | "Avg" => "market_average",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(bookmaker_name("B365"), "bet365");
        assert_eq!(bookmaker_name("PS"), "pinnacle");
        assert_eq!(bookmaker_name("PSC"), "pinnacle_closing");
        assert_eq!(bookmaker_name("BbAv"), "market_average");
        assert_eq!(bookmaker_name("Avg"), "market_average");
        assert_eq!(bookmaker_name("BbMx"), "market_max");
        assert_eq!(bookmaker_name("Max"), "market_max");
        assert_eq!(bookmaker_name("WH"), "william_hill");
        assert_eq!(bookmaker_name("B365C"), "bet365_closing");
        assert_eq!(bookmaker_name("AvgC"), "market_average_closing");
        assert_eq!(bookmaker_name("XYZ"), "xyz");
    }
}
