//! `supportcheck audit`: the interactive walk-through, saving each answer at once.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::answers::{self, AnswersFile, merge};
use crate::audit::prompt::{PromptError, Prompter};
use crate::audit::{self, Outcome, Plan, Selection};
use crate::cli::{AuditArgs, Global};
use crate::conditions;
use crate::config;
use crate::diagnostic::Code;
use crate::error::help_lines;
use crate::evaluate::evaluate;
use crate::playbook::Set;
use crate::render::{pct, status};
use crate::store::read::{answers_text, fingerprint};
use crate::store::write_atomic;
use crate::terminal::{self, Terminal};
use anyhow::Result;
use chrono::SubsecRound;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The hint when an audit stops with questions left.
const RESUME: &str = "run `supportcheck audit` to resume where you stopped";
/// The hint when an audit stops while asking for facts.
const GO_ON: &str = "run `supportcheck audit` to go on";

/// Marks a file written by `init`: the template comments are kept on save.
pub(super) const TEMPLATE_MARK: &str = "# Answer a question by removing";

pub fn run(g: &Global, ui: &Ui, args: &AuditArgs) -> Result<Exit> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(super::with_help(
            "`supportcheck audit` asks questions and needs a terminal",
            "to answer without one, run `supportcheck init` and fill in the answers file it writes\n\
             in CI, run `supportcheck check` to gate on the answers",
        ));
    }
    let _ = ctrlc::set_handler(terminal::record_ctrl_c);
    let mut prompter = Terminal::on(now().date_naive());
    let missing_dir = g.dir.as_ref().is_some_and(|d| !d.exists());
    let mut project = match Project::open(g) {
        Err(e) if missing_dir || crate::error::is_no_project(&e) => {
            match offer_init(g, ui, &mut prompter)? {
                Ok(project) => project,
                Err(exit) => return Ok(exit),
            }
        }
        // `-C DIR` names a folder that is not a project yet.
        Ok(p) if g.config.is_none() && !p.config_path.exists() => {
            match offer_init(g, ui, &mut prompter)? {
                Ok(project) => project,
                Err(exit) => return Ok(exit),
            }
        }
        other => other?,
    };
    let set = project.load_playbooks(ui)?;
    let missing = std::fs::metadata(&project.answers_path)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if missing {
        // Before the lock, which would leave a lock file beside a mistyped
        // path. (A path below a file is the lock's to explain.)
        project.no_answers_file()?;
    }
    let _lock = project.lock_answers()?;
    let (mut file, text) = project.load_answers(ui)?;
    // A project starting (nothing answered yet) gets its name asked once.
    let starting = file.answers.values().all(|a| a.status.is_none());
    if starting
        && file.product.is_none()
        && let Some(exit) = ask_product(&mut project, &mut prompter)?
    {
        return Ok(exit);
    }
    let mut store = Store {
        path: project.answers_path.clone(),
        shown: project.answers_shown.clone(),
        base: file.clone(),
        seen: fingerprint(text.as_deref()),
        template: text.as_deref().is_some_and(|t| t.contains(TEMPLATE_MARK)),
        product: project.config.product.clone(),
    };
    store.fill(&mut file);

    let by = args.by.clone().or_else(default_author);
    let owners = owners_selected(&project.config, args, by.as_deref())?;
    // Ctrl-C comes back from the prompt as an error, so that the terminal is
    // restored and what was saved is reported before exiting. The handler
    // (set above) only records a Ctrl-C that came between prompts, for the
    // next prompt to see.
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
        owners,
    };
    for id in &selection.only {
        set.require_id("--only ", id)?;
    }
    set.require_tag(selection.tag.as_deref())?;
    let plan = Plan::new(&set, &file, &selection);
    // Steps whose condition is false now are passed over (an answer given
    // in this session may still bring them in).
    let facts = project.config.facts.clone();
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
    if asked.is_empty() {
        emit(&format!(
            "Nothing to ask: every selected question is answered in {}.\n{}\n",
            project.answers_shown,
            help_lines(
                "`--all` revisits answers, `--stale` the stale ones; `supportcheck status` shows where you stand."
            )
        ))?;
        return Ok(Exit::Ok);
    }
    let mut save = |f: &mut AnswersFile, id: &str, p: &mut dyn Prompter| store.save(&set, f, id, p);
    let clock = || now().trunc_subsecs(0).fixed_offset();
    let root = project.root.clone();
    let exists = |path: &str| crate::store::evidence_counts(&root, path);
    let meta = audit::flow::Meta {
        by,
        now: &clock,
        exists: &exists,
        facts: &facts,
    };
    let first = asked[0];
    ui.hint_wrapped(&format!(
        "{} to go, starting at {first} of {}. Answers are saved to {} as you go; Esc or q at a question saves and quits, Ctrl-C stops safely.",
        crate::render::count(asked.len(), "question"),
        plan.total,
        project.answers_shown
    ));
    let result = audit::run(&set, &plan, &mut file, &mut prompter, &mut save, &meta);
    let _ = console::Term::stderr().show_cursor();
    let (outcome, saved) = result?;

    match outcome {
        Outcome::Interrupted => {
            eprintln!(
                "\ninterrupted: {} saved this session in {}\n{}",
                crate::render::count(saved, "answer"),
                project.answers_shown,
                help_lines(RESUME)
            );
            Ok(Exit::Interrupted)
        }
        Outcome::Quit => {
            eprintln!(
                "\nsaved: {} this session in {}\n{}",
                crate::render::count(saved, "answer"),
                project.answers_shown,
                help_lines(RESUME)
            );
            Ok(Exit::Ok)
        }
        Outcome::Completed => {
            // Answers are read again from disk, for their line numbers.
            let gate = project.gate();
            let eval = evaluate(project.load_with(ui, set, &gate)?, now());
            let r = &eval.report;
            let mut out = format!(
                "\nAudit done: {} answered, saved in {}.\n\n",
                crate::render::count(saved, "question"),
                project.answers_shown
            );
            out.push_str(&status::table(r, ui.width, false, ui.paint()));
            out.push_str(&status::top_gaps(r, &r.plan()));
            out.push_str(&format!(
                "\nScore {}. Next: `supportcheck report` writes the readiness report.\n",
                pct(r.summary.score)
            ));
            emit(&out)?;
            Ok(Exit::Ok)
        }
    }
}

/// Outside any project: offers to start one here (or in `-C DIR`) with
/// `init`, asking the product's name. `Err(exit)` when the person declined
/// or stopped.
fn offer_init(
    g: &Global,
    ui: &Ui,
    prompter: &mut Terminal,
) -> Result<std::result::Result<Project, Exit>> {
    let dir = g.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let shown = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
    eprintln!(
        "No supportcheck.yaml here or in any parent folder, so there is no project to audit yet.
A project is a folder (best its own git repository) that holds supportcheck.yaml and readiness/."
    );
    let start = match prompter.confirm(&format!("Start a project in {}?", shown.display()), true) {
        Ok(Some(true)) => true,
        Ok(_) => false,
        Err(PromptError::Interrupted) => {
            let _ = console::Term::stderr().show_cursor();
            eprintln!("\ninterrupted: nothing was written");
            return Ok(Err(Exit::Interrupted));
        }
        Err(PromptError::Other(e)) => return Err(e),
    };
    if !start {
        eprintln!(
            "nothing was written\n{}",
            help_lines(
                "run `supportcheck audit` in the project's folder, or `supportcheck -C DIR audit`"
            )
        );
        return Ok(Err(Exit::Failure));
    }
    let product = match ask_name(prompter) {
        Ok(name) => name,
        Err(exit) => return Ok(Err(exit)),
    };
    let init = crate::cli::InitArgs {
        product,
        force: false,
        facts: Vec::new(),
        facts_asked_later: true,
    };
    match super::init::run(g, ui, &init)? {
        Exit::Ok => {}
        exit => return Ok(Err(exit)),
    }
    Ok(Ok(Project::open_here(g)?))
}

/// The product's name, asked; `None` when left empty.
fn ask_name(prompter: &mut Terminal) -> std::result::Result<Option<String>, Exit> {
    match prompter.line("Product name, shown on every report (Enter skips)", "") {
        Ok(name) => Ok(Some(name.trim().to_string()).filter(|n| !n.is_empty())),
        Err(PromptError::Interrupted) => {
            let _ = console::Term::stderr().show_cursor();
            eprintln!("\ninterrupted: nothing was written");
            Err(Exit::Interrupted)
        }
        Err(PromptError::Other(e)) => {
            eprintln!("error: {e}");
            Err(Exit::Failure)
        }
    }
}

/// A config without `product:` gets one asked, written into it at once
/// (asked when the project starts: nothing answered yet, no name anywhere).
/// `Some(exit)` when the person pressed Ctrl-C.
fn ask_product(project: &mut Project, prompter: &mut Terminal) -> Result<Option<Exit>> {
    if project.config.product.is_some() || !project.config_path.is_file() {
        return Ok(None);
    }
    let name = match ask_name(prompter) {
        Ok(Some(name)) => name,
        Ok(None) => return Ok(None),
        Err(exit) => return Ok(Some(exit)),
    };
    // Read again just before writing: an edit made meanwhile is kept.
    let text =
        crate::store::read::read_text(&project.config_path, "config file", &project.config_shown)?;
    let updated = config::add_product(&text, &name, &|s| answers::write_scalar(s))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    write_atomic(&project.config_path, updated.as_bytes())?;
    eprintln!(
        "saved: product {} in {}",
        answers::write_scalar(&name),
        project.config_shown
    );
    project.config.product = Some(name);
    Ok(None)
}

/// The roles `--owner` or `--mine` select (none: every question).
fn owners_selected(
    config: &crate::config::Config,
    args: &AuditArgs,
    by: Option<&str>,
) -> Result<Vec<String>> {
    if let Some(role) = &args.owner {
        if !config.owners.is_empty() && !config.owners.contains_key(role) {
            return Err(super::with_help(
                format!("--owner {role}: no such role in `owners:`"),
                format!(
                    "known roles: {}",
                    config.owners.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        return Ok(vec![role.clone()]);
    }
    if !args.mine {
        return Ok(Vec::new());
    }
    let Some(me) = by else {
        return Err(super::with_help(
            "--mine: who are you? git has no user.name",
            "pass --by NAME",
        ));
    };
    let roles = crate::team::roles_of(config, me);
    if roles.is_empty() {
        return Err(super::with_help(
            format!("--mine: {me} is in no role of `owners:` in supportcheck.yaml"),
            format!("add {me} to a role, or pick one with --owner ROLE"),
        ));
    }
    Ok(roles.into_iter().map(str::to_string).collect())
}

/// The answers file as this audit last read or wrote it. Before each save it
/// looks at the file again: an edit made on disk meanwhile is merged in per
/// question (see [`merge`]), and a question changed on both sides is put to
/// the person at the terminal.
struct Store {
    path: PathBuf,
    shown: String,
    /// The answers as last read or written.
    base: AnswersFile,
    /// The fingerprint of the text last read or written.
    seen: Option<[u8; 32]>,
    /// The file is `init`'s template: its fill-in blocks are kept.
    template: bool,
    /// The configured product, for a file that names none.
    product: Option<String>,
}

impl Store {
    fn fill(&self, file: &mut AnswersFile) {
        if file.product.is_none() {
            file.product.clone_from(&self.product);
        }
    }

    fn save(
        &mut self,
        set: &Set,
        answers: &mut AnswersFile,
        id: &str,
        p: &mut dyn Prompter,
    ) -> Result<(), PromptError> {
        let other = PromptError::Other;
        loop {
            let text = answers_text(&self.path, &self.shown).map_err(other)?;
            let read = fingerprint(text.as_deref());
            if !self.take_in(text.as_deref(), answers, id, p)? {
                continue; // the file has an error: read it again once fixed
            }
            let out = if self.template {
                answers::to_template(answers, set)
            } else {
                let order: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
                answers::to_yaml(answers, &order)
            };
            crate::store::answers::check(&out, answers, &self.shown).map_err(other)?;
            // An edit saved while a choice was on screen is not written over:
            // it is taken in first.
            if fingerprint(
                answers_text(&self.path, &self.shown)
                    .map_err(other)?
                    .as_deref(),
            ) != read
            {
                continue;
            }
            write_atomic(&self.path, out.as_bytes()).map_err(other)?;
            self.base = answers.clone();
            self.seen = fingerprint(Some(&out));
            return Ok(());
        }
    }

    /// Takes in what changed on disk since the last read or write: merged
    /// per question into `answers`, with a choice for each question changed
    /// on both sides. False when the file on disk has an error and the person
    /// will fix it first.
    fn take_in(
        &mut self,
        text: Option<&str>,
        answers: &mut AnswersFile,
        id: &str,
        p: &mut dyn Prompter,
    ) -> Result<bool, PromptError> {
        if text.is_none() && self.seen.is_some() {
            // Removed (a `git stash`, a checkout): merging with nothing
            // would drop every answer, so they are all written back.
            p.notice(&format!(
                "{} was removed on disk while the audit ran; writing the answers back.",
                self.shown
            ));
            return Ok(true);
        }
        if fingerprint(text) == self.seen {
            return Ok(true);
        }
        self.template = text.is_some_and(|t| t.contains(TEMPLATE_MARK));
        let (disk, findings) = answers::parse(text.unwrap_or(""), &self.shown);
        if let Some(error) = findings.iter().find(|f| f.is_error()) {
            p.notice(&format!(
                "{} was changed on disk and now has an error:\n  {error}",
                self.shown
            ));
            let pick = p.pick(
                "Fix the file, then:",
                &[
                    "Read it again",
                    "Write the audit's answers over it (the edits made on disk are lost)",
                ],
            )?;
            return Ok(pick != 0);
        }
        let changed: BTreeMap<String, answers::Answer> = answers
            .answers
            .get(id)
            .map(|a| (id.to_string(), a.clone()))
            .into_iter()
            .collect();
        let merged = merge::merge(&self.base, &disk, &changed);
        let mut file = merged.file;
        p.notice(&format!(
            "{} was changed on disk while the audit ran; those edits are kept.",
            self.shown
        ));
        for c in &merged.conflicts {
            p.notice(&format!(
                "{} was changed both here and on disk:\n  here:    {}\n  on disk: {}",
                c.id,
                merge::describe(Some(&c.ours)),
                merge::describe(c.theirs.as_ref())
            ));
            let keep = p.pick(
                &format!("Which answer to {} to keep?", c.id),
                &["The one given here", "The one on disk"],
            )?;
            merge::settle(&mut file, c, keep == 0);
        }
        self.fill(&mut file);
        *answers = file;
        Ok(true)
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
    ui.hint_wrapped(&format!(
        "First, {} about the product, which decide the questions that apply. They are saved in {}.",
        crate::render::count(missing.len(), "fact"),
        project.config_shown
    ));
    for decl in &missing {
        let value = match prompter.fact(decl) {
            Ok(Some(v)) => v,
            Ok(None) => {
                eprintln!(
                    "\nsaved: the facts answered so far are in {}\n{}",
                    project.config_shown,
                    help_lines(GO_ON)
                );
                return Ok(Some(Exit::Ok));
            }
            Err(PromptError::Interrupted) => {
                let _ = console::Term::stderr().show_cursor();
                eprintln!(
                    "\ninterrupted: the facts answered so far are in {}\n{}",
                    project.config_shown,
                    help_lines(GO_ON)
                );
                return Ok(Some(Exit::Interrupted));
            }
            Err(PromptError::Other(e)) => return Err(e),
        };
        // Read again just before writing: an edit made meanwhile is kept.
        let text = match crate::store::read::read_capped(&project.config_path) {
            Ok(bytes) => crate::store::read::utf8(bytes, "config file", &project.config_shown)?,
            Err(e) if e.is_not_found() => String::new(),
            Err(e) => {
                return Err(e.into_error(
                    "config file",
                    &project.config_shown,
                    crate::store::read::MAX_FILE_BYTES,
                ));
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
            now: now(),
            gate: &gate,
            owners: &project.config.owners,
            missing_evidence: &missing,
            answers_path: &project.answers_shown,
            facts: &project.config.facts,
            probes: &crate::probe::NO_RESULTS,
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
