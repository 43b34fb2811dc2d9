//! `supportcheck check`: the CI gate.

use super::{Project, Ui, emit, emit_commands, now};
use crate::Exit;
use crate::cli::{CheckArgs, CheckFormat, Global};
use crate::evaluate::evaluate;
use crate::render::{check, junit};
use anyhow::Result;

pub fn run(g: &Global, ui: &Ui, args: &CheckArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let mut gate = project.gate();
    if let Some(min) = args.min_score {
        gate.min_score = min;
    }
    if let Some(fail_on) = &args.fail_on {
        gate.fail_on = fail_on.clone();
    }
    if args.verify {
        let set = project.load_playbooks(ui)?;
        let verify = crate::cli::VerifyArgs {
            offline: args.offline,
            ..Default::default()
        };
        let (planned, ran) = super::verify::run_and_record(&project, &set, ui, &verify)?;
        let rows = super::verify::rows(&planned, &ran);
        let text = crate::render::probes::text(&rows, &project.probes_shown);
        if !ui.quiet {
            // The probe lines go to stderr: stdout is the gate's format.
            eprint!("{}", super::stderr_safe(&text));
        }
    }
    let eval = evaluate(project.load(ui, &gate)?, now());
    let r = &eval.report;
    let text = match args.format {
        CheckFormat::Text => check::text(r, ui.verbose, &project.answers_shown),
        CheckFormat::Json => check::json(r),
        CheckFormat::Github => {
            let out = check::github(r, &project.answers_shown);
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                crate::store::write::append_summary(
                    std::path::Path::new(&path),
                    &format!("{}{}", crate::render::markdown::summary(r), out.summary),
                )?;
            }
            out.commands
        }
        CheckFormat::Junit => junit::render(r),
    };
    if args.format == CheckFormat::Github {
        emit_commands(&text)?;
    } else {
        emit(&text)?;
    }
    Ok(if r.gate.passed {
        Exit::Ok
    } else {
        Exit::Findings
    })
}
