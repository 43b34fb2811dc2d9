//! What an imported sheet may hold. A workbook is an archive a client sent
//! back: a few bytes can declare a cell at `XFD1048576` or repeat one cell a
//! million times, and a reader that makes room for what is declared takes
//! gigabytes. The bounds are checked before the cells are read (the declared
//! dimension of an .xlsx, the repeats of an .ods), and again on every cell.

use super::column_letter;
use anyhow::{Result, bail};

/// The most rows a register sheet may have (the header included).
pub const MAX_ROWS: u32 = 100_000;
/// The most columns (A to BL); an export writes 13.
pub const MAX_COLUMNS: u32 = 64;
/// The most cells in the used area of a sheet, over all sheets read.
pub const MAX_CELLS: u64 = 2_000_000;
/// The most text in the cells, in bytes.
pub const MAX_TEXT: u64 = 64 * 1024 * 1024;
/// The most cell problems printed; the rest are counted.
pub const MAX_ERRORS_SHOWN: usize = 20;

/// A workbook refused for its size before or while its cells are read.
/// The binary prints [`Refused::hint`] under the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error(
        "sheet \"{sheet}\" reaches cell {corner}, past {last}; it is refused before its cells are read"
    )]
    Extent {
        sheet: String,
        corner: String,
        last: String,
    },
    #[error(
        "sheet \"{sheet}\" holds more than {MAX_CELLS} cells (counting repeated ones); it is refused"
    )]
    Cells { sheet: String },
    #[error("sheet \"{sheet}\" holds more than {} MiB of text (counting repeated cells); it is refused", MAX_TEXT >> 20)]
    Text { sheet: String },
    #[error(
        "the workbook would unpack to more than {mib} MiB, and is refused (a zip bomb, or not a sheet `supportcheck export` wrote)"
    )]
    Unpacked { mib: u64 },
}

impl Refused {
    /// What a register may hold, and what to do instead.
    pub fn hint(&self) -> &'static str {
        match self {
            Refused::Unpacked { .. } => {
                "an export of 20,000 questions unpacks to about 19 MiB; export the register again and fill that in"
            }
            _ => {
                "a register holds at most 100,000 rows and 64 columns (A to BL); export the register again and fill that in"
            }
        }
    }
}

/// The last cell a sheet may use, as a reference (`BL100000`).
fn last_cell() -> String {
    format!("{}{MAX_ROWS}", column_letter(MAX_COLUMNS - 1))
}

/// Refuses a sheet whose declared or used area ends past row `rows` or
/// column `columns` (1-based counts from A1).
pub fn check_extent(sheet: &str, rows: u64, columns: u64) -> Result<()> {
    if rows > u64::from(MAX_ROWS) || columns > u64::from(MAX_COLUMNS) {
        let corner = format!(
            "{}{rows}",
            column_letter(u32::try_from(columns.max(1) - 1).unwrap_or(u32::MAX))
        );
        bail!(Refused::Extent {
            sheet: sheet.to_string(),
            corner,
            last: last_cell(),
        });
    }
    Ok(())
}

/// Counts the cells and text a reader would hold, refusing more than
/// [`MAX_CELLS`] or [`MAX_TEXT`].
#[derive(Debug, Default)]
pub struct Tally {
    cells: u64,
    text: u64,
}

impl Tally {
    pub fn add(&mut self, sheet: &str, cells: u64, text: u64) -> Result<()> {
        self.cells = self.cells.saturating_add(cells);
        self.text = self.text.saturating_add(text);
        if self.cells > MAX_CELLS {
            bail!(Refused::Cells {
                sheet: sheet.to_string()
            });
        }
        if self.text > MAX_TEXT {
            bail!(Refused::Text {
                sheet: sheet.to_string()
            });
        }
        Ok(())
    }
}

/// Scans the `content.xml` of an .ods as a stream, as calamine will read
/// it, and refuses it when rows or cells repeated by
/// `table:number-rows-repeated`, `table:number-columns-repeated` or
/// `<text:s text:c=...>` would take it past the bounds. Only non-empty
/// cells count: the empty rows and columns an office suite repeats to the
/// end of the sheet cost nothing.
pub fn check_ods(content: impl std::io::BufRead) -> Result<()> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut tally = Tally::default();
    let mut table = Table::default();
    let mut row = Row::default();
    let mut cell: Option<Cell> = None;
    // Depth of elements inside the open cell.
    let mut depth = 0usize;
    loop {
        buf.clear();
        let event = xml
            .read_event_into(&mut buf)
            .map_err(|e| anyhow::anyhow!("the sheet's content.xml cannot be read: {e}"))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                if let Some(c) = cell.as_mut() {
                    inside_cell(c, name, &e, empty, &mut depth);
                    continue;
                }
                match name {
                    "table:table" => table = open_table(&e, empty, &mut tally)?,
                    "table:table-row" => {
                        row = Row {
                            repeat: number(&e, "table:number-rows-repeated"),
                            ..Row::default()
                        };
                        if empty {
                            table.end_row(&row, &mut tally)?;
                        }
                    }
                    "table:table-cell" | "table:covered-table-cell" => {
                        let c = open_cell(&e);
                        if empty {
                            row.end_cell(&c, &table, &mut tally)?;
                        } else {
                            cell = Some(c);
                            depth = 0;
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) => fill(&mut cell, t.len() as u64),
            Event::CData(t) => fill(&mut cell, t.len() as u64),
            Event::GeneralRef(_) => fill(&mut cell, 4),
            Event::End(e) => {
                if let Some(c) = cell.take() {
                    if depth > 0 {
                        depth -= 1;
                        cell = Some(c);
                    } else {
                        row.end_cell(&c, &table, &mut tally)?;
                    }
                    continue;
                }
                let name = e.name();
                let name: &str = name.as_ref();
                match name {
                    "table:table-row" => table.end_row(&row, &mut tally)?,
                    "table:table" => table.finish(&mut tally)?,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// An element inside the open cell `c`: it fills the cell, a `text:s` adds
/// its spaces, and a start element goes one level deeper.
fn inside_cell(
    c: &mut Cell,
    name: &str,
    e: &quick_xml::events::BytesStart<'_>,
    empty: bool,
    depth: &mut usize,
) {
    if name == "text:s" {
        c.text = c.text.saturating_add(number(e, "text:c"));
    }
    c.filled = true;
    if !empty {
        *depth += 1;
    }
}

/// A new table from its start element, finished at once when it is empty.
fn open_table(
    e: &quick_xml::events::BytesStart<'_>,
    empty: bool,
    tally: &mut Tally,
) -> Result<Table> {
    let mut table = Table {
        name: attr(e, "table:name"),
        ..Table::default()
    };
    if empty {
        table.finish(tally)?;
    }
    Ok(table)
}

/// A new cell from its start element: values, formulas and types in its
/// attributes fill it.
fn open_cell(e: &quick_xml::events::BytesStart<'_>) -> Cell {
    let mut c = Cell {
        repeat: number(e, "table:number-columns-repeated"),
        ..Cell::default()
    };
    for a in e.attributes().flatten() {
        let key: &str = a.key.as_ref();
        if key.starts_with("office:") || key == "table:formula" || key == "calcext:value-type" {
            c.filled = true;
            c.text = c.text.saturating_add(a.value.len() as u64);
        }
    }
    c
}

/// Text of `len` bytes: it fills the open cell, if there is one.
fn fill(cell: &mut Option<Cell>, len: u64) {
    if let Some(c) = cell.as_mut() {
        c.text = c.text.saturating_add(len);
        c.filled = true;
    }
}

/// A repeat count attribute (1 when absent or unreadable).
fn number(e: &quick_xml::events::BytesStart<'_>, key: &str) -> u64 {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .and_then(|a| a.value.trim().parse().ok())
        .unwrap_or(1)
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> String {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
        .unwrap_or_default()
}

#[derive(Debug, Default)]
struct Table {
    name: String,
    /// The row the next row element starts at (0-based, repeats counted).
    next_row: u64,
    /// The first and one past the last row with a filled cell.
    used_rows: Option<(u64, u64)>,
    /// One past the rightmost filled column.
    used_columns: u64,
}

impl Table {
    fn end_row(&mut self, row: &Row, tally: &mut Tally) -> Result<()> {
        let repeat = row.repeat.max(1);
        if row.filled_to > 0 {
            let end = self.next_row.saturating_add(repeat);
            let first = self.used_rows.map_or(self.next_row, |(f, _)| f);
            self.used_rows = Some((first, end));
            self.used_columns = self.used_columns.max(row.filled_to);
            check_extent(&self.name, end - first, self.used_columns)?;
            tally.add(&self.name, 0, row.text.saturating_mul(repeat))?;
        }
        self.next_row = self.next_row.saturating_add(repeat);
        Ok(())
    }

    fn finish(&mut self, tally: &mut Tally) -> Result<()> {
        if let Some((first, end)) = self.used_rows {
            tally.add(
                &self.name,
                (end - first).saturating_mul(self.used_columns),
                0,
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Default)]
struct Row {
    repeat: u64,
    /// The column the next cell element starts at.
    next_column: u64,
    /// One past the rightmost filled cell.
    filled_to: u64,
    /// The text of its filled cells, repeats counted.
    text: u64,
}

impl Row {
    fn end_cell(&mut self, cell: &Cell, table: &Table, tally: &mut Tally) -> Result<()> {
        let repeat = cell.repeat.max(1);
        let end = self.next_column.saturating_add(repeat);
        if cell.filled {
            self.filled_to = end;
            check_extent(&table.name, 1, end)?;
            self.text = self.text.saturating_add(cell.text.saturating_mul(repeat));
            tally.add(&table.name, 0, 0)?;
        }
        self.next_column = end;
        Ok(())
    }
}

#[derive(Debug, Default)]
struct Cell {
    repeat: u64,
    filled: bool,
    text: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &str) -> String {
        format!(
            "<office:spreadsheet><table:table table:name=\"S\">{rows}</table:table></office:spreadsheet>"
        )
    }

    const FILLED: &str =
        "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";

    #[test]
    fn empty_repeats_to_the_end_of_the_sheet_cost_nothing() {
        let xml = table(&format!(
            "<table:table-row>{FILLED}<table:table-cell table:number-columns-repeated=\"16383\"/></table:table-row><table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
        ));
        check_ods(xml.as_bytes()).unwrap();
    }

    #[test]
    fn filled_repeats_are_counted() {
        let wide = table(
            "<table:table-row><table:table-cell table:number-columns-repeated=\"65\" office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>",
        );
        assert!(check_ods(wide.as_bytes()).is_err());
        let tall = table(&format!(
            "<table:table-row table:number-rows-repeated=\"100001\">{FILLED}</table:table-row>"
        ));
        assert!(check_ods(tall.as_bytes()).is_err());
        let gap = table(&format!(
            "<table:table-row>{FILLED}</table:table-row><table:table-row table:number-rows-repeated=\"200000\"><table:table-cell/></table:table-row><table:table-row>{FILLED}</table:table-row>"
        ));
        assert!(check_ods(gap.as_bytes()).is_err());
        let fine = table(&format!(
            "<table:table-row table:number-rows-repeated=\"100\">{FILLED}{FILLED}</table:table-row>"
        ));
        check_ods(fine.as_bytes()).unwrap();
    }
}
