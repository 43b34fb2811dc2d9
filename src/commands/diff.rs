//! `supportcheck diff`: two report versions compared, or (`--live`) the
//! answers as they are now, evaluated now, against the latest version (or
//! the one named), without writing a report.

use super::{Project, Ui, emit, now, show};
use crate::Exit;
use crate::cli::{DiffArgs, DiffFormat, Global};
use crate::evaluate::evaluate;
use crate::render::history as render;
use crate::report::diff;
use crate::report::diff::Diff;
use crate::store::reports as history;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// A version number (`3`, `v3`) or a path to a JSON report.
fn resolve(dir: &Path, root: &Path, arg: &str) -> Result<PathBuf> {
    let number = arg.strip_prefix('v').unwrap_or(arg);
    if let Ok(n) = number.parse::<u64>() {
        let path = dir.join(format!("readiness-v{n}.json"));
        if !path.exists() {
            return Err(super::with_help(
                format!("no report version {n} in {}", show(dir, root)),
                "`supportcheck history` lists the versions",
            ));
        }
        return Ok(path);
    }
    let path = root.join(arg);
    if !path.exists() {
        bail!("{arg}: no such report");
    }
    Ok(path)
}

pub fn run(g: &Global, ui: &Ui, args: &DiffArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let dir = project.reports_dir_or(args.out.as_ref());
    let versions = history::versions(&dir)?;
    if args.live || (args.a.is_none() && versions.len() == 1) {
        return live(&project, ui, args, &dir, &versions);
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
                return Err(super::with_help(
                    format!(
                        "diff needs a report version to compare with; {} has none",
                        show(&dir, &project.root)
                    ),
                    "`supportcheck report` writes the first; after that `diff` compares the answers with it",
                ));
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
fn show_diff(d: &Diff, args: &DiffArgs) -> Result<Exit> {
    let text = match args.format {
        DiffFormat::Text => render::diff_text(d),
        DiffFormat::Json => render::diff_json(d),
        DiffFormat::Markdown => crate::render::diff::markdown(d),
    };
    emit(&text)?;
    Ok(Exit::Ok)
}

/// `diff --live`.
fn live(
    project: &Project,
    ui: &Ui,
    args: &DiffArgs,
    dir: &Path,
    versions: &[(u64, PathBuf)],
) -> Result<Exit> {
    let from = match (&args.a, versions.last()) {
        (Some(a), _) => resolve(dir, &project.root, a)?,
        (None, Some((_, last))) => last.clone(),
        (None, None) => {
            return Err(super::with_help(
                format!(
                    "no report in {} to compare the answers with",
                    show(dir, &project.root)
                ),
                "`supportcheck report` writes the first version",
            ));
        }
    };
    let (old, _) = history::read(&from)?;
    let gate = project.gate();
    let eval = evaluate(project.load(ui, &gate)?, now());
    show_diff(&diff::diff(&old, &eval.report), args)
}
