//! `supportcheck signoff ROLE`: a person in a role approves the readiness as it stands.

use super::{Project, Ui, emit, now, with_help};
use crate::Exit;
use crate::cli::{Global, SignoffArgs};
use crate::score::Level;
use crate::store::signoffs;
use crate::team::{self, Signoff};
use anyhow::{Result, bail};
use chrono::SubsecRound;

pub fn run(g: &Global, ui: &Ui, args: &SignoffArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let config = &project.config;
    let role = args.role.trim();
    if !config.owners.contains_key(role) {
        let known: Vec<&str> = config.owners.keys().map(String::as_str).collect();
        return Err(with_help(
            format!("`{role}` is not a role in `owners:` of the config"),
            &if known.is_empty() {
                "add `owners:` to supportcheck.yaml, e.g. `owners: {support-lead: [Dana Lee]}`"
                    .to_string()
            } else {
                format!("known roles: {}", known.join(", "))
            },
        ));
    }
    let Some(name) = args
        .as_name
        .clone()
        .or_else(super::audit::default_author)
        .filter(|n| !n.trim().is_empty())
    else {
        bail!("who is signing? git has no user.name\nhelp: pass --as NAME");
    };
    let people = team::people(config, role);
    if !people
        .iter()
        .any(|p| p.trim().eq_ignore_ascii_case(name.trim()))
    {
        return Err(with_help(
            format!("{name} is not in the role `{role}` ({})", people.join(", ")),
            &format!(
                "sign as one of them with --as, or add {name} under `owners.{role}` in supportcheck.yaml"
            ),
        ));
    }
    let note = args.note.clone().filter(|n| !n.trim().is_empty());
    // The set is kept for the snapshot; the evaluation consumes its copy.
    let set = project.load_playbooks(ui)?;
    let eval = project.evaluate_set(ui, set.clone(), &project.gate())?;
    let summary = &eval.report.summary;
    let blocked = summary.level == Level::Blocked;
    if blocked && !args.accept_blocked {
        return Err(with_help(
            format!(
                "the project is blocked ({}); a sign-off would approve a launch that cannot go ahead",
                crate::render::count(summary.blockers, "blocker")
            ),
            "resolve or waive the blockers, or sign anyway with --accept-blocked --note \"why\"",
        ));
    }
    if args.accept_blocked && note.is_none() {
        bail!("--accept-blocked needs --note saying why the blocked state is accepted");
    }
    // The answers went into the report; read them again for the digest.
    let (answers, _) = project.load_answers(ui)?;
    let snapshot = project.snapshot(&set, &answers, summary);
    let digest = snapshot.digest.clone();
    let entry = Signoff {
        role: role.to_string(),
        name: name.trim().to_string(),
        at: now().trunc_subsecs(0).fixed_offset(),
        note,
        accepted_blocked: blocked && args.accept_blocked,
        signed: snapshot,
    };
    signoffs::append(&project.signoffs_path, &project.signoffs_shown, entry)?;
    emit(&format!(
        "signed: {role} by {} at score {} ({}), digest {}\nsaved in {}\n",
        name.trim(),
        summary.score,
        summary.level,
        &digest[..12],
        project.signoffs_shown
    ))?;
    ui.hint("note: any later change to the answers, playbooks or gate makes this sign-off outdated; commit the file (a signed commit proves who).");
    Ok(Exit::Ok)
}
