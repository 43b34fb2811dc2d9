//! Errors and their hints (issue 24): `error:` then the hints, each on its
//! own `help:` line, once, however the error travelled; the exit code comes
//! from the error's kind.

use crate::everyday::git;
use crate::support::{Test, have_tool};

/// The `help:` lines of stderr, in order.
fn help_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("help: ")).collect()
}

/// The one `error:` line of stderr, which never carries a hint.
fn error_line(stderr: &str) -> &str {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line:\n{stderr}");
    assert!(!errors[0].contains("help"), "{stderr}");
    errors[0]
}

#[test]
fn outside_a_project_the_error_has_one_help_line_of_its_own() {
    if !have_tool("git", "apt-get install git") {
        return;
    }
    let t = Test::new().finding();
    git(t.path(), &["init", "-q"]);
    for command in ["status", "check", "report"] {
        let out = t.exec([command], 2);
        assert_eq!(
            out.stderr,
            "error: no supportcheck.yaml here or in any parent folder; run `supportcheck init`\n\
             help: or name the project folder with `-C DIR` (or SUPPORTCHECK_DIR)\n",
            "{command}"
        );
    }
}

#[test]
fn a_tag_that_matches_nothing_gets_its_hints_from_the_core_once_each() {
    let t = Test::new().file(
        "pb/desk.md",
        "---\ntitle: Desk\nid: desk\nchecklist:\n  - order: 1\n    question: Tracked?\n    expectation: Yes.\n    version: 1.0.0\n    tags: [security]\n---\n",
    );
    let out = t.exec(["--checklists", "pb", "list", "--tag", "securty"], 2);
    assert_eq!(
        error_line(&out.stderr),
        "error: --tag securty: no question has this tag"
    );
    assert_eq!(
        help_lines(&out.stderr),
        [
            "help: did you mean `security`?",
            "help: the tags in use: security"
        ],
        "{}",
        out.stderr
    );
}

#[test]
fn a_refused_output_path_prints_the_file_layers_hint_once() {
    let t = Test::new();
    t.exec(["init", "--product", "Acme"], 0);
    std::fs::create_dir(t.path().join("register.xlsx")).unwrap();
    let out = t.exec(["export", "--out", "register.xlsx"], 2);
    assert!(
        error_line(&out.stderr).contains("register.xlsx: it is a folder, not a regular file"),
        "{}",
        out.stderr
    );
    assert_eq!(
        help_lines(&out.stderr),
        ["help: name a regular file (where the command takes `-`, that is standard output)"],
        "{}",
        out.stderr
    );
}
