//! `supportcheck verify`: runs every probe and records the results beside
//! the answers; `check --verify` runs it first.

use super::{Project, Ui, emit};
use crate::Exit;
use crate::cli::{Global, VerifyArgs, VerifyFormat};
use crate::playbook::Set;
use crate::probe::{self, ProbeKind};
use crate::prober::{self, Planned, Ran, Settings};
use anyhow::Result;
use std::time::Duration;

/// The default number of probes run at once, and the default budget.
pub const DEFAULT_JOBS: usize = 32;
pub const DEFAULT_BUDGET_SECS: u64 = 120;

pub fn run(g: &Global, ui: &Ui, args: &VerifyArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let set = project.load_playbooks(ui)?;
    if let Some(only) = &args.only {
        set.require_id("--only ", only)?;
    }
    let (planned, ran) = run_and_record(&project, &set, ui, args)?;
    let rows = rows(&planned, &ran);
    let text = match args.format {
        VerifyFormat::Text => crate::render::probes::text(&rows, &project.probes_shown),
        VerifyFormat::Json => crate::render::probes::json(&rows),
    };
    emit(&text)?;
    let bad = ran
        .iter()
        .any(|r| matches!(r, Ran::Done(r) if r.outcome != probe::Outcome::Pass));
    Ok(if bad { Exit::Findings } else { Exit::Ok })
}

/// The rows `verify` prints, in the order planned.
pub fn rows(planned: &[Planned], ran: &[Ran]) -> Vec<crate::render::probes::Row> {
    planned
        .iter()
        .zip(ran)
        .map(|(p, r)| crate::render::probes::Row {
            question: p.question.clone(),
            probe: p.index,
            kind: p.probe.kind.name().to_string(),
            target: match r {
                Ran::Done(r) => r.target.clone(),
                Ran::Offline => p.target.clone().unwrap_or_default(),
            },
            offline: matches!(r, Ran::Offline),
            result: match r {
                Ran::Done(r) => Some((**r).clone()),
                Ran::Offline => None,
            },
        })
        .collect()
}

/// Plans, runs and records every probe of the set (or of `--only`).
pub fn run_and_record(
    project: &Project,
    set: &Set,
    ui: &Ui,
    args: &VerifyArgs,
) -> Result<(Vec<Planned>, Vec<Ran>)> {
    let planned = plan(project, set, args.only.as_deref());
    if planned.is_empty() {
        ui.hint("note: no question declares probes; see docs/probes.md");
        return Ok((planned, Vec::new()));
    }
    let cfg = &project.config.probes;
    let env: Vec<(String, String)> = cfg
        .allow_env
        .iter()
        .filter_map(|name| Some((name.clone(), std::env::var(name).ok()?)))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let settings = Settings {
        root: project.root.clone(),
        allow_hosts: cfg.allow_hosts.clone(),
        env,
        offline: args.offline,
        roots: ca_roots(project)?,
        jobs: args
            .jobs
            .map(usize::from)
            .or(cfg.jobs)
            .unwrap_or(DEFAULT_JOBS)
            .clamp(1, 256),
        budget: args
            .budget
            .or(cfg.budget)
            .map_or(Duration::from_secs(DEFAULT_BUDGET_SECS), |b| b.as_std()),
        at: super::now().fixed_offset(),
    };
    let progress = ui.progress(&format!(
        "running {}…",
        crate::render::count(planned.len(), "probe")
    ));
    let ran = prober::run_all(&planned, &settings);
    progress.done();
    let results: Vec<probe::ProbeResult> = ran
        .iter()
        .filter_map(|r| match r {
            Ran::Done(r) => Some((**r).clone()),
            Ran::Offline => None,
        })
        .collect();
    crate::store::probes::append(&project.probes_path, &project.probes_shown, &results)?;
    Ok((planned, ran))
}

/// The largest `probes.ca_file` read: a bundle of a few CAs is a few KiB.
const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;

/// The roots `https` probes trust: with `probes.ca_file`, the public ones
/// and the CAs in that file (inside the project); else ureq's own.
fn ca_roots(project: &Project) -> Result<Option<ureq::tls::RootCerts>> {
    let Some(shown) = &project.config.probes.ca_file else {
        return Ok(None);
    };
    let pem = crate::store::read::read_inside(
        &project.root.join(shown),
        &project.root,
        "probes.ca_file",
        shown,
        MAX_CA_FILE_BYTES,
    )?;
    prober::roots_with(&pem, shown)
        .map(Some)
        .map_err(anyhow::Error::msg)
}

/// Every probe of the set, with its target, key and trust worked out.
fn plan(project: &Project, set: &Set, only: Option<&str>) -> Vec<Planned> {
    let facts = &project.config.facts;
    let trusted = &project.config.probes.trusted;
    let mut out = Vec::new();
    for (p, q) in set.questions() {
        if let Some(only) = only
            && only != p.id
            && only != q.id
        {
            continue;
        }
        for (i, probe) in q.probes.iter().enumerate() {
            let target = probe::target(probe, facts);
            let key = probe::key(probe, target.as_deref().unwrap_or_default());
            let (trust, argv) = match &probe.kind {
                ProbeKind::Command(c) => {
                    let trust = if p.path.starts_with("builtin/") {
                        Err("built-in playbooks run no commands".to_string())
                    } else {
                        match trusted.get(&p.path) {
                            Some(d) if d == p.sha256() => Ok(()),
                            Some(_) => Err(format!(
                                "{} changed since it was trusted, so its commands do not run; review it, then `supportcheck trust {}`",
                                p.path, p.path
                            )),
                            None => Err(format!(
                                "{} is not trusted to run commands; review it, then `supportcheck trust {}`",
                                p.path, p.path
                            )),
                        }
                    };
                    let argv = c
                        .argv
                        .iter()
                        .map(|a| probe::fill(a, facts))
                        .collect::<Result<Vec<_>, _>>()
                        .unwrap_or_default();
                    (trust, argv)
                }
                _ => (Ok(()), Vec::new()),
            };
            out.push(Planned {
                question: q.id.clone(),
                index: i + 1,
                probe: probe.clone(),
                target,
                key,
                trusted: trust,
                argv,
            });
        }
    }
    out
}
