//! `supportcheck lint`: validates playbooks and the answers file.

use super::{Project, Ui, emit};
use crate::Exit;
use crate::cli::{Global, LintArgs, LintFormat};
use crate::diagnostic::{Finding, Severity};
use crate::render::github;
use crate::score;
use crate::store::{Source, load_sources};
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeSet;

pub fn run(g: &Global, ui: &Ui, args: &LintArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let explicit = !args.paths.is_empty();
    let sources: Vec<Source> = if explicit {
        args.paths
            .iter()
            .map(|p| Source::parse(&p.to_string_lossy()))
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
                        gate: &gate,
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
        LintFormat::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                files: usize,
                errors: usize,
                warnings: usize,
                findings: &'a [Finding],
            }
            let mut s = serde_json::to_string_pretty(&Out {
                files,
                errors,
                warnings,
                findings: &findings,
            })?;
            s.push('\n');
            s
        }
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
            format!(", {notes} file(s) skipped as not playbooks (-v lists them)")
        } else {
            String::new()
        };
        ui.hint(&format!(
            "{files} file(s) checked: {errors} error(s), {warnings} warning(s){skipped}"
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
                    format!("{id}: evidence `{e}` does not exist"),
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
