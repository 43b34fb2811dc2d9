//! `supportcheck audit`: the interactive walk-through, saving each answer at once.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::answers;
use crate::audit::{self, Outcome, Plan, Selection};
use crate::cli::{AuditArgs, Global};
use crate::render::{pct, status};
use crate::store::{Lock, LockHeld, write_atomic};
use crate::terminal::{self, Terminal};
use anyhow::{Result, bail};
use chrono::SubsecRound;
use std::io::IsTerminal;

/// Marks a file written by `init`: the template comments are kept on save.
const TEMPLATE_MARK: &str = "# Answer a question by removing";

pub fn run(g: &Global, ui: &Ui, args: &AuditArgs) -> Result<Exit> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        bail!(
            "`supportcheck audit` asks questions and needs a terminal\n\
             help: to answer without one, run `supportcheck init` and fill in the answers file it writes\n\
             help: in CI, run `supportcheck check` to gate on the answers"
        );
    }
    let project = Project::open(g)?;
    let set = project.load_playbooks(ui)?;
    let _lock = Lock::acquire(&project.answers_path, &project.answers_shown).map_err(|e| {
        match e.downcast_ref::<LockHeld>() {
            Some(held) => super::with_help(
                held,
                "finish or quit the other audit first (only one audit may write an answers file at a time)",
            ),
            None => e,
        }
    })?;
    let mut file = project.load_answers(ui)?;
    let keep_template = crate::store::read::read_text(&project.answers_path)
        .is_ok_and(|t| t.contains(TEMPLATE_MARK));
    if let Some(p) = &project.config.product
        && file.product.is_none()
    {
        file.product = Some(p.clone());
    }

    let by = args.by.clone().or_else(default_author);
    let owners = owners_selected(&project.config, args, by.as_deref())?;
    let selection = Selection {
        only: args.only.clone(),
        tag: args.tag.clone(),
        all: args.all,
        stale: args.stale,
        owners,
    };
    for id in &selection.only {
        if set.playbook(id).is_none() && set.find(id).is_none() {
            bail!(
                "--only {id}: no such playbook or question\nhelp: `supportcheck list` shows every id"
            );
        }
    }
    let plan = Plan::new(&set, &file, &selection);
    if plan.steps.is_empty() {
        emit(&format!(
            "Nothing to ask: every selected question is answered in {}.\nhelp: `--all` revisits answers, `--stale` the stale ones; `supportcheck status` shows where you stand.\n",
            project.answers_shown
        ))?;
        return Ok(Exit::Ok);
    }
    // Ctrl-C comes back from the prompt as an error, so that the terminal is
    // restored and what was saved is reported before exiting. The handler only
    // records a Ctrl-C that came between prompts, for the next prompt to see.
    let _ = ctrlc::set_handler(terminal::record_ctrl_c);

    let order: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
    let path = project.answers_path.clone();
    let mut save = |f: &answers::AnswersFile| -> Result<()> {
        let text = if keep_template {
            answers::to_template(f, &set)
        } else {
            answers::to_yaml(f, &order)
        };
        answers::verify(&text, f).map_err(|e| super::with_help(e, super::ROUND_TRIP_HELP))?;
        write_atomic(&path, text.as_bytes())
    };
    let clock = || now().trunc_subsecs(0).fixed_offset();
    let meta = audit::flow::Meta { by, now: &clock };
    let first = plan.steps[0].position;
    ui.hint(&format!(
        "{} question(s) to go, starting at {first} of {}. Answers are saved to {} as you go; Ctrl-C stops safely.",
        plan.steps.len(),
        plan.total,
        project.answers_shown
    ));
    let mut prompter = Terminal::default();
    let result = audit::run(&set, &plan, &mut file, &mut prompter, &mut save, &meta);
    let _ = console::Term::stderr().show_cursor();
    let (outcome, saved) = result?;

    match outcome {
        Outcome::Interrupted => {
            eprintln!(
                "\ninterrupted: {saved} answer(s) saved this session in {}\nhelp: run `supportcheck audit` to resume where you stopped",
                project.answers_shown
            );
            Ok(Exit::Interrupted)
        }
        Outcome::Quit => {
            eprintln!(
                "\nsaved: {saved} answer(s) this session in {}\nhelp: run `supportcheck audit` to resume where you stopped",
                project.answers_shown
            );
            Ok(Exit::Ok)
        }
        Outcome::Completed => {
            // Answers are read again from disk, for their line numbers.
            let eval = project.evaluate_set(ui, set, &project.gate())?;
            let r = &eval.report;
            let mut out = format!(
                "\nAudit done: {saved} answer(s) saved in {}.\n\n",
                project.answers_shown
            );
            out.push_str(&status::table(r, ui.width, false));
            let gaps = r.gaps();
            if !gaps.is_empty() {
                out.push_str("\nTop gaps (heaviest first) and what good looks like:\n");
                for (_, q) in gaps.iter().take(5) {
                    out.push_str(&format!(
                        "  {} {}{}\n      {}\n",
                        q.id,
                        q.status.map_or("missing".to_string(), |s| s.to_string()),
                        q.owner
                            .as_deref()
                            .map(|o| format!(" (owner {o})"))
                            .unwrap_or_default(),
                        q.expectation
                    ));
                }
            }
            out.push_str(&format!(
                "\nScore {}. Next: `supportcheck report` writes the readiness report.\n",
                pct(r.summary.score)
            ));
            emit(&out)?;
            Ok(Exit::Ok)
        }
    }
}

/// The roles `--owner` or `--mine` select (none: every question).
fn owners_selected(
    config: &crate::config::Config,
    args: &AuditArgs,
    by: Option<&str>,
) -> Result<Vec<String>> {
    if let Some(role) = &args.owner {
        if !config.owners.is_empty() && !config.owners.contains_key(role) {
            bail!(
                "--owner {role}: no such role in `owners:`\nhelp: known roles: {}",
                config.owners.keys().cloned().collect::<Vec<_>>().join(", ")
            );
        }
        return Ok(vec![role.clone()]);
    }
    if !args.mine {
        return Ok(Vec::new());
    }
    let Some(me) = by else {
        bail!("--mine: who are you? git has no user.name\nhelp: pass --by NAME");
    };
    let roles = crate::team::roles_of(config, me);
    if roles.is_empty() {
        bail!(
            "--mine: {me} is in no role of `owners:` in supportcheck.yaml\nhelp: add {me} to a role, or pick one with --owner ROLE"
        );
    }
    Ok(roles.into_iter().map(str::to_string).collect())
}

/// `git config user.name`, else the login name.
pub(super) fn default_author() -> Option<String> {
    let git = std::process::Command::new("git")
        .args(["config", "user.name"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    git.or_else(|| {
        ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    })
}
