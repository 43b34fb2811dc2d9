//! `supportcheck status`: where the team stands.

use super::{Project, Ui, emit, now};
use crate::Exit;
use crate::cli::{Global, StatusArgs, StatusBy, StatusFormat};
use crate::evaluate::evaluate;
use crate::render::{status, team};
use anyhow::Result;

pub fn run(g: &Global, ui: &Ui, args: &StatusArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let gate = project.gate();
    let eval = evaluate(project.load(ui, &gate)?, now());
    let r = &eval.report;
    let only = args.owner.as_deref();
    if let Some(role) = only
        && !r.owners.contains_key(role)
        && !r.questions().any(|(_, q)| q.owner.as_deref() == Some(role))
    {
        let roles: Vec<String> = r.by_owner().into_iter().filter_map(|l| l.role).collect();
        return Err(super::with_help(
            format!("--owner {role}: no question is owned by that role"),
            format!("roles here: {}", roles.join(", ")),
        ));
    }
    let by_owner = args.by == StatusBy::Owner || only.is_some();
    let text = match (args.format, by_owner) {
        (StatusFormat::Table, false) => status::table(r, ui.width, ui.verbose, ui.paint()),
        (StatusFormat::Json, false) => status::json(r),
        (StatusFormat::Table, true) => team::owners_table(r, ui.width, only, ui.paint()),
        (StatusFormat::Json, true) => team::owners_json(r, only),
    };
    emit(&text)?;
    Ok(Exit::Ok)
}
