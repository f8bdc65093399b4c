//! Field rules shared by registration and profile updates.

use validator::ValidationError;

/// 3–32 characters: letters, digits, `_`, `-`, `.`; starts with a letter or digit.
pub fn username(value: &str) -> Result<(), ValidationError> {
    let len = value.chars().count();
    let valid_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    let starts_well = value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if (3..=32).contains(&len) && valid_chars && starts_well {
        Ok(())
    } else {
        let mut err = ValidationError::new("invalid_username");
        err.message = Some("3-32 letters, digits, '_', '-' or '.', starting with a letter or digit".into());
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for ok in ["alice", "bob_99", "x.y-z"] {
            assert!(username(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "_alice", "has space", "émile", &"a".repeat(33)] {
            assert!(username(bad).is_err(), "{bad}");
        }
    }
}

/// An http(s) link with a host, or empty to clear the field. Other schemes (`javascript:`, `data:`)
/// are refused because clients render these as links.
pub fn web_url(value: &str) -> Result<(), ValidationError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(());
    }
    let lower = value.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let host = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or_default();
    if !host.is_empty() && !value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Ok(())
    } else {
        let mut err = ValidationError::new("invalid_url");
        err.message = Some("must be an http:// or https:// link".into());
        Err(err)
    }
}

#[cfg(test)]
mod url_tests {
    use super::*;

    #[test]
    fn web_urls() {
        for ok in ["https://x.io", "http://a.b/c?d", ""] {
            assert!(web_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://",
            "ftp://x.io",
            "https://a b.io",
        ] {
            assert!(web_url(bad).is_err(), "{bad}");
        }
    }
}
