//! `supportcheck list`: the loaded playbooks and questions with their ids.

use super::{Project, Ui, emit};
use crate::Exit;
use crate::cli::{Global, ListArgs, ListFormat};
use crate::render::list;
use anyhow::Result;

pub fn run(g: &Global, ui: &Ui, args: &ListArgs) -> Result<Exit> {
    // `list --checklists PATH` needs no project: outside one it lists those.
    let project = match Project::open(g) {
        Err(e) if !g.checklists.is_empty() && crate::error::is_no_project(&e) => {
            Project::open_here(g)?
        }
        other => other?,
    };
    let set = project.load_playbooks(ui)?;
    let tag = args.tag.as_deref();
    set.require_tag(tag)?;
    let text = match args.format {
        ListFormat::Table => list::table(&set, tag, ui.width),
        ListFormat::Json => list::json(&set, tag),
        ListFormat::Markdown => list::markdown(&set, tag),
    };
    emit(&text)?;
    Ok(Exit::Ok)
}
