//! `list` through the real binary.

use crate::support::Test;

#[test]
fn list_json_has_the_documented_shape() {
    let out = Test::new().args(["list", "--format", "json"]).status(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let playbooks = v["playbooks"].as_array().unwrap();
    assert!(playbooks.len() >= 12);
    let p = &playbooks[0];
    for key in ["id", "title", "path", "section", "questions"] {
        assert!(p.get(key).is_some(), "playbook lacks {key}: {p}");
    }
    let q = &p["questions"][0];
    for key in ["id", "order", "question", "expectation", "version"] {
        assert!(q.get(key).is_some(), "question lacks {key}: {q}");
    }
    assert!(
        q["id"]
            .as_str()
            .unwrap()
            .starts_with(p["id"].as_str().unwrap())
    );
}

#[test]
fn list_filters_by_tag() {
    let out = Test::new()
        .args(["list", "--format", "json", "--tag", "launch-blocker"])
        .status(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let questions: Vec<&serde_json::Value> = v["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["questions"].as_array().unwrap())
        .collect();
    assert!(!questions.is_empty());
    assert!(
        questions.iter().all(|q| q["critical"] == true),
        "{questions:?}"
    );
}

#[test]
fn list_reads_a_custom_folder_with_sections() {
    let pb = "---\ntitle: Escalation\nchecklist:\n  - order: 1\n    question: Is there a path?\n    expectation: Yes.\n    version: 1.0.0\n---\n## How\nWrite it.\n";
    let out = Test::new()
        .file("pb/6-optimize/04-escalation.md", pb)
        .file(
            "pb/6-optimize/index.md",
            "---\ntitle: Section\n---\nindex\n",
        )
        .args(["list", "--format", "json", "--checklists", "pb"])
        .status(0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["playbooks"].as_array().unwrap().len(), 1);
    assert_eq!(v["playbooks"][0]["id"], "escalation");
    assert_eq!(v["playbooks"][0]["section"], "6-optimize");
    assert_eq!(v["playbooks"][0]["path"], "pb/6-optimize/04-escalation.md");
    assert_eq!(v["playbooks"][0]["questions"][0]["id"], "escalation/q1");
}

#[test]
fn list_markdown_and_table_show_every_question() {
    let md = Test::new().args(["list", "--format", "markdown"]).status(0);
    assert!(md.stdout.contains("| `help-desk/q1` |"), "{}", md.stdout);
    let table = Test::new().args(["list"]).status(0);
    assert!(table.stdout.contains("help-desk/q1"));
    assert!(table.stdout.contains("questions"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // Far more output than a pipe buffer holds, so the write really fails.
    let dir = tempfile::tempdir().unwrap();
    let mut pb = String::from("---\ntitle: Big\nchecklist:\n");
    for i in 1..=3000 {
        pb.push_str(&format!("  - order: {i}\n    question: Question number {i} about support?\n    expectation: A long enough expectation for question {i}.\n    version: 1.0.0\n"));
    }
    pb.push_str("---\n");
    std::fs::write(dir.path().join("big.md"), pb).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("supportcheck"))
        .current_dir(dir.path())
        .args(["list", "--format", "markdown", "--checklists", "big.md"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let always = Test::new().args(["status", "--color", "always"]).status(0);
    assert!(always.stdout.contains("\u{1b}["), "--color always colours");
    let never = Test::new().args(["status", "--color", "never"]).status(0);
    assert!(!never.stdout.contains("\u{1b}["), "--color never does not");
    // Not a terminal: auto means no colour, and NO_COLOR keeps it off.
    let auto = Test::new().args(["status"]).env("NO_COLOR", "1").status(0);
    assert!(!auto.stdout.contains("\u{1b}["));
    assert!(auto.stdout.contains("BLOCKED"));
}

#[test]
fn progress_shows_on_a_terminal_and_never_in_a_pipe() {
    // In a pipe: stderr holds no progress line.
    let piped = Test::new().args(["list"]).status(0);
    assert!(
        !piped.stderr.contains("loading playbooks"),
        "{}",
        piped.stderr
    );
    // On a terminal: the line appears, then is cleared.
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("supportcheck"));
    cmd.args(["list", "--format", "json"])
        .env("TERM", "dumb")
        .env("SUPPORTCHECK_DIR", ".");
    let mut screen = crate::pty::Pty::spawn(cmd);
    screen.expect("loading playbooks");
    screen.expect("\r\x1b[K");
    screen.expect("\"playbooks\"");
    let (status, _, _) = screen.finish();
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}"
    );
}
