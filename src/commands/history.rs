//! `supportcheck history` and `supportcheck diff`: reading report versions back.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{DiffArgs, DiffFormat, Global, HistoryArgs, HistoryFormat};
use crate::render::history as render;
use crate::report::diff;
use crate::report::diff::Diff;
use crate::store::reports as history;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

pub fn history(g: &Global, ui: &Ui, args: &HistoryArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let dir = project.reports_dir_or(args.out.as_ref());
    let mut versions = Vec::new();
    // With --verify a damaged index is one of the findings, not the end.
    let listed = match history::summaries(&dir) {
        Ok(listed) => listed,
        Err(e) if args.verify => {
            ui.hint(&format!("warning: {e:#}"));
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    for entry in listed {
        match entry {
            Ok(e) => versions.push(e),
            Err(e) if args.verify => ui.hint(&format!("warning: {e:#}")),
            Err(e) => return Err(e),
        }
    }
    let check = if args.verify {
        Some(history::verify(&dir)?)
    } else {
        None
    };
    let problems = check.as_ref().map(|c| c.problems.as_slice());
    let text = match args.format {
        HistoryFormat::Table => {
            let mut t = render::history_table(&versions, ui.width);
            if let Some(check) = &check {
                t.push_str(&verify_text(check, &dir, &project.root));
            }
            t
        }
        HistoryFormat::Json => render::history_json(&versions, problems),
    };
    emit(&text)?;
    Ok(match problems {
        Some(p) if !p.is_empty() => Exit::Findings,
        _ => Exit::Ok,
    })
}

/// The verdict of `history --verify`, one line per problem.
fn verify_text(check: &history::Verification, dir: &Path, root: &Path) -> String {
    let shown = show(dir, root);
    if check.problems.is_empty() {
        return if check.versions == 0 {
            format!("Verified: no reports in {shown}, nothing to check.\n")
        } else if check.indexed {
            format!(
                "Verified: {}, every file matches index.jsonl and the hash chain is intact.\n",
                crate::render::count(check.versions, "version")
            )
        } else {
            format!(
                "Verified: {}, the hash chain is intact.\nnote: {shown} has no index.jsonl (written by an older supportcheck): a deleted or replaced newest version cannot be detected until the next `report` writes one.\n",
                crate::render::count(check.versions, "version")
            )
        };
    }
    let mut t = String::new();
    for p in &check.problems {
        let version = if p.report_version == 0 {
            String::new()
        } else {
            format!("v{}: ", p.report_version)
        };
        t.push_str(&format!(
            "{}: error[chain]: {version}{}\n",
            show(&dir.join(&p.file), root),
            p.problem
        ));
    }
    t
}

/// A version number (`3`, `v3`) or a path to a JSON report.
pub(super) fn resolve(dir: &Path, root: &Path, arg: &str) -> Result<PathBuf> {
    let number = arg.strip_prefix('v').unwrap_or(arg);
    if let Ok(n) = number.parse::<u64>() {
        let path = dir.join(format!("readiness-v{n}.json"));
        if !path.exists() {
            bail!(
                "no report version {n} in {}\nhelp: `supportcheck history` lists the versions",
                show(dir, root)
            );
        }
        return Ok(path);
    }
    let path = root.join(arg);
    if !path.exists() {
        bail!("{arg}: no such report");
    }
    Ok(path)
}

pub fn diff(g: &Global, ui: &Ui, args: &DiffArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let dir = project.reports_dir_or(args.out.as_ref());
    let versions = history::versions(&dir)?;
    if args.live || (args.a.is_none() && versions.len() == 1) {
        return super::live::diff(&project, ui, args, &dir, &versions);
    }
    let (a, b) = match (&args.a, &args.b) {
        (Some(a), Some(b)) => (
            resolve(&dir, &project.root, a)?,
            resolve(&dir, &project.root, b)?,
        ),
        (Some(a), None) => {
            let Some((_, last)) = versions.last() else {
                bail!("no reports in {}", show(&dir, &project.root));
            };
            (resolve(&dir, &project.root, a)?, last.clone())
        }
        (None, _) => {
            if versions.len() < 2 {
                bail!(
                    "diff needs a report version to compare with; {} has none\nhelp: `supportcheck report` writes the first; after that `diff` compares the answers with it",
                    show(&dir, &project.root),
                );
            }
            (
                versions[versions.len() - 2].1.clone(),
                versions[versions.len() - 1].1.clone(),
            )
        }
    };
    let (sa, _) = history::read(&a)?;
    let (sb, _) = history::read(&b)?;
    show_diff(&diff::diff(&sa, &sb), args)
}

/// Prints a diff in the asked format; a diff is information, so exit 0.
pub(super) fn show_diff(d: &Diff, args: &DiffArgs) -> Result<Exit> {
    let text = match args.format {
        DiffFormat::Text => render::diff_text(d),
        DiffFormat::Json => render::diff_json(d),
        DiffFormat::Markdown => crate::render::diff::markdown(d),
    };
    emit(&text)?;
    Ok(Exit::Ok)
}
