//! Runs a user template in a child process of this binary, under CPU-time
//! and memory limits, so that no template can hang the tool or eat the
//! machine's memory.

use crate::Exit;
use crate::render::client::View;
use crate::render::template;
use crate::report::Report;
use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

/// CPU seconds a template may use.
pub const CPU_SECONDS: u64 = 10;
/// Lowers the CPU limit (never raises it), so that the tests of a template
/// that never ends need not wait the full ten seconds.
const CPU_SECONDS_ENV: &str = "SUPPORTCHECK_TEMPLATE_CPU_SECONDS";

/// The CPU limit in force: [`CPU_SECONDS`], or less when the environment
/// lowers it.
fn cpu_seconds() -> u64 {
    std::env::var(CPU_SECONDS_ENV)
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map_or(CPU_SECONDS, |s| s.clamp(1, CPU_SECONDS))
}
/// Address space the rendering process may map.
pub const MEMORY_BYTES: u64 = 1 << 30;

#[derive(Serialize)]
struct Job<'a> {
    name: &'a str,
    source: &'a str,
    report: &'a Report,
    view: &'a View,
}

#[derive(Deserialize)]
struct OwnedJob {
    name: String,
    source: String,
    report: serde_json::Value,
    view: serde_json::Value,
}

/// Renders `source` against `report` and its client view in a limited
/// child process.
pub fn render_template(source: &str, name: &str, report: &Report, view: &View) -> Result<String> {
    let exe = std::env::current_exe().context("cannot find this program to render the template")?;
    let job = serde_json::to_vec(&Job {
        name,
        source,
        report,
        view,
    })?;
    let mut child = Command::new(exe)
        .arg("__render-template")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start the template renderer")?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Write on a thread: the child may fill its stdout pipe before it has
    // read all of stdin.
    let writer = std::thread::spawn(move || stdin.write_all(&job));
    let out = child
        .wait_with_output()
        .context("the template renderer did not finish")?;
    // A child stopped early closes its stdin; that write error says nothing new.
    let _ = writer.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return String::from_utf8(out.stdout).map_err(|_| anyhow!("{name}: output is not UTF-8"));
    }
    if out.status.code() == Some(Exit::Failure as i32) {
        bail!("{}", stderr.trim_end());
    }
    if stderr.contains("memory allocation") {
        bail!(
            "{name}: stopped: the template ran out of memory (the limit is {} MiB)",
            MEMORY_BYTES >> 20
        );
    }
    if killed_for_cpu(&out.status) {
        bail!(
            "{name}: stopped after {} s of CPU time: the template does not finish",
            cpu_seconds()
        );
    }
    bail!("{name}: the template renderer failed ({})", out.status)
}

#[cfg(unix)]
fn killed_for_cpu(status: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    // SIGXCPU at the soft limit, SIGKILL at the hard one.
    matches!(status.signal(), Some(24 | 9))
}

#[cfg(not(unix))]
fn killed_for_cpu(_: &std::process::ExitStatus) -> bool {
    false
}

/// The child: set the limits, read the job, render, print.
pub fn child() -> Result<Exit> {
    #[cfg(unix)]
    {
        use rlimit::Resource;
        // Never above a limit the caller already set: that would fail.
        let (_, cpu_hard) = Resource::CPU.get()?;
        let cpu = cpu_seconds();
        Resource::CPU.set(cpu.min(cpu_hard), (cpu + 1).min(cpu_hard))?;
        let (_, as_hard) = Resource::AS.get()?;
        Resource::AS.set(MEMORY_BYTES.min(as_hard), MEMORY_BYTES.min(as_hard))?;
    }
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input)?;
    let job: OwnedJob = serde_json::from_slice(&input).context("reading the template job")?;
    match template::render(&job.source, &job.name, &job.report, &job.view) {
        Ok(text) => {
            std::io::stdout().write_all(text.as_bytes())?;
            Ok(Exit::Ok)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(Exit::Failure)
        }
    }
}
