//! Shared CSV reader set-up and header handling.

use std::io::Read;

use csv::ByteRecord;

use crate::error::{DataError, RowError};
use crate::format::{CsvFormat, detect};
use crate::header::{Header, is_blank, line_of};
use crate::record::ParsedFile;
use crate::source::Source;

/// Flexible so short rows (",,," padding, missing trailing cells) do not abort the file.
/// Fields are trimmed by the readers themselves: csv's own trimming allocates per row.
pub(crate) fn csv_reader<R: Read>(reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(reader)
}

/// Reads the header row and recognises the format.
pub(crate) fn read_header<R: Read>(
    csv: &mut csv::Reader<R>,
    source: &Source,
) -> Result<(Header, CsvFormat), DataError> {
    let raw = csv.headers().map_err(|e| DataError::Csv {
        file: source.label.clone(),
        source: e,
    })?;
    let header = Header::new(raw);
    let format = detect(&header).ok_or_else(|| DataError::UnknownFormat {
        file: source.label.clone(),
    })?;
    Ok((header, format))
}

/// Runs `parse_row` over every non-blank row, keeping records and row errors apart.
/// One `ByteRecord` is reused for the whole file.
pub(crate) fn collect_rows<R: Read, T>(
    csv: &mut csv::Reader<R>,
    source: &Source,
    parsed: &mut ParsedFile<T>,
    mut parse_row: impl FnMut(&ByteRecord) -> Result<T, String>,
) -> Result<(), DataError> {
    let mut row = ByteRecord::new();
    while csv.read_byte_record(&mut row).map_err(|e| DataError::Csv {
        file: source.label.clone(),
        source: e,
    })? {
        if is_blank(&row) {
            continue;
        }
        match parse_row(&row) {
            Ok(record) => parsed.records.push(record),
            Err(message) => parsed.errors.push(RowError {
                file: source.label.clone(),
                line: line_of(&row),
                message,
            }),
        }
    }
    Ok(())
}

/// Fails with [`DataError::WrongFormat`] unless the detected format is one of `allowed`.
pub(crate) fn expect_format(
    found: CsvFormat,
    allowed: &[CsvFormat],
    source: &Source,
) -> Result<(), DataError> {
    if allowed.contains(&found) {
        return Ok(());
    }
    Err(DataError::WrongFormat {
        file: source.label.clone(),
        expected: allowed.first().map_or("another format", |f| f.describe()),
        found: found.describe(),
    })
}
