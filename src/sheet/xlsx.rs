//! The .xlsx form: sheets written in memory with rust_xlsxwriter (a status
//! data-validation list, wrapped text, a frozen header), and any workbook
//! calamine reads (.xlsx, .xls, .ods) read back as text grids.

use super::{Grid, REGISTER, STATUS_VALUES, Sheet};
use anyhow::{Context, Result, anyhow};
use calamine::{Data, Reader};
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, Workbook};
use std::io::Cursor;

/// The workbook's bytes.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color("#E8ECF3")
        .set_align(FormatAlign::Top);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        for (c, (name, width)) in sheet.header.iter().zip(&sheet.widths).enumerate() {
            let c = c as u16;
            ws.write_string_with_format(0, c, *name, &head)?;
            ws.set_column_width(c, *width)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                ws.write_string_with_format(r as u32 + 1, c as u16, text, &body)
                    .with_context(|| {
                        format!(
                            "sheet \"{}\", row {}: a cell is too long for Excel",
                            sheet.name,
                            r + 2
                        )
                    })?;
            }
        }
        if let Some(c) = sheet.status_column {
            let list = DataValidation::new()
                .allow_list_strings(&STATUS_VALUES)?
                .ignore_blank(true)
                .set_error_message(
                    "Choose met, partial, unmet or not-applicable, or leave it empty.",
                )?;
            let last = sheet.rows.len().max(1) as u32;
            ws.add_data_validation(1, c as u16, last, c as u16, &list)?;
        }
        for &c in &sheet.hidden {
            ws.set_column_hidden(c as u16)?;
        }
        ws.set_freeze_panes(1, 0)?;
        let last_col = sheet.header.len().saturating_sub(1) as u16;
        ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// The register sheet of a workbook (by name, else the first sheet).
pub fn read(bytes: Vec<u8>) -> Result<Grid> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| anyhow!("not a spreadsheet calamine can read: {e}"))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == REGISTER)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| anyhow!("the workbook has no sheets"))?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| anyhow!("sheet \"{name}\": {e}"))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    Ok(Grid {
        sheet: name,
        rows,
        first_row: first_row + 1,
        first_col: first_col + 1,
    })
}

/// A cell as the text a person typed: dates as YYYY-MM-DD (a date cell of
/// Excel or an .ods file, at midnight), whole numbers without `.0`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.to_string(),
            None => d.to_string(),
        },
        Data::DateTimeIso(text) => {
            match chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
                Ok(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                _ => text.clone(),
            }
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        _ => d.to_string(),
    }
}
