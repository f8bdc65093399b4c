//! Matching keys for team names: case, accents, punctuation and club-type tokens ignored.

use std::borrow::Cow;

/// Replaces accented Latin letters with plain ASCII ("München" → "Munchen", "ß" → "ss").
/// Other characters are kept as they are.
pub fn fold_accents(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut folded = String::with_capacity(text.len());
    for ch in text.chars() {
        match fold_char(ch) {
            Some(plain) => folded.push_str(plain),
            None => folded.push(ch),
        }
    }
    Cow::Owned(folded)
}

fn fold_char(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'æ' => "ae",
        'Æ' => "AE",
        'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'ď' | 'đ' | 'ð' => "d",
        'Ď' | 'Đ' | 'Ð' => "D",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'ğ' | 'ģ' => "g",
        'Ğ' | 'Ģ' => "G",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ķ' => "k",
        'Ķ' => "K",
        'ł' | 'ľ' | 'ĺ' | 'ļ' => "l",
        'Ł' | 'Ľ' | 'Ĺ' | 'Ļ' => "L",
        'ñ' | 'ń' | 'ň' | 'ņ' => "n",
        'Ñ' | 'Ń' | 'Ň' | 'Ņ' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'œ' => "oe",
        'Œ' => "OE",
        'ř' | 'ŕ' => "r",
        'Ř' | 'Ŕ' => "R",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'þ' => "th",
        'Þ' => "TH",
        '’' | '‘' | '`' | '´' => "'",
        '–' | '—' => "-",
        _ => return None,
    })
}

/// Tokens that only say "this is a club" and vary between providers ("Arsenal FC").
const NOISE_TOKENS: [&str; 4] = ["fc", "afc", "cf", "cfc"];

/// The key two spellings must share to be the same team: lower-case ASCII words, with
/// `&` read as "and", apostrophes and dots dropped ("Nott'm" = "Nottm", "St." = "St"),
/// other punctuation as spaces, and "FC"-style tokens removed unless nothing else is left.
pub fn alias_key(name: &str) -> String {
    let mut spaced = String::with_capacity(name.len() + 4);
    for c in fold_accents(name).chars() {
        match c {
            '\'' | '.' => {}
            '&' => spaced.push_str(" and "),
            c if c.is_alphanumeric() => spaced.extend(c.to_lowercase()),
            _ => spaced.push(' '),
        }
    }
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let meaningful: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !NOISE_TOKENS.contains(w))
        .collect();
    if meaningful.is_empty() {
        words.join(" ")
    } else {
        meaningful.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents() {
        assert_eq!(fold_accents("Bayern München"), "Bayern Munchen");
        assert_eq!(fold_accents("Atlético Madrid"), "Atletico Madrid");
        assert_eq!(fold_accents("Curaçao"), "Curacao");
        assert_eq!(fold_accents("Fußball"), "Fussball");
    }

    #[test]
    fn keys_ignore_case_space_punctuation() {
        assert_eq!(alias_key("  Man   United "), "man united");
        assert_eq!(alias_key("MAN UNITED"), "man united");
        assert_eq!(alias_key("Nott'm Forest"), alias_key("Nottm Forest"));
        assert_eq!(
            alias_key("Brighton & Hove Albion"),
            alias_key("Brighton and Hove Albion")
        );
        assert_eq!(alias_key("Paris Saint-Germain"), alias_key("paris saint germain"));
        assert_eq!(alias_key("St. Etienne"), alias_key("St Etienne"));
        assert_eq!(alias_key("Arsenal FC"), "arsenal");
        assert_eq!(alias_key("FC"), "fc");
        assert_eq!(alias_key("M’gladbach"), alias_key("M'Gladbach"));
    }
}
