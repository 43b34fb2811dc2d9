//! `audit` through a pseudo-terminal: real keystrokes, Ctrl-C, resume, the lock.
//!
//! Keys are only sent once the prompt that reads them is on screen. Ctrl-C and
//! Backspace are only sent once the terminal is in raw mode: outside it the
//! terminal driver acts on them itself (a signal; ERASE) and the prompt never
//! sees them. Plain keys sent early wait in the input queue and are fine.

use crate::pty::{Audit, ENTER, MENU_END, read_answers, spawn_audit_env, wait_for_raw_mode};
use crate::support::Test;
use std::path::Path;
use supportcheck::answers::{AnswersFile, Status};

const DOWN: &str = "\x1b[B";
const BACKSPACE: &str = "\x7f";
const SHOW_CURSOR: &str = "\x1b[?25h";
const HIDE_CURSOR: &str = "\x1b[?25l";

impl Audit {
    /// Answers the question on screen met, with a note and no evidence; for
    /// a question with criteria, all of them ticked.
    fn answer_met(&mut self, note: &str, criteria: bool) {
        self.send(ENTER); // Met
        if criteria {
            self.expect("Which criteria hold?");
            wait_for_raw_mode(&self.dir);
            self.send(ENTER);
        }
        self.type_line("Note", note);
        self.type_line("Evidence", "");
    }
}

fn answers(dir: &Path) -> AnswersFile {
    read_answers(&dir.join("readiness/answers.yaml"))
}

/// Answers the first three questions of the built-in set with real keys:
/// met with a note and evidence; partial with one criterion ticked; not
/// applicable with a reason. Leaves the audit at the fourth question.
fn answer_three(a: &mut Audit) {
    let doc = a.dir.join("docs/support/channels.md");
    std::fs::create_dir_all(doc.parent().unwrap()).unwrap();
    std::fs::write(doc, "# Channels\n").unwrap();
    let first = a.menu("[1/76]");
    assert!(first.contains("Support channels"), "{first}");
    assert!(
        !first.contains("Back to the previous question"),
        "no Back on the first question: {first}"
    );
    a.send(ENTER); // Met
    a.type_line("Note", "Tested with a real request");
    // One entry per line; an empty line ends the list.
    a.type_line("Evidence 1", "docs/support/channels.md");
    a.type_line("Evidence 2", "https://example.com/t/1?ids=1,2");
    a.type_line("Evidence 3", "");

    let second = a.menu("[2/76]");
    assert!(second.contains("Back to the previous question"), "{second}");
    a.send(DOWN);
    a.send(ENTER); // Partial
    a.expect("Which criteria hold?");
    a.expect("staffed hours to meet its response target"); // the last criterion is drawn
    a.send(" "); // ticks the first criterion
    a.send(ENTER);
    a.type_line("Note", "Only the decision list so far");
    a.type_line("Evidence", "");
    a.type_line("Follow-up action", ""); // offered after partial; Enter declines

    a.menu("[3/76]");
    a.send(DOWN);
    a.send(DOWN);
    a.send(DOWN);
    a.send(ENTER); // Not applicable
    a.type_line("Why does this not apply", "One channel only");

    a.menu("[4/76]");
}

#[test]
fn ctrl_c_saves_what_was_answered_restores_the_terminal_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    answer_three(&mut a);
    a.ctrl_c();
    let (code, after, all) = a.finish_all();
    assert_eq!(code, 130, "{after:?}");
    assert!(after.contains("interrupted: 3 answers saved"), "{after:?}");
    // The menu hid the cursor; after Ctrl-C it is shown again, before the message.
    let hidden = all.rfind(HIDE_CURSOR).expect("the menu hides the cursor");
    let shown = all.rfind(SHOW_CURSOR).expect("the cursor is shown again");
    assert!(hidden < shown, "the cursor is left hidden: {after:?}");
    let show_after = after.find(SHOW_CURSOR).expect("show-cursor after Ctrl-C");
    assert!(show_after < after.find("interrupted").unwrap(), "{after:?}");

    let file = answers(dir.path());
    assert_eq!(file.answers.len(), 3, "{:?}", file.answers.keys());
    let q1 = file.get("support-channels/q1").unwrap();
    assert_eq!(q1.status, Some(Status::Met));
    assert_eq!(q1.note.as_deref(), Some("Tested with a real request"));
    assert_eq!(
        q1.evidence,
        [
            "docs/support/channels.md",
            "https://example.com/t/1?ids=1,2"
        ]
    );
    assert_eq!(q1.answered_by.as_deref(), Some("Tester"));
    assert_eq!(
        q1.answered_at.map(|t| t.to_rfc3339()),
        Some("2026-11-23T12:00:00+00:00".to_string())
    );
    let q2 = file.get("support-channels/q2").unwrap();
    assert_eq!(q2.status, Some(Status::Partial));
    assert_eq!(
        q2.criteria_met.as_deref(),
        Some(&["decision-per-channel".to_string()][..])
    );
    assert!(q2.evidence.is_empty());
    let q3 = file.get("support-channels/q3").unwrap();
    assert_eq!(q3.status, Some(Status::NotApplicable));
    assert_eq!(q3.note.as_deref(), Some("One channel only"));
}

#[test]
fn a_second_run_resumes_after_the_answered_questions() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    answer_three(&mut a);
    a.ctrl_c();
    assert_eq!(a.finish().0, 130);

    let mut b = Audit::spawn(dir.path(), &[]);
    let before = b.expect("[4/76]");
    assert!(before.contains("starting at 4 of 76"), "{before:?}");
    assert!(!before.contains("[1/76]"), "{before:?}");
    let shown = b.expect(MENU_END);
    assert!(shown.contains("Support channels"), "{shown}");
    b.send("q"); // leaves the menu: save and quit
    let (code, after) = b.finish();
    assert_eq!(code, 0, "{after:?}");
    assert!(after.contains("saved: 0 answers"), "{after:?}");
    assert_eq!(answers(dir.path()).answers.len(), 3);

    // The answered questions are only visited again on request.
    let mut c = Audit::spawn(dir.path(), &["--only", "support-channels/q2"]);
    c.expect("Nothing to ask");
    let (code, out) = c.finish();
    assert_eq!(code, 0, "{out:?}");
    let mut d = Audit::spawn(dir.path(), &["--only", "support-channels/q2", "--all"]);
    let shown = d.menu("[2/76]");
    assert!(shown.contains("Current answer: partial"), "{shown}");
    d.send("q");
    assert_eq!(d.finish().0, 0);
}

#[test]
fn a_second_audit_on_the_same_file_is_refused_and_the_first_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Audit::spawn(dir.path(), &[]);
    first.menu("[1/76]");

    let mut second = Audit::spawn(dir.path(), &[]);
    second.expect("already writing");
    let (code, rest) = second.finish();
    assert_eq!(code, 2, "{rest:?}");

    // The first audit still answers and saves.
    first.send(ENTER);
    first.type_line("Note", "");
    first.type_line("Evidence", "");
    first.menu("[2/76]");
    first.send("q");
    let (code, after) = first.finish();
    assert_eq!(code, 0, "{after:?}");
    assert!(after.contains("saved: 1 answer this"), "{after:?}");
    let file = answers(dir.path());
    assert_eq!(
        file.get("support-channels/q1").and_then(|a| a.status),
        Some(Status::Met)
    );

    // With the first one gone, the lock is free again.
    let mut third = Audit::spawn(dir.path(), &[]);
    third.menu("[2/76]");
    third.send("q");
    assert_eq!(third.finish().0, 0);
}

#[test]
fn back_and_save_and_quit_from_the_menu() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    a.menu("[1/76]");
    a.send(ENTER); // Met
    a.type_line("Note", "first");
    a.type_line("Evidence", "");
    a.menu("[2/76]");
    for _ in 0..5 {
        a.send(DOWN);
    }
    a.send(ENTER); // Back to the previous question
    let again = a.menu("[1/76]");
    assert!(again.contains("Current answer: met"), "{again}");
    a.send(DOWN);
    a.send(DOWN);
    a.send(ENTER); // Unmet
    a.expect("Note");
    // The earlier note is offered; replace it.
    a.send_raw(&BACKSPACE.repeat("first".len()));
    a.send("second");
    a.send(ENTER);
    a.type_line("Evidence", "");
    // Unmet: the audit offers a follow-up action; who defaults to the owner.
    a.type_line("Follow-up action", "Staff the chat queue");
    a.type_line("Who does it? (Enter: the owner, support-lead)", "");
    a.type_line("Due date", "2026-12-15");
    a.menu("[2/76]");
    for _ in 0..7 {
        a.send(DOWN);
    }
    a.send(ENTER); // Save and quit
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    // One question, answered twice: the count is of questions, not saves.
    assert!(after.contains("saved: 1 answer this"), "{after:?}");
    let file = answers(dir.path());
    assert_eq!(file.answers.len(), 1);
    let q1 = file.get("support-channels/q1").unwrap();
    assert_eq!(q1.status, Some(Status::Unmet));
    assert_eq!(q1.note.as_deref(), Some("second"));
    let action = q1.action.as_ref().expect("the action was recorded");
    assert_eq!(action.what, "Staff the chat queue");
    assert_eq!(action.who, None, "left to the owner");
    assert_eq!(
        action.due.map(|d| d.to_string()).as_deref(),
        Some("2026-12-15")
    );
}

#[test]
fn sigint_at_a_prompt_also_saves_and_exits_130() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    a.menu("[1/76]");
    a.send(ENTER);
    a.type_line("Note", "");
    a.type_line("Evidence", "");
    a.menu("[2/76]");
    // A signal rather than a key, as `kill -INT` sends it.
    wait_for_raw_mode(&a.dir);
    a.signal(rexpect::process::Signal::SIGINT);
    let (code, after) = a.finish();
    assert_eq!(code, 130, "{after:?}");
    assert!(after.contains("interrupted: 1 answer saved"), "{after:?}");
    assert!(after.contains(SHOW_CURSOR), "{after:?}");
    assert_eq!(answers(dir.path()).answers.len(), 1);
}

#[test]
fn an_unknown_only_id_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &["--only", "no-such-playbook"]);
    a.expect("no such playbook or question");
    assert_eq!(a.finish().0, 2);
    assert!(!dir.path().join("readiness/answers.yaml").exists());
}

#[test]
fn an_only_id_or_tag_that_matches_nothing_suggests_the_right_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &["--only", "support-channel"]);
    a.expect("did you mean `support-channels`?");
    assert_eq!(a.finish().0, 2);
    let mut b = Audit::spawn(dir.path(), &["--tag", "launch-blockr"]);
    b.expect("--tag launch-blockr: no question has this tag");
    b.expect("did you mean `launch-blocker`?");
    assert_eq!(b.finish().0, 2);
    assert!(!dir.path().join("readiness/answers.yaml").exists());
}

#[test]
fn without_a_terminal_audit_exits_2_and_says_what_to_do_instead() {
    let out = Test::new().args(["audit"]).status(2);
    assert!(out.stderr.contains("needs a terminal"), "{}", out.stderr);
    assert!(out.stderr.contains("supportcheck init"), "{}", out.stderr);
    assert!(out.stderr.contains("supportcheck check"), "{}", out.stderr);
    // Also with input piped in.
    let piped = Test::new().args(["audit"]).stdin("\r\r\r").status(2);
    assert!(
        piped.stderr.contains("needs a terminal"),
        "{}",
        piped.stderr
    );
}

// ---- issue 13: nothing a person wrote is lost ------------------------------

const ANSWERS: &str = "readiness/answers.yaml";

/// A fresh audit whose first question is answered met with `note`, saved,
/// and waiting at the second question.
fn first_answered(note: &str) -> (tempfile::TempDir, Audit) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    a.menu("[1/76]");
    a.answer_met(note, false);
    a.menu("[2/76]");
    (dir, a)
}

#[test]
fn an_edit_made_on_disk_between_two_answers_is_kept_with_the_audits() {
    let (dir, mut a) = first_answered("from the audit, one");

    // Another shell adds an answer and a comment while the audit waits.
    let path = dir.path().join(ANSWERS);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = format!(
        "# Reviewed by the support lead\n{text}  # phone line decided by Sam\n  support-channels/q5:\n    status: unmet\n    note: edited by hand\n"
    );
    std::fs::write(&path, edited).unwrap();

    a.answer_met("from the audit, two", true);
    a.menu("[3/76]");
    a.send("q");
    let (code, after, all) = a.finish_all();
    assert_eq!(code, 0, "{after:?}");

    let file = answers(dir.path());
    let note = |id: &str| file.get(id).and_then(|a| a.note.clone());
    assert_eq!(
        note("support-channels/q1").as_deref(),
        Some("from the audit, one")
    );
    assert_eq!(
        note("support-channels/q2").as_deref(),
        Some("from the audit, two")
    );
    assert_eq!(
        note("support-channels/q5").as_deref(),
        Some("edited by hand")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# Reviewed by the support lead\n"), "{text}");
    assert!(
        text.contains("  # phone line decided by Sam\n  support-channels/q5:\n"),
        "{text}"
    );
    assert!(all.contains("changed on disk while the audit ran"), "{all}");
}

#[test]
fn the_same_question_changed_on_both_sides_offers_the_choice() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    a.menu("[1/76]");
    std::fs::create_dir_all(dir.path().join("readiness")).unwrap();
    std::fs::write(
        dir.path().join(ANSWERS),
        "format: 1\nanswers:\n  support-channels/q1:\n    status: partial\n    note: by hand\n",
    )
    .unwrap();
    a.answer_met("from the audit", false);
    let shown = a.expect("Which answer to support-channels/q1 to keep?");
    assert!(shown.contains("changed both here and on disk"), "{shown}");
    assert!(shown.contains("note: from the audit"), "{shown}");
    assert!(shown.contains("note: by hand"), "{shown}");
    a.expect("The one on disk");
    // While the choice is on screen, the file is edited once more.
    std::fs::write(
        dir.path().join(ANSWERS),
        "format: 1\nanswers:\n  support-channels/q1:\n    status: partial\n    note: by hand\n  support-channels/q5:\n    status: unmet\n    note: added during the choice\n",
    )
    .unwrap();
    a.send(DOWN);
    a.send(ENTER);
    a.menu("[2/76]");
    a.send("q");
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    let file = answers(dir.path());
    let q1 = file.get("support-channels/q1").unwrap();
    assert_eq!(q1.status, Some(Status::Partial));
    assert_eq!(q1.note.as_deref(), Some("by hand"));
    assert_eq!(
        file.get("support-channels/q5")
            .and_then(|a| a.note.as_deref()),
        Some("added during the choice")
    );
}

#[test]
fn comments_in_the_answers_file_survive_an_audit_save() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("readiness")).unwrap();
    let written = "# Team note: we review these every Friday\nformat: 1\nanswers:\n  # TODO: ask Sam for the SLA doc\n  support-channels/q2:\n    status: unmet  # not yet\n";
    std::fs::write(dir.path().join(ANSWERS), written).unwrap();
    let mut a = Audit::spawn(dir.path(), &["--only", "support-channels/q1"]);
    a.menu("[1/76]");
    a.answer_met("", false);
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    let text = std::fs::read_to_string(dir.path().join(ANSWERS)).unwrap();
    for comment in [
        "# Team note: we review these every Friday\nformat: 1\n",
        "  # TODO: ask Sam for the SLA doc\n  support-channels/q2:\n",
        "# not yet",
    ] {
        assert!(text.contains(comment), "{comment:?} lost:\n{text}");
    }
    assert_eq!(answers(dir.path()).answers.len(), 2);
}

#[test]
fn init_force_is_refused_while_an_audit_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &[]);
    a.menu("[1/76]");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("supportcheck"))
        .current_dir(dir.path())
        .args(["init", "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already writing"));
    a.send("q");
    assert_eq!(a.finish().0, 0);
}

#[test]
fn a_missing_evidence_path_is_named_when_typed_and_can_be_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &["--only", "support-channels/q1"]);
    a.menu("[1/76]");
    a.send(ENTER); // Met
    a.type_line("Note", "");
    a.type_line("Evidence 1", "docs/no-such-page.md");
    a.type_line("Evidence 2", "");
    a.expect("`docs/no-such-page.md` is not a file inside the project");
    a.expect("Keep it");
    a.send(DOWN);
    a.send(ENTER);
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    let file = answers(dir.path());
    assert_eq!(
        file.get("support-channels/q1").unwrap().evidence,
        ["docs/no-such-page.md"]
    );
    let status = Test::new()
        .file(ANSWERS, std::fs::read(dir.path().join(ANSWERS)).unwrap())
        .args(["status"])
        .run();
    assert!(
        status
            .stdout
            .contains("support-channels/q1  met → partial (evidence missing)"),
        "{}",
        status.stdout
    );
}

#[test]
fn a_note_written_in_the_editor_is_echoed_as_its_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let editor = dir.path().join("editor.sh");
    std::fs::write(
        &editor,
        "#!/bin/sh\nprintf 'Escalation path agreed\\nwith the on-call team\\n' > \"$1\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut a = Audit {
        pty: spawn_audit_env(
            dir.path(),
            &["--only", "support-channels/q1"],
            &[("EDITOR", editor.to_str().unwrap())],
        ),
        dir: dir.path().to_path_buf(),
    };
    a.menu("[1/76]");
    a.send(ENTER);
    a.type_line("Note", "!e");
    let echoed = a.expect("Escalation path agreed");
    a.type_line("Evidence", "");
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    assert!(echoed.contains("Note"), "{echoed:?}");
    let rest = after.split("Escalation path agreed").next().unwrap_or("");
    assert!(!rest.contains("!e"), "{after:?}");
    let file = answers(dir.path());
    assert_eq!(
        file.get("support-channels/q1").unwrap().note.as_deref(),
        Some("Escalation path agreed\nwith the on-call team")
    );
}

#[test]
fn a_plain_audit_asks_every_question_that_check_counts_as_unanswered() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("readiness")).unwrap();
    // Not applicable without a reason, and an answer two major versions old:
    // `check` counts both as unanswered, so the audit asks both.
    std::fs::write(
        dir.path().join(ANSWERS),
        "format: 1\nanswers:\n  support-channels/q1:\n    status: not-applicable\n  support-channels/q2:\n    status: met\n    question_version: 0.1.0\n",
    )
    .unwrap();
    let check = Test::new()
        .file(ANSWERS, std::fs::read(dir.path().join(ANSWERS)).unwrap())
        .file("supportcheck.yaml", crate::pty::ALL_FACTS)
        .args(["check"])
        .run();
    assert!(
        check.stdout.contains("gate failed: 75 missing; 1 stale"),
        "{}",
        check.stdout
    );
    let mut a = Audit::spawn(dir.path(), &[]);
    let before = a.expect("[1/76]");
    assert!(before.contains("76 questions to go"), "{before:?}");
    // Esc is said, not a surprise.
    assert!(
        before.contains("Esc or q at a question saves and quits"),
        "{before:?}"
    );
    let menu = a.expect(MENU_END);
    assert!(menu.contains("Esc or q: save and quit"), "{menu}");
    a.send("q");
    assert_eq!(a.finish().0, 0);
}

#[test]
fn the_echo_of_a_criteria_answer_shows_the_status_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &["--only", "support-channels/q2"]);
    a.menu("[2/76]");
    a.send(ENTER); // Met, with every criterion ticked by default
    a.expect("Which criteria hold?");
    a.expect("staffed hours to meet its response target");
    wait_for_raw_mode(&a.dir);
    a.send(" "); // unticks the first
    a.send(ENTER);
    let echoed = a.expect("partial (3 of 4 criteria)");
    assert!(echoed.contains("Answer"), "{echoed:?}");
    a.type_line("Note", "");
    a.type_line("Evidence", "");
    a.type_line("Follow-up action", "");
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    let file = answers(dir.path());
    assert_eq!(
        file.get("support-channels/q2").unwrap().status,
        Some(Status::Partial)
    );
}

#[test]
fn an_answers_file_removed_while_the_audit_runs_gets_every_answer_back() {
    let (dir, mut a) = first_answered("one");
    std::fs::remove_file(dir.path().join(ANSWERS)).unwrap();
    a.answer_met("two", true);
    a.expect("was removed on disk while the audit ran");
    a.menu("[3/76]");
    a.send("q");
    assert_eq!(a.finish().0, 0);
    let file = answers(dir.path());
    assert_eq!(file.answers.len(), 2, "{:?}", file.answers.keys());
}

#[test]
fn an_answers_file_broken_by_an_outside_edit_is_read_again_once_fixed() {
    let (dir, mut a) = first_answered("one");
    let path = dir.path().join(ANSWERS);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{good}  support-channels/q5: [unclosed\n")).unwrap();
    a.answer_met("two", true);
    a.expect("now has an error");
    a.expect("Write the audit's answers over it");
    // Fixed by hand meanwhile; then "Read it again".
    let fixed =
        format!("{good}  support-channels/q5:\n    status: unmet\n    note: fixed by hand\n");
    std::fs::write(&path, fixed).unwrap();
    a.send(ENTER);
    a.menu("[3/76]");
    a.send("q");
    assert_eq!(a.finish().0, 0);
    let file = answers(dir.path());
    let note = |id: &str| file.get(id).and_then(|a| a.note.clone());
    assert_eq!(note("support-channels/q1").as_deref(), Some("one"));
    assert_eq!(note("support-channels/q2").as_deref(), Some("two"));
    assert_eq!(
        note("support-channels/q5").as_deref(),
        Some("fixed by hand")
    );
}

#[test]
fn an_explicit_answers_path_that_does_not_exist_stops_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &["--answers", "readines/answers.yaml"]);
    a.expect("--answers readines/answers.yaml: no such file");
    assert_eq!(a.finish().0, 2);
    assert!(!dir.path().join("readines").exists(), "nothing is created");
}

#[test]
fn a_choice_in_a_two_row_terminal_is_asked_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = crate::pty::spawn_audit_after(
        dir.path(),
        "stty rows 2 cols 100",
        &["--only", "support-channels/q1"],
    );
    a.expect("[1/76]");
    a.type_line("Answer (m=Met", "m");
    a.type_line("Note", "");
    a.type_line("Evidence", "docs/no-such-page.md");
    a.type_line("Evidence", "");
    a.expect("`docs/no-such-page.md` is not a file inside the project");
    a.type_line("2=Keep it", "2");
    let (code, _, all) = a.finish_code();
    assert_eq!(code, 0, "{all}");
    assert!(!all.contains("panicked"), "{all}");
    let file = answers(dir.path());
    assert_eq!(
        file.get("support-channels/q1").unwrap().evidence,
        ["docs/no-such-page.md"]
    );
}

#[test]
fn audit_owner_and_mine_walk_only_the_questions_of_those_roles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("supportcheck.yaml"),
        "product: Acme\nowners:\n  legal: [Jonas Berg]\n  support-lead: [Tester]\nfacts:\n  audience: medium\n  automation: false\n  channels: [email]\n  on_site_work: false\n  regulated: []\n  help_center_url: ''\n  contact_url: ''\n  status_page_url: ''\n  support_policy_path: ''\n",
    )
    .unwrap();
    let mut a = Audit::spawn(dir.path(), &["--owner", "legal"]);
    let hint = a.expect("[7/76]");
    assert!(
        hint.contains("6 questions to go, starting at 7 of 76"),
        "{hint}"
    );
    let menu = a.menu("Service levels");
    assert!(menu.contains("owner legal"), "{menu}");
    a.send(ENTER); // Met
    a.type_line("Note", "Policy page is live");
    a.type_line("Evidence", "https://example.com/legal/support-policy");
    a.type_line("Evidence 2", "");
    a.menu("[8/76]");
    a.send("q"); // save and quit
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    let file = answers(dir.path());
    assert_eq!(
        file.answers.keys().collect::<Vec<_>>(),
        ["service-levels/q1"]
    );

    // --mine: the person (--by Tester) is in support-lead, which owns 33 questions,
    // 28 of them applying with these facts.
    let mut a = Audit::spawn(dir.path(), &["--mine"]);
    let hint = a.expect("[1/76]");
    assert!(
        hint.contains("28 questions to go, starting at 1 of 76"),
        "{hint}"
    );
    a.menu("Support channels");
    a.send("q");
    assert_eq!(a.finish().0, 0);
}

/// The audit's closing "Top gaps" are the first gaps of the one plan: the
/// same ones, in the same order, as the exported improvement plan.
#[test]
fn the_closing_top_gaps_are_the_first_of_the_exported_plan() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Audit::spawn(dir.path(), &["--only", "support-channels/q1"]);
    a.menu("[1/76]");
    a.answer_met("", false);
    let (code, after) = a.finish();
    assert_eq!(code, 0, "{after:?}");
    let after = after.replace('\r', "");
    let list = after
        .split("Top gaps (heaviest first) and what good looks like:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no top gaps in {after:?}"));
    let shown: Vec<&str> = list
        .lines()
        .take_while(|l| !l.is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(shown.len(), 5, "{list}");

    let export = std::process::Command::new(env!("CARGO_BIN_EXE_supportcheck"))
        .arg("-C")
        .arg(dir.path())
        .args(["export", "--format", "csv", "--out", "register.csv"])
        .output()
        .unwrap();
    assert!(export.status.success(), "{export:?}");
    let plan = std::fs::read_to_string(dir.path().join("register-plan.csv")).unwrap();
    let ranked: Vec<&str> = plan
        .lines()
        .skip(1)
        .take(5)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(shown, ranked, "{list}\n{plan}");
}
