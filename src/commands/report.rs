//! `supportcheck report`: writes the next versioned readiness report.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{Global, ReportArgs};
use crate::render::{html, markdown, template};
use crate::report::history;
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
            let text = super::read_text(&full, "template", &show(&full, &project.root))?;
            let name = full
                .file_name()
                .map_or_else(|| "template".into(), |n| n.to_string_lossy().to_string());
            Some((name, text))
        }
        None => None,
    };
    let mut eval = project.evaluate(ui, &project.gate())?;
    let report = &mut eval.report;
    report.trend = history::trend(&dir);
    let (n, written) = history::write_next(&dir, report, |r| {
        render_all(r, &args.format, user_template.as_ref())
    })?;
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

/// The Markdown, HTML and template outputs of a report, with their file names.
fn render_all(
    report: &crate::report::Report,
    formats: &[String],
    user_template: Option<&(String, String)>,
) -> Result<Vec<(String, String)>> {
    let n = report.report_version.unwrap_or(0);
    let safe =
        |text: String| crate::safe_text::printable(&text, crate::safe_text::PLAIN).into_owned();
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    // `--format md,md` names one file once.
    for format in formats.iter().filter(|f| seen.insert(f.as_str())) {
        match format.as_str() {
            "md" => out.push((format!("readiness-v{n}.md"), safe(markdown::report(report)))),
            "html" => out.push((format!("readiness-v{n}.html"), safe(html::render(report)?))),
            _ => {}
        }
    }
    if let Some((name, text)) = user_template {
        let rendered = super::sandbox::render_template(text, name, report)?;
        let stem = name.split('.').next().unwrap_or("template");
        let ext = template::output_extension(name);
        out.push((format!("readiness-v{n}-{stem}.{ext}"), safe(rendered)));
    }
    Ok(out)
}
