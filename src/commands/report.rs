//! `supportcheck report`: writes the next versioned readiness report.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{Global, ReportArgs};
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
        anyhow::bail!(
            "the reports folder {} is a file\nhelp: pass another folder with --out, or set `reports:` in supportcheck.yaml",
            show(&dir, &project.root)
        );
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
    let browser = if args.format.iter().any(|f| f == "pdf") {
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
    let mut report = project.evaluate(ui, &project.gate())?.report;
    report.assessor = assessor_notes(&project, &report)?;
    let report = &mut report;
    report.trend = history::trend(&dir);
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
        let built_in: Vec<&str> = args
            .format
            .iter()
            .map(String::as_str)
            .filter(|f| *f != "json")
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
    Ok(Exit::Ok)
}

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
    formats: &[String],
    view: &View,
    pdf: Option<Vec<u8>>,
    stager: &mut history::Stager<'_>,
) -> Result<()> {
    let n = stager.version();
    let mut seen = std::collections::BTreeSet::new();
    // `--format md,md` names one file once.
    for format in formats.iter().filter(|f| seen.insert(f.as_str())) {
        match format.as_str() {
            "md" => stager.add(format!("readiness-v{n}.md"), |w| {
                Ok(markdown::report_to(report, w)?)
            })?,
            "html" => stager.add(format!("readiness-v{n}.html"), |w| {
                crate::render::html::render_to(view, w)
            })?,
            "pdf" => {
                let bytes = pdf.clone().unwrap_or_default();
                stager.add_binary(format!("readiness-v{n}.pdf"), &bytes)?
            }
            "docx" => {
                let bytes = crate::render::docx::render(report, view)?;
                stager.add_binary(format!("readiness-v{n}.docx"), &bytes)?
            }
            _ => {}
        }
    }
    Ok(())
}
