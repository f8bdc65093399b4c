//! Competition slugs: football-data.co.uk division codes and free-text tournament names.

use std::borrow::Cow;

use crate::aliases::fold_accents;

/// Maps a football-data.co.uk `Div` code to the slug used by the per-league folders.
/// Unknown codes are kept as the lower-cased code so nothing is lost.
pub fn competition_from_div(code: &str) -> Cow<'static, str> {
    let code = code.trim();
    let known = match code {
        "E0" => "premier-league",
        "SP1" => "la-liga",
        "D1" => "bundesliga",
        "I1" => "serie-a",
        "F1" => "ligue-1",
        "E1" => "championship",
        "SC0" => "scottish-premiership",
        "N1" => "eredivisie",
        "P1" => "primeira-liga",
        _ => return Cow::Owned(code.to_ascii_lowercase()),
    };
    Cow::Borrowed(known)
}

/// Lower-case ASCII slug: "FIFA World Cup qualification" → "fifa-world-cup-qualification".
/// Accented letters are folded to ASCII; anything else separates words.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_dash = false;
    for c in fold_accents(name).chars() {
        // Apostrophes vanish: "King's Cup" becomes "kings-cup", not "king-s-cup".
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn div_codes() {
        assert_eq!(competition_from_div("E0"), "premier-league");
        assert_eq!(competition_from_div("SP1"), "la-liga");
        assert_eq!(competition_from_div("D1"), "bundesliga");
        assert_eq!(competition_from_div("I1"), "serie-a");
        assert_eq!(competition_from_div("F1"), "ligue-1");
        assert_eq!(competition_from_div("G1"), "g1");
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("FIFA World Cup qualification"),
            "fifa-world-cup-qualification"
        );
        assert_eq!(slugify("  Copa América "), "copa-america");
        assert_eq!(slugify("King's Cup"), "kings-cup");
        assert_eq!(slugify("CONIFA World Football Cup!"), "conifa-world-football-cup");
    }
}
