//! `supportcheck import`: reads answers back from a register sheet a client
//! filled in, checks it like the answers file, merges it per question (with
//! the audit's merge for edits made on disk meanwhile) and writes the
//! answers file atomically under the audit's lock.

use super::{Project, Ui, emit, now, show};
use crate::Exit;
use crate::answers;
use crate::cli::{Global, ImportArgs};
use crate::sheet::{self, CellError};
use anyhow::{Result, bail};
use chrono::SubsecRound;
use std::collections::BTreeMap;

pub fn run(g: &Global, ui: &Ui, args: &ImportArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let path = project.root.join(&args.file);
    let shown = show(&path, &project.root);
    let bytes =
        crate::store::read::read_named(&path, "sheet", &shown, crate::store::read::MAX_FILE_BYTES)?;
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let name = path
        .file_name()
        .map_or_else(|| shown.clone(), |n| n.to_string_lossy().to_string());
    let grid = if is_csv {
        sheet::csv::read(&bytes, &name)?
    } else {
        sheet::xlsx::read(bytes).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?
    };
    let set = project.load_playbooks(ui)?;
    let _lock = project.lock_answers()?;
    // Under the lock: the answers as they are on disk now.
    let (file, text) = project.load_answers(ui)?;
    let order: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
    let eval = project.evaluate_set(ui, set.clone(), &project.gate())?;
    let report = &eval.report;
    let edits = sheet::read(&grid, report).or_else(|e| refuse(&shown, &e))?;
    let when = now().trunc_subsecs(0).fixed_offset();
    let (merged, merge) =
        sheet::merge(&file, &edits, report, args.by.as_deref(), when, &grid.sheet)
            .or_else(|e| refuse(&shown, &e))?;
    let errors = sheet::validate(&merged, &edits, &merge.changed, &grid.sheet);
    if !errors.is_empty() {
        refuse(&shown, &errors)?;
    }
    if merge.changed.is_empty() {
        emit(&format!(
            "Nothing to import: every row of {shown} matches {}.\n",
            project.answers_shown
        ))?;
        return Ok(Exit::Ok);
    }
    // Each answer changed, then each of its fields as before → after.
    let mut out = String::new();
    for (id, fields) in merge.changed.iter().zip(&merge.details) {
        out.push_str(&format!("{id}\n"));
        for (name, before, after) in fields {
            out.push_str(&format!("  {name}: {before} → {after}\n"));
        }
    }
    if args.dry_run {
        emit(&out)?;
        ui.hint(&format!(
            "dry run: {} would change in {}; nothing was written",
            crate::render::count(merge.changed.len(), "answer"),
            project.answers_shown
        ));
        return Ok(Exit::Ok);
    }
    // As the audit saves: a hand edit made on disk since the read is merged
    // in per question; a question changed on both sides stops the import.
    let changed: BTreeMap<String, answers::Answer> = merge
        .changed
        .iter()
        .map(|id| (id.clone(), merged.answers[id].clone()))
        .collect();
    let now_text = crate::store::read::answers_text(&project.answers_path, &project.answers_shown)?;
    let merged = if now_text == text {
        merged
    } else {
        let (disk, findings) =
            answers::parse(now_text.as_deref().unwrap_or(""), &project.answers_shown);
        if findings.iter().any(|f| f.is_error()) {
            bail!(
                "{} was changed while importing and now has an error; nothing was imported\nhelp: fix it and import again",
                project.answers_shown
            );
        }
        let m = answers::merge::merge(&file, &disk, &changed);
        if let Some(c) = m.conflicts.first() {
            bail!(
                "{} was changed in {} while importing; nothing was imported\nhelp: import again",
                c.id,
                project.answers_shown
            );
        }
        m.file
    };
    let keep_template = now_text
        .as_deref()
        .is_some_and(|t| t.contains(super::audit::TEMPLATE_MARK));
    let text = if keep_template {
        answers::to_template(&merged, &set)
    } else {
        answers::to_yaml(&merged, &order)
    };
    crate::store::answers::save(
        &project.answers_path,
        &text,
        &merged,
        &project.answers_shown,
    )?;
    emit(&out)?;
    ui.hint(&format!(
        "imported {} from {shown} into {} ({} unchanged)",
        crate::render::count(merge.changed.len(), "answer"),
        project.answers_shown,
        crate::render::count(merge.unchanged, "row")
    ));
    Ok(Exit::Ok)
}

/// Prints every cell problem and stops: nothing is imported (exit 2).
fn refuse<T>(shown: &str, errors: &[CellError]) -> Result<T> {
    let mut err = std::io::stderr().lock();
    for e in errors {
        let _ = std::io::Write::write_all(&mut err, format!("{shown}: {e}\n").as_bytes());
    }
    bail!(
        "{shown}: {}; nothing was imported\nhelp: fix the cells named above and import again",
        crate::render::count(errors.len(), "problem")
    )
}
