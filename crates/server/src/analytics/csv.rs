//! CSV output (RFC 4180): a header row, then one line per row, CRLF line ends.

use serde_json::Value;

/// Quotes a field when it holds a comma, quote, CR or LF (doubling quotes inside); otherwise
/// returns it as is. A leading `=`, `+`, `-` or `@` is left alone: these are data files, not
/// spreadsheets, and the text is returned exactly as stored.
pub fn escape(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A JSON cell as CSV text: null is empty, strings are raw, the rest as JSON prints them.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => escape(s),
        other => escape(&other.to_string()),
    }
}

/// The whole document.
pub fn write(columns: &[String], rows: &[Vec<Value>]) -> String {
    let mut out = String::new();
    let line = |fields: Vec<String>, out: &mut String| {
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(columns.iter().map(|c| escape(c)).collect(), &mut out);
    for row in rows {
        line(row.iter().map(cell).collect(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(escape("plain"), "plain");
        assert_eq!(escape(""), "");
        assert_eq!(escape("a,b"), "\"a,b\"");
        assert_eq!(escape("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape("two\nlines"), "\"two\nlines\"");
        assert_eq!(escape("cr\rhere"), "\"cr\rhere\"");
    }

    #[test]
    fn writes_header_and_typed_cells() {
        let columns = vec!["id".to_string(), "body".to_string(), "rps".to_string()];
        let rows = vec![
            vec![json!(1), json!("x, \"y\""), json!(0.25)],
            vec![json!(2), Value::Null, json!(true)],
        ];
        assert_eq!(
            write(&columns, &rows),
            "id,body,rps\r\n1,\"x, \"\"y\"\"\",0.25\r\n2,,true\r\n"
        );
    }
}
