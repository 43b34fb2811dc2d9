//! A builder for running the real binary in a throw-away project folder.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// Where the repository's fixtures live.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository root (for `examples/`, `checklists/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One run of `supportcheck` in a temporary project folder.
pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
    /// Whether the binary finds the project itself from the current folder
    /// (see [`Test::finding`]) instead of being told it is the test folder.
    finding: bool,
}

/// What a run produced.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    pub fn new() -> Test {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
            env: vec![("SUPPORTCHECK_NOW".into(), "2026-11-23T12:00:00Z".into())],
            stdin: None,
            finding: false,
        }
    }

    /// Runs without `SUPPORTCHECK_DIR`, so that the binary looks for
    /// `supportcheck.yaml` from the current folder up, as it does for a
    /// person. Other tests name the test folder as the project (most of
    /// them have no config: they test something else).
    pub fn finding(mut self) -> Test {
        self.finding = true;
        self
    }

    /// Runs `args` from `sub`, a folder below the test folder (made when
    /// missing), with the project found from there; asserts nothing.
    pub fn exec_in<I, S>(&self, sub: &str, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let args: Vec<String> = args.into_iter().map(|s| s.as_ref().to_string()).collect();
        let dir = self.dir.path().join(sub);
        std::fs::create_dir_all(&dir).unwrap();
        let mut cmd = self.command(&args);
        cmd.current_dir(&dir).env_remove("SUPPORTCHECK_DIR");
        let out = cmd.output().expect("binary runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The project folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file below the project folder (folders are created).
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Test {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Copies a fixture file (below tests/fixtures) to `rel`.
    pub fn fixture(self, fixture: &str, rel: &str) -> Test {
        let bytes = std::fs::read(fixtures().join(fixture)).expect("fixture exists");
        self.file(rel, bytes)
    }

    pub fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args = args.into_iter().map(|s| s.as_ref().to_string()).collect();
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Test {
        self.stdin = Some(input.into());
        self
    }

    /// The binary with `args`, the test's environment and stdin, in the
    /// project folder.
    fn command(&self, args: &[String]) -> Command {
        let mut cmd = Command::cargo_bin("supportcheck").expect("binary built");
        cmd.current_dir(self.dir.path())
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("GITHUB_STEP_SUMMARY")
            .env("COLUMNS", "100")
            .timeout(std::time::Duration::from_secs(60));
        if self.finding {
            cmd.env_remove("SUPPORTCHECK_DIR");
        } else {
            cmd.env("SUPPORTCHECK_DIR", ".");
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        if let Some(input) = &self.stdin {
            cmd.write_stdin(input.clone());
        }
        cmd
    }

    /// Runs the binary in the project folder.
    pub fn run(&self) -> Output {
        self.exec_any(&self.args)
    }

    /// Runs and asserts the exit code, returning the output.
    pub fn status(&self, code: i32) -> Output {
        let out = self.run();
        assert_eq!(
            out.code, code,
            "exit code {} (expected {code})\n--- stdout\n{}\n--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        out
    }

    /// Runs `args` in this project and asserts the exit code; unlike
    /// [`Test::args`] it borrows, so one project can see several runs.
    pub fn exec<I, S>(&self, args: I, code: i32) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let args: Vec<String> = args.into_iter().map(|s| s.as_ref().to_string()).collect();
        let out = self.exec_any(&args);
        assert_eq!(
            out.code, code,
            "exit code {} (expected {code}) for {args:?}\n--- stdout\n{}\n--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        out
    }

    /// Like [`Test::exec`], for a run whose exit code the caller judges.
    pub fn exec_any<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let args: Vec<String> = args.into_iter().map(|s| s.as_ref().to_string()).collect();
        let out = self.command(&args).output().expect("binary runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Like [`Test::exec_any`], with extra environment variables for this run.
    pub fn exec_env<I, S>(&self, args: I, env: &[(&str, &str)]) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let args: Vec<String> = args.into_iter().map(|s| s.as_ref().to_string()).collect();
        let mut cmd = self.command(&args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("binary runs");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Writes a file below the project folder between runs.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }

    /// Rewrites a text file of the project folder between runs.
    pub fn file_edit(&self, rel: &str, edit: impl FnOnce(&str) -> String) {
        let text = self.read(rel);
        self.write(rel, edit(&text));
    }

    /// Reads a file of the project folder.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }
}

/// Where `needle` first starts in `haystack`.
pub fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A check this machine cannot run (no Chromium, no mount rights). Under CI
/// (`CI` set, where `.ci/run` provides what the check needs) that is a
/// failure; elsewhere it is said on stderr and the caller returns.
pub fn cannot_run(why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{why}; CI must run this check"
    );
    eprintln!("{why}");
}

/// Whether an external tool the test needs answers `--version`; when it
/// does not, [`cannot_run`] says so (and fails under CI).
pub fn have_tool(name: &str, install: &str) -> bool {
    let found = std::process::Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        cannot_run(&format!(
            "{name} is not installed ({install}): this check was skipped"
        ));
    }
    found
}

/// The headless Chromium to check HTML in, if one is installed. Under CI
/// (`CI` set) a missing Chromium fails the test instead: `.ci/run` installs it.
/// Looked for once per test process: each `--version` starts the browser.
pub fn chromium() -> Option<&'static str> {
    static FOUND: std::sync::OnceLock<Option<&'static str>> = std::sync::OnceLock::new();
    let found = *FOUND.get_or_init(|| {
        ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .find(|c| {
                std::process::Command::new(c)
                    .arg("--version")
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
    });
    if found.is_none() {
        cannot_run("chromium not installed: browser check skipped");
    }
    found
}

/// A headless Chromium command with a throw-away profile and no network
/// chatter; the caller adds what to do and the page.
pub fn chromium_command(chromium: &str, profile: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}
