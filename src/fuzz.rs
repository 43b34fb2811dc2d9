//! Entry points for the fuzz targets in `fuzz/`, and for the test that
//! replays the inputs they found (`tests/fuzz_regressions.rs`).
//!
//! Each function takes raw bytes, runs one stage the way the tool does, and
//! panics when an invariant breaks. Returning normally means "fine", whatever
//! the input was: bad input must end in a finding, never a panic.
// Test-only: the fuzz targets write the project files they check.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

use crate::answers;
use crate::config::Config;
use crate::diagnostic::Finding;
use crate::playbook::parse::{self, FileInfo, Parsed, parse};
use crate::playbook::{frontmatter, guidance};
use std::path::{Component, Path, PathBuf};

/// A playbook file: parse it, check the fast frontmatter path against
/// serde-saphyr, and render its guidance for the terminal.
pub fn playbook(data: &[u8]) {
    let info = FileInfo {
        path: "fuzz/input.md".into(),
        section: Some("fuzz".into()),
        stem: "input".into(),
    };
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(split) = frontmatter::split(frontmatter::strip_bom(text))
        && let Err(why) = parse::check_against_full_parser(split.yaml)
    {
        panic!("fast path and serde-saphyr disagree: {why}");
    }
    match parse(data.to_vec(), &info) {
        Parsed::Playbook(pb, findings) => {
            within_file(&findings, data, &info.path);
            let g = pb.guidance();
            for text in [g.why.as_deref(), g.how.as_deref()].into_iter().flatten() {
                let _ = guidance::to_terminal_text(text, 60);
            }
            let _ = guidance::to_terminal_text(pb.body(), 40);
        }
        Parsed::NotAPlaybook { .. } => {}
        Parsed::Broken(findings) => {
            within_file(&findings, data, &info.path);
            assert!(
                findings.iter().any(|f| f.is_error()),
                "a broken file must carry an error"
            );
        }
    }
}

/// Every finding names `path`, and a line (1-based) that the file has,
/// counting lines as YAML does (a lone CR ends a line too).
fn within_file(findings: &[Finding], data: &[u8], path: &str) {
    let crlf = data.windows(2).filter(|w| w == b"\r\n").count();
    let breaks = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() - crlf;
    let lines = breaks as u64 + 1;
    for f in findings {
        assert_eq!(f.location.path, path, "finding names another file: {f}");
        if let Some(line) = f.location.line {
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {f}");
        }
    }
}

/// An answers file: read it; when it reads without errors, what we write
/// must read back to the same answers and comments, and writing again
/// changes nothing.
pub fn answers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (first, findings) = answers::parse(text, "answers.yaml");
    within_file(&findings, data, "answers.yaml");
    if findings.iter().any(|f| f.is_error()) {
        return;
    }
    let order: Vec<String> = first.answers.keys().rev().cloned().collect();
    let written = answers::to_yaml(&first, &order);
    let (second, findings) = answers::parse(&written, "answers.yaml");
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "what we wrote does not read back: {errors:?}\n--- input\n{text}\n--- written\n{written}"
    );
    assert_eq!(
        first.clone().without_lines(),
        second.clone().without_lines(),
        "answers changed in a round trip\n--- written\n{written}"
    );
    assert_eq!(
        answers::to_yaml(&second, &order),
        written,
        "a second save changed the file"
    );
    assert_eq!(
        comment_texts(&first.comments),
        comment_texts(&second.comments),
        "a comment was lost or added in a save\n--- written\n{written}"
    );
}

/// Every comment's text, sorted: where a comment sits may change in a save
/// (one with no key left moves to the end), what it says may not.
fn comment_texts(c: &answers::Comments) -> Vec<String> {
    let mut all: Vec<String> = c
        .top
        .values()
        .chain(c.above.values())
        .chain(c.inside.values())
        .flatten()
        .chain(&c.tail)
        .map(|t| t.replace(['\r', '\n'], " "))
        .collect();
    all.sort();
    all
}

/// A config file: parse it; a config that parses must survive being written
/// out and read again.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let config = match Config::parse(text, "supportcheck.yaml") {
        Ok(config) => config,
        Err(finding) => return within_file(&[finding], data, "supportcheck.yaml"),
    };
    let Ok(written) = serde_saphyr::to_string(&config) else {
        return;
    };
    match Config::parse(&written, "supportcheck.yaml") {
        Ok(back) => assert_eq!(back, config, "config changed in a round trip\n{written}"),
        Err(e) => panic!("a config we wrote does not read back: {e}\n{written}"),
    }
}

/// The commands the `project` check runs, in order, after
/// `--color never -q -C <dir>`.
pub const PROJECT_RUNS: [&[&str]; 9] = [
    &["lint", "--format", "json"],
    &["status", "--format", "json"],
    &["status"],
    &["check", "--format", "junit"],
    &["check", "--format", "github"],
    &["report"],
    &["report", "--format", "json"],
    &["diff"],
    &["history", "--verify"],
];

/// A whole project: files split out of `data` (see [`write_project`]), then
/// [`PROJECT_RUNS`] through the command layer. None may panic or exit with
/// a code outside the contract, and none may change the answers file.
/// (User templates render in a child process of the real binary, so they
/// are tested through it, not here.)
pub fn project(data: &[u8], dir: &Path) {
    let Some(answers_path) = write_project(data, dir) else {
        return;
    };
    let before = std::fs::read(&answers_path).ok();
    let dir_arg = dir.to_string_lossy().into_owned();
    for args in PROJECT_RUNS {
        let mut argv = vec!["supportcheck", "--color", "never", "-q", "-C", &dir_arg];
        argv.extend_from_slice(args);
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(&argv)
            .unwrap_or_else(|e| panic!("{argv:?}: {e}"));
        let code = crate::run(cli) as i32;
        assert!(matches!(code, 0..=2), "{args:?} exited {code}");
        assert_eq!(
            std::fs::read(&answers_path).ok(),
            before,
            "{args:?} changed the answers file"
        );
    }
}

/// Writes the files in `data` into `dir` and returns the answers file's
/// path, or `None` when the input makes no project worth running.
///
/// `data` is a list of files, each starting with a line `@@@ <name>`; text
/// before the first such line is ignored. Names are cleaned into relative
/// paths under `dir`; `supportcheck.yaml` is the config and
/// `readiness/answers.yaml` the answers file, unless the config names
/// another. A config that points outside `dir` is refused.
pub fn write_project(data: &[u8], dir: &Path) -> Option<PathBuf> {
    let files = split_files(data);
    if files.is_empty() {
        return None;
    }
    for (name, bytes) in &files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            // Fails when a name collides with a file made earlier.
            std::fs::create_dir_all(parent).ok()?;
        }
        std::fs::write(&path, bytes).ok()?;
    }
    let mut answers_rel = crate::config::DEFAULT_ANSWERS.to_string();
    if let Ok(text) = std::fs::read_to_string(dir.join(crate::config::FILE_NAME))
        && let Ok(config) = Config::parse(&text, "supportcheck.yaml")
    {
        let named = config.checklists.iter().flatten();
        let paths = named
            .chain(config.answers.iter())
            .chain(config.reports.iter());
        if paths
            .map(Path::new)
            .any(|p| p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))))
        {
            return None;
        }
        if let Some(a) = config.answers {
            answers_rel = a;
        }
    }
    Some(dir.join(answers_rel))
}

/// Splits `@@@ name` sections into (relative path, bytes).
pub fn split_files(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    const MARK: &[u8] = b"@@@ ";
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let rest = data;
    let mut at_line_start = true;
    let mut i = 0;
    let mut current: Option<(String, usize)> = None;
    while i < rest.len() {
        if at_line_start && rest[i..].starts_with(MARK) {
            let line_end = rest[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |p| i + p);
            if let Some((name, start)) = current.take() {
                files.push((name, rest[start..i].to_vec()));
            }
            let name = clean_name(&rest[i + MARK.len()..line_end]);
            let start = (line_end + 1).min(rest.len());
            current = name.map(|n| (n, start));
            i = start;
            at_line_start = true;
            continue;
        }
        at_line_start = rest[i] == b'\n';
        i += 1;
    }
    if let Some((name, start)) = current {
        files.push((name, rest[start..].to_vec()));
    }
    files.truncate(64);
    files
}

/// A safe relative path: at most three parts of `[A-Za-z0-9._-]`; parts
/// that start with a dot (`..`, hidden folders) are dropped.
fn clean_name(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let parts: Vec<String> = text
        .trim()
        .split('/')
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .take(40)
                .collect::<String>()
        })
        .filter(|p| !p.is_empty() && !p.starts_with('.'))
        .take(3)
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_files_reads_marks_at_line_starts_only() {
        let files = split_files(b"junk\n@@@ a.md\nx @@@ y\n@@@ ../../etc/p.md\nz");
        assert_eq!(
            files,
            vec![
                ("a.md".to_string(), b"x @@@ y\n".to_vec()),
                ("etc/p.md".to_string(), b"z".to_vec()),
            ]
        );
    }

    #[test]
    fn clean_name_refuses_hidden_and_empty_names() {
        assert_eq!(clean_name(b".."), None);
        assert_eq!(clean_name(b"  "), None);
        assert_eq!(clean_name(b"a/.git/b.md").as_deref(), Some("a/b.md"));
    }
}
