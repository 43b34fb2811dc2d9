//! The CI recipes in examples/ci: their supportcheck commands, run locally on
//! the example project, do what the recipes expect.

use crate::support::repo;

/// The shell lines of a recipe that call supportcheck.
fn commands(recipe: &str) -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("examples/ci").join(recipe)).unwrap();
    text.lines()
        .map(str::trim)
        .filter_map(|l| l.strip_prefix("run: ").or_else(|| l.strip_prefix("- ")))
        .filter(|l| l.starts_with("supportcheck "))
        .map(str::to_string)
        .collect()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// Runs each command with bash in a copy of examples/acme; returns exit codes.
fn run(recipe: &str) -> (tempfile::TempDir, Vec<(String, i32)>) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/acme"), dir.path());
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let summary = dir.path().join("step-summary.md");
    let mut codes = Vec::new();
    for cmd in commands(recipe) {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&cmd)
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
            .output()
            .unwrap();
        codes.push((cmd, out.status.code().unwrap_or(-1)));
    }
    (dir, codes)
}

#[test]
fn the_github_recipe_commands_work_on_the_example() {
    let (dir, codes) = run("github-actions.yml");
    let names: Vec<&str> = codes.iter().map(|(c, _)| c.as_str()).collect();
    assert!(
        names.iter().any(|c| c.contains("check --format github")),
        "{names:?}"
    );
    for (cmd, code) in &codes {
        let expected = if cmd == "supportcheck check --format github" {
            1
        } else {
            0
        };
        assert_eq!(*code, expected, "`{cmd}` exited {code}");
    }
    let junit = std::fs::read_to_string(dir.path().join("readiness-junit.xml")).unwrap();
    assert!(junit.contains("<testsuite"), "{junit}");
    assert!(
        dir.path()
            .join("readiness-report/readiness-v1.html")
            .exists()
    );
    assert!(dir.path().join("readiness-report/readiness-v1.md").exists());
    let summary = std::fs::read_to_string(dir.path().join("step-summary.md")).unwrap();
    assert!(summary.contains("Support readiness"), "{summary}");
}

#[test]
fn the_gitlab_recipe_commands_work_on_the_example() {
    let (dir, codes) = run("gitlab-ci.yml");
    assert_eq!(codes.len(), 4, "{codes:?}");
    for (cmd, code) in &codes {
        let expected = if cmd == "supportcheck check" { 1 } else { 0 };
        assert_eq!(*code, expected, "`{cmd}` exited {code}");
    }
    assert!(dir.path().join("readiness-junit.xml").exists());
    assert!(
        dir.path()
            .join("readiness-report/readiness-v1.json")
            .exists()
    );
}
