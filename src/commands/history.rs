//! `supportcheck history`: the report versions, and `--verify` of the ledger.

use super::{Project, Ui, emit, show};
use crate::Exit;
use crate::cli::{Global, HistoryArgs, HistoryFormat};
use crate::render::history as render;
use crate::store::reports as history;
use anyhow::Result;
use std::path::Path;

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
        Some(history::verify(&dir, super::now())?)
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
