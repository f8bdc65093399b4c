//! Column lookup by header name, done once per file so rows are read by index.

use csv::{ByteRecord, StringRecord};

/// Header names with the UTF-8 BOM and surrounding whitespace removed.
pub(crate) struct Header {
    names: Vec<String>,
}

impl Header {
    pub(crate) fn new(raw: &StringRecord) -> Self {
        let names = raw
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = if i == 0 {
                    name.trim_start_matches('\u{feff}')
                } else {
                    name
                };
                name.trim().to_string()
            })
            .collect();
        Self { names }
    }

    /// Index of the first column with this exact name.
    pub(crate) fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Index of the first of several alternative names that is present.
    pub(crate) fn index_any(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.index(n))
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

/// A field of the current row, trimmed; `""` when the column or the cell is missing.
/// Invalid UTF-8 becomes U+FFFD so a garbled number fails to parse instead of reading as blank.
pub(crate) fn field(row: &ByteRecord, index: Option<usize>) -> &str {
    match index.and_then(|i| row.get(i)) {
        Some(bytes) => std::str::from_utf8(bytes.trim_ascii()).unwrap_or("\u{fffd}"),
        None => "",
    }
}

/// A text field that may hold non-ASCII names; Latin-1 files are decoded rather than dropped.
pub(crate) fn text_field(row: &ByteRecord, index: Option<usize>) -> Option<String> {
    let bytes = index.and_then(|i| row.get(i))?.trim_ascii();
    if bytes.is_empty() {
        return None;
    }
    Some(match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    })
}

/// Rows holding nothing but separators (",,,,,") pad the end of many football-data files.
pub(crate) fn is_blank(row: &ByteRecord) -> bool {
    row.iter().all(|f| f.trim_ascii().is_empty())
}

/// Line number of a row for error messages.
pub(crate) fn line_of(row: &ByteRecord) -> u64 {
    row.position().map_or(0, |p| p.line())
}
