//! `supportcheck completions` and `supportcheck man`: fitting into the shell.

use super::emit;
use crate::Exit;
use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;

pub fn completions(args: &CompletionsArgs) -> Result<Exit> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "supportcheck", &mut out);
    emit(&String::from_utf8_lossy(&out))?;
    Ok(Exit::Ok)
}

/// Extra man page sections, in roff.
const SECTIONS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success; for \fBcheck\fR, the gate passed.
.TP
\fB1\fR
The command ran and found problems: lint errors (or warnings with \fB\-\-deny\-warnings\fR), a failed gate, a broken report chain.
.TP
\fB2\fR
It could not run: a usage error, an unreadable or invalid playbook, answers file or config, no terminal for \fBaudit\fR.
.TP
\fB130\fR
Interrupted by Ctrl\-C, after saving every confirmed answer.
.SH FILES
.TP
\fBsupportcheck.yaml\fR
Optional project config: \fBproduct\fR, \fBchecklists\fR (paths and/or \fBbuiltin\fR), \fBanswers\fR, \fBreports\fR, \fBgate\fR (\fBmin_score\fR, \fBfail_on\fR, \fBwarn_days\fR, \fBrequire_owners\fR, \fBsignoffs\fR), \fBowners\fR (role to people) and \fBownership\fR (\fBquestions\fR, \fBplaybooks\fR, \fBtags\fR, \fBsections\fR to a role).
.TP
\fBreadiness/answers.yaml\fR
The answers: one entry per question id with \fBstatus\fR (met, partial, unmet, not\-applicable), \fBnote\fR, \fBevidence\fR, \fBcriteria_met\fR, \fBquestion_version\fR, \fBanswered_by\fR, \fBanswered_at\fR an optional \fBwaiver\fR (\fBreason\fR, \fBexpires\fR, \fBapproved_by\fR) and an optional \fBaction\fR (\fBwhat\fR, \fBwho\fR, \fBdue\fR). Written atomically in a stable order, one line per question id even when open, so that git merges answers to different questions; \fBsupportcheck merge\-answers %O %A %B\fR is its merge driver.
.TP
\fBreadiness/signoffs.yaml\fR
Sign\-offs written by \fBsignoff\fR: \fBrole\fR, \fBname\fR, \fBat\fR, \fBnote\fR and the sha256 digests of what was signed; a later change to the answers, playbooks or gate makes a sign\-off outdated.
.TP
\fBreadiness/reports/readiness\-v\fIN\fB.json\fR
The versioned report (schema \fBsupportcheck.report/1\fR), with \fB.md\fR and \fB.html\fR companions. Never overwritten; each version links to the previous one by sha256.
.TP
\fIplaybook\fB.md\fR
Markdown with YAML frontmatter holding a \fBchecklist\fR of items with \fBorder\fR, \fBquestion\fR, \fBexpectation\fR and \fBversion\fR, and optionally \fBid\fR, \fBweight\fR, \fBcritical\fR, \fBcriteria\fR, \fBevidence\fR, \fBtags\fR and \fBowner\fR (a role; also allowed at the top of the frontmatter). Guidance sits under \fB## Why\fR and \fB## How\fR.
.SH SCORING
Credit is 1 for met, 0.5 for partial, 0 for unmet or unanswered; with criteria, the share of criteria met. Score = 100 \(mu \(*S(weight \(mu credit) / \(*S(weight) over applicable questions. A critical question not met and not waived blocks the launch. \fBsupportcheck explain\fR shows the arithmetic.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
Disables colour when set (as \fB\-\-color never\fR).
.TP
\fBSUPPORTCHECK_NOW\fR
Pins the clock (RFC 3339 or YYYY\-MM\-DD), for reproducible reports.
.TP
\fBGITHUB_STEP_SUMMARY\fR
With \fBcheck \-\-format github\fR, the Markdown summary is appended to this file.
"#;

pub fn man() -> Result<Exit> {
    let man = clap_mangen::Man::new(Cli::command()).date(env!("CARGO_PKG_VERSION"));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    man.render_subcommands_section(&mut out)?;
    out.extend_from_slice(SECTIONS.as_bytes());
    man.render_version_section(&mut out)?;
    emit(&String::from_utf8_lossy(&out))?;
    Ok(Exit::Ok)
}
