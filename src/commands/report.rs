//! `supportcheck report`: writes the next versioned readiness report.

use super::{Project, Ui, emit, now, show};
use crate::Exit;
use crate::cli::{Global, ReportArgs, ReportFormat};
use crate::evaluate::evaluate;
use crate::render::client::{self, View};
use crate::render::{markdown, template};
use crate::report::Report;
use crate::store::reports as history;
use anyhow::Result;
use std::cell::RefCell;
use std::time::Duration;

/// How long the browser may take to print a PDF (20,000 questions, about
/// 4,000 pages, took 90-120 s on two busy cores), unless
/// `SUPPORTCHECK_BROWSER_TIMEOUT` (seconds) says otherwise.
const PDF_TIMEOUT: Duration = Duration::from_secs(600);

pub fn run(g: &Global, ui: &Ui, args: &ReportArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let dir = project.reports_dir_or(args.out.as_ref());
    if dir.exists() && !dir.is_dir() {
        return Err(crate::error::hinted(
            crate::error::Kind::Output,
            format!("the reports folder {} is a file", show(&dir, &project.root)),
            "pass another folder with --out, or set `reports:` in supportcheck.yaml",
        ));
    }
    // Read the template and the logo, and find the browser, first: a bad
    // path should fail before a version is taken.
    let user_template = match &args.template {
        Some(path) => {
            let full = project.root.join(path);
            let text =
                crate::store::read::read_text(&full, "template", &show(&full, &project.root))?;
            let name = full
                .file_name()
                .map_or_else(|| "template".into(), |n| n.to_string_lossy().to_string());
            Some((name, text))
        }
        None => None,
    };
    let options = project.client_options(args.tz.as_deref(), args.show_ids)?;
    if let Some(file) = &args.bundle {
        crate::store::write::check_target(&project.root.join(file))?;
    }
    let output_format = match &args.output {
        Some(file) => Some(output_format(file, user_template.is_some())?),
        None => None,
    };
    let wants_pdf = match &output_format {
        Some(f) => *f == Output::Format(ReportFormat::Pdf),
        None => args.format.contains(&ReportFormat::Pdf),
    };
    let browser = if wants_pdf {
        Some(crate::store::pdf::find_browser(
            std::env::var_os("SUPPORTCHECK_BROWSER"),
            std::env::var_os("PATH"),
        )?)
    } else {
        None
    };
    let timeout = std::env::var("SUPPORTCHECK_BROWSER_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map_or(PDF_TIMEOUT, Duration::from_secs);
    // Only the report is needed from here: the playbooks, answers and
    // scores it was made from are dropped before the outputs are rendered.
    // The trend first: it may read the newest JSON, which is then dropped
    // before the evaluation builds its model.
    let (trend, left_out) = history::trend(&dir);
    if !left_out.is_empty() {
        let versions: Vec<String> = left_out.iter().map(|n| format!("v{n}")).collect();
        ui.hint(&format!(
            "warning: {} left out of the trend: its index line does not match its JSON report, or the JSON was edited; `supportcheck history --verify` says what",
            versions.join(", ")
        ));
    }
    let gate = project.gate();
    let mut report = evaluate(project.load(ui, &gate)?, now()).report;
    report.assessor = assessor_notes(&project, &report)?;
    let report = &mut report;
    report.trend = trend;
    if args.preview || args.output.is_some() {
        let draft = Draft {
            options: &options,
            template: user_template.as_ref(),
            browser: browser.as_deref(),
            timeout,
        };
        let exit = preview(&project, ui, report, &dir, args, output_format, &draft)?;
        if let Some(file) = &args.bundle {
            let of = Of::Preview(report);
            write_bundle(&project, ui, &dir, file, of, &args.format, &options)?;
        }
        return Ok(exit);
    }
    if !args.force
        && let Some(n) = unchanged(&dir, report)
    {
        if let Some(file) = &args.bundle {
            ui.hint(&format!(
                "no change since report v{n}: no version taken; the bundle holds v{n}"
            ));
            write_bundle(
                &project,
                ui,
                &dir,
                file,
                Of::Version(n),
                &args.format,
                &options,
            )?;
            return Ok(Exit::Ok);
        }
        ui.hint(&format!(
            "no change since report v{n}: no version taken\n{}",
            crate::error::help_lines(
                "`supportcheck report --preview` renders without taking a version; `supportcheck report --force` takes one anyway"
            )
        ));
        return Ok(Exit::Ok);
    }
    let formats = &args.format;
    if browser.is_some() {
        ui.hint("printing the PDF with headless Chromium…");
    }
    // The PDF is printed with the other renders, before the folder is
    // locked; the staging step only writes its bytes.
    let pdf: RefCell<Option<Vec<u8>>> = RefCell::new(None);
    // The client view is made once per attempt, after the version number is
    // known. It is cheap: its long lists (the plan, the rows) are made from
    // the report as they are read.
    let view: RefCell<Option<View>> = RefCell::new(None);
    let (n, written) = history::write_next(
        &dir,
        report,
        |r| {
            let made = client::view(r, &options);
            let outputs = render_template(r, &made, user_template.as_ref())?;
            if let Some(browser) = &browser {
                // The PDF prints the user's HTML template when there is one.
                let page = match outputs.iter().find(|(name, _)| name.ends_with(".html")) {
                    Some((_, page)) => page.clone(),
                    None => template::builtin_html(&made)?,
                };
                *pdf.borrow_mut() = Some(crate::store::pdf::print(browser, &page, timeout)?);
            }
            *view.borrow_mut() = Some(made);
            Ok(outputs)
        },
        |r, stager| {
            let view = view.borrow();
            let view = view
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("the client view was not made"))?;
            write_formats(r, formats, view, pdf.take(), stager)
        },
    )?;
    let mut out = String::new();
    for p in &written {
        out.push_str(&format!("{}\n", show(p, &project.root)));
    }
    emit(&out)?;
    if let Some((name, _)) = &user_template {
        let built_in: Vec<String> = args
            .format
            .iter()
            .filter(|f| **f != ReportFormat::Json)
            .map(|f| f.as_str().to_string())
            .collect();
        ui.hint(&format!(
            "note: with --template {name}, also written: json (always: it is the record){}",
            if built_in.is_empty() {
                String::new()
            } else {
                format!(", {} (from --format)", built_in.join(", "))
            }
        ));
    }
    ui.hint(&format!(
        "report v{n}: level {}, score {}",
        report.summary.level,
        crate::render::pct(report.summary.score)
    ));
    if let Some(file) = &args.bundle {
        write_bundle(&project, ui, &dir, file, Of::Version(n), formats, &options)?;
    }
    Ok(Exit::Ok)
}

/// What a client bundle holds the report of: a version in the reports
/// folder (read back from its JSON, the record), or the preview.
enum Of<'a> {
    Version(u64),
    Preview(&'a Report),
}

/// Writes the client bundle `file`: the HTML report with its local
/// evidence linked into `evidence/`, the version's (or the preview's) PDF
/// and Word files that `formats` asks for, as they were written, and the
/// evidence files, as one zip, atomically.
fn write_bundle(
    project: &Project,
    ui: &Ui,
    dir: &std::path::Path,
    file: &std::path::Path,
    of: Of<'_>,
    formats: &[ReportFormat],
    options: &client::Options,
) -> Result<()> {
    let stored;
    let (report, stem, folder) = match of {
        Of::Version(n) => {
            stored = history::read(&dir.join(format!("readiness-v{n}.json")))?.0;
            (&stored, format!("readiness-v{n}"), dir.to_path_buf())
        }
        Of::Preview(r) => (r, "readiness-preview".to_string(), dir.join(PREVIEW_DIR)),
    };
    let mut budget = crate::store::bundle::Budget::from_env();
    let cited = crate::bundle::local_evidence(report);
    let evidence = crate::store::bundle::collect(&project.root, &cited, &mut budget)?;
    let options = client::Options {
        attached: std::sync::Arc::new(evidence.links),
        ..options.clone()
    };
    let mut html = Vec::new();
    crate::render::html::render_to(&client::view(report, &options), &mut html)?;
    budget.take(html.len() as u64, "the HTML report")?;
    let mut entries = vec![(format!("{stem}.html"), html)];
    let mut seen = std::collections::BTreeSet::new();
    for format in formats.iter().filter(|f| seen.insert(**f)) {
        if !matches!(format, ReportFormat::Pdf | ReportFormat::Docx) {
            continue;
        }
        let name = format!("{stem}.{}", format.as_str());
        let path = folder.join(&name);
        if !path.exists() {
            ui.hint(&format!(
                "warning: {} is not in the bundle: there is no {name}\nhelp: `supportcheck report --force --format html,{}` takes a version with one",
                format.as_str().to_uppercase(),
                format.as_str()
            ));
            continue;
        }
        let shown = show(&path, &project.root);
        let bytes = crate::store::read::read_named(&path, "report", &shown, budget.limit)?;
        budget.take(bytes.len() as u64, &shown)?;
        entries.push((name, bytes));
    }
    let names: Vec<String> = entries.iter().map(|(name, _)| name.clone()).collect();
    let carried = crate::words::count(evidence.files.len(), "evidence file");
    entries.extend(evidence.files);
    let date = chrono::DateTime::parse_from_rfc3339(&report.generated_at)
        .ok()
        .map(|d| d.naive_utc());
    let bytes = crate::bundle::zip(&entries, date)?;
    let path = project.root.join(file);
    crate::store::write_atomic(&path, &bytes)?;
    for line in &evidence.left_out {
        ui.hint(&format!("warning: left out of the bundle: {line}"));
    }
    emit(&format!("{}\n", show(&path, &project.root)))?;
    ui.hint(&format!("bundle: {} and {carried}", names.join(", ")));
    Ok(())
}

/// The last committed version, when the report says the same as it.
fn unchanged(dir: &std::path::Path, report: &Report) -> Option<u64> {
    let (n, path) = history::versions(dir).ok()?.pop()?;
    let (last, _) = history::read(&path).ok()?;
    crate::report::same_content(&last, report).then_some(n)
}

/// One output of a preview: a built-in format, or the user's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Output {
    Format(ReportFormat),
    Template,
}

/// The output `-o FILE` writes, from its ending (the template's with
/// `--template`, whose output it is).
fn output_format(file: &std::path::Path, template: bool) -> Result<Output> {
    if template {
        return Ok(Output::Template);
    }
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    Ok(Output::Format(match ext.as_str() {
        "md" | "markdown" => ReportFormat::Md,
        "html" | "htm" => ReportFormat::Html,
        "pdf" => ReportFormat::Pdf,
        "json" => ReportFormat::Json,
        "docx" => ReportFormat::Docx,
        _ => {
            return Err(super::with_help(
                format!(
                    "-o {}: cannot tell the format from the file's ending",
                    file.display()
                ),
                "end the name in .md, .html, .pdf, .docx or .json",
            ));
        }
    }))
}

/// What a preview renders with.
struct Draft<'a> {
    options: &'a client::Options,
    template: Option<&'a (String, String)>,
    browser: Option<&'a std::path::Path>,
    timeout: Duration,
}

/// `report --preview` and `report -o FILE`: the outputs rendered from the
/// report as it is now, without a version number, written over the files of
/// the last preview. The reports folder's history is not touched.
fn preview(
    project: &Project,
    ui: &Ui,
    report: &mut Report,
    dir: &std::path::Path,
    args: &ReportArgs,
    only: Option<Output>,
    draft: &Draft<'_>,
) -> Result<Exit> {
    report.report_version = None;
    report.previous = None;
    let view = client::view(report, draft.options);
    let wanted: Vec<Output> = match only {
        Some(f) => vec![f],
        None => {
            let mut seen = std::collections::BTreeSet::new();
            let mut list: Vec<Output> = args
                .format
                .iter()
                .map(|f| Output::Format(*f))
                .filter(|f| seen.insert(*f))
                .collect();
            if draft.template.is_some() {
                list.push(Output::Template);
            }
            list
        }
    };
    let template_out = match draft.template {
        Some((name, text))
            if wanted.contains(&Output::Template)
                || wanted.contains(&Output::Format(ReportFormat::Pdf)) =>
        {
            let rendered = super::sandbox::render_template(text, name, report, &view)?;
            let stem = name.split('.').next().unwrap_or("template").to_string();
            Some((stem, template::output_extension(name), rendered))
        }
        _ => None,
    };
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    for output in wanted {
        let format = match output {
            Output::Format(format) => format,
            Output::Template => {
                if let Some((stem, ext, text)) = &template_out {
                    outputs.push((
                        format!("readiness-preview-{stem}.{ext}"),
                        text.clone().into_bytes(),
                    ));
                }
                continue;
            }
        };
        let bytes = match format {
            ReportFormat::Md => {
                let mut buf = Vec::new();
                markdown::report_to(report, &mut buf)?;
                buf
            }
            ReportFormat::Html => {
                let mut buf = Vec::new();
                crate::render::html::render_to(&view, &mut buf)?;
                buf
            }
            ReportFormat::Json => {
                let mut buf = Vec::new();
                crate::report::chain::write_json(report, &mut buf)?;
                buf
            }
            ReportFormat::Docx => crate::render::docx::render(report, &view)?,
            ReportFormat::Pdf => {
                let Some(browser) = draft.browser else {
                    continue;
                };
                ui.hint("printing the PDF with headless Chromium…");
                // The PDF prints the user's HTML template when there is one.
                let page = match &template_out {
                    Some((_, ext, page)) if ext == "html" => page.clone(),
                    _ => template::builtin_html(&view)?,
                };
                crate::store::pdf::print(browser, &page, draft.timeout)?
            }
        };
        outputs.push((format!("readiness-preview.{}", format.as_str()), bytes));
    }
    let mut written = Vec::new();
    match &args.output {
        Some(file) => {
            let path = project.root.join(file);
            let Some((_, bytes)) = outputs.into_iter().next() else {
                anyhow::bail!("-o {}: nothing to write", file.display());
            };
            crate::store::write_atomic(&path, &bytes)?;
            written.push(path);
        }
        None => {
            let folder = dir.join(PREVIEW_DIR);
            for (name, bytes) in outputs {
                let path = folder.join(name);
                crate::store::write_atomic(&path, &bytes)?;
                written.push(path);
            }
        }
    }
    let mut out = String::new();
    for p in &written {
        out.push_str(&format!("{}\n", show(p, &project.root)));
    }
    emit(&out)?;
    ui.hint(&format!(
        "preview: level {}, score {}; no version taken (`supportcheck report` takes one)",
        report.summary.level,
        crate::render::pct(report.summary.score)
    ));
    Ok(Exit::Ok)
}

/// The folder below the reports folder that `report --preview` writes to.
pub const PREVIEW_DIR: &str = "preview";

/// The assessor's summary: `report.summary` in the config (which must
/// exist), else `summary.md` beside the answers file when there is one.
fn assessor_notes(
    project: &Project,
    report: &Report,
) -> Result<Option<crate::report::assessor::AssessorNotes>> {
    let (path, required) = match &project.config.report.summary {
        Some(rel) => (project.root.join(rel), true),
        None => (
            project
                .answers_path
                .parent()
                .map_or_else(|| project.root.join("summary.md"), |d| d.join("summary.md")),
            false,
        ),
    };
    if !required && !path.exists() {
        return Ok(None);
    }
    let shown = show(&path, &project.root);
    let text = crate::store::read::read_text(&path, "assessor's summary", &shown)?;
    let sections: Vec<(String, Vec<String>)> = report
        .sections
        .iter()
        .map(|s| {
            let mut names = vec![client::humanize(&s.id)];
            names.extend(s.title.clone());
            names.extend(project.config.report.sections.get(&s.id).cloned());
            (s.id.clone(), names)
        })
        .collect();
    Ok(Some(crate::report::assessor::split(
        &shown.replace('\\', "/"),
        &text,
        &sections,
    )))
}

/// The user template's output and its file name, rendered in the sandbox
/// against the report and its client view.
fn render_template(
    report: &Report,
    view: &View,
    user_template: Option<&(String, String)>,
) -> Result<Vec<(String, String)>> {
    let Some((name, text)) = user_template else {
        return Ok(Vec::new());
    };
    let n = report.report_version.unwrap_or(0);
    let rendered = super::sandbox::render_template(text, name, report, view)?;
    let stem = name.split('.').next().unwrap_or("template");
    let ext = template::output_extension(name);
    Ok(vec![(format!("readiness-v{n}-{stem}.{ext}"), rendered)])
}

/// Writes the Markdown, HTML, PDF and Word files of the version, one at a time.
fn write_formats(
    report: &Report,
    formats: &[ReportFormat],
    view: &View,
    pdf: Option<Vec<u8>>,
    stager: &mut history::Stager<'_>,
) -> Result<()> {
    let n = stager.version();
    let mut seen = std::collections::BTreeSet::new();
    // `--format md,md` names one file once.
    for format in formats.iter().filter(|f| seen.insert(**f)) {
        match format {
            ReportFormat::Md => stager.add(format!("readiness-v{n}.md"), |w| {
                Ok(markdown::report_to(report, w)?)
            })?,
            ReportFormat::Html => stager.add(format!("readiness-v{n}.html"), |w| {
                crate::render::html::render_to(view, w)
            })?,
            ReportFormat::Pdf => {
                let bytes = pdf.clone().unwrap_or_default();
                stager.add_binary(format!("readiness-v{n}.pdf"), &bytes)?
            }
            // The JSON is the record: the stager writes it for every version.
            ReportFormat::Json => {}
            ReportFormat::Docx => {
                let bytes = crate::render::docx::render(report, view)?;
                stager.add_binary(format!("readiness-v{n}.docx"), &bytes)?
            }
        }
    }
    Ok(())
}
