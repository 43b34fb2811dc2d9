//! `supportcheck lint`: validates playbooks and the answers file.

use super::{Project, Ui, emit};
use crate::Exit;
use crate::cli::{Global, LintArgs, LintFormat};
use crate::diagnostic::{Finding, Severity};
use crate::render::github;
use crate::score;
use crate::store::{Source, load_sources};
use anyhow::Result;
use std::collections::BTreeSet;

pub fn run(g: &Global, ui: &Ui, args: &LintArgs) -> Result<Exit> {
    let explicit = !args.paths.is_empty();
    // `lint PATH` needs no project: outside one it lints the files alone.
    let project = match Project::open(g) {
        Err(e) if explicit && crate::error::is_no_project(&e) => Project::open_here(g)?,
        other => other?,
    };
    let sources: Vec<Source> = if explicit {
        args.paths
            .iter()
            .map(|p| {
                // Found from a subfolder, the root is `..` or above: a path
                // typed here is made relative to it (`rota.md` typed in
                // `docs/` is the root's `docs/rota.md`).
                let text = p.to_string_lossy();
                match below_root(&project.root, p) {
                    Some(rel) if g.dir.is_none() && text != "builtin" => {
                        Source::parse(&rel.to_string_lossy())
                    }
                    _ => Source::parse(&text),
                }
            })
            .collect()
    } else {
        project.sources.clone()
    };
    let mut outcome = load_sources(&sources, &project.root);
    let mut findings = outcome.findings;
    findings.extend(crate::conditions::lint(
        &outcome.set,
        &project.config.facts,
        (&project.config_shown, &project.config_text),
    ));
    findings.extend(project.settle_levels(&mut outcome.set));
    let mut files = outcome.files;

    // Ownership: roles against `owners:` in the config.
    crate::team::assign_owners(&mut outcome.set, &project.config);
    let config_shown = g
        .config
        .as_ref()
        .map_or(crate::config::FILE_NAME.to_string(), |p| {
            p.display().to_string()
        });
    findings.extend(crate::team::lint(
        &outcome.set,
        &project.config,
        &config_shown,
    ));

    // The answers file, when linting the project as configured.
    if !explicit {
        let (answers, answer_findings, exists) =
            crate::store::read::read(&project.answers_path, &project.answers_shown)?;
        if !exists {
            project.no_answers_file()?;
        }
        if exists {
            files += 1;
            let read_ok = !answer_findings.iter().any(Finding::is_error);
            findings.extend(answer_findings);
            if read_ok && !outcome.set.playbooks.is_empty() {
                let missing = project.missing_evidence(&answers);
                let gate = project.gate();
                let scores = score::score(
                    &outcome.set,
                    &answers,
                    &score::Context {
                        today: super::now().date_naive(),
                        now: super::now(),
                        gate: &gate,
                        owners: &project.config.owners,
                        missing_evidence: &missing,
                        answers_path: &project.answers_shown,
                        facts: &project.config.facts,
                        probes: &crate::probe::NO_RESULTS,
                    },
                );
                findings.extend(scores.orphaned.into_iter().map(|(_, f)| f));
                findings.extend(answer_problems(&answers, &project.answers_shown, &missing));
            }
        }
        if project.signoffs_path.exists() {
            files += 1;
            if let Err(e) =
                crate::store::signoffs::read(&project.signoffs_path, &project.signoffs_shown)
            {
                findings.push(Finding::error(
                    crate::diagnostic::Code::Signoff,
                    crate::diagnostic::Location::file(&project.signoffs_shown),
                    e.to_string(),
                ));
            }
        }
    }

    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let text = match args.format {
        LintFormat::Text => findings
            .iter()
            .filter(|f| f.severity != Severity::Note || ui.verbose)
            .map(|f| format!("{f}\n"))
            .collect::<String>(),
        LintFormat::Json => crate::render::lint::json(files, &findings),
        LintFormat::Github => github::findings(&findings, args.deny_warnings),
    };
    if args.format == LintFormat::Github {
        super::emit_commands(&text)?;
    } else {
        emit(&text)?;
    }
    if args.format == LintFormat::Text {
        let notes = findings.len() - errors - warnings;
        let skipped = if notes > 0 && !ui.verbose {
            format!(
                ", {} skipped as not playbooks (-v lists them)",
                crate::render::count(notes, "file")
            )
        } else {
            String::new()
        };
        ui.hint(&format!(
            "{} checked: {}, {}{skipped}",
            crate::render::count(files, "file"),
            crate::render::count(errors, "error"),
            crate::render::count(warnings, "warning")
        ));
    }
    Ok(if outcome.unreadable {
        Exit::Failure
    } else if errors > 0 || (args.deny_warnings && warnings > 0) {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

/// Answer-level problems that need no scoring context: missing evidence
/// paths and not-applicable answers without a reason.
fn answer_problems(
    answers: &crate::answers::AnswersFile,
    shown: &str,
    missing: &BTreeSet<String>,
) -> Vec<Finding> {
    use crate::diagnostic::{Code, Location};
    let mut out = Vec::new();
    for (id, a) in &answers.answers {
        let loc = Location::at(shown, a.line, 3);
        for e in &a.evidence {
            if missing.contains(e) {
                out.push(Finding::warning(
                    Code::EvidenceMissing,
                    loc.clone(),
                    format!(
                        "{id}: evidence `{e}` is not a file or non-empty folder inside the project"
                    ),
                ));
            }
        }
        if a.status == Some(crate::answers::Status::NotApplicable)
            && a.note.as_deref().is_none_or(|n| n.trim().is_empty())
        {
            out.push(Finding::warning(
                Code::NaReason,
                loc,
                format!("{id}: not-applicable needs a note giving the reason"),
            ));
        }
    }
    out
}

/// `path` (relative to the current folder) relative to `root`, when the
/// root is a parent of the current folder; `None` when they are the same
/// folder or the path is not below the root.
fn below_root(root: &std::path::Path, path: &std::path::Path) -> Option<std::path::PathBuf> {
    if root == std::path::Path::new(".") || path.is_absolute() {
        return None;
    }
    let root = std::fs::canonicalize(root).ok()?;
    let here = std::fs::canonicalize(".").ok()?;
    Some(here.strip_prefix(&root).ok()?.join(path))
}
