//! `supportcheck signoff ROLE`: a person in a role approves the readiness as it stands.

use super::{Project, Ui, emit, now, with_help};
use crate::Exit;
use crate::cli::{Global, SignoffArgs};
use crate::evaluate::evaluate;
use crate::score::Level;
use crate::store::signoffs;
use crate::team::{self, Signoff};
use anyhow::{Result, bail};
use chrono::SubsecRound;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub fn run(g: &Global, ui: &Ui, args: &SignoffArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let config = &project.config;
    let role = args.role.trim();
    if !config.owners.contains_key(role) {
        let known: Vec<&str> = config.owners.keys().map(String::as_str).collect();
        return Err(with_help(
            format!("`{role}` is not a role in `owners:` of the config"),
            if known.is_empty() {
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
        return Err(with_help(
            "who is signing? git has no user.name",
            "pass --as NAME",
        ));
    };
    let people = team::people(config, role);
    if !people
        .iter()
        .any(|p| p.trim().eq_ignore_ascii_case(name.trim()))
    {
        return Err(with_help(
            format!("{name} is not in the role `{role}` ({})", people.join(", ")),
            format!(
                "sign as one of them with --as, or add {name} under `owners.{role}` in supportcheck.yaml"
            ),
        ));
    }
    let note = args.note.clone().filter(|n| !n.trim().is_empty());
    if config.gate.signoffs_signed && !args.sign {
        return Err(with_help(
            "gate.signoffs_signed is on: only a sign-off signed with an SSH key counts",
            format!(
                "sign with `supportcheck signoff {role} --sign --key ~/.ssh/id_ed25519` (a key listed for you in {})",
                project.allowed_signers_path().1
            ),
        ));
    }
    // Find the key before the evaluation: a wrong path fails fast.
    let key = if args.sign {
        Some(signing_key(args)?)
    } else {
        None
    };
    let gate = project.gate();
    let mut inputs = project.load(ui, &gate)?;
    // The digest of what is signed comes with the evaluation.
    inputs.digest = true;
    let eval = evaluate(inputs, now());
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
    let snapshot = eval.snapshot.expect("the digest was asked for");
    let digest = snapshot.digest.clone();
    let mut entry = Signoff {
        role: role.to_string(),
        name: name.trim().to_string(),
        at: now().trunc_subsecs(0).fixed_offset(),
        note,
        accepted_blocked: blocked && args.accept_blocked,
        signed: snapshot,
        signature: None,
    };
    let mut signed_with = None;
    if let Some(key) = &key {
        let signature = sign(key, &team::signed_text(&entry))?;
        entry.signature = Some(signature);
        signed_with = Some(check_own_signature(&project, &entry)?);
    }
    signoffs::append(&project.signoffs_path, &project.signoffs_shown, entry)?;
    emit(&format!(
        "signed: {role} by {} at score {} ({}), digest {}{}\nsaved in {}\n",
        name.trim(),
        summary.score,
        summary.level,
        &digest[..12],
        signed_with.map_or_else(String::new, |k| format!(", signed with {k}")),
        project.signoffs_shown
    ))?;
    ui.hint("note: any later change to the answers, playbooks, facts or gate makes this sign-off outdated; commit the file (`--sign` or a signed commit proves who).");
    Ok(Exit::Ok)
}

/// The key to sign with: `--key`, else git's `user.signingkey` (a path).
fn signing_key(args: &SignoffArgs) -> Result<PathBuf> {
    if let Some(key) = &args.key {
        return Ok(key.clone());
    }
    let configured = Command::new("git")
        .args(["config", "user.signingkey"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    match configured {
        Some(k) if k.starts_with("key::") || k.starts_with("ssh-") => Err(with_help(
            "git's user.signingkey is a literal public key; supportcheck signs with a key file",
            "pass the private key (or, with ssh-agent, the public key file) with --key PATH",
        )),
        Some(k) => Ok(PathBuf::from(k.strip_prefix("~/").map_or_else(
            || k.clone(),
            |rest| std::env::var("HOME").map_or_else(|_| k.clone(), |h| format!("{h}/{rest}")),
        ))),
        None => Err(with_help(
            "which SSH key should sign? git has no user.signingkey",
            "pass --key ~/.ssh/id_ed25519 (or set `git config user.signingkey` to a key file)",
        )),
    }
}

/// Signs `text` with `ssh-keygen -Y sign` in the `supportcheck` namespace:
/// the text on its standard input, the armoured signature on its output.
/// A passphrase prompt, if any, goes to the terminal as usual.
fn sign(key: &Path, text: &str) -> Result<String> {
    if !key.is_file() {
        bail!("--key {}: no such key file", key.display());
    }
    let mut child = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", crate::signature::NAMESPACE, "-f"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            crate::error::hinted(
                crate::error::Kind::Tool,
                format!("cannot run ssh-keygen to sign: {e}"),
                "install OpenSSH (ssh-keygen 8.2 or later signs with -Y sign)",
            )
        })?;
    {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    let signature = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || !signature.contains("BEGIN SSH SIGNATURE") {
        let why = crate::safe_text::one_line(&String::from_utf8_lossy(&out.stderr)).into_owned();
        bail!(
            "ssh-keygen could not sign with {}: {}",
            key.display(),
            why.trim()
        );
    }
    Ok(signature)
}

/// Checks a new signature as `check` will, so that a sign-off that would
/// not count is never written: against `allowed_signers` when the gate
/// requires signatures or the file exists. Returns the key's fingerprint.
fn check_own_signature(project: &Project, entry: &Signoff) -> Result<String> {
    let signature = entry.signature.as_deref().unwrap_or_default();
    let (_, shown) = project.allowed_signers_path();
    match project.allowed_signers()? {
        Some((signers, _)) => crate::signature::verify(
            signature,
            &team::signed_text(entry),
            &entry.name,
            &entry.at,
            &signers,
            &shown,
        )
        .map_err(|why| {
            with_help(
                format!("this sign-off would not count: {why}"),
                format!(
                    "add a line for {} with their public key to {shown}: `\"{}\" ssh-ed25519 AAAA...`",
                    entry.name, entry.name
                ),
            )
        }),
        None if project.config.gate.signoffs_signed => Err(with_help(
            format!("gate.signoffs_signed is on but {shown} does not exist: no signature could count"),
            "list each signer's public key there, one `\"Name\" ssh-ed25519 AAAA...` line each",
        )),
        None => crate::signature::fingerprint(signature).map_err(|e| anyhow::anyhow!("{e}")),
    }
}
