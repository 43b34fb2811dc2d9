//! The other ways to ship supportcheck into CI: the pre-commit hooks (tried
//! with `pre-commit try-repo` on a temporary repository) and the Dockerfile.

use crate::action::copy_dir;
use crate::support::{have_tool, repo};
use std::path::Path;
use std::process::{Command, Output};

/// examples/acme as a committed git repository.
fn git_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/acme"), dir.path());
    for args in [
        &["init", "-q"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "commit",
            "-qm",
            "init",
        ],
    ] {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .status()
            .unwrap();
        assert!(ok.success(), "git {args:?}");
    }
    dir
}

/// `pre-commit try-repo <this repository> HOOK --all-files` in `project`.
fn try_repo(project: &Path, hook: &str, path: &str, env: &[(&str, String)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("pre-commit");
    let stage = env
        .iter()
        .find(|(k, _)| *k == "PRE_COMMIT_HOOK_STAGE")
        .map_or("pre-commit".to_string(), |(_, v)| v.clone());
    cmd.args(["try-repo"])
        .arg(repo())
        .args([
            hook,
            "--all-files",
            "--color",
            "never",
            "--hook-stage",
            &stage,
        ])
        .current_dir(project)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home.path())
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn path_with_binary() -> String {
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn the_system_pre_commit_hooks_lint_and_gate_a_repository() {
    if !have_tool("pre-commit", "pip install pre-commit") {
        return;
    }
    let project = git_project();
    let lint = try_repo(
        project.path(),
        "supportcheck-lint-system",
        &path_with_binary(),
        &[],
    );
    assert!(lint.status.success(), "{}", text(&lint));
    assert!(
        text(&lint).contains("supportcheck lint...."),
        "{}",
        text(&lint)
    );
    assert!(text(&lint).contains("Passed"), "{}", text(&lint));

    // The example is half way through its checklist: the gate hook fails
    // (it runs at push; `try-repo` runs the commit stage unless told).
    let check = try_repo(
        project.path(),
        "supportcheck-check-system",
        &path_with_binary(),
        &[("PRE_COMMIT_HOOK_STAGE", "pre-push".into())],
    );
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(text(&check).contains("Failed"), "{}", text(&check));
    assert!(text(&check).contains("gate failed"), "{}", text(&check));
}

/// Ignored by a plain `cargo test`: pre-commit's `cargo install` builds
/// supportcheck and its dependencies a second time, in a release profile,
/// which is minutes on two cores. `.ci/run` runs it by name with `--ignored`.
#[test]
#[ignore = "builds supportcheck again with cargo install; .ci/run runs it"]
fn the_rust_pre_commit_hook_builds_supportcheck_with_cargo() {
    if !have_tool("pre-commit", "pip install pre-commit") {
        return;
    }
    let project = git_project();
    // pre-commit runs `cargo install --path <clone>`. A shared target folder
    // and an unoptimised release profile keep that to one quick build per
    // machine; users get the normal optimised one.
    let target = repo().join("target/pre-commit-hook");
    let env = [
        ("CARGO_TARGET_DIR", target.display().to_string()),
        ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0".into()),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16".into()),
        ("CARGO_PROFILE_RELEASE_DEBUG", "false".into()),
    ];
    // No supportcheck on PATH: the hook must find the one it built.
    let bin_dir = assert_cmd::cargo::cargo_bin("supportcheck");
    let path: Vec<_> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|p| p != bin_dir.parent().unwrap() && !p.join("supportcheck").exists())
        .collect();
    let path = std::env::join_paths(path)
        .unwrap()
        .to_string_lossy()
        .to_string();
    let lint = try_repo(project.path(), "supportcheck-lint", &path, &env);
    assert!(lint.status.success(), "{}", text(&lint));
    assert!(
        text(&lint).contains("supportcheck lint...."),
        "{}",
        text(&lint)
    );
}

/// `pre-commit ARGS` in `dir` with the test's home and PATH.
fn pre_commit(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new("pre-commit")
        .args(args)
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env("PRE_COMMIT_HOME", home)
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .output()
        .unwrap()
}

/// `git ARGS` in `dir` as a person runs it, hooks and all.
fn git_run(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env("PRE_COMMIT_HOME", home)
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .env("GIT_AUTHOR_NAME", "Dana Lee")
        .env("GIT_AUTHOR_EMAIL", "dana@example.com")
        .env("GIT_COMMITTER_NAME", "Dana Lee")
        .env("GIT_COMMITTER_EMAIL", "dana@example.com")
        .output()
        .unwrap()
}

#[test]
fn a_commit_lints_what_changed_and_the_gate_waits_for_the_push() {
    if !have_tool("pre-commit", "pip install pre-commit")
        || !have_tool("git", "apt-get install git")
    {
        return;
    }
    // This repository's hooks file, committed in a repository of its own
    // (pre-commit reads hooks from a commit).
    let hooks = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo().join(".pre-commit-hooks.yaml"),
        hooks.path().join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let ok = |out: Output, what: &str| {
        assert!(out.status.success(), "{what}: {}", text(&out));
        out
    };
    ok(
        git_run(hooks.path(), home.path(), &["init", "-q"]),
        "git init",
    );
    ok(
        git_run(hooks.path(), home.path(), &["add", "-A"]),
        "git add",
    );
    ok(
        git_run(hooks.path(), home.path(), &["commit", "-qm", "hooks"]),
        "git commit",
    );
    let rev = String::from_utf8(
        ok(
            git_run(hooks.path(), home.path(), &["rev-parse", "HEAD"]),
            "rev-parse",
        )
        .stdout,
    )
    .unwrap();
    // The example project, half way through its checklist, with the hooks
    // set up as docs/ci.md says and a remote to push to.
    let project = git_project();
    let dir = project.path();
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "default_install_hook_types: [pre-commit, pre-push]
repos:
  - repo: {}
    rev: {}
    hooks:
      - id: supportcheck-lint-system
      - id: supportcheck-check-system
",
            hooks.path().display(),
            rev.trim()
        ),
    )
    .unwrap();
    let remote = tempfile::tempdir().unwrap();
    ok(
        git_run(remote.path(), home.path(), &["init", "-q", "--bare"]),
        "git init --bare",
    );
    ok(
        git_run(
            dir,
            home.path(),
            &["remote", "add", "origin", remote.path().to_str().unwrap()],
        ),
        "git remote add",
    );
    ok(
        pre_commit(dir, home.path(), &["install"]),
        "pre-commit install",
    );
    // An ordinary commit (a doc, the config) is not blocked by the checklist.
    std::fs::write(
        dir.join("docs/support/rota-notes.md"),
        "# Rota notes

Tweaked.
",
    )
    .unwrap();
    ok(git_run(dir, home.path(), &["add", "-A"]), "git add");
    let commit = ok(
        git_run(dir, home.path(), &["commit", "-m", "tweak rota doc"]),
        "the commit is not blocked by the gate",
    );
    let said = text(&commit);
    assert!(
        said.contains("supportcheck lint") && said.contains("Passed"),
        "{said}"
    );
    assert!(!said.contains("gate failed"), "{said}");
    // A YAML mistake in a hand-edited note is caught at commit, with the fix.
    let answers = dir.join("readiness/answers.yaml");
    let text_before = std::fs::read_to_string(&answers).unwrap();
    let broken = text_before.replacen(
        "    status: met
",
        "    status: met
    note: Weekend cover staffed: by contractor
",
        1,
    );
    let broken = {
        // The first answer's own note is replaced, so that it has one note.
        let mut lines: Vec<&str> = broken.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.starts_with("    note: Weekend"))
            .unwrap();
        if lines
            .get(at + 1)
            .is_some_and(|l| l.starts_with("    note:"))
        {
            lines.remove(at + 1);
        }
        lines.join(
            "
",
        ) + "
"
    };
    std::fs::write(&answers, broken).unwrap();
    ok(git_run(dir, home.path(), &["add", "-A"]), "git add");
    let refused = git_run(dir, home.path(), &["commit", "-m", "note"]);
    assert!(!refused.status.success(), "{}", text(&refused));
    assert!(
        text(&refused).contains("quote the text: note: \"Weekend cover staffed: by contractor\""),
        "{}",
        text(&refused)
    );
    std::fs::write(&answers, &text_before).unwrap();
    ok(git_run(dir, home.path(), &["add", "-A"]), "git add");
    // The gate runs at push, and stops it while the checklist is not done.
    let push = git_run(dir, home.path(), &["push", "-q", "origin", "HEAD:main"]);
    assert!(!push.status.success(), "{}", text(&push));
    assert!(text(&push).contains("gate failed"), "{}", text(&push));
}

/// The Dockerfile's instructions, one per logical line.
fn dockerfile() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("Dockerfile")).unwrap();
    let joined = text.replace("\\\n", " ");
    joined
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_unprivileged_in_another() {
    let lines = dockerfile();
    let stages: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("FROM "))
        .collect();
    assert!(stages.len() >= 2, "not multi-stage: {lines:#?}");
    assert!(
        lines[stages[0]].ends_with(" AS build"),
        "{}",
        lines[stages[0]]
    );
    let runtime = &lines[*stages.last().unwrap()..];
    let user = runtime
        .iter()
        .rfind(|l| l.starts_with("USER "))
        .expect("a USER in the runtime stage");
    let who = user.trim_start_matches("USER ").trim();
    assert!(who != "root" && who != "0", "{user}");
    assert!(
        runtime.contains(&r#"ENTRYPOINT ["supportcheck"]"#.to_string()),
        "{runtime:#?}"
    );
    assert!(
        runtime
            .iter()
            .any(|l| l.starts_with("COPY --from=build ")
                && l.contains("/usr/local/bin/supportcheck"))
    );

    // The build stage copies what the crate needs, and nothing it names is missing.
    let copied: Vec<&str> = lines[..stages[1]]
        .iter()
        .filter_map(|l| l.strip_prefix("COPY "))
        .flat_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words[..words.len() - 1].to_vec()
        })
        .collect();
    for needed in ["Cargo.toml", "Cargo.lock", "crates", "checklists", "src"] {
        assert!(
            copied.contains(&needed),
            "the build stage does not copy {needed}: {copied:?}"
        );
    }
    for source in &copied {
        assert!(repo().join(source).exists(), "COPY {source}: no such file");
    }
    let ignore = std::fs::read_to_string(repo().join(".dockerignore")).unwrap();
    for needed in ["src", "checklists", "Cargo", "build.rs"] {
        assert!(
            !ignore.lines().any(|l| l.starts_with(needed)),
            ".dockerignore drops {needed}"
        );
    }
}

/// Builds the image and runs the gate in it on examples/acme. No container
/// engine runs on the machines this project is developed and tested on, so
/// this is run by hand: `cargo test --test cli docker -- --ignored`.
#[test]
#[ignore = "needs a running container engine (docker); none runs here"]
fn the_image_builds_and_runs_the_gate() {
    let build = Command::new("docker")
        .args(["build", "-t", "supportcheck:test", "."])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", text(&build));
    let acme = repo().join("examples/acme");
    let run = Command::new("docker")
        .args(["run", "--rm", "-v"])
        .arg(format!("{}:/work:ro", acme.display()))
        .args(["supportcheck:test", "status"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run));
    assert!(text(&run).contains("Acme Helpdesk"), "{}", text(&run));
    let who = Command::new("docker")
        .args([
            "run",
            "--rm",
            "--entrypoint",
            "id",
            "supportcheck:test",
            "-u",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&who.stdout).trim(), "10001");
}
