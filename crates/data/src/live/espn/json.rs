//! Lenient reads from ESPN JSON: ESPN writes the same number as `"2"`, `2`, `2.0` or
//! `{"value": 2, "displayValue": "2"}` depending on endpoint, so every read accepts all of them.

use serde_json::Value;

/// A non-empty, trimmed string at `pointer` (JSON pointer, e.g. `/team/displayName`).
pub(super) fn text(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The array at `pointer`, or an empty slice when it is missing or not an array.
pub(super) fn array<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A boolean at `pointer`; `"true"` strings count too.
pub(super) fn flag(value: &Value, pointer: &str) -> Option<bool> {
    match value.pointer(pointer)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A number written as a number, a numeric string ("55.2", "55.2%") or a value object.
pub(super) fn number(value: &Value) -> Option<f64> {
    let n = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse().ok()?,
        Value::Object(map) => {
            return map
                .get("value")
                .and_then(number)
                .or_else(|| map.get("displayValue").and_then(number));
        }
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// A count (goals, cards, shots): a non-negative whole number that fits in `u16`.
pub(super) fn count(value: &Value) -> Option<u16> {
    u16::try_from(whole(value)?).ok()
}

/// A non-negative whole number that fits in `u32` (attendances pass 65,535).
pub(super) fn whole(value: &Value) -> Option<u32> {
    let n = number(value)?;
    (n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX)).then_some(n as u32)
}

/// The statistic called `name` in an ESPN `statistics` array (`[{"name", "displayValue"}]`).
pub(super) fn stat<'a>(stats: &'a [Value], name: &str) -> Option<&'a Value> {
    let entry = stats
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str) == Some(name))?;
    entry.get("displayValue").or_else(|| entry.get("value"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_in_every_spelling() {
        for v in [
            json!(2),
            json!(2.0),
            json!("2"),
            json!(" 2 "),
            json!({"value": 2.0, "displayValue": "2"}),
            json!({"displayValue": "2"}),
        ] {
            assert_eq!(count(&v), Some(2), "{v}");
        }
        assert_eq!(number(&json!("55.2%")), Some(55.2));
        assert_eq!(whole(&json!("74310")), Some(74_310));
        assert_eq!(count(&json!(74_310)), None);
        for v in [
            json!(""),
            json!("-1"),
            json!(1.5),
            json!(null),
            json!([1]),
            json!("x"),
        ] {
            assert_eq!(count(&v), None, "{v}");
        }
    }

    #[test]
    fn text_and_flags() {
        let v = json!({"a": {"b": "  x "}, "n": 359, "e": "", "t": true, "s": "false"});
        assert_eq!(text(&v, "/a/b").as_deref(), Some("x"));
        assert_eq!(text(&v, "/n").as_deref(), Some("359"));
        assert_eq!(text(&v, "/e"), None);
        assert_eq!(text(&v, "/missing/deep"), None);
        assert_eq!(flag(&v, "/t"), Some(true));
        assert_eq!(flag(&v, "/s"), Some(false));
        assert!(array(&v, "/a").is_empty());
    }
}
