//! Team-name aliases: many spellings of a team, one canonical name.
//!
//! Canonical club names are the football-data.co.uk short names ("Man United",
//! "Nott'm Forest", "Ath Madrid"), because every match file in the shared data uses them;
//! names from other providers ("Manchester United", "Atlético Madrid") are aliases.
//! Matching ignores case, accents, spacing and punctuation (see [`alias_key`]).

mod builtin;
mod normalise;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

pub use normalise::{alias_key, fold_accents};

use crate::record::FormerName;

/// An alias that would point at a second canonical name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("alias {alias:?} already means {existing:?}, not {requested:?}")]
pub struct AliasConflict {
    pub alias: String,
    pub existing: String,
    pub requested: String,
}

/// Alias table; start from [`TeamAliases::builtin`] and add more at run time.
#[derive(Debug, Clone, Default)]
pub struct TeamAliases {
    /// [`alias_key`] of every known spelling → canonical name.
    by_key: HashMap<String, String>,
    /// Canonical names as written, so the common case needs no key building.
    canonical: HashSet<String>,
}

impl TeamAliases {
    /// An empty table: every name is its own canonical name.
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in table for the English, Spanish, German, Italian and French top flights.
    pub fn builtin() -> Self {
        let (aliases, _conflicts) = builtin::table();
        aliases
    }

    /// The canonical name for `name`, or `name` itself (trimmed) when it is unknown.
    pub fn canonical_name<'a>(&'a self, name: &'a str) -> Cow<'a, str> {
        let trimmed = name.trim();
        if let Some(canonical) = self.canonical.get(trimmed) {
            return Cow::Borrowed(canonical.as_str());
        }
        match self.by_key.get(&alias_key(trimmed)) {
            Some(canonical) => Cow::Borrowed(canonical.as_str()),
            None => Cow::Borrowed(trimmed),
        }
    }

    /// Whether `name` matches a known team (canonical or alias).
    pub fn contains(&self, name: &str) -> bool {
        self.canonical.contains(name.trim()) || self.by_key.contains_key(&alias_key(name))
    }

    /// Makes `alias` mean `canonical`. If `canonical` is itself a known alias, its own
    /// canonical name is used, so "Dahomey" → "Benin" works after "Benin" is known.
    /// Re-adding the same mapping is fine; pointing a spelling at a second team is refused.
    pub fn add_alias(&mut self, alias: &str, canonical: &str) -> Result<(), AliasConflict> {
        let canonical = self.canonical_name(canonical).into_owned();
        let key = alias_key(alias);
        if let Some(existing) = self.by_key.get(&key)
            && *existing != canonical
        {
            return Err(AliasConflict {
                alias: alias.trim().to_string(),
                existing: existing.clone(),
                requested: canonical,
            });
        }
        self.by_key
            .entry(alias_key(&canonical))
            .or_insert_with(|| canonical.clone());
        self.by_key.insert(key, canonical.clone());
        self.canonical.insert(canonical);
        Ok(())
    }

    /// Adds every former country name as an alias of the current name. The date ranges are
    /// dropped: a rating system wants "Zaïre" and "DR Congo" to be one team.
    /// Returns the conflicts met; the other names are still added.
    pub fn add_former_names(&mut self, names: &[FormerName]) -> Vec<AliasConflict> {
        names
            .iter()
            .filter_map(|n| self.add_alias(&n.former, &n.current).err())
            .collect()
    }

    /// Every known spelling as its [`alias_key`], with its canonical name: what a matcher
    /// for names inside free text (news headlines) is built from.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_key.iter().map(|(k, c)| (k.as_str(), c.as_str()))
    }

    /// Number of spellings known (canonical names included).
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// Canonical name using the built-in table (built once, on first use).
pub fn canonical_name(name: &str) -> Cow<'_, str> {
    static BUILTIN: OnceLock<TeamAliases> = OnceLock::new();
    BUILTIN.get_or_init(TeamAliases::builtin).canonical_name(name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_has_no_conflicts() {
        let (aliases, conflicts) = builtin::table();
        assert_eq!(conflicts, Vec::new());
        assert!(aliases.len() > 300, "{}", aliases.len());
    }

    #[test]
    fn provider_names_map_to_football_data_names() {
        for (variant, canonical) in [
            ("Manchester United", "Man United"),
            ("Man Utd", "Man United"),
            ("man united", "Man United"),
            ("Manchester City", "Man City"),
            ("Tottenham Hotspur", "Tottenham"),
            ("Wolverhampton Wanderers", "Wolves"),
            ("Brighton & Hove Albion", "Brighton"),
            ("Brighton and Hove Albion", "Brighton"),
            ("Nottingham Forest", "Nott'm Forest"),
            ("Sheffield United", "Sheffield United"),
            ("Sheffield Utd", "Sheffield United"),
            ("Bayern Munich", "Bayern Munich"),
            ("Bayern München", "Bayern Munich"),
            ("FC Bayern Munchen", "Bayern Munich"),
            ("Borussia Dortmund", "Dortmund"),
            ("Borussia Mönchengladbach", "M'gladbach"),
            ("M'Gladbach", "M'gladbach"),
            ("Paris Saint-Germain", "Paris SG"),
            ("Inter Milan", "Inter"),
            ("Internazionale", "Inter"),
            ("Atlético Madrid", "Ath Madrid"),
            ("Atletico de Madrid", "Ath Madrid"),
            ("Villareal", "Villarreal"),
            ("1. FC Köln", "FC Koln"),
            ("Saint-Étienne", "St Etienne"),
            ("  Arsenal FC ", "Arsenal"),
        ] {
            assert_eq!(canonical_name(variant), canonical, "{variant}");
        }
    }

    #[test]
    fn unknown_names_pass_through_trimmed() {
        assert_eq!(canonical_name(" Accrington Stanley "), "Accrington Stanley");
        assert!(matches!(canonical_name("Arsenal"), Cow::Borrowed(_)));
    }

    #[test]
    fn distinct_clubs_stay_distinct() {
        assert_eq!(canonical_name("Leipzig"), "Leipzig");
        assert_eq!(canonical_name("RB Leipzig"), "RB Leipzig");
        assert_eq!(canonical_name("Ajaccio GFCO"), "Ajaccio GFCO");
        assert_eq!(canonical_name("Ajaccio"), "Ajaccio");
    }

    #[test]
    fn runtime_aliases_and_conflicts() {
        let mut aliases = TeamAliases::new();
        aliases.add_alias("Spurs", "Tottenham").unwrap();
        aliases.add_alias("THFC", "spurs").unwrap();
        assert_eq!(aliases.canonical_name("thfc"), "Tottenham");
        aliases.add_alias("Spurs", "Tottenham").unwrap();
        let conflict = aliases.add_alias("spurs", "San Antonio").unwrap_err();
        assert_eq!(conflict.existing, "Tottenham");
        assert_eq!(aliases.canonical_name("Spurs"), "Tottenham");
    }

    #[test]
    fn former_country_names() {
        let mut aliases = TeamAliases::new();
        let names = [
            FormerName {
                current: "DR Congo".into(),
                former: "Zaïre".into(),
                start_date: None,
                end_date: None,
            },
            FormerName {
                current: "Benin".into(),
                former: "Dahomey".into(),
                start_date: None,
                end_date: None,
            },
        ];
        assert!(aliases.add_former_names(&names).is_empty());
        assert_eq!(aliases.canonical_name("Zaire"), "DR Congo");
        assert_eq!(aliases.canonical_name("DAHOMEY"), "Benin");
        assert_eq!(aliases.canonical_name("Benin"), "Benin");
    }
}
