//! The HTML report: one self-contained file (inline CSS and SVG, no scripts,
//! nothing fetched), the client view rendered by minijinja with HTML
//! auto-escaping. Printed to PDF, its CSS gives the page furniture.

use super::client::{self, Options};
use super::template;
use crate::report::Report;
use anyhow::Result;

pub fn render(r: &Report, o: &Options) -> Result<String> {
    template::builtin_html(r, &client::view(r, o))
}

/// [`render`] written to `out`.
pub fn render_to(r: &Report, o: &Options, out: &mut dyn std::io::Write) -> Result<()> {
    out.write_all(render(r, o)?.as_bytes())?;
    Ok(())
}
