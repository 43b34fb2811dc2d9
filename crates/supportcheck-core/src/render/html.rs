//! The HTML report: one self-contained file (inline CSS and SVG, no scripts,
//! nothing fetched), the client view rendered by minijinja with HTML
//! auto-escaping. Printed to PDF, its CSS gives the page furniture.

use super::client::{self, Options, View};
use super::template;
use crate::report::Report;
use anyhow::Result;

pub fn render(r: &Report, o: &Options) -> Result<String> {
    template::builtin_html(&client::view(r, o))
}

/// The HTML of a client view already made, written to `out` as it renders.
pub fn render_to(view: &View, out: &mut dyn std::io::Write) -> Result<()> {
    template::builtin_html_to(view, out)
}
