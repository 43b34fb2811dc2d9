//! `supportcheck export`: the question register and the improvement plan as
//! a spreadsheet (.xlsx with two sheets, or two .csv files).

use super::{Project, Ui, emit, now, show};
use crate::Exit;
use crate::cli::{ExportArgs, Global, SheetFormat};
use crate::evaluate::evaluate;
use crate::sheet;
use crate::store::read::MAX_FILE_BYTES;
use crate::store::write::check_target;
use crate::store::write_atomic;
use anyhow::Result;
use std::path::PathBuf;

pub fn run(g: &Global, ui: &Ui, args: &ExportArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    // Checks `--tz` and the report settings as `report` does; the sheets'
    // dates are days, the same in every zone.
    project.client_options(args.tz.as_deref(), false)?;
    let gate = project.gate();
    let eval = evaluate(project.load(ui, &gate)?, now());
    let sheets = sheet::export(&eval.report);
    let ext = match args.format {
        SheetFormat::Xlsx => "xlsx",
        SheetFormat::Csv => "csv",
    };
    if args.out.as_deref().is_some_and(super::is_stdout) {
        // `--out -`: the workbook, or the register as CSV, on standard output.
        match args.format {
            SheetFormat::Xlsx => super::emit_bytes(&sheet::xlsx::write(&sheets)?)?,
            SheetFormat::Csv => {
                emit(&String::from_utf8_lossy(&sheet::csv::write(&sheets[0])?))?;
                ui.hint("note: CSV on standard output holds the register only; `--out FILE` also writes the improvement plan beside it");
            }
        }
        return Ok(Exit::Ok);
    }
    let out = project.root.join(
        args.out
            .clone()
            .unwrap_or_else(|| PathBuf::from(format!("readiness/register.{ext}"))),
    );
    // Every file is made and checked before any is written: a register
    // that `import` could not read (over its 16 MiB), or a path that is not
    // a regular file, writes nothing.
    let files: Vec<(PathBuf, Vec<u8>)> = match args.format {
        SheetFormat::Xlsx => vec![(out, sheet::xlsx::write(&sheets)?)],
        SheetFormat::Csv => {
            // CSV holds one sheet: the register at the path, the plan beside it.
            let stem = out
                .file_stem()
                .map_or_else(|| "register".into(), |s| s.to_string_lossy().to_string());
            let plan = out.with_file_name(format!("{stem}-plan.csv"));
            vec![
                (out, sheet::csv::write(&sheets[0])?),
                (plan, sheet::csv::write(&sheets[1])?),
            ]
        }
    };
    let register = files[0].1.len() as u64;
    if register > MAX_FILE_BYTES {
        return Err(crate::error::hinted(
            crate::error::Kind::Output,
            format!(
                "the register would be {:.1} MiB, and `import` reads at most {} MiB; nothing was written",
                register as f64 / 1048576.0,
                MAX_FILE_BYTES / 1048576
            ),
            "export with --format xlsx (compressed), or shorten the longest notes",
        ));
    }
    for (path, _) in &files {
        check_target(path)?;
    }
    let mut written = Vec::new();
    for (path, bytes) in files {
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    let mut text = String::new();
    for p in &written {
        text.push_str(&format!("{}\n", show(p, &project.root)));
    }
    emit(&text)?;
    ui.hint(&format!(
        "{}, {} in the improvement plan; fill in Owner, Status, Note, Evidence, Action and Due (and tick criteria on their own rows), then `supportcheck import {}`",
        crate::words::count(eval.report.questions().count(), "question"),
        sheets[1].rows.len(),
        show(&written[0], &project.root)
    ));
    Ok(Exit::Ok)
}
