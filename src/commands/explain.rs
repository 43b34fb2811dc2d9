//! `supportcheck explain`: the scoring arithmetic, shown.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::cli::{ExplainArgs, Global};
use crate::evaluate::evaluate;
use crate::render::explain;
use anyhow::{Result, bail};

pub fn run(g: &Global, ui: &Ui, args: &ExplainArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let set = project.load_playbooks(ui)?;
    if let Some(id) = args.id.as_deref() {
        // An id that names nothing is an error with the closest id, before
        // anything is scored.
        set.require_id("", id)?;
    }
    let gate = project.gate();
    let eval = evaluate(project.load_with(ui, set, &gate)?, now());
    let r = &eval.report;
    let text = match args.id.as_deref() {
        None => explain::all(r),
        Some(id) => {
            if let Some((p, q)) = r.questions().find(|(_, q)| q.id == id) {
                explain::question(p, q, &r.owners)
            } else if let Some(p) = r.playbooks.iter().find(|p| p.id == id) {
                explain::playbook(p, &r.levels)
            } else {
                bail!("`{id}` is not in the report");
            }
        }
    };
    emit(&text)?;
    Ok(Exit::Ok)
}
