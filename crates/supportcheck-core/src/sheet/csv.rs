//! The CSV form: one sheet a file. Cells that a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) are written with a leading `'`,
//! which `import` takes off again.

use super::{Grid, Sheet};
use anyhow::{Result, anyhow};

/// One sheet as CSV bytes (UTF-8, header first).
pub fn write(sheet: &Sheet) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&sheet.header)?;
    for row in &sheet.rows {
        w.write_record(row.iter().map(|c| guard(c)))?;
    }
    w.into_inner().map_err(|e| anyhow!("{e}"))
}

/// The characters that make a spreadsheet run a cell as a formula.
const FORMULA: [char; 4] = ['=', '+', '-', '@'];

/// A cell as written: a leading `'` keeps a spreadsheet from running it.
/// A cell that already starts with `'` before one of those (or before
/// another `'`) gets one too, so that [`unguard`] gives back exactly the
/// text that was exported.
fn guard(cell: &str) -> String {
    let quoted = cell
        .strip_prefix('\'')
        .is_some_and(|rest| rest.starts_with(FORMULA) || rest.starts_with('\''));
    if cell.starts_with(FORMULA) || quoted {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A cell as read: [`guard`] undone.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA) || rest.starts_with('\'') => rest,
        _ => cell,
    }
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
        rows.push(record.iter().map(|c| unguard(c).to_string()).collect());
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
    use super::*;

    #[test]
    fn a_guarded_cell_reads_back_as_written() {
        for text in [
            "=1+1", "'=1+1", "''", "'", "'quoted'", "-", "plain", "'-x", "@a",
        ] {
            assert_eq!(unguard(&guard(text)), text, "{text}");
        }
    }
}
