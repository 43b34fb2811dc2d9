//! `supportcheck import`: reads answers back from a register sheet a client
//! filled in, checks it like the answers file, merges it per question (with
//! the audit's merge for edits made on disk meanwhile) and writes the
//! answers file atomically under the audit's lock.

use super::{Project, Ui, emit, now, show};
use crate::Exit;
use crate::answers;
use crate::cli::{Global, ImportArgs};
use crate::error::{Kind, hinted};
use crate::evaluate::evaluate;
use crate::sheet::{self, CellError};
use anyhow::Result;
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
    } else if bytes.starts_with(b"PK") {
        // .xlsx, .xlsb, .ods: bounded before and while their cells are read.
        sheet::xlsx::read(bytes).map_err(|e| super::hints::restate(&e, format!("{shown}: {e}")))?
    } else {
        // An .xls is parsed whole, at whatever size its records declare:
        // in a child process under memory and CPU limits.
        read_limited(&bytes, &shown)?
    };
    let set = project.load_playbooks(ui)?;
    let _lock = project.lock_answers()?;
    // Under the lock: the answers as they are on disk now, read once; the
    // evaluation, the merge and the check before writing all use this read.
    let (file, text) = project.load_answers(ui)?;
    let order: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
    let gate = project.gate();
    let read = (file.clone(), text.clone());
    let eval = evaluate(project.load_read(ui, set.clone(), read, &gate)?, now());
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
            return Err(hinted(
                Kind::Input,
                format!(
                    "{} was changed while importing and now has an error; nothing was imported",
                    project.answers_shown
                ),
                "fix it and import again",
            ));
        }
        let m = answers::merge::merge(&file, &disk, &changed);
        if let Some(c) = m.conflicts.first() {
            return Err(hinted(
                Kind::Busy,
                format!(
                    "{} was changed in {} while importing; nothing was imported",
                    c.id, project.answers_shown
                ),
                "import again",
            ));
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

/// Address space the child reading an .xls may map.
const SHEET_MEMORY_BYTES: u64 = 512 * 1024 * 1024;
/// CPU seconds the child reading an .xls may use.
const SHEET_CPU_SECONDS: u64 = 10;

/// Reads a workbook in a child process of this binary (`__read-sheet`)
/// under [`SHEET_MEMORY_BYTES`] and [`SHEET_CPU_SECONDS`].
fn read_limited(bytes: &[u8], shown: &str) -> Result<sheet::Grid> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .arg("__read-sheet")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot start the sheet reader: {e}"))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output()?;
    // A child stopped early closes its stdin; that write error says nothing new.
    let _ = writer.join();
    if out.status.success() {
        return serde_json::from_slice(&out.stdout)
            .map_err(|e| anyhow::anyhow!("{shown}: the sheet reader gave no sheet: {e}"));
    }
    if out.status.code() == Some(Exit::Failure as i32) {
        return Err(child_error(shown, &out.stderr));
    }
    Err(hinted(
        Kind::Input,
        format!(
            "{shown}: reading the workbook took more than {} MiB or {SHEET_CPU_SECONDS} s, and it is refused (cells declared far apart, or a damaged file)",
            SHEET_MEMORY_BYTES >> 20
        ),
        "export the register again and fill that in",
    ))
}

/// The child of [`read_limited`]: sets the limits, reads the workbook on
/// stdin, writes its register sheet as JSON.
pub fn child() -> Result<Exit> {
    use std::io::{Read as _, Write as _};
    #[cfg(unix)]
    {
        use rlimit::Resource;
        // Never above a limit the caller already set: that would fail.
        let (_, cpu_hard) = Resource::CPU.get()?;
        Resource::CPU.set(
            SHEET_CPU_SECONDS.min(cpu_hard),
            (SHEET_CPU_SECONDS + 1).min(cpu_hard),
        )?;
        let (_, as_hard) = Resource::AS.get()?;
        Resource::AS.set(
            SHEET_MEMORY_BYTES.min(as_hard),
            SHEET_MEMORY_BYTES.min(as_hard),
        )?;
    }
    let mut input = Vec::new();
    std::io::stdin()
        .take(crate::store::read::MAX_FILE_BYTES + 1)
        .read_to_end(&mut input)?;
    match sheet::xlsx::read(input) {
        Ok(grid) => {
            std::io::stdout().write_all(&serde_json::to_vec(&grid)?)?;
            Ok(Exit::Ok)
        }
        Err(e) => {
            let failed = ChildError {
                message: e.to_string(),
                help: super::hints::hints(&e),
            };
            eprintln!("{}", serde_json::to_string(&failed)?);
            Ok(Exit::Failure)
        }
    }
}

/// How the sheet reader says why it refused a workbook: its message and
/// hints, for the parent to print as its own error.
#[derive(serde::Serialize, serde::Deserialize)]
struct ChildError {
    message: String,
    help: Vec<String>,
}

/// The error the sheet reader reported on `stderr`, with its hints.
fn child_error(shown: &str, stderr: &[u8]) -> anyhow::Error {
    let text = String::from_utf8_lossy(stderr);
    match serde_json::from_str::<ChildError>(text.trim_end()) {
        Ok(e) if !e.help.is_empty() => hinted(
            Kind::Input,
            format!("{shown}: {}", e.message),
            e.help.join("\n"),
        ),
        Ok(e) => anyhow::anyhow!("{shown}: {}", e.message),
        Err(_) => anyhow::anyhow!("{shown}: {}", text.trim_end()),
    }
}

/// Prints the cell problems, a screenful at most and then how many more,
/// and stops: nothing is imported (exit 2).
fn refuse<T>(shown: &str, errors: &[CellError]) -> Result<T> {
    let mut text = String::new();
    for e in errors.iter().take(sheet::bounds::MAX_ERRORS_SHOWN) {
        text.push_str(&format!("{shown}: {e}\n"));
    }
    if errors.len() > sheet::bounds::MAX_ERRORS_SHOWN {
        text.push_str(&format!(
            "{shown}: and {} more\n",
            errors.len() - sheet::bounds::MAX_ERRORS_SHOWN
        ));
    }
    super::print_stderr(&text);
    Err(hinted(
        Kind::Input,
        format!(
            "{shown}: {}; nothing was imported",
            crate::render::count(errors.len(), "problem")
        ),
        "fix the cells named above and import again",
    ))
}
