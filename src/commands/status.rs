//! `supportcheck status`: where the team stands.

use super::{Project, Ui, emit};
use crate::Exit;
use crate::cli::{Global, StatusArgs, StatusFormat};
use crate::render::status;
use anyhow::Result;

pub fn run(g: &Global, ui: &Ui, args: &StatusArgs) -> Result<Exit> {
    let project = Project::open(g)?;
    let eval = project.evaluate(ui, &project.gate())?;
    let text = match args.format {
        StatusFormat::Table => status::table(&eval.report, ui.width, ui.verbose),
        StatusFormat::Json => status::json(&eval.report),
    };
    emit(&text)?;
    Ok(Exit::Ok)
}
