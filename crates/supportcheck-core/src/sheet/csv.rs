//! The CSV form: one sheet a file. Cells that a spreadsheet would run as a
//! formula are written with a leading `'` (see [`super::guard`]), which
//! `import` takes off again.

use super::{Grid, Sheet};
use anyhow::{Result, anyhow};

/// One sheet as CSV bytes (UTF-8, header first).
pub fn write(sheet: &Sheet) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&sheet.header)?;
    for row in &sheet.rows {
        w.write_record(row.iter().map(|c| super::guard(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| anyhow!("{e}"))
}

/// A CSV file read as a grid; `name` names it in messages.
pub fn read(bytes: &[u8], name: &str) -> Result<Grid> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, record) in r.records().enumerate() {
        let record = record.map_err(|e| anyhow!("{name}: row {}: {e}", i + 1))?;
        rows.push(
            record
                .iter()
                .map(|c| super::unguard(c).to_string())
                .collect(),
        );
    }
    Ok(Grid {
        sheet: name.to_string(),
        rows,
        first_row: 1,
        first_col: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{guard, unguard};

    #[test]
    fn a_guarded_cell_reads_back_as_written() {
        for text in [
            "=1+1", "'=1+1", "''", "'", "'quoted'", "-", "plain", "'-x", "@a",
        ] {
            assert_eq!(unguard(&guard(text)), text, "{text}");
        }
    }
}
