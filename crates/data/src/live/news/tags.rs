//! Keyword tags for news items: what a predictor wants to hear about before kick-off.

use serde::{Deserialize, Serialize};

use super::words::{Word, phrase_at};

/// What a news item is about, as far as keywords tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NewsTag {
    Injury,
    Lineup,
    Transfer,
    Suspension,
}

/// Keywords in word-key form (see `words`): lower case, hyphens as spaces. Matched as whole
/// words, so "ban" does not fire on "banner" nor "deal" on "ideal".
const KEYWORDS: [(NewsTag, &[&str]); 4] = [
    (
        NewsTag::Injury,
        &[
            "injury",
            "injuries",
            "injured",
            "hamstring",
            "knee",
            "ankle",
            "groin",
            "calf",
            "thigh",
            "achilles",
            "muscle",
            "concussion",
            "ruled out",
            "sidelined",
            "doubt",
            "doubtful",
            "fitness test",
            "fitness",
            "setback",
            "surgery",
            "scan",
        ],
    ),
    (
        NewsTag::Lineup,
        &[
            "line up",
            "lineup",
            "line ups",
            "lineups",
            "starting xi",
            "starting eleven",
            "team news",
            "starts",
            "bench",
            "benched",
        ],
    ),
    (
        NewsTag::Transfer,
        &[
            "signs",
            "signed",
            "signing",
            "transfer",
            "transfers",
            "loan",
            "deal",
            "joins",
            "bid",
        ],
    ),
    (
        NewsTag::Suspension,
        &["suspended", "suspension", "ban", "banned", "red card", "sent off"],
    ),
];

/// Every tag whose keywords appear in `words`, in [`NewsTag`] order.
pub(super) fn tags(words: &[Word]) -> Vec<NewsTag> {
    KEYWORDS
        .iter()
        .filter(|(_, keywords)| (0..words.len()).any(|at| keywords.iter().any(|k| phrase_at(words, at, k))))
        .map(|(tag, _)| *tag)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::words::words;
    use super::*;

    #[test]
    fn whole_word_keywords() {
        let tag = |text: &str| tags(&words(text));
        assert_eq!(tag("Saka ruled out with hamstring injury"), [NewsTag::Injury]);
        assert_eq!(tag("Arsenal team news: Havertz starts"), [NewsTag::Lineup]);
        assert_eq!(
            tag("Forward signs on loan after being sent off"),
            [NewsTag::Transfer, NewsTag::Suspension]
        );
        assert_eq!(tag("Fan banner ideal for the starting whistle"), []);
        assert_eq!(tag("Confirmed line-up"), [NewsTag::Lineup]);
        assert_eq!(tag(""), []);
    }
}
