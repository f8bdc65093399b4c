//! Free text split into words the way [`crate::alias_key`] splits team names, so a phrase
//! found in a headline can be looked up in the alias table directly.

use crate::aliases::fold_accents;

/// One word of text: lower-case ASCII, plus whether it was written with a capital, which
/// tells "Reading" the club from "reading" the verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub key: String,
    pub capitalised: bool,
}

/// Tokens [`crate::alias_key`] drops from names ("Arsenal FC" is "arsenal").
const NOISE: [&str; 4] = ["fc", "afc", "cf", "cfc"];

/// Splits text into words: accents folded, `&` read as "and", possessives dropped
/// ("Arsenal's" is "arsenal"), inner apostrophes and dots dropped ("Nott'm" is "nottm"),
/// any other punctuation a break ("line-up" is "line up").
pub(super) fn words(text: &str) -> Vec<Word> {
    let folded = fold_accents(text).replace('&', " and ");
    let mut words = Vec::new();
    for raw in folded.split(|c: char| !(c.is_alphanumeric() || matches!(c, '\'' | '.'))) {
        if let Some(word) = word(raw) {
            words.push(word);
        }
    }
    words
}

fn word(piece: &str) -> Option<Word> {
    let trimmed = piece.trim_matches(|c| matches!(c, '\'' | '.'));
    let lower = trimmed.to_lowercase();
    let stem = lower.strip_suffix("'s").unwrap_or(&lower);
    let key: String = stem.chars().filter(|c| !matches!(c, '\'' | '.')).collect();
    if key.is_empty() || NOISE.contains(&key.as_str()) {
        return None;
    }
    Some(Word {
        key,
        capitalised: trimmed.chars().next().is_some_and(char::is_uppercase),
    })
}

/// Whether `phrase` (space-separated words in key form) starts at `words[at]`.
pub(super) fn phrase_at(words: &[Word], at: usize, phrase: &str) -> bool {
    let mut i = at;
    for part in phrase.split(' ') {
        match words.get(i) {
            Some(w) if w.key == part => i += 1,
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.key).collect()
    }

    #[test]
    fn splits_like_alias_keys() {
        assert_eq!(
            keys("Arsenal's Saka: Nott'm Forest & Man Utd line-up."),
            [
                "arsenal", "saka", "nottm", "forest", "and", "man", "utd", "line", "up"
            ]
        );
        assert_eq!(
            keys("Brighton&Hove Albion FC"),
            ["brighton", "and", "hove", "albion"]
        );
        assert_eq!(
            keys("Atlético's “Spurs'” St. Étienne"),
            ["atletico", "spurs", "st", "etienne"]
        );
        assert_eq!(keys("  ...  ' "), Vec::<String>::new());
        let w = words("Reading reading");
        assert!(w[0].capitalised && !w[1].capitalised);
    }

    #[test]
    fn phrases_match_whole_words() {
        let w = words("Saka ruled out of the derby");
        assert!(phrase_at(&w, 1, "ruled out"));
        assert!(!phrase_at(&w, 0, "ruled out"));
        assert!(!phrase_at(&w, 4, "the derby day"));
    }
}
