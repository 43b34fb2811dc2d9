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
const SECTIONS: &str = r#".SH AUDIT
Each answer is saved as soon as it is confirmed. The echo after a question is the status saved (with criteria, \fBpartial\fR when a box was left unticked). A note typed as \fB!e\fR opens \fB$EDITOR\fR. Evidence is one path or URL per line; an empty line ends the list. A path that does not exist below the project root is named at once, to fix or keep. \fBEsc\fR or \fBq\fR at a question saves and quits; Ctrl\-C saves and exits 130. A plain \fBaudit\fR asks every question \fBcheck\fR counts as unanswered: missing, stale, and not\-applicable without a reason.
.PP
The answers file may be edited by hand while an audit runs: before each save the audit compares the file's content with what it last read or wrote, takes in the edits per question, and shows both sides when the same question was changed in both places, for the person at the terminal to choose. Comments in the answers file are kept through every rewrite (\fBaudit\fR, \fBinit \-\-force\fR).
.SH "EXIT STATUS"
.TP
\fB0\fR
Success; for \fBcheck\fR, the gate passed.
.TP
\fB1\fR
The command ran and found problems: lint errors (or warnings with \fB\-\-deny\-warnings\fR), a failed gate, a broken report chain.
.TP
\fB2\fR
It could not run: a usage error, an unreadable or invalid playbook, answers file or config, no terminal for \fBaudit\fR, a \fB\-\-tag\fR or id that matches nothing, an \fB\-\-answers\fR file that does not exist.
.TP
\fB130\fR
Interrupted by Ctrl\-C, after saving every confirmed answer.
.SH FILES
.TP
\fBsupportcheck.yaml\fR
Optional project config: \fBproduct\fR, \fBchecklists\fR (paths and/or \fBbuiltin\fR), \fBanswers\fR, \fBreports\fR, \fBgate\fR (\fBmin_score\fR, \fBfail_on\fR, \fBwarn_days\fR, \fBrequire_owners\fR, \fBsignoffs\fR, \fBsignoffs_signed\fR, \fBallowed_signers\fR), \fBowners\fR (role to people) and \fBownership\fR (\fBquestions\fR, \fBplaybooks\fR, \fBtags\fR, \fBsections\fR to a role).
.TP
\fBreadiness/answers.yaml\fR
The answers: one entry per question id with \fBstatus\fR (met, partial, unmet, not\-applicable), \fBnote\fR, \fBevidence\fR, \fBcriteria_met\fR, \fBquestion_version\fR, \fBanswered_by\fR, \fBanswered_at\fR an optional \fBwaiver\fR (\fBreason\fR, \fBexpires\fR, \fBapproved_by\fR) and an optional \fBaction\fR (\fBwhat\fR, \fBwho\fR, \fBdue\fR). Written atomically in a stable order, one line per question id even when open, so that git merges answers to different questions; \fBsupportcheck merge\-answers %O %A %B\fR is its merge driver.
.TP
\fBreadiness/signoffs.yaml\fR
Sign\-offs written by \fBsignoff\fR: \fBrole\fR, \fBname\fR, \fBat\fR, \fBnote\fR the sha256 digests of what was signed and, with \fBsignoff \-\-sign\fR, an SSH signature; a later change to the answers, playbooks, facts or gate makes a sign\-off outdated, and an entry by someone outside the role, dated in the future or (with \fBgate.signoffs_signed\fR) not signed by a key in \fBallowed_signers\fR does not count.
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

/// Every subcommand in this one page, with its synopsis and options, rather
/// than references to `supportcheck-audit(1)` pages that are not installed.
fn render_commands(out: &mut Vec<u8>) -> Result<()> {
    out.extend_from_slice(b".SH COMMANDS\n");
    let cmd = Cli::command();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("supportcheck {}", sub.get_name());
        let sub = sub.clone().bin_name(name.clone());
        out.extend_from_slice(format!(".SS \"{name}\"\n").as_bytes());
        if let Some(about) = sub.get_about() {
            out.extend_from_slice(format!("{}\n", roff_text(&about.to_string())).as_bytes());
        }
        let page = clap_mangen::Man::new(sub);
        let mut text = Vec::new();
        page.render_synopsis_section(&mut text)?;
        page.render_options_section(&mut text)?;
        // The sections of a subcommand's own page become paragraphs here.
        let text = String::from_utf8_lossy(&text)
            .replace(".SH SYNOPSIS\n", ".PP\n")
            .replace(".SH OPTIONS\n", ".PP\n");
        out.extend_from_slice(text.as_bytes());
    }
    Ok(())
}

/// Plain text for roff: a leading dot or quote would start a request.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn man() -> Result<Exit> {
    let man = clap_mangen::Man::new(Cli::command()).date(env!("CARGO_PKG_VERSION"));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    render_commands(&mut out)?;
    out.extend_from_slice(SECTIONS.as_bytes());
    man.render_version_section(&mut out)?;
    emit(&String::from_utf8_lossy(&out))?;
    Ok(Exit::Ok)
}
