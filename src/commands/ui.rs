//! What the commands say: the user's settings for output (`Ui`), progress
//! lines, and writing to stdout and stderr made safe to print.
// Shell: it reads the environment, the clock and the terminal.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::print_stdout,
    clippy::print_stderr
)]

use super::{hints, with_help};
use crate::cli::{ColorChoice, Global};
use crate::diagnostic::Finding;
use crate::safe_text;
use anyhow::{Context as _, Result};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// How to talk to the user: colour, verbosity, width.
#[derive(Debug, Clone)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: bool,
    pub width: usize,
}

impl Ui {
    pub fn new(g: &Global) -> Ui {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stderr().is_terminal(),
        });
        let width = console::Term::stdout()
            .size_checked()
            .map(|(_, w)| w as usize)
            .unwrap_or(100)
            .clamp(40, 200);
        Ui {
            quiet: g.quiet,
            verbose: g.verbose,
            width,
        }
    }

    /// `error: <what>` (any `note:` lines the message carries after it),
    /// then a `help:` line for each line of the error's hints: the one
    /// place hints are attached (see `crate::error`).
    pub fn error(&self, err: &anyhow::Error) {
        let mut text = format!("{err}");
        for cause in err.chain().skip(1) {
            text.push_str(&format!(": {cause}"));
        }
        let text = stderr_safe(&text);
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "{} {first}",
            console::style("error:").red().bold().for_stderr()
        );
        for line in lines {
            let _ = writeln!(stderr, "{line}");
        }
        for hint in hints::hints(err) {
            let _ = writeln!(stderr, "{}", crate::error::help_lines(&stderr_safe(&hint)));
        }
    }

    /// A transient line on stderr while slow work runs, only on a terminal.
    pub fn progress(&self, text: &str) -> Progress {
        let shown = !self.quiet && std::io::stderr().is_terminal();
        if shown {
            let _ = write!(std::io::stderr().lock(), "{text}\r");
        }
        Progress { shown }
    }

    /// Colour on standard output, as `--color`, `NO_COLOR` and the terminal
    /// decided, for the core's text renderers.
    pub fn paint(&self) -> crate::render::text::Paint {
        crate::render::text::Paint {
            colour: console::colors_enabled(),
        }
    }

    /// A hint on stderr, unless quiet, wrapped between words to the
    /// terminal's width (a terminal would break it mid-word).
    pub fn hint_wrapped(&self, text: &str) {
        let term = console::Term::stderr();
        match term.size_checked() {
            Some((_, cols)) if term.is_term() && cols > 0 => {
                let width = (cols as usize).saturating_sub(1).max(20);
                // Breaks at spaces only: a path stays whole on its line.
                let options = textwrap::Options::new(width)
                    .word_separator(textwrap::WordSeparator::AsciiSpace)
                    .break_words(false);
                self.hint(&textwrap::fill(text, options));
            }
            _ => self.hint(text),
        }
    }

    /// A hint on stderr, unless quiet.
    pub fn hint(&self, text: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{}", stderr_safe(text));
        }
    }
}

/// A progress line that clears itself.
#[derive(Debug)]
pub struct Progress {
    shown: bool,
}

impl Progress {
    pub fn done(self) {
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
    }
}

/// Writes to stdout; a closed pipe (`supportcheck list | head -1`) ends the
/// process quietly with success, as other Unix tools do.
/// The text is made safe to print first (see [`crate::safe_text`]).
pub fn emit(text: &str) -> Result<()> {
    emit_with(text, false)
}

/// [`emit`] for `check --format github`, whose `::error` lines are commands.
pub fn emit_commands(text: &str) -> Result<()> {
    emit_with(text, true)
}

fn emit_with(text: &str, keep_commands: bool) -> Result<()> {
    let policy = safe_text::Policy {
        keep_colour: console::colors_enabled(),
        keep_commands,
    };
    let text = safe_text::printable(text, policy);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// Writes bytes that are not text (a workbook) to stdout as they are; a
/// terminal is refused, since they would only garble it.
pub fn emit_bytes(bytes: &[u8]) -> Result<()> {
    if std::io::stdout().is_terminal() {
        return Err(with_help(
            "standard output is a terminal, and the workbook is binary; nothing was written",
            "redirect it (`> register.xlsx`), or name a file with --out",
        ));
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(e).context("cannot write to standard output"),
    }
}

/// `-` as an output path: standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Prints findings on stderr in the `path:line:col: severity[code]: message` form.
pub fn print_findings(findings: &[Finding]) {
    let mut err = std::io::stderr().lock();
    for f in findings {
        let _ = writeln!(err, "{}", stderr_safe(&f.to_string()));
    }
}

/// Writes text on stderr, made safe to print.
pub fn print_stderr(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(stderr_safe(text).as_bytes());
}

/// Text for stderr, made safe to print like [`emit`]'s.
pub(super) fn stderr_safe(text: &str) -> std::borrow::Cow<'_, str> {
    safe_text::printable(
        text,
        safe_text::Policy {
            keep_colour: console::colors_enabled_stderr(),
            keep_commands: false,
        },
    )
}
