//! Driving supportcheck in a pseudo-terminal (started by rexpect, read
//! here), for the audit and fault tests: waiting on screen text, typing,
//! and collecting the exit.

use rexpect::process::{PtyProcess, Signal, WaitStatus};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use supportcheck::answers::AnswersFile;

pub const TIMEOUT_MS: u64 = 60_000;
pub const ENTER: &str = "\r";
/// The last item of the question menu: once it is on screen, the menu is.
pub const MENU_END: &str = "Save and quit";

/// The environment every PTY run gets: a plain terminal, a pinned clock,
/// no colour or editor settings from the caller.
/// The project is the folder the run starts in (`SUPPORTCHECK_DIR=.`), as
/// the harness of the other tests says (see `support::Test::finding`).
fn terminal_env(cmd: &mut Command) -> &mut Command {
    cmd.env("TERM", "dumb")
        .env("SUPPORTCHECK_DIR", ".")
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("EDITOR")
        .env_remove("VISUAL")
}

/// A config that sets every fact the built-in set reads, so that every
/// built-in question applies and the audit asks no fact first.
pub const ALL_FACTS: &str = "product: Test product\nfacts:\n  channels: [email, web-form, chat, phone, social, sms, in-person]\n  automation: true\n  audience: large\n  on_site_work: true\n  regulated: [health]\n  help_center_url: https://help.acme.test\n  contact_url: https://acme.test/contact\n  status_page_url: https://status.acme.test\n  support_policy_path: docs/support-policy.md\n";

/// `supportcheck audit --by Tester <args>` in `dir`, in a pseudo-terminal.
/// Without a `supportcheck.yaml` in `dir`, one with [`ALL_FACTS`] is written
/// first (the facts prompt has tests of its own, which write their config).
pub fn spawn_audit(dir: &Path, args: &[&str]) -> Pty {
    spawn_audit_env(dir, args, &[])
}

/// [`spawn_audit`] with extra environment variables.
pub fn spawn_audit_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Pty {
    every_fact_unless_configured(dir);
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("supportcheck"));
    cmd.current_dir(dir)
        .args(["audit", "--by", "Tester"])
        .args(args);
    terminal_env(&mut cmd);
    cmd.envs(env.iter().copied());
    Pty::spawn(cmd)
}

/// Writes a `supportcheck.yaml` with [`ALL_FACTS`] in `dir` when there is none.
fn every_fact_unless_configured(dir: &Path) {
    let config = dir.join("supportcheck.yaml");
    if !config.exists() {
        std::fs::write(&config, ALL_FACTS).expect("write supportcheck.yaml");
    }
}

/// `supportcheck <args>` in `dir`, in a pseudo-terminal, as it is.
pub fn spawn_in(dir: &Path, args: &[&str]) -> Pty {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("supportcheck"));
    cmd.current_dir(dir).args(args);
    terminal_env(&mut cmd);
    Pty::spawn(cmd)
}

/// `supportcheck audit --by Tester <args>` in `dir`, started by `sh -c` after
/// the shell commands `setup` (e.g. `stty rows 2` to set the window size).
pub fn spawn_audit_after(dir: &Path, setup: &str, args: &[&str]) -> Pty {
    every_fact_unless_configured(dir);
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let mut script = format!("{setup}\nexec '{}' audit --by Tester", bin.display());
    for a in args {
        script.push_str(&format!(" '{a}'"));
    }
    let mut cmd = Command::new("sh");
    cmd.current_dir(dir).arg("-c").arg(script);
    terminal_env(&mut cmd);
    Pty::spawn(cmd)
}

/// A running PTY session and everything it has shown so far.
///
/// rexpect starts the process on a pseudo-terminal; the reading is done
/// here. rexpect's own reader looks for text every 100 ms, and once the
/// process has ended its thread spins on the terminal's EIO until the
/// session is dropped: over a test run that was seconds of waiting and of
/// CPU. This reader blocks on the terminal and wakes the test as soon as
/// bytes arrive or the terminal closes.
pub struct Pty {
    process: PtyProcess,
    keys: std::fs::File,
    shown: Arc<Shown>,
    pub transcript: String,
}

/// The bytes the terminal has shown and not yet been waited past, and
/// whether it has closed; the reader thread fills it.
#[derive(Default)]
struct Shown {
    state: Mutex<(Vec<u8>, bool)>,
    changed: Condvar,
}

impl Pty {
    pub fn spawn(cmd: Command) -> Pty {
        let process = PtyProcess::new(cmd).expect("spawn supportcheck in a pty");
        let keys = process.get_file_handle().expect("the pty's master side");
        let mut screen = process.get_file_handle().expect("the pty's master side");
        let shown = Arc::new(Shown::default());
        let filled = Arc::clone(&shown);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                // Linux answers EIO, not 0, once the last process holding
                // the terminal has gone: either way the screen is closed.
                let n = screen.read(&mut buf).unwrap_or(0);
                let closed = n == 0;
                let mut state = filled.state.lock().unwrap();
                state.0.extend_from_slice(&buf[..n]);
                state.1 = closed;
                filled.changed.notify_all();
                if closed {
                    return;
                }
            }
        });
        Pty {
            process,
            keys,
            shown,
            transcript: String::new(),
        }
    }

    /// Waits until one of `texts` is on screen, or (with no texts) until the
    /// terminal closes; returns what came before and the text found. The
    /// earliest text on screen wins.
    fn wait_for(&mut self, texts: &[&str]) -> Result<(String, String), String> {
        let deadline = Instant::now() + Duration::from_millis(TIMEOUT_MS);
        let mut state = self.shown.state.lock().unwrap();
        loop {
            let (bytes, closed) = &mut *state;
            let found = texts
                .iter()
                .filter_map(|t| crate::support::find_bytes(bytes, t.as_bytes()).map(|at| (at, *t)))
                .min_by_key(|(at, _)| *at);
            if let Some((at, text)) = found {
                let before = String::from_utf8_lossy(&bytes[..at]).into_owned();
                bytes.drain(..at + text.len());
                return Ok((before, text.to_string()));
            }
            if *closed {
                let rest = String::from_utf8_lossy(bytes).into_owned();
                bytes.clear();
                return match texts {
                    [] => Ok((rest, String::new())),
                    _ => Err(format!("the terminal closed first; it showed {rest:?}")),
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                let shown = String::from_utf8_lossy(bytes).into_owned();
                return Err(format!(
                    "timed out after {TIMEOUT_MS} ms; it showed {shown:?}"
                ));
            }
            state = self.shown.changed.wait_timeout(state, left).unwrap().0;
        }
    }

    /// Waits for the first of `texts`; returns what came before it and the
    /// text found.
    pub fn expect_any(&mut self, texts: &[&str]) -> (String, String) {
        match self.wait_for(texts) {
            Ok((before, found)) => {
                self.transcript.push_str(&before);
                self.transcript.push_str(&found);
                (before, found)
            }
            Err(e) => panic!(
                "waiting for {texts:?}: {e}\n--- transcript so far\n{}",
                self.transcript
            ),
        }
    }

    /// Waits for `text`; returns what came before it.
    pub fn expect(&mut self, text: &str) -> String {
        self.expect_any(&[text]).0
    }

    pub fn send(&mut self, keys: &str) {
        self.keys.write_all(keys.as_bytes()).expect("send keys");
        self.keys.flush().expect("flush keys");
    }

    /// Waits for `prompt`, types `text` and Enter.
    pub fn type_line(&mut self, prompt: &str, text: &str) {
        self.expect(prompt);
        self.send(text);
        self.send(ENTER);
    }

    /// Sends `signal` to the process; nothing when it has already exited.
    pub fn signal(&mut self, signal: Signal) {
        let _ = self.process.signal(signal);
    }

    /// Reads to the end; returns how the process ended, the output since the
    /// last wait, and the whole transcript.
    pub fn finish(mut self) -> (WaitStatus, String, String) {
        let rest = match self.wait_for(&[]) {
            Ok((rest, _)) => rest,
            Err(e) => panic!(
                "waiting for the end: {e}\n--- transcript so far\n{}",
                self.transcript
            ),
        };
        self.transcript.push_str(&rest);
        let status = self.process.wait().expect("wait for supportcheck");
        (status, rest, self.transcript)
    }

    /// Like [`Pty::finish`], for a process that must exit normally: its code.
    pub fn finish_code(self) -> (i32, String, String) {
        let (status, rest, transcript) = self.finish();
        match status {
            WaitStatus::Exited(_, code) => (code, rest, transcript),
            other => panic!(
                "supportcheck did not exit normally: {other:?}\n--- transcript\n{transcript}"
            ),
        }
    }
}

/// Ctrl-C, as the terminal sends it in raw mode.
pub const CTRL_C: &str = "\x03";

/// One `supportcheck audit` running in a pseudo-terminal, in `dir`: the
/// one wrapper the audit and fault tests drive.
pub struct Audit {
    pub pty: Pty,
    pub dir: PathBuf,
}

impl std::ops::Deref for Audit {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.pty
    }
}

impl std::ops::DerefMut for Audit {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.pty
    }
}

impl Audit {
    /// `supportcheck audit --by Tester <args>` in `dir` (see [`spawn_audit`]).
    pub fn spawn(dir: &Path, args: &[&str]) -> Audit {
        Audit {
            pty: spawn_audit(dir, args),
            dir: dir.to_path_buf(),
        }
    }

    /// Waits for the question menu and returns the text shown with it.
    pub fn menu(&mut self, progress: &str) -> String {
        let mut shown = self.expect(progress);
        shown.push_str(&self.expect(MENU_END));
        shown
    }

    /// Sends keys that the terminal driver would act on itself outside raw
    /// mode (Backspace is ERASE there): once the prompt reads keys, in one
    /// write, so that they all arrive while the terminal is raw. (Console
    /// leaves raw mode for a moment between two keys.)
    pub fn send_raw(&mut self, keys: &str) {
        wait_for_raw_mode(&self.dir);
        self.send(keys);
    }

    /// Presses Ctrl-C at the prompt on screen, once it reads keys.
    pub fn ctrl_c(&mut self) {
        self.send_raw(CTRL_C);
    }

    /// `kill -9`; does nothing when the process has already exited.
    pub fn kill_9(&mut self) {
        self.signal(Signal::SIGKILL);
    }

    /// Reads to the end and waits for the exit code; returns it and the
    /// output since the last wait.
    pub fn finish(self) -> (i32, String) {
        let done = self.finish_all();
        (done.0, done.1)
    }

    /// Like [`Audit::finish`], with the whole transcript as well.
    pub fn finish_all(self) -> (i32, String, String) {
        self.pty.finish_code()
    }

    /// Reads to the end of a process that may have been killed: how it
    /// ended and the whole transcript.
    pub fn finish_status(self) -> (WaitStatus, String) {
        let (status, _, all) = self.pty.finish();
        (status, all)
    }
}

/// The terminal of the `supportcheck` child of this test process that runs in
/// `dir`, from /proc (Linux).
pub fn child_tty(dir: &Path) -> Option<PathBuf> {
    let me = std::process::id();
    let dir = dir.canonicalize().ok()?;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let ppid = stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid != Some(me) {
            continue;
        }
        let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).ok();
        if cwd.and_then(|c| c.canonicalize().ok()).as_deref() != Some(dir.as_path()) {
            continue;
        }
        return std::fs::read_link(format!("/proc/{pid}/fd/0")).ok();
    }
    None
}

/// Waits until the audit's terminal is in raw mode, that is, a prompt is
/// reading keys. Only for a folder with one audit running in it. Where that
/// cannot be seen (no /proc, no stty), waits a while instead.
pub fn wait_for_raw_mode(dir: &Path) {
    let deadline = Instant::now() + Duration::from_millis(TIMEOUT_MS);
    let mut seen_terminal = false;
    while Instant::now() < deadline {
        if let Some(tty) = child_tty(dir) {
            let out = std::process::Command::new("stty")
                .arg("-F")
                .arg(&tty)
                .arg("-a")
                .output();
            match out {
                Ok(out) if out.status.success() => {
                    seen_terminal = true;
                    let text = String::from_utf8_lossy(&out.stdout);
                    if text.split_whitespace().any(|w| w == "-icanon") {
                        return;
                    }
                }
                _ => break,
            }
        } else if !seen_terminal && !Path::new("/proc/self/stat").exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !seen_terminal,
        "the audit's terminal never went into raw mode"
    );
    std::thread::sleep(Duration::from_millis(500));
}

/// Reads an answers file, which must parse without errors.
pub fn read_answers(path: &Path) -> AnswersFile {
    let text = std::fs::read_to_string(path).expect("the answers file is readable");
    let (file, findings) = supportcheck::answers::parse(&text, "readiness/answers.yaml");
    assert!(
        findings.iter().all(|f| !f.is_error()),
        "{findings:?}\n{text}"
    );
    file
}
