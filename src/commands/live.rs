//! `diff --live`: the answers as they are now, evaluated now, against the
//! latest report version (or the one named), without writing a report.

use super::history::{resolve, show_diff};
use super::{Project, Ui, show};
use crate::Exit;
use crate::cli::DiffArgs;
use crate::report::diff;
use crate::store::reports as history;
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

pub fn diff(
    project: &Project,
    ui: &Ui,
    args: &DiffArgs,
    dir: &Path,
    versions: &[(u64, PathBuf)],
) -> Result<Exit> {
    let from = match (&args.a, versions.last()) {
        (Some(a), _) => resolve(dir, &project.root, a)?,
        (None, Some((_, last))) => last.clone(),
        (None, None) => bail!(
            "no report in {} to compare the answers with\nhelp: `supportcheck report` writes the first version",
            show(dir, &project.root)
        ),
    };
    let (old, _) = history::read(&from)?;
    let eval = project.evaluate(ui, &project.gate())?;
    show_diff(&diff::diff(&old, &eval.report), args)
}
