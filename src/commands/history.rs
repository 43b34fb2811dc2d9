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
    for (n, path) in history::versions(&dir)? {
        match history::read(&path) {
            Ok((s, _)) => versions.push((n, s)),
            Err(e) if args.verify => ui.hint(&format!("warning: {e:#}")),
            Err(e) => return Err(e),
        }
    }
    let problems = if args.verify {
        Some(history::verify(&dir)?)
    } else {
        None
    };
    let text = match args.format {
        HistoryFormat::Table => {
            let mut t = render::history_table(&versions, ui.width);
            if let Some(problems) = &problems {
                if problems.is_empty() {
                    t.push_str(&format!(
                        "Verified: {} version(s), the hash chain is intact.\n",
                        versions.len()
                    ));
                } else {
                    for p in problems {
                        t.push_str(&format!(
                            "{}: error[chain]: v{}: {}\n",
                            show(
                                &dir.join(format!("readiness-v{}.json", p.report_version)),
                                &project.root
                            ),
                            p.report_version,
                            p.problem
                        ));
                    }
                }
            }
            t
        }
        HistoryFormat::Json => render::history_json(&versions, problems.as_deref()),
    };
    emit(&text)?;
    Ok(match problems {
        Some(p) if !p.is_empty() => Exit::Findings,
        _ => Exit::Ok,
    })
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
