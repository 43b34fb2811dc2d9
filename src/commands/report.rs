//! `supportcheck report`: writes the next versioned readiness report.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{Global, ReportArgs};
use crate::render::{html, markdown, template};
use crate::store::reports as history;
use anyhow::Result;

pub fn run(g: &Global, ui: &Ui, args: &ReportArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let dir = project.reports_dir_or(args.out.as_ref());
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "the reports folder {} is a file\nhelp: pass another folder with --out, or set `reports:` in supportcheck.yaml",
            show(&dir, &project.root)
        );
    }
    // Read the template first: a bad path should fail before a version is taken.
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
    // Only the report is needed from here: the playbooks, answers and
    // scores it was made from are dropped before the outputs are rendered.
    let mut report = project.evaluate(ui, &project.gate())?.report;
    let report = &mut report;
    report.trend = history::trend(&dir);
    let formats = &args.format;
    let (n, written) = history::write_next(
        &dir,
        report,
        |r| render_template(r, user_template.as_ref()),
        |r, stager| write_formats(r, formats, stager),
    )?;
    let mut out = String::new();
    for p in &written {
        out.push_str(&format!("{}\n", show(p, &project.root)));
    }
    emit(&out)?;
    ui.hint(&format!(
        "report v{n}: level {}, score {}",
        report.summary.level,
        crate::render::pct(report.summary.score)
    ));
    Ok(Exit::Ok)
}

/// The user template's output and its file name, rendered in the sandbox.
fn render_template(
    report: &crate::report::Report,
    user_template: Option<&(String, String)>,
) -> Result<Vec<(String, String)>> {
    let Some((name, text)) = user_template else {
        return Ok(Vec::new());
    };
    let n = report.report_version.unwrap_or(0);
    let rendered = super::sandbox::render_template(text, name, report)?;
    let stem = name.split('.').next().unwrap_or("template");
    let ext = template::output_extension(name);
    Ok(vec![(format!("readiness-v{n}-{stem}.{ext}"), rendered)])
}

/// Writes the Markdown and HTML files of the version, one at a time.
fn write_formats(
    report: &crate::report::Report,
    formats: &[String],
    stager: &mut history::Stager<'_>,
) -> Result<()> {
    let n = stager.version();
    let mut seen = std::collections::BTreeSet::new();
    // `--format md,md` names one file once.
    for format in formats.iter().filter(|f| seen.insert(f.as_str())) {
        match format.as_str() {
            "md" => stager.add(format!("readiness-v{n}.md"), |w| {
                Ok(w.write_all(markdown::report(report).as_bytes())?)
            })?,
            "html" => stager.add(format!("readiness-v{n}.html"), |w| {
                html::render_to(report, w)
            })?,
            _ => {}
        }
    }
    Ok(())
}
