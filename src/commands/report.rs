//! `supportcheck report`: writes the next versioned readiness report.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{Global, ReportArgs};
use crate::render::client::Options;
use crate::render::{markdown, template};
use crate::report::Report;
use crate::store::reports as history;
use anyhow::{Context, Result};
use std::path::PathBuf;
use std::time::Duration;

/// How long the browser may take to print a PDF, unless
/// `SUPPORTCHECK_BROWSER_TIMEOUT` (seconds) says otherwise.
const PDF_TIMEOUT: Duration = Duration::from_secs(180);

pub fn run(g: &Global, ui: &Ui, args: &ReportArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let dir = project.reports_dir_or(args.out.as_ref());
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "the reports folder {} is a file\nhelp: pass another folder with --out, or set `reports:` in supportcheck.yaml",
            show(&dir, &project.root)
        );
    }
    // Read the template, the logo and find the browser first: a bad path
    // should fail before a version is taken.
    let user_template = match &args.template {
        Some(path) => {
            let full = project.root.join(path);
            let text = crate::store::read::read_text(&full)
                .with_context(|| format!("cannot read the template {}", path.display()))?;
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
    let mut eval = project.evaluate(ui, &project.gate())?;
    let report = &mut eval.report;
    report.trend = history::trend(&dir);
    let job = Job {
        formats: &args.format,
        user_template: user_template.as_ref(),
        options: &options,
        browser: browser.as_ref(),
        timeout,
    };
    if browser.is_some() {
        ui.hint("printing the PDF with headless Chromium…");
    }
    let (n, json_path, outputs) = history::write_next(&dir, report, |r| render_all(r, &job))?;
    let mut written = vec![json_path];
    for (name, bytes) in outputs {
        written.push(history::write_companion(&dir, &name, &bytes)?);
    }
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

/// What to render besides the JSON.
struct Job<'a> {
    formats: &'a [String],
    user_template: Option<&'a (String, String)>,
    options: &'a Options,
    browser: Option<&'a PathBuf>,
    timeout: Duration,
}

/// The Markdown, HTML, PDF and template outputs of a report, with their
/// file names. The PDF prints the user's template when it makes HTML, else
/// the built-in HTML report.
fn render_all(report: &Report, job: &Job<'_>) -> Result<Vec<(String, Vec<u8>)>> {
    let n = report.report_version.unwrap_or(0);
    let mut out = Vec::new();
    let view = crate::render::client::view(report, job.options);
    let mut printable = None;
    if let Some((name, text)) = job.user_template {
        let rendered = super::sandbox::render_template(text, name, report, &view)?;
        let stem = name.split('.').next().unwrap_or("template");
        let ext = template::output_extension(name);
        if ext == "html" || ext == "htm" {
            printable = Some(rendered.clone());
        }
        out.push((
            format!("readiness-v{n}-{stem}.{ext}"),
            rendered.into_bytes(),
        ));
    }
    let builtin_html = || template::builtin_html(report, &view);
    for format in job.formats {
        match format.as_str() {
            "md" => out.push((
                format!("readiness-v{n}.md"),
                markdown::report(report).into_bytes(),
            )),
            "html" => out.push((format!("readiness-v{n}.html"), builtin_html()?.into_bytes())),
            "pdf" => {
                let page = match &printable {
                    Some(page) => page.clone(),
                    None => builtin_html()?,
                };
                let browser = job.browser.context("no browser to print the PDF with")?;
                let pdf = crate::store::pdf::print(browser, &page, job.timeout)?;
                out.push((format!("readiness-v{n}.pdf"), pdf));
            }
            _ => {}
        }
    }
    Ok(out)
}
