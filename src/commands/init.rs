//! `supportcheck init`: writes supportcheck.yaml and a fillable answers file,
//! each with a JSON Schema next to it and the comment that points editors at it.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::answers;
use crate::audit::prompt::PromptError;
use crate::cli::{Global, InitArgs};
use crate::conditions;
use crate::config::{self, FailOn};
use crate::error::{Kind, hinted};
use crate::schema;
use crate::schema::SchemaKind;
use crate::store::read::{answers_text, fingerprint};
use crate::store::write_atomic;
use anyhow::{Context as _, Result};
use std::io::IsTerminal;
use std::path::Path;

/// The config's first comment, written afresh by every `init`.
const CONFIG_HEADER: &str = "# supportcheck configuration. Paths are relative to this folder.\n";

pub fn run(g: &Global, ui: &Ui, args: &InitArgs) -> Result<Exit> {
    // `init` starts a project here (or in `-C DIR`, made when missing),
    // whatever the parent folders hold.
    if let Some(dir) = &g.dir
        && !dir.exists()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("-C {}: cannot create the folder", dir.display()))?;
    }
    let mut project = Project::open_here(g)?;
    // `init --answers new.yaml` creates that file: its absence is expected.
    project.answers_explicit = false;
    let config_path = g.config.as_ref().map_or_else(
        || project.root.join(config::FILE_NAME),
        |c| project.root.join(c),
    );
    let existing: Vec<String> = [&config_path, &project.answers_path]
        .into_iter()
        .filter(|p| p.exists())
        .map(|p| show(p, &project.root))
        .collect();
    if !existing.is_empty() && !args.force {
        let one = existing.len() == 1;
        return Err(hinted(
            Kind::Output,
            format!(
                "{} already {}; nothing was written",
                existing.join(" and "),
                if one { "exists" } else { "exist" }
            ),
            format!(
                "`supportcheck init --force` rewrites {} (answers already given are kept)",
                if one { "it" } else { "them" }
            ),
        ));
    }
    let set = project.load_playbooks(ui)?;
    let Some(facts) = init_facts(&project, &set, args)? else {
        eprintln!("\ninterrupted: nothing was written");
        return Ok(Exit::Interrupted);
    };
    // No audit writes the answers file while it is rewritten here.
    let _lock = project.lock_answers()?;
    let (mut file, read) = project.load_answers(ui)?;
    let answers_rel = show(&project.answers_path, &project.root);
    // The answers file's own product stays unless --product changes it.
    let product = args
        .product
        .clone()
        .or_else(|| file.product.clone())
        .or_else(|| project.config.product.clone());
    file.product = product.clone();
    file.schema_hint = Some(schema::ANSWERS_FILE_NAME.to_string());

    let config_shown = show(&config_path, &project.root);
    let old_config = match crate::store::read::read_capped(&config_path) {
        Ok(bytes) => Some(crate::store::read::utf8(
            bytes,
            "config file",
            &config_shown,
        )?),
        Err(e) if e.is_not_found() => None,
        Err(e) => {
            return Err(e.into_error(
                "config file",
                &config_shown,
                crate::store::read::MAX_FILE_BYTES,
            ));
        }
    };
    let config_text = match &old_config {
        // A config that is there is edited, not written afresh: every key
        // and comment that init does not change stays as it is.
        Some(old) => edited_config(old, &project, g, args, &facts, &config_shown)?,
        None => fresh_config(&project, &set, product.as_deref(), &facts, &answers_rel),
    };
    // What is written must read back with the facts as given.
    match config::Config::parse(&config_text, &config_shown) {
        Ok(c) if c.facts == facts => {}
        _ => {
            return Err(hinted(
                Kind::Bug,
                "the config to write would not read back as meant; nothing was written",
                crate::store::error::BUG_HELP,
            ));
        }
    }
    let config_schema = beside(&config_path, schema::CONFIG_FILE_NAME);
    let answers_schema = beside(&project.answers_path, schema::ANSWERS_FILE_NAME);
    // The answers file first: if it cannot be written, nothing else changes.
    let text = answers::to_template(&file, &set);
    crate::store::answers::check(&text, &file, &project.answers_shown)?;
    // An edit saved by hand since the file was read is not written over.
    let now = answers_text(&project.answers_path, &project.answers_shown)?;
    if fingerprint(now.as_deref()) != fingerprint(read.as_deref()) {
        return Err(hinted(
            Kind::Busy,
            format!(
                "{} changed while init was rewriting it; nothing was written",
                project.answers_shown
            ),
            "run `supportcheck init --force` again once the edit is saved",
        ));
    }
    write_atomic(&project.answers_path, text.as_bytes())?;
    write_atomic(
        &answers_schema,
        schema::schema_text(SchemaKind::Answers).as_bytes(),
    )?;
    write_atomic(
        &config_schema,
        schema::schema_text(SchemaKind::Config).as_bytes(),
    )?;
    write_atomic(&config_path, config_text.as_bytes())?;
    let attributes = project.root.join(".gitattributes");
    let line = format!("{answers_rel} merge=supportcheck-answers");
    let attributes_written = append_lines(
        &attributes,
        "# Merge answers question by question (see supportcheck.yaml for the git config line).",
        &[&line],
    )?;
    // The lock files (`.answers.yaml.lock`, `.signoffs.yaml.lock`,
    // `.readiness.lock`) and the temp files of a crashed save are the
    // tool's own, never the team's to commit.
    // So is what `report --preview` renders (a draft, not a version).
    let preview = format!(
        "/{}/{}/",
        show(&project.reports_dir, &project.root),
        super::report::PREVIEW_DIR
    );
    let ignore_written = append_lines(
        &project.root.join(".gitignore"),
        "# supportcheck's lock files, the temp files of an interrupted save and report previews",
        &[".*.lock", ".supportcheck-*.tmp", &preview],
    )?;
    let mut wrote = vec![
        format!(
            "wrote {} (the project: playbooks, gate, facts, owners)",
            show(&config_path, &project.root)
        ),
        format!(
            "wrote {} ({} questions in {} playbooks, to fill in)",
            project.answers_shown,
            set.question_count(),
            set.playbooks.len()
        ),
        format!(
            "wrote {} and {} (schemas for editors)",
            show(&config_schema, &project.root),
            show(&answers_schema, &project.root)
        ),
    ];
    if attributes_written {
        wrote.push("wrote .gitattributes (git merges answers question by question)".into());
    }
    if ignore_written {
        wrote.push(
            "wrote .gitignore (git ignores supportcheck's lock and temp files and report previews)"
                .into(),
        );
    }
    emit(&format!("{}\n", wrote.join("\n")))?;
    let unset: Vec<String> = conditions::missing(&set, &facts)
        .into_iter()
        .map(|d| format!("`{}`", d.name))
        .collect();
    if !unset.is_empty() {
        ui.hint_wrapped(&format!(
            "note: the facts {} decide which questions apply and are not set: `supportcheck audit` asks them, or give them as `init --fact KEY=VALUE`",
            unset.join(", ")
        ));
    }
    ui.hint_wrapped(
        "next: fill in the answers file, or run `supportcheck audit`; then `supportcheck status`",
    );
    Ok(Exit::Ok)
}

/// The config `init` writes where there is none.
fn fresh_config(
    project: &Project,
    set: &crate::playbook::Set,
    product: Option<&str>,
    facts: &conditions::Facts,
    answers_rel: &str,
) -> String {
    let checklists = project
        .sources
        .iter()
        .map(crate::store::Source::as_text)
        .collect::<Vec<_>>();
    let gate = &project.config.gate;
    let fail_on: Vec<&str> = gate.fail_on.iter().map(|f| FailOn::as_str(*f)).collect();
    format!(
        "{}\
         {CONFIG_HEADER}\
         {}\
         checklists: [{}]\n\
         answers: {}\n\
         reports: {}\n\
         gate:\n  min_score: {}\n  fail_on: [{}]\n  warn_days: {}\n{}{}{}{}",
        schema::hint_line(schema::CONFIG_FILE_NAME),
        product
            .map(|p| format!("product: {}\n", answers::write_scalar(p)))
            .unwrap_or_default(),
        checklists
            .iter()
            .map(|c| answers::write_scalar(c))
            .collect::<Vec<_>>()
            .join(", "),
        answers::write_scalar(answers_rel),
        answers::write_scalar(&show(&project.reports_dir, &project.root)),
        crate::render::num(gate.min_score),
        fail_on.join(", "),
        gate.warn_days,
        gate.max_age
            .map(|a| format!("  max_age: {a}\n"))
            .unwrap_or_default(),
        team_gate_lines(gate),
        facts_block(facts),
        owners_text(&project.config, set, answers_rel),
    )
}

/// The config as it is with what `init` was asked to change: the schema
/// line when it is missing, `product` (`--product`), `checklists`
/// (`--checklists`), `answers` (`--answers`) and the facts (`--fact`, or
/// asked). Nothing else changes; what comes out must read back as the old
/// config with those changes, or nothing is written.
fn edited_config(
    old: &str,
    project: &Project,
    g: &Global,
    args: &InitArgs,
    facts: &conditions::Facts,
    shown: &str,
) -> Result<String> {
    let scalar = |s: &str| answers::write_scalar(s);
    let mut want = project.config.clone();
    let mut text = old.to_string();
    let refused = |e: String| anyhow::anyhow!("{shown}: {e}; nothing was written");
    if !old.contains(answers::HINT_PREFIX.trim()) {
        let (bom, rest) = match text.strip_prefix('\u{feff}') {
            Some(rest) => ("\u{feff}", rest),
            None => ("", text.as_str()),
        };
        text = format!("{bom}{}{rest}", schema::hint_line(schema::CONFIG_FILE_NAME));
    }
    if let Some(p) = &args.product
        && project.config.product.as_ref() != Some(p)
    {
        text = config::set_value(&text, None, "product", &scalar(p)).map_err(refused)?;
        want.product = Some(p.clone());
    }
    if !g.checklists.is_empty() && project.config.checklists.as_ref() != Some(&g.checklists) {
        let list: Vec<String> = g.checklists.iter().map(|c| scalar(c)).collect();
        text = config::set_value(&text, None, "checklists", &format!("[{}]", list.join(", ")))
            .map_err(refused)?;
        want.checklists = Some(g.checklists.clone());
    }
    if let Some(answers_path) = &g.answers {
        let given = answers_path.to_string_lossy().to_string();
        if project.config.answers.as_ref() != Some(&given) {
            text = config::set_value(&text, None, "answers", &scalar(&given)).map_err(refused)?;
            want.answers = Some(given);
        }
    }
    let new: conditions::Facts = facts
        .iter()
        .filter(|(k, _)| !project.config.facts.contains_key(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in facts {
        if project.config.facts.get(k).is_some_and(|old| old != v) {
            text =
                config::set_value(&text, Some("facts"), k, &v.to_yaml(&scalar)).map_err(refused)?;
        }
    }
    if !new.is_empty() {
        text = config::add_facts(&text, &new, &scalar).map_err(refused)?;
    }
    want.facts = facts.clone();
    match config::Config::parse(&text, shown) {
        Ok(read) if read == want => Ok(text),
        _ => Err(hinted(
            Kind::Input,
            format!(
                "{shown}: the config as init would write it would not read back as meant; nothing was written"
            ),
            "make the change by hand",
        )),
    }
}

/// The facts for the new config: those already there, then `--fact`
/// flags, then (on a terminal) the rest that conditions need, asked.
/// `None` when the person pressed Ctrl-C.
fn init_facts(
    project: &Project,
    set: &crate::playbook::Set,
    args: &InitArgs,
) -> Result<Option<conditions::Facts>> {
    let mut facts = project.config.facts.clone();
    let declared = conditions::declared(set);
    for text in &args.facts {
        let (k, v) =
            conditions::parse_assignment(text, &declared).map_err(|e| anyhow::anyhow!("{e}"))?;
        facts.insert(k, v);
    }
    let missing = conditions::missing(set, &facts);
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if missing.is_empty() || !terminal || args.facts_asked_later {
        return Ok(Some(facts));
    }
    let _ = ctrlc::set_handler(crate::terminal::record_ctrl_c);
    let mut prompter = crate::terminal::Terminal::default();
    for decl in &missing {
        match prompter.fact(decl) {
            Ok(Some(v)) => {
                facts.insert(decl.name.clone(), v);
            }
            Ok(None) => break,
            Err(PromptError::Interrupted) => {
                let _ = console::Term::stderr().show_cursor();
                return Ok(None);
            }
            Err(PromptError::Other(e)) => return Err(e),
        }
    }
    Ok(Some(facts))
}

/// `facts:` and one line per fact, or nothing.
fn facts_block(facts: &conditions::Facts) -> String {
    if facts.is_empty() {
        return String::new();
    }
    let scalar = |s: &str| answers::write_scalar(s);
    let mut out = "# What the product is; playbooks' `applies_if` conditions read these.\nfacts:\n"
        .to_string();
    for (k, v) in facts {
        out.push_str(&format!("  {k}: {}\n", v.to_yaml(&scalar)));
    }
    out
}

/// `gate.require_owners` and `gate.signoffs`, when set, so that `--force`
/// keeps them.
fn team_gate_lines(gate: &config::Gate) -> String {
    let mut out = String::new();
    if gate.require_owners {
        out.push_str("  require_owners: true\n");
    }
    if !gate.signoffs.is_empty() {
        let roles: Vec<String> = gate
            .signoffs
            .iter()
            .map(|r| answers::write_scalar(r))
            .collect();
        out.push_str(&format!("  signoffs: [{}]\n", roles.join(", ")));
    }
    out
}

/// The `owners:` and `ownership:` of the config as they are, or, when there
/// are none, a commented block naming the roles the playbooks use; then how
/// to turn on the answers merge driver.
fn owners_text(config: &config::Config, set: &crate::playbook::Set, answers_rel: &str) -> String {
    let mut out = String::new();
    if config.owners.is_empty() {
        let mut roles: Vec<&str> = Vec::new();
        for (_, q) in set.questions() {
            if let Some(r) = q.owner.as_deref()
                && !roles.contains(&r)
            {
                roles.push(r);
            }
        }
        out.push_str("# Who owns what: roles (used by the playbooks' `owner:`) and their people.\n# Uncomment and fill in; `supportcheck signoff ROLE` needs a role listed here.\n# owners:\n");
        for r in roles {
            out.push_str(&format!("#   {r}: [Your Name]\n"));
        }
    } else {
        out.push_str("owners:\n");
        for (role, people) in &config.owners {
            let people: Vec<String> = people.iter().map(|p| answers::write_scalar(p)).collect();
            out.push_str(&format!(
                "  {}: [{}]\n",
                answers::write_scalar(role),
                people.join(", ")
            ));
        }
    }
    if !config.ownership.is_empty() {
        out.push_str("ownership:\n");
        let rules = &config.ownership;
        for (name, map) in [
            ("questions", &rules.questions),
            ("playbooks", &rules.playbooks),
            ("tags", &rules.tags),
            ("sections", &rules.sections),
        ] {
            if map.is_empty() {
                continue;
            }
            out.push_str(&format!("  {name}:\n"));
            for (k, v) in map {
                out.push_str(&format!(
                    "    {}: {}\n",
                    answers::write_scalar(k),
                    answers::write_scalar(v)
                ));
            }
        }
    }
    out.push_str(&format!(
        "# Answers from several branches: .gitattributes routes {answers_rel} to the\n# merge driver; turn it on once per clone with\n#   git config merge.supportcheck-answers.driver \"supportcheck merge-answers %O %A %B\"\n"
    ));
    out
}

/// A file named `name` in the folder of `file`.
fn beside(file: &Path, name: &str) -> std::path::PathBuf {
    file.parent()
        .map_or_else(|| name.into(), |dir| dir.join(name))
}

/// Adds `lines` (under `comment`) to the text file at `path` unless each is
/// there already, keeping what it holds. True when the file was written.
fn append_lines(path: &Path, comment: &str, lines: &[&str]) -> Result<bool> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let old = match crate::store::read::read_text(path, "git file", &name) {
        Ok(text) => text,
        Err(_) if !path.exists() => String::new(),
        Err(e) => return Err(e),
    };
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|line| !old.lines().any(|l| l.trim() == *line))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let sep = if old.is_empty() || old.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    write_atomic(
        path,
        format!("{old}{sep}{comment}\n{}\n", missing.join("\n")).as_bytes(),
    )?;
    Ok(true)
}
