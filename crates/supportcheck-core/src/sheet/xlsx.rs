//! The .xlsx form: sheets written in memory with rust_xlsxwriter (a status
//! data-validation list, wrapped text, a frozen header), and any workbook
//! calamine reads (.xlsx, .xls, .ods) read back as text grids.

use super::{Grid, Kind, REGISTER, STATUS_VALUES, Sheet, bounds};
use anyhow::{Context, Result, anyhow, bail};
use calamine::{Data, Reader};
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, Workbook};
use std::io::{Cursor, Read};

/// The workbook's bytes.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color("#E8ECF3")
        .set_align(FormatAlign::Top);
    let body = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    // ISO dates, as `import` reads them from a text cell too.
    let day = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top);
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
                let (r, c) = (r as u32 + 1, c as u16);
                // Numbers and dates as such, so that they sort and sum.
                let kind = sheet.kinds.get(c as usize).copied().unwrap_or(Kind::Text);
                if kind == Kind::Number
                    && let Ok(n) = text.trim().parse::<f64>()
                {
                    ws.write_number_with_format(r, c, n, &body)?;
                    continue;
                }
                if kind == Kind::Date
                    && let Some(d) = excel_date(text)
                {
                    ws.write_datetime_with_format(r, c, &d, &day)?;
                    continue;
                }
                ws.write_string_with_format(r, c, super::guard(text), &body)
                    .with_context(|| {
                        format!(
                            "sheet \"{}\", row {}: a cell is too long for Excel",
                            sheet.name,
                            r + 1
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

/// A `YYYY-MM-DD` cell as a workbook date.
fn excel_date(text: &str) -> Option<rust_xlsxwriter::ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    rust_xlsxwriter::ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&d)).ok()?,
        chrono::Datelike::month(&d) as u8,
        chrono::Datelike::day(&d) as u8,
    )
    .ok()
}

/// The most a zip-based workbook (.xlsx, .ods) may unpack to. An export of
/// 20,000 questions (benches/gen_check.py with owners and actions) is
/// 1.9 MB on disk and unpacks to 19.4 MiB, about 10 to 1; a workbook at the
/// 16 MiB read cap packed like that unpacks to about 170 MiB, within this.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// The most files a zip-based workbook may hold (an export holds 11).
pub const MAX_ENTRIES: usize = 10_000;

/// The register sheet of a workbook (by name, else the first sheet),
/// within the bounds of [`super::bounds`]: an .xlsx or .xlsb is read as a
/// stream of cells after its declared dimension is checked, an .ods is
/// scanned for repeats before calamine reads it.
pub fn read(bytes: Vec<u8>) -> Result<Grid> {
    check_unpacked_size(&bytes)?;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| anyhow!("not a spreadsheet calamine can read: {e}"))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == REGISTER)
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| anyhow!("the workbook has no sheets"))?;
    let sheet_error = |e: &dyn std::fmt::Display| anyhow!("sheet \"{name}\": {e}");
    let mut cells = Cells::default();
    match &mut book {
        calamine::Sheets::Xlsx(x) => {
            let mut r = x
                .worksheet_cells_reader(&name)
                .map_err(|e| sheet_error(&e))?;
            let d = r.dimensions();
            bounds::check_extent(&name, u64::from(d.end.0) + 1, u64::from(d.end.1) + 1)?;
            while let Some(c) = r.next_cell().map_err(|e| sheet_error(&e))? {
                let (row, col) = c.get_position();
                cells.add(
                    &name,
                    row,
                    col,
                    cell_text(&Data::from(c.get_value().clone())),
                )?;
            }
        }
        calamine::Sheets::Xlsb(x) => {
            let mut r = x
                .worksheet_cells_reader(&name)
                .map_err(|e| sheet_error(&e))?;
            let d = r.dimensions();
            bounds::check_extent(&name, u64::from(d.end.0) + 1, u64::from(d.end.1) + 1)?;
            while let Some(c) = r.next_cell().map_err(|e| sheet_error(&e))? {
                let (row, col) = c.get_position();
                cells.add(
                    &name,
                    row,
                    col,
                    cell_text(&Data::from(c.get_value().clone())),
                )?;
            }
        }
        other => {
            // An .ods was scanned for repeats with the unpacked size.
            let range = other.worksheet_range(&name).map_err(|e| sheet_error(&e))?;
            if let Some((row, col)) = range.end() {
                bounds::check_extent(&name, u64::from(row) + 1, u64::from(col) + 1)?;
            }
            for (row, col, d) in range.used_cells() {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.add(&name, r0 + row as u32, c0 + col as u32, cell_text(d))?;
            }
        }
    }
    cells.into_grid(name)
}

/// The filled cells of a sheet as read, each checked against the bounds.
#[derive(Debug, Default)]
struct Cells {
    cells: Vec<(u32, u32, String)>,
    tally: bounds::Tally,
}

impl Cells {
    fn add(&mut self, sheet: &str, row: u32, col: u32, text: String) -> Result<()> {
        bounds::check_extent(sheet, u64::from(row) + 1, u64::from(col) + 1)?;
        self.tally.add(sheet, 1, text.len() as u64)?;
        if !text.is_empty() {
            self.cells.push((row, col, text));
        }
        Ok(())
    }

    /// The cells as rows from the first used row and column.
    fn into_grid(mut self, sheet: String) -> Result<Grid> {
        let first_row = self.cells.iter().map(|c| c.0).min().unwrap_or(0);
        let first_col = self.cells.iter().map(|c| c.1).min().unwrap_or(0);
        let last_row = self.cells.iter().map(|c| c.0).max().unwrap_or(0);
        let last_col = self.cells.iter().map(|c| c.1).max().unwrap_or(0);
        // The rectangle the rows are made of, cells empty or not.
        let area = u64::from(last_row - first_row + 1) * u64::from(last_col - first_col + 1);
        bounds::Tally::default().add(&sheet, area, 0)?;
        let mut rows = if self.cells.is_empty() {
            Vec::new()
        } else {
            vec![
                vec![String::new(); (last_col - first_col + 1) as usize];
                (last_row - first_row + 1) as usize
            ]
        };
        for (r, c, text) in self.cells.drain(..) {
            rows[(r - first_row) as usize][(c - first_col) as usize] = text;
        }
        Ok(Grid {
            sheet,
            rows,
            first_row: first_row + 1,
            first_col: first_col + 1,
        })
    }
}

/// Refuses a zip-based workbook that holds more than [`MAX_ENTRIES`] files
/// or unpacks to more than [`MAX_UNPACKED_BYTES`], before calamine opens
/// it: a file under the 16 MiB read cap can inflate to gigabytes (a zip
/// bomb). Every file is inflated and counted, and the count stops one byte
/// past the budget: the sizes the archive declares are not trusted (the
/// zip crate also stops a file that inflates past its declared size, which
/// is reported as damage). A damaged file is found here too, with a clear
/// message. Anything that is not a zip (an .xls, or not a workbook at all)
/// is left to calamine.
fn check_unpacked_size(bytes: &[u8]) -> Result<()> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    let damaged = |e: &dyn std::fmt::Display| {
        anyhow!("the workbook is damaged or cut short, and cannot be unpacked: {e}")
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    if zip.len() > MAX_ENTRIES {
        bail!(
            "the workbook holds {} files; over {MAX_ENTRIES} is refused (a zip bomb, or not a sheet `supportcheck export` wrote)",
            zip.len()
        );
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| damaged(&e))?;
        let name = file.name().map(|n| n.to_string()).unwrap_or_default();
        let left = MAX_UNPACKED_BYTES - total;
        let mut limited = (&mut file).take(left + 1);
        let read = if name == "content.xml" {
            // An .ods: its repeats are counted as it is inflated.
            let mut counted = Counted {
                inner: &mut limited,
                count: 0,
            };
            let scan = bounds::check_ods(std::io::BufReader::new(&mut counted));
            std::io::copy(&mut counted, &mut std::io::sink())
                .map_err(|e| damaged(&format!("{name}: {e}")))?;
            // Past the budget, the size is what is wrong, not the cut XML.
            if counted.count <= left {
                scan?;
            }
            counted.count
        } else {
            std::io::copy(&mut limited, &mut std::io::sink())
                .map_err(|e| damaged(&format!("{name}: {e}")))?
        };
        total += read;
        if total > MAX_UNPACKED_BYTES {
            bail!(bounds::Refused::Unpacked {
                mib: MAX_UNPACKED_BYTES / (1024 * 1024)
            });
        }
    }
    Ok(())
}

/// A reader that counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// A cell as the text a person typed: dates as YYYY-MM-DD (a date cell of
/// Excel or an .ods file, at midnight), whole numbers without `.0`.
fn cell_text(d: &Data) -> String {
    match d {
        // The formula guard of `export` taken off, as the CSV reader does.
        Data::String(text) => super::unguard(text).to_string(),
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
