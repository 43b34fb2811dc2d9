//! The CI recipes in examples/ci, run as their CI would run them on a copy
//! of examples/acme: the GitHub workflow through the Action's own steps and
//! a git remote it commits the history back to, the GitLab job's script
//! lines in one shell with its cache carried to the next run.

use crate::action::{
    ASSET, ActionRun, acme, assert_has, change_first_met, copy_dir, expand, fake_release,
    run_action, system_path, yaml,
};
use crate::support::repo;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=dev", "-c", "user.email=dev@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare `origin` on branch main holding examples/acme.
fn origin(tmp: &Path) -> PathBuf {
    let origin = tmp.join("origin.git");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q", "--bare", "-b", "main"]);
    let seed = tmp.join("seed");
    copy_dir(&repo().join("examples/acme"), &seed);
    git(&seed, &["init", "-q", "-b", "main"]);
    git(&seed, &["add", "-A"]);
    git(&seed, &["commit", "-qm", "acme"]);
    git(&seed, &["push", "-q", origin.to_str().unwrap(), "main"]);
    origin
}

fn clone(origin: &Path, to: &Path) {
    let out = Command::new("git")
        .args(["clone", "-q"])
        .arg(origin)
        .arg(to)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
}

/// What the GitHub recipe's job did.
struct GithubRun {
    action: ActionRun,
    /// The recipe's own `run:` steps that ran: name and exit code.
    steps: Vec<(String, i32, String)>,
}

/// Whether a step runs, for the `if:` expressions the recipe uses.
fn runs(condition: &str, event: &str, failed: bool, outputs: &BTreeMap<String, String>) -> bool {
    for e in ["push", "pull_request"] {
        if condition.contains(&format!("github.event_name == '{e}'")) && e != event {
            return false;
        }
    }
    if condition.contains("outputs.reports-dir != ''")
        && outputs.get("reports-dir").is_none_or(|d| d.is_empty())
    {
        return false;
    }
    !failed || condition.contains("!cancelled()") || condition.contains("always()")
}

/// Runs the GitHub recipe's job in `workspace` for `event`.
fn run_github(workspace: &Path, release: &Path, event: &str) -> GithubRun {
    let workflow = yaml("examples/ci/github-actions.yml");
    let jobs = workflow["jobs"].as_object().unwrap();
    assert_eq!(jobs.len(), 1);
    let job = jobs.values().next().unwrap();
    let mut action: Option<ActionRun> = None;
    let mut steps = Vec::new();
    let mut failed = false;
    for step in job["steps"].as_array().unwrap() {
        let uses = step["uses"].as_str().unwrap_or("");
        if uses.starts_with("actions/checkout@") {
            continue; // the workspace is the checkout
        }
        if uses.contains("/supportcheck@") {
            let mut with: Vec<(String, String)> = step["with"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                        .collect()
                })
                .unwrap_or_default();
            with.push((
                "download-url".into(),
                format!("file://{}", release.display()),
            ));
            let with: Vec<(&str, &str)> =
                with.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let run = run_action(workspace, &with, &[]);
            failed |= run.steps.iter().any(|s| s.code != 0);
            action = Some(run);
            continue;
        }
        assert!(
            uses.is_empty(),
            "the recipe uses an action the test does not know: {uses}"
        );
        let a = action
            .as_ref()
            .expect("the Action runs before the recipe's own steps");
        let name = step["name"].as_str().unwrap_or("").to_string();
        if !runs(step["if"].as_str().unwrap_or(""), event, failed, &a.outputs) {
            continue;
        }
        let mut path: Vec<String> = a.github_path.lines().map(String::from).collect();
        path.push(system_path());
        let mut cmd = Command::new("bash");
        cmd.args(["-e", "-c", step["run"].as_str().unwrap()])
            .current_dir(workspace)
            .env("PATH", path.join(":"))
            .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z");
        if let Some(vars) = step["env"].as_object() {
            for (k, v) in vars {
                cmd.env(
                    k,
                    expand(
                        v.as_str().unwrap(),
                        &BTreeMap::new(),
                        &a.outputs,
                        &BTreeMap::new(),
                    ),
                );
            }
        }
        let out = cmd.output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        failed |= code != 0;
        steps.push((
            name,
            code,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    GithubRun {
        action: action.expect("the recipe uses the supportcheck Action"),
        steps,
    }
}

/// A temp folder with a fake release and an `origin` holding acme.
fn github_setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let origin = origin(tmp.path());
    (tmp, release, origin)
}

#[test]
fn the_github_recipe_gates_and_commits_the_history_back_on_main() {
    let (tmp, release, origin) = github_setup();

    // First push to main: the gate fails (acme is half done), v1 is committed.
    let ws = tmp.path().join("run1");
    clone(&origin, &ws);
    let run = run_github(&ws, &release, "push");
    assert_eq!(run.action.outputs["exit-code"], "1");
    assert_eq!(run.action.step("Gate").code, 1);
    assert!(
        run.action.summary.contains("## Support readiness"),
        "{}",
        run.action.summary
    );
    assert_eq!(run.steps.len(), 1, "{:?}", run.steps);
    assert_eq!(run.steps[0].1, 0, "{:?}", run.steps);
    let log = git(&origin, &["log", "-1", "--format=%s", "main"]);
    assert!(log.contains("[skip ci]"), "{log}");
    git(
        &origin,
        &["cat-file", "-e", "main:readiness/reports/readiness-v1.json"],
    );

    // A change to the answers lands on main: the next run adds v2.
    let dev = tmp.path().join("dev");
    clone(&origin, &dev);
    change_first_met(&dev, "partial");
    git(&dev, &["commit", "-qam", "answers"]);
    git(&dev, &["push", "-q", "origin", "main"]);
    let ws = tmp.path().join("run2");
    clone(&origin, &ws);
    let run = run_github(&ws, &release, "push");
    assert_has(
        &run.action.summary,
        &["## Readiness: v1 → now", "met → **partial**"],
    );
    git(
        &origin,
        &["cat-file", "-e", "main:readiness/reports/readiness-v2.json"],
    );

    // The history in the repository checks out whole.
    let check = tmp.path().join("check");
    clone(&origin, &check);
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let out = Command::new(bin)
        .args(["history", "--verify"])
        .current_dir(&check)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("Verified: 2 versions"), "{stdout}");
}

#[test]
fn the_github_recipe_on_a_pull_request_summarises_and_commits_nothing() {
    let (tmp, release, origin) = github_setup();
    let ws = tmp.path().join("main");
    clone(&origin, &ws);
    run_github(&ws, &release, "push");
    let before = git(&origin, &["rev-parse", "main"]);

    let pr = tmp.path().join("pr");
    clone(&origin, &pr);
    change_first_met(&pr, "unmet");
    let run = run_github(&pr, &release, "pull_request");
    assert!(run.steps.is_empty(), "{:?}", run.steps);
    assert_has(
        &run.action.summary,
        &["## Readiness: v1 → now", "met → **unmet**"],
    );
    assert!(run.action.uploaded.is_some());
    assert_eq!(git(&origin, &["rev-parse", "main"]), before);
}

/// Runs the GitLab job's before_script and script lines in one shell, as
/// the runner does, with the release downloaded from `server`; returns each
/// line's exit code.
fn run_gitlab(workspace: &Path, server: &Path) -> Vec<(String, i32)> {
    let ci = yaml("examples/ci/gitlab-ci.yml");
    let job = &ci["support-readiness"];
    let mut script = String::new();
    for (k, v) in job["variables"].as_object().unwrap() {
        let value = if k == "SUPPORTCHECK_RELEASES" {
            format!("file://{}", server.display())
        } else {
            v.as_str().unwrap().to_string()
        };
        script.push_str(&format!("export {k}='{value}'\n"));
    }
    let lines: Vec<String> = ["before_script", "script"]
        .iter()
        .flat_map(|k| job[k].as_array().unwrap().iter())
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    for (i, line) in lines.iter().enumerate() {
        // Like the runner: the first line that fails ends the job.
        script.push_str(&format!(
            "{line}\nc=$?; echo \"@@line {i} $c\"; [ $c -eq 0 ] || exit $c\n"
        ));
    }
    let out = Command::new("bash")
        .args(["-c", &script])
        .current_dir(workspace)
        .env("PATH", system_path())
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let codes: Vec<i32> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("@@line "))
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(
        !codes.is_empty(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines.into_iter().zip(codes).collect()
}

#[test]
fn the_gitlab_recipe_installs_the_release_and_builds_history_through_its_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let ci = yaml("examples/ci/gitlab-ci.yml");
    let version = ci["support-readiness"]["variables"]["SUPPORTCHECK_VERSION"]
        .as_str()
        .unwrap()
        .to_string();
    let release = fake_release(tmp.path());
    let server = tmp.path().join("server");
    std::fs::create_dir_all(&server).unwrap();
    std::fs::rename(&release, server.join(format!("v{version}"))).unwrap();
    assert_eq!(
        ci["support-readiness"]["cache"]["paths"][0],
        "readiness/reports/"
    );

    let lines = ci["support-readiness"]["before_script"]
        .as_array()
        .unwrap()
        .len()
        + ci["support-readiness"]["script"].as_array().unwrap().len();
    let expect = |codes: &[(String, i32)]| {
        assert_eq!(codes.len(), lines, "the job stopped early: {codes:#?}");
        for (line, code) in codes {
            let expected = i32::from(line == "supportcheck check");
            assert_eq!(*code, expected, "`{line}` exited {code}: {codes:#?}");
        }
    };
    let first = acme();
    let codes = run_gitlab(first.path(), &server);
    expect(&codes);
    assert!(codes.iter().any(|(l, _)| l.contains("sha256sum --check")));
    let junit = std::fs::read_to_string(first.path().join("readiness-junit.xml")).unwrap();
    assert!(junit.contains("<testsuite"), "{junit}");
    assert!(
        first
            .path()
            .join("readiness/reports/readiness-v1.json")
            .exists()
    );

    // The next pipeline starts from a fresh checkout plus the cached reports.
    let second = acme();
    copy_dir(
        &first.path().join("readiness/reports"),
        &second.path().join("readiness/reports"),
    );
    change_first_met(second.path(), "unmet");
    expect(&run_gitlab(second.path(), &server));
    let diff = std::fs::read_to_string(second.path().join("readiness-diff.md")).unwrap();
    assert!(diff.contains("## Readiness: v1 → now"), "{diff}");
    assert!(
        second
            .path()
            .join("readiness/reports/readiness-v2.json")
            .exists()
    );

    // A tampered archive stops the job before supportcheck runs.
    let sums = server.join(format!("v{version}/{ASSET}.sha256"));
    std::fs::write(&sums, format!("{}  {ASSET}\n", "0".repeat(64))).unwrap();
    let third = acme();
    let codes = run_gitlab(third.path(), &server);
    let (line, code) = codes.last().unwrap();
    assert!(line.contains("sha256sum --check"), "{codes:#?}");
    assert_ne!(*code, 0, "{line}");
    assert!(!third.path().join(".supportcheck").exists());
}

#[test]
fn the_docs_gitlab_snippet_installs_the_release_and_runs_the_gate() {
    let readme = std::fs::read_to_string(repo().join("docs/ci.md")).unwrap();
    let after = readme
        .split("**GitLab**")
        .nth(1)
        .expect("a GitLab part in docs/ci.md");
    let block = after
        .split("```yaml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let snippet: serde_json::Value = serde_saphyr::from_str(block).unwrap();
    let job = &snippet["support-readiness"];
    let asset_url = job["variables"]["ASSET"].as_str().unwrap();
    assert!(asset_url.ends_with(&format!("/{ASSET}")), "{asset_url}");

    let tmp = tempfile::tempdir().unwrap();
    let release = fake_release(tmp.path());
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let ws = acme();
    let mut codes = Vec::new();
    for line in job["script"].as_array().unwrap() {
        // The image runs as root; here the binary goes to a temp folder.
        let line = line
            .as_str()
            .unwrap()
            .replace("/usr/local/bin", bin.to_str().unwrap());
        let out = Command::new("bash")
            .args(["-c", &line])
            .current_dir(ws.path())
            .env("PATH", format!("{}:{}", bin.display(), system_path()))
            .env("ASSET", format!("file://{}/{ASSET}", release.display()))
            .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
            .output()
            .unwrap();
        codes.push((line, out.status.code().unwrap_or(-1)));
    }
    let expected: Vec<i32> = codes
        .iter()
        .map(|(l, _)| i32::from(l == "supportcheck check"))
        .collect();
    assert_eq!(
        codes.iter().map(|c| c.1).collect::<Vec<_>>(),
        expected,
        "{codes:#?}"
    );
    assert!(bin.join("supportcheck").exists());
    assert!(
        !ws.path().join("README.md").exists(),
        "the archive spilled into the project"
    );
}
