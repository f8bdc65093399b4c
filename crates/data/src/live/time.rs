//! Timestamps and match clocks in the spellings live providers use.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses RFC 3339 plus the minute-precision forms ESPN ("2025-08-16T14:00Z") and
/// Open-Meteo ("2025-08-16T14:00", local time of the request's zone) send, which
/// chrono's RFC 3339 parser rejects for lacking seconds. Zone-less times are taken as UTC.
pub(crate) fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = text.strip_suffix('Z').unwrap_or(text);
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(naive, format).ok())
        .map(|t| t.and_utc())
}

/// Minutes played from a match clock: "67'" is 67, "90'+3'" is 93, "45+2" is 47,
/// "67:12" is 67. Anything else ("HT", "FT", "") is `None`.
pub(crate) fn parse_minute(clock: &str) -> Option<u16> {
    let cleaned: String = clock
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '′') && !c.is_whitespace())
        .collect();
    let mut total: u16 = 0;
    for (i, part) in cleaned.split('+').enumerate() {
        // "67:12" is minutes and seconds; only the minutes matter.
        let minutes = part.split(':').next().unwrap_or(part);
        if minutes.is_empty() || !minutes.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u16 = minutes.parse().ok()?;
        if i > 1 {
            return None;
        }
        total = total.checked_add(n)?;
    }
    (total <= 200).then_some(total)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn timestamps() {
        let expected = Utc.with_ymd_and_hms(2025, 8, 16, 14, 0, 0).single();
        for text in [
            "2025-08-16T14:00Z",
            "2025-08-16T14:00:00Z",
            "2025-08-16T15:00:00+01:00",
            "2025-08-16T14:00",
            " 2025-08-16 14:00 ",
        ] {
            assert_eq!(parse_timestamp(text), expected, "{text}");
        }
        assert_eq!(parse_timestamp("16/08/2025"), None);
        assert_eq!(parse_timestamp(""), None);
    }

    #[test]
    fn minutes_with_stoppage_time() {
        for (clock, minute) in [
            ("67'", Some(67)),
            ("90'+3'", Some(93)),
            ("45'+2'", Some(47)),
            ("45+2", Some(47)),
            ("90’+4’", Some(94)),
            ("67:12", Some(67)),
            ("0'", Some(0)),
            ("120'+1'", Some(121)),
            ("HT", None),
            ("FT", None),
            ("", None),
            ("'", None),
            ("90'+", None),
            ("1+2+3", None),
            ("99999", None),
        ] {
            assert_eq!(parse_minute(clock), minute, "{clock:?}");
        }
    }
}
