//! `lint --format json`: the findings of every file read, under the schema id.

use crate::diagnostic::{Finding, Severity};
use schemars::JsonSchema;
use serde::Serialize;

/// The wire form's id of `lint --format json`.
pub const SCHEMA: &str = "supportcheck.lint/1";

/// The JSON output of `lint --format json`.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "supportcheck lint")]
pub struct LintJson<'a> {
    /// Always `supportcheck.lint/1`.
    #[schemars(extend("const" = "supportcheck.lint/1"))]
    schema: &'a str,
    /// How many files were read.
    files: usize,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

/// The findings of `files` files read, with their counts.
pub fn json(files: usize, findings: &[Finding]) -> String {
    let out = LintJson {
        schema: SCHEMA,
        files,
        errors: findings.iter().filter(|f| f.is_error()).count(),
        warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count(),
        findings,
    };
    let mut s = serde_json::to_string_pretty(&out).expect("lint serialises");
    s.push('\n');
    s
}
