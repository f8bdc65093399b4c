//! Post and comment text: length rules, and the hashtags and @mentions it contains.

use crate::error::ApiError;

pub const MAX_POST_CHARS: usize = 2000;
pub const MAX_COMMENT_CHARS: usize = 1000;
/// More tags than this in one post are ignored (they would only spam trending).
const MAX_TAGS: usize = 10;
const MAX_TAG_CHARS: usize = 50;

/// Trims and checks the length (in characters); the text is otherwise stored exactly as sent.
pub fn checked(field: &str, text: &str, max_chars: usize) -> Result<String, ApiError> {
    let text = text.trim();
    let len = text.chars().count();
    if len == 0 {
        return Err(ApiError::invalid_field(field, "length", "must not be empty"));
    }
    if len > max_chars {
        return Err(ApiError::invalid_field(
            field,
            "length",
            &format!("at most {max_chars} characters"),
        ));
    }
    Ok(text.to_string())
}

/// Words after `marker` that start at the beginning or after a non-word character, so
/// `a#b` and `me@example.com` are not tags or mentions. Lowercased, unique, in order.
fn marked(text: &str, marker: char, extra: &[char], max: usize) -> Vec<String> {
    let word = |c: char| c.is_alphanumeric() || c == '_' || extra.contains(&c);
    let mut found: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let starts = c == marker && !prev.is_some_and(|p| p.is_alphanumeric() || p == '_');
        prev = Some(c);
        if !starts {
            continue;
        }
        let rest = &text[i + c.len_utf8()..];
        let end = rest.find(|ch: char| !word(ch)).unwrap_or(rest.len());
        // Trailing dots are punctuation ("see @ann."), not part of the name.
        let name = rest[..end].trim_end_matches('.');
        if name.is_empty() || name.chars().count() > MAX_TAG_CHARS {
            continue;
        }
        let name = name.to_lowercase();
        if !found.contains(&name) {
            found.push(name);
        }
        if found.len() == max {
            break;
        }
    }
    found
}

/// `#tags` in the text, lowercased without the `#`.
pub fn hashtags(text: &str) -> Vec<String> {
    marked(text, '#', &[], MAX_TAGS)
}

/// `@usernames` mentioned in the text, lowercased (usernames compare case-insensitively).
pub fn mentions(text: &str) -> Vec<String> {
    marked(text, '@', &['.', '-'], MAX_TAGS)
}

/// A tag from a URL path: with or without `#`, compared lowercased.
pub fn normalise_tag(tag: &str) -> String {
    tag.trim().trim_start_matches('#').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_tags_and_mentions() {
        assert_eq!(
            hashtags("Big win! #COYG #nlfc, #coyg again a#b #"),
            ["coyg", "nlfc"]
        );
        assert_eq!(mentions("hi @Ann. and @bob_1, mail x@y.com"), ["ann", "bob_1"]);
        assert!(hashtags("no tags here").is_empty());
    }

    #[test]
    fn length_limits() {
        assert!(checked("content", "   ", 10).is_err());
        assert!(checked("content", &"é".repeat(11), 10).is_err());
        assert_eq!(checked("content", " ok ", 10).ok().as_deref(), Some("ok"));
    }
}
