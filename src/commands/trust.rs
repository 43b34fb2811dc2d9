//! `supportcheck trust PATH`: lets a playbook's `command` probes run, by the
//! sha256 of the file as it is now (written to `probes.trusted`).

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{Global, TrustArgs};
use anyhow::{Result, bail};

pub fn run(g: &Global, ui: &Ui, args: &TrustArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let full = project.root.join(&args.path);
    let shown = show(&full, &project.root);
    let bytes = crate::store::read::read_named(
        &full,
        "playbook",
        &shown,
        crate::store::read::MAX_FILE_BYTES,
    )?;
    // The same path and digest the loaded playbook will have.
    let set = project.load_playbooks(ui)?;
    let Some(playbook) = set.playbooks.iter().find(|p| p.path == shown) else {
        return Err(super::with_help(
            format!(
                "{shown} is not one of the loaded playbooks ({})",
                project.sources_text()
            ),
            "trust a playbook file that `supportcheck list` shows",
        ));
    };
    let digest = crate::playbook::sha256_hex(&bytes);
    if digest != playbook.sha256() {
        bail!("{shown} changed while it was read; run `supportcheck trust {shown}` again");
    }
    let commands = playbook
        .questions
        .iter()
        .flat_map(|q| q.probes.iter())
        .filter(|p| matches!(p.kind, crate::probe::ProbeKind::Command(_)))
        .count();
    let text = project.config_text.clone();
    let new = crate::config::trust(&text, &shown, &digest).map_err(|e| anyhow::anyhow!("{e}"))?;
    crate::store::write_atomic(&project.config_path, new.as_bytes())?;
    emit(&format!(
        "trusted {shown} (sha256 {}…, {}) in {}\n",
        &digest[..12],
        crate::render::count(commands, "command probe"),
        project.config_shown
    ))?;
    ui.hint("note: any change to the file makes it untrusted again");
    Ok(Exit::Ok)
}
