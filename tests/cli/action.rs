//! The GitHub Action (action.yml): its shell steps run as the runner would
//! run them, with a fake GITHUB_* environment, against a fake release made
//! of the locally built binary.

use crate::support::repo;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// A YAML file of the repository as JSON.
pub fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo().join(rel)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The archive the Action downloads on a Linux x64 runner.
pub const ASSET: &str = "supportcheck-x86_64-unknown-linux-musl.tar.gz";

/// A release folder as the release workflow lays it out, made by
/// ci/package.sh from the locally built binary. The archive is packed once
/// per test process (gzip of the debug binary is the slow part) and copied
/// into `dir`, so a test may rename or damage its own copy.
pub fn fake_release(dir: &Path) -> PathBuf {
    static PACKED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    let packed = PACKED.get_or_init(pack_release);
    let release = dir.join("release");
    std::fs::create_dir_all(&release).unwrap();
    for name in [ASSET.to_string(), format!("{ASSET}.sha256")] {
        std::fs::copy(packed.join(&name), release.join(&name)).unwrap();
    }
    release
}

/// Packs the release into Cargo's folder for test files, in a folder of
/// this process's own (two `cargo test` runs at once must not write one
/// archive together), after removing those of processes that have ended.
fn pack_release() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("fake-release-")
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let packed = tmp.join(format!("fake-release-{}", std::process::id()));
    // Without its debug information, as a release binary ships: the
    // archive is packed, and unpacked by each test, in half the time.
    std::fs::create_dir_all(&packed).unwrap();
    let binary = packed.join("supportcheck");
    std::fs::copy(assert_cmd::cargo::cargo_bin("supportcheck"), &binary).unwrap();
    let _ = Command::new("strip")
        .arg("--strip-debug")
        .arg(&binary)
        .status();
    let out = Command::new("bash")
        .arg(repo().join("ci/package.sh"))
        .arg("x86_64-unknown-linux-musl")
        .arg(&binary)
        .arg(&packed)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(packed.join(ASSET).exists());
    packed
}

/// A PATH without the cargo build folder, so only an installed
/// supportcheck can answer.
pub fn system_path() -> String {
    let bin_dir = assert_cmd::cargo::cargo_bin("supportcheck")
        .parent()
        .unwrap()
        .to_path_buf();
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|p| *p != bin_dir && !p.join("supportcheck").exists())
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

/// One step of the Action, as run.
#[derive(Debug)]
pub struct StepRun {
    pub name: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// What a run of the Action left: each step, the outputs, the summary.
#[derive(Debug)]
pub struct ActionRun {
    pub steps: Vec<StepRun>,
    pub outputs: BTreeMap<String, String>,
    pub summary: String,
    pub github_path: String,
    /// `with.path` of the upload step, when it would run.
    pub uploaded: Option<String>,
    /// RUNNER_TEMP, where the binary was installed; kept for later steps.
    pub _runner: tempfile::TempDir,
}

impl ActionRun {
    pub fn step(&self, name: &str) -> &StepRun {
        self.steps
            .iter()
            .find(|s| s.name.contains(name))
            .unwrap_or_else(|| panic!("no step {name}: {:#?}", self.steps))
    }

    /// Asserts that step `name` exited with `code` and printed `text`.
    pub fn expect_step(&self, name: &str, code: i32, text: &str) -> &StepRun {
        let step = self.step(name);
        assert_eq!(step.code, code, "{step:#?}");
        assert!(step.stdout.contains(text), "no {text:?} in {step:#?}");
        step
    }
}

/// Fills in the `${{ ... }}` expressions action.yml uses. Like the real
/// runner in a composite action, `github.action_repository` and
/// `github.action_ref` may be empty.
pub fn expand(
    text: &str,
    inputs: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, String>,
    github: &BTreeMap<&str, &str>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start;
        let expr = rest[start + 3..end].trim();
        let value = if let Some(name) = expr.strip_prefix("inputs.") {
            inputs
                .get(name)
                .cloned()
                .unwrap_or_else(|| panic!("input {name}"))
        } else if let Some((_, name)) = expr
            .strip_prefix("steps.")
            .and_then(|e| e.split_once(".outputs."))
        {
            outputs.get(name).cloned().unwrap_or_default()
        } else if let Some(name) = expr.strip_prefix("github.") {
            github.get(name).map(|s| s.to_string()).unwrap_or_default()
        } else {
            panic!("action.yml uses an expression the test does not know: {expr}")
        };
        out.push_str(&value);
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

pub fn read_outputs(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs action.yml's steps in `workspace` with `with` as the inputs;
/// `env` adds to (or overrides) the runner's variables.
pub fn run_action(workspace: &Path, with: &[(&str, &str)], env: &[(&str, &str)]) -> ActionRun {
    let action = yaml("action.yml");
    let runner = tempfile::tempdir().unwrap();
    let files = |name: &str| runner.path().join(name);
    let mut inputs: BTreeMap<String, String> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["default"].as_str().unwrap_or("").to_string()))
        .collect();
    for (k, v) in with {
        assert!(inputs.contains_key(*k), "action.yml has no input {k}");
        inputs.insert(k.to_string(), v.to_string());
    }
    let github: BTreeMap<&str, &str> = [("action_repository", ""), ("action_ref", "")].into();
    let mut steps = Vec::new();
    let mut uploaded = None;
    let mut failed = false;
    for step in action["runs"]["steps"].as_array().unwrap() {
        let name = step["name"].as_str().unwrap_or("").to_string();
        let outputs = read_outputs(&files("output"));
        let condition = step["if"].as_str().unwrap_or("");
        if let Some(uses) = step["uses"].as_str() {
            assert!(uses.starts_with("actions/upload-artifact@"), "{uses}");
            assert!(condition.contains("!cancelled()"), "{condition}");
            let path = expand(
                step["with"]["path"].as_str().unwrap(),
                &inputs,
                &outputs,
                &github,
            );
            if !path.is_empty() {
                uploaded = Some(path);
            }
            continue;
        }
        // Steps without `if` run only while every step before succeeded.
        if failed && condition.is_empty() {
            continue;
        }
        let script = step["run"].as_str().expect("a run step");
        assert_eq!(step["shell"], "bash", "{name}");
        let dir = match step["working-directory"].as_str() {
            Some(w) => workspace.join(expand(w, &inputs, &outputs, &github)),
            None => workspace.to_path_buf(),
        };
        let path_file = std::fs::read_to_string(files("path")).unwrap_or_default();
        let mut path: Vec<String> = path_file.lines().rev().map(String::from).collect();
        path.push(system_path());
        let mut cmd = Command::new("bash");
        cmd.arg("-e")
            .arg("-c")
            .arg(script)
            .current_dir(&dir)
            .env_clear()
            .env("PATH", path.join(":"))
            .env("HOME", runner.path())
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_WORKSPACE", workspace)
            .env("GITHUB_OUTPUT", files("output"))
            .env("GITHUB_STEP_SUMMARY", files("summary"))
            .env("GITHUB_PATH", files("path"))
            .env("RUNNER_TEMP", runner.path())
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z");
        if let Some(vars) = step["env"].as_object() {
            for (k, v) in vars {
                cmd.env(k, expand(v.as_str().unwrap(), &inputs, &outputs, &github));
            }
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        failed |= code != 0;
        steps.push(StepRun {
            name,
            code,
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    ActionRun {
        steps,
        outputs: read_outputs(&files("output")),
        summary: std::fs::read_to_string(files("summary")).unwrap_or_default(),
        github_path: std::fs::read_to_string(files("path")).unwrap_or_default(),
        uploaded,
        _runner: runner,
    }
}

/// Changes the first `met` answer of the acme answers in `project` to `to`,
/// as a pull request would.
pub fn change_first_met(project: &Path, to: &str) {
    let answers = project.join("readiness/answers.yaml");
    let text = std::fs::read_to_string(&answers).unwrap();
    let changed = text.replacen("status: met", &format!("status: {to}"), 1);
    assert_ne!(text, changed);
    std::fs::write(&answers, changed).unwrap();
}

/// Asserts that `summary` holds every one of `parts`.
pub fn assert_has(summary: &str, parts: &[&str]) {
    for part in parts {
        assert!(summary.contains(part), "no {part:?} in\n{summary}");
    }
}

/// examples/acme in a temp folder.
pub fn acme() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/acme"), dir.path());
    dir
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn the_action_installs_the_release_gates_and_summarises_the_change() {
    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let ws = acme();
    // An earlier report, then a change to the answers, as on a pull request.
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let ok = Command::new(&bin)
        .args(["-q", "report", "--format", "json"])
        .current_dir(ws.path())
        .env("SUPPORTCHECK_NOW", "2026-11-20T12:00:00Z")
        .output()
        .unwrap();
    assert!(ok.status.success());
    change_first_met(ws.path(), "unmet");

    let run = run_action(ws.path(), &[("download-url", &file_url(&release))], &[]);
    let install = run.expect_step("Install", 0, "supportcheck 0.");
    assert!(install.stderr.is_empty(), "{install:#?}");
    assert!(
        run.github_path
            .contains("supportcheck-install/supportcheck-x86_64-unknown-linux-musl"),
        "{}",
        run.github_path
    );

    // The acme example is not ready: annotations, and the gate fails the job.
    run.expect_step("Readiness gate", 0, "::error file=");
    assert_eq!(run.outputs["exit-code"], "1");
    assert_has(
        &run.summary,
        &[
            "## Support readiness: Acme Helpdesk",
            "## Readiness: v1 → now",
            "met → **unmet**",
        ],
    );

    let reports = PathBuf::from(&run.outputs["reports-dir"]);
    assert_eq!(reports, ws.path().join("readiness/reports"));
    assert!(reports.join("readiness-v2.json").exists());
    assert!(reports.join("readiness-v2.html").exists());
    assert_eq!(
        run.uploaded.as_deref(),
        Some(run.outputs["reports-dir"].as_str())
    );

    run.expect_step("Gate", 1, "gate failed");
}

#[test]
fn the_action_refuses_a_download_whose_checksum_does_not_match() {
    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let sums = release.join(format!("{ASSET}.sha256"));
    std::fs::write(&sums, format!("{}  {ASSET}\n", "0".repeat(64))).unwrap();
    let ws = acme();
    let run = run_action(ws.path(), &[("download-url", &file_url(&release))], &[]);
    run.expect_step(
        "Install",
        2,
        "::error title=supportcheck action::checksum mismatch",
    );
    assert!(run.github_path.is_empty(), "{}", run.github_path);
    // Nothing after a failed install runs; no report appears.
    assert_eq!(run.steps.len(), 1, "{:#?}", run.steps);
    assert!(!ws.path().join("readiness/reports").exists());
}

#[test]
fn the_action_finds_its_release_from_its_own_checkout_and_tag() {
    // With no download-url and github.action_repository empty (as it can be
    // in composite actions), the repository and tag come from the folder the
    // runner checked the action out to.
    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let server = tmp.path().join("server");
    let tagged = server.join("acme/supportcheck/releases/download/v1.2.3");
    std::fs::create_dir_all(tagged.parent().unwrap()).unwrap();
    std::fs::rename(&release, &tagged).unwrap();
    let checkout = tmp.path().join("_actions/acme/supportcheck/v1.2.3");
    std::fs::create_dir_all(checkout.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(repo(), &checkout).unwrap();
    let ws = acme();
    let run = run_action(
        ws.path(),
        &[],
        &[
            ("GITHUB_ACTION_PATH", &checkout.display().to_string()),
            ("GITHUB_SERVER_URL", &file_url(&server)),
        ],
    );
    run.expect_step("Install", 0, "releases/download/v1.2.3/supportcheck-x86_64");
    // No earlier report: the summary says so, and v1 is written.
    assert!(
        run.summary.contains("No earlier readiness report"),
        "{}",
        run.summary
    );
    assert!(
        ws.path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );
}

#[test]
fn the_action_passes_fail_on_and_writes_no_report_when_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let ws = acme();
    let run = run_action(
        ws.path(),
        &[
            ("download-url", &file_url(&release)),
            ("fail-on", "orphaned"),
            ("formats", ""),
        ],
        &[],
    );
    // acme has no orphaned answers, so with only that category the gate passes.
    assert_eq!(run.outputs["exit-code"], "0", "{:#?}", run.steps);
    assert_eq!(run.step("Gate").code, 0);
    assert!(run.uploaded.is_none());
    assert!(!ws.path().join("readiness/reports").exists());
}

#[test]
fn the_action_picks_the_archive_for_each_runner() {
    // An empty release folder: the download fails, naming what it looked for.
    let release = tempfile::tempdir().unwrap();
    let runner = tempfile::tempdir().unwrap();
    for (os, arch, asset) in [
        (
            "Linux",
            "X64",
            "supportcheck-x86_64-unknown-linux-musl.tar.gz",
        ),
        (
            "Linux",
            "ARM64",
            "supportcheck-aarch64-unknown-linux-gnu.tar.gz",
        ),
        ("macOS", "X64", "supportcheck-x86_64-apple-darwin.tar.gz"),
        ("macOS", "ARM64", "supportcheck-aarch64-apple-darwin.tar.gz"),
        ("Windows", "X64", "supportcheck-x86_64-pc-windows-msvc.zip"),
        (
            "Windows",
            "ARM64",
            "no prebuilt supportcheck for Windows/ARM64",
        ),
    ] {
        let out = Command::new("bash")
            .arg(repo().join("ci/action.sh"))
            .arg("install")
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("RUNNER_TEMP", runner.path())
            .env("GITHUB_PATH", runner.path().join("path"))
            .env("INPUT_DOWNLOAD_URL", file_url(release.path()))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(2), "{os}/{arch}: {stdout}");
        assert!(stdout.contains(asset), "{os}/{arch}: {stdout}");
        assert!(
            stdout.contains("::error title=supportcheck action::"),
            "{stdout}"
        );
    }
}

#[test]
fn the_action_fails_with_2_when_the_answers_cannot_be_read() {
    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let ws = acme();
    std::fs::write(
        ws.path().join("readiness/answers.yaml"),
        "format: 1\nanswers: [unclosed\n",
    )
    .unwrap();
    let run = run_action(ws.path(), &[("download-url", &file_url(&release))], &[]);
    let step = run.step("Readiness gate");
    assert_eq!(step.code, 0, "{step:#?}");
    assert!(step.stderr.contains("readiness/answers.yaml"), "{step:#?}");
    assert_eq!(run.outputs["exit-code"], "2");
    // No report is written from answers that could not be read.
    assert!(run.uploaded.is_none());
    run.expect_step("Gate", 2, "could not run");
}
