//! Finds teams named in free text, using every spelling in a [`TeamAliases`] table.

use std::collections::HashMap;

use super::words::Word;
use crate::aliases::TeamAliases;

/// Single-word spellings that are also everyday words ("a nice finish", "reading the game",
/// "the derby"): they only count when written with a capital.
const COMMON_WORDS: [&str; 14] = [
    "reading",
    "derby",
    "nice",
    "racing",
    "lens",
    "sedan",
    "nancy",
    "como",
    "inter",
    "hercules",
    "santander",
    "deportivo",
    "evian",
    "cannes",
];

/// Headline nicknames that are not team names in data files, so they live here rather
/// than in the alias table. Added only for canonical names the table knows; like
/// [`COMMON_WORDS`] they need a capital ("Forest", not "forest").
const NICKNAMES: [(&str, &str); 11] = [
    ("villa", "Aston Villa"),
    ("forest", "Nott'm Forest"),
    ("palace", "Crystal Palace"),
    ("gunners", "Arsenal"),
    ("hammers", "West Ham"),
    ("toffees", "Everton"),
    ("magpies", "Newcastle"),
    ("seagulls", "Brighton"),
    ("cherries", "Bournemouth"),
    ("red devils", "Man United"),
    ("foxes", "Leicester"),
];

struct Target<'a> {
    canonical: &'a str,
    needs_capital: bool,
}

/// Phrase (words in key form) → team; built once per feed, used for every item.
pub(super) struct TeamMatcher<'a> {
    phrases: HashMap<String, Target<'a>>,
    /// Most words in any phrase, so a scan knows how far ahead to look.
    longest: usize,
}

impl<'a> TeamMatcher<'a> {
    pub fn new(aliases: &'a TeamAliases) -> Self {
        let mut phrases = HashMap::new();
        for (key, canonical) in aliases.keys() {
            let needs_capital = COMMON_WORDS.contains(&key);
            phrases.insert(
                key.to_string(),
                Target {
                    canonical,
                    needs_capital,
                },
            );
        }
        for (nickname, team) in NICKNAMES {
            if aliases.contains(team) {
                let canonical = aliases.keys().find(|(_, c)| *c == team).map_or(team, |(_, c)| c);
                phrases.entry(nickname.to_string()).or_insert(Target {
                    canonical,
                    needs_capital: true,
                });
            }
        }
        let longest = phrases.keys().map(|k| k.split(' ').count()).max().unwrap_or(0);
        Self { phrases, longest }
    }

    /// Appends each team named in `words` to `found`, once, in order of first mention.
    /// At each word the longest phrase wins, so "Inter Milan" is not also "Milan".
    pub fn find(&self, words: &[Word], found: &mut Vec<String>) {
        let mut i = 0;
        while i < words.len() {
            let mut step = 1;
            for n in (1..=self.longest.min(words.len() - i)).rev() {
                let phrase = words[i..i + n]
                    .iter()
                    .map(|w| w.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let Some(target) = self.phrases.get(&phrase) else {
                    continue;
                };
                // "Red Devils": any capital will do.
                if target.needs_capital && !words[i..i + n].iter().any(|w| w.capitalised) {
                    continue;
                }
                if !found.iter().any(|f| f == target.canonical) {
                    found.push(target.canonical.to_string());
                }
                step = n;
                break;
            }
            i += step;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::words::words;
    use super::*;

    fn teams(aliases: &TeamAliases, text: &str) -> Vec<String> {
        let mut found = Vec::new();
        TeamMatcher::new(aliases).find(&words(text), &mut found);
        found
    }

    #[test]
    fn finds_aliases_as_whole_phrases() {
        let aliases = TeamAliases::builtin();
        assert_eq!(
            teams(
                &aliases,
                "Manchester United beat Nottingham Forest; Spurs' Son doubtful"
            ),
            ["Man United", "Nott'm Forest", "Tottenham"]
        );
        assert_eq!(
            teams(
                &aliases,
                "ATLÉTICO MADRID and Bayern München draw; Inter Milan win"
            ),
            ["Ath Madrid", "Bayern Munich", "Inter"]
        );
        assert_eq!(
            teams(&aliases, "Arsenalistas and Chelseafc fans"),
            Vec::<String>::new()
        );
        assert_eq!(teams(&aliases, "Brighton & Hove Albion's keeper"), ["Brighton"]);
        assert_eq!(teams(&aliases, "Arsenal v Arsenal FC"), ["Arsenal"]);
    }

    #[test]
    fn common_words_and_nicknames_need_capitals() {
        let aliases = TeamAliases::builtin();
        assert_eq!(
            teams(
                &aliases,
                "a nice finish after reading the derby, deep in the forest"
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            teams(&aliases, "Nice and Reading; Forest and Villa; the Gunners"),
            ["Nice", "Reading", "Nott'm Forest", "Aston Villa", "Arsenal"]
        );
        assert_eq!(teams(&aliases, "the Red Devils"), ["Man United"]);
        // Nicknames only join a table that knows the team.
        assert_eq!(
            teams(&TeamAliases::new(), "Forest and Villa"),
            Vec::<String>::new()
        );
    }
}
