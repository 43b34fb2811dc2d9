//! `diff --live`: the answers as they are now, evaluated now, against the
//! latest report version (or the one named), without writing a report.

use super::history::{resolve, show_diff};
use super::{Project, Ui, show};
use crate::Exit;
use crate::cli::DiffArgs;
use crate::report::history::{self, Stored};
use crate::report::{changes, diff};
use anyhow::{Context, Result, bail};
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
    let (old, old_bytes) = history::read(&from)?;
    let eval = project.evaluate(ui, &project.gate())?;
    let now_json = serde_json::to_value(&eval.report).context("the report serialises")?;
    let now: Stored =
        serde_json::from_value(now_json.clone()).context("the report reads back as stored")?;
    let mut d = diff::diff(&old, &now);
    d.answer_changes = changes::between(&serde_json::from_slice(&old_bytes)?, &now_json);
    show_diff(&d, args)
}
