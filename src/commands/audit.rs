//! `supportcheck audit`: the interactive walk-through, saving each answer at once.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::answers;
use crate::audit::prompt::PromptError;
use crate::audit::{self, Outcome, Plan, Selection};
use crate::cli::{AuditArgs, Global};
use crate::conditions;
use crate::config;
use crate::diagnostic::Code;
use crate::render::{pct, status};
use crate::store::{Lock, LockHeld, write_atomic};
use crate::terminal::{self, Terminal};
use anyhow::{Context as _, Result, bail};
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
    let mut project = Project::open(g)?;
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

    // Ctrl-C comes back from the prompt as an error, so that the terminal is
    // restored and what was saved is reported before exiting. The handler only
    // records a Ctrl-C that came between prompts, for the next prompt to see.
    let _ = ctrlc::set_handler(terminal::record_ctrl_c);
    let mut prompter = Terminal::default();
    if let Some(exit) = ask_facts(&mut project, &set, ui, &mut prompter)? {
        return Ok(exit);
    }

    let selection = Selection {
        only: args.only.clone(),
        tag: args.tag.clone(),
        all: args.all,
        stale: args.stale,
        renew: if args.stale {
            renewals(&project, &set, &file)
        } else {
            Default::default()
        },
    };
    for id in &selection.only {
        if set.playbook(id).is_none() && set.find(id).is_none() {
            bail!(
                "--only {id}: no such playbook or question\nhelp: `supportcheck list` shows every id"
            );
        }
    }
    let plan = Plan::new(&set, &file, &selection);
    let facts = project.config.facts.clone();
    // Steps whose condition is false now are passed over (an answer given
    // in this session may still bring them in).
    let evaluator = conditions::Evaluator::new(&facts, &file);
    let asked: Vec<usize> = plan
        .steps
        .iter()
        .filter(|s| {
            let p = &set.playbooks[s.playbook];
            !matches!(
                evaluator.applies(p, &p.questions[s.question]),
                conditions::Applies::No(_)
            )
        })
        .map(|s| s.position)
        .collect();
    let to_ask = asked.len();
    if to_ask == 0 {
        emit(&format!(
            "Nothing to ask: every selected question is answered in {}.\nhelp: `--all` revisits answers, `--stale` the stale ones; `supportcheck status` shows where you stand.\n",
            project.answers_shown
        ))?;
        return Ok(Exit::Ok);
    }
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
    let by = args.by.clone().or_else(default_author);
    let clock = || now().trunc_subsecs(0).fixed_offset();
    let meta = audit::flow::Meta {
        by,
        now: &clock,
        facts: &facts,
    };
    let first = asked.first().copied().unwrap_or(plan.steps[0].position);
    ui.hint(&format!(
        "{} question(s) to go, starting at {first} of {}. Answers are saved to {} as you go; Ctrl-C stops safely.",
        to_ask,
        plan.total,
        project.answers_shown
    ));
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
                        "  {} {}\n      {}\n",
                        q.id,
                        q.status.map_or("missing".to_string(), |s| s.to_string()),
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

/// Asks each fact that a condition needs and the config does not set, and
/// adds it to the config at once (its comments kept). `Some(exit)` when the
/// person quit or pressed Ctrl-C.
fn ask_facts(
    project: &mut Project,
    set: &crate::playbook::Set,
    ui: &Ui,
    prompter: &mut Terminal,
) -> Result<Option<Exit>> {
    let missing = conditions::missing(set, &project.config.facts);
    if missing.is_empty() {
        return Ok(None);
    }
    ui.hint(&format!(
        "First, {} fact(s) about the product, which decide the questions that apply. They are saved in {}.",
        missing.len(),
        project.config_shown
    ));
    for decl in &missing {
        let value = match prompter.fact(decl) {
            Ok(Some(v)) => v,
            Ok(None) => {
                eprintln!(
                    "
saved: the facts answered so far are in {}
help: run `supportcheck audit` to go on",
                    project.config_shown
                );
                return Ok(Some(Exit::Ok));
            }
            Err(PromptError::Interrupted) => {
                let _ = console::Term::stderr().show_cursor();
                eprintln!(
                    "
interrupted: the facts answered so far are in {}
help: run `supportcheck audit` to go on",
                    project.config_shown
                );
                return Ok(Some(Exit::Interrupted));
            }
            Err(PromptError::Other(e)) => return Err(e),
        };
        let text = match crate::store::read::read_text(&project.config_path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", project.config_shown));
            }
        };
        let new = [(decl.name.clone(), value.clone())].into();
        let updated = config::add_facts(&text, &new, &|s| answers::write_scalar(s))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        write_atomic(&project.config_path, updated.as_bytes())?;
        project.config.facts.insert(decl.name.clone(), value);
    }
    Ok(None)
}

/// Questions whose answers are past their `max_age` or within
/// `gate.warn_days` of it: `audit --stale` asks them again.
fn renewals(
    project: &Project,
    set: &crate::playbook::Set,
    file: &answers::AnswersFile,
) -> std::collections::BTreeSet<String> {
    let gate = project.gate();
    let missing = project.missing_evidence(file);
    let scores = crate::score::score(
        set,
        file,
        &crate::score::Context {
            today: now().date_naive(),
            gate: &gate,
            missing_evidence: &missing,
            answers_path: &project.answers_shown,
            facts: &project.config.facts,
        },
    );
    scores
        .questions
        .into_iter()
        .filter(|q| {
            q.findings
                .iter()
                .any(|f| matches!(f.code, Code::Expired | Code::AnswerExpiring))
        })
        .map(|q| q.id)
        .collect()
}

/// `git config user.name`, else the login name.
fn default_author() -> Option<String> {
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
