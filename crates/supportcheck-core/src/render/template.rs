//! A user's own minijinja template rendered against the report model and
//! its client view; it may extend the built-in HTML report (`{% extends
//! "report.html" %}`) and override its named blocks.
//! Sandboxed: no loader (it cannot include or read files other than the
//! built-in report), no functions that
//! run commands, a fuel limit so a loop cannot run forever, and a recursion
//! limit. minijinja cannot bound memory (a string doubled in a loop grows
//! past any fuel limit), so `report` runs this in a child process with CPU
//! and memory limits (`commands/sandbox.rs`). Templates whose name ends in `.html`/`.htm`/`.xml` (before an
//! optional `.j2`/`.jinja`) are auto-escaped.

use anyhow::{Result, anyhow};
use minijinja::{AutoEscape, Environment, context};
use serde::Serialize;

/// Instructions a template may execute: generous for any real report,
/// finite for a loop that never ends.
pub const FUEL: u64 = 50_000_000;

/// The file name the output gets, from the template's name:
/// `brand.html.j2` → `html`.
pub fn output_extension(template_name: &str) -> String {
    let base = template_name
        .strip_suffix(".j2")
        .or_else(|| template_name.strip_suffix(".jinja"))
        .or_else(|| template_name.strip_suffix(".jinja2"))
        .unwrap_or(template_name);
    match base.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 8 => ext.to_string(),
        _ => "txt".to_string(),
    }
}

/// The built-in HTML report, which user templates may extend by this name.
pub const BUILTIN_NAME: &str = "report.html";
const BUILTIN_HTML: &str = include_str!("templates/report.html.j2");

/// An environment holding the built-in HTML report; templates named like
/// HTML (and the built-in one) are auto-escaped.
fn environment(user_ext: String) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_recursion_limit(64);
    env.set_auto_escape_callback(move |name| {
        let ext = if name == BUILTIN_NAME {
            "html"
        } else {
            user_ext.as_str()
        };
        match ext {
            "html" | "htm" | "xml" | "svg" => AutoEscape::Html,
            _ => AutoEscape::None,
        }
    });
    env.add_template(BUILTIN_NAME, BUILTIN_HTML)?;
    Ok(env)
}

/// The built-in HTML report of the client view `c`, written to `out` as it
/// is rendered. The built-in template reads only the view, so the report's
/// questions are not copied into template values a second time.
pub fn builtin_html_to<V: Serialize>(c: &V, out: &mut dyn std::io::Write) -> Result<()> {
    let env = environment("html".into())?;
    env.get_template(BUILTIN_NAME)?
        .render_captured_to(context! { c => c }, out)?;
    Ok(())
}

/// [`builtin_html_to`] as a string.
pub fn builtin_html<V: Serialize>(c: &V) -> Result<String> {
    let mut out = Vec::new();
    builtin_html_to(c, &mut out)?;
    Ok(String::from_utf8(out)?)
}

/// Renders `source` against the report model (a `Report`, or the same as
/// JSON), as `report` and its short name `r`, and the client view as `c`.
pub fn render<S: Serialize, V: Serialize>(
    source: &str,
    template_name: &str,
    r: &S,
    c: &V,
) -> Result<String> {
    let mut env = environment(output_extension(template_name))?;
    env.set_fuel(Some(FUEL));
    env.add_template_owned("user", source.to_string())
        .map_err(|e| anyhow!("{template_name}: {}", describe(&e)))?;
    let template = env.get_template("user")?;
    template
        .render(context! { report => r, r => r, c => c })
        .map_err(|e| anyhow!("{template_name}: {}", describe(&e)))
}

fn describe(e: &minijinja::Error) -> String {
    let mut s = e.to_string();
    if let Some(line) = e.line() {
        s = format!("line {line}: {s}");
    }
    s
}
