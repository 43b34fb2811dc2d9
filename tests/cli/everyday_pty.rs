//! Everyday use (issue 25) at a real terminal: `audit` outside a project
//! offers `init`, asks the product's name, confirms a past due date, says
//! that a reason is required, and leaves the screen as a person reads it
//! (checked on a small model of the terminal's screen).

use crate::pty::{ALL_FACTS, ENTER, MENU_END, Pty, read_answers, spawn_audit, spawn_audit_after};
use std::path::Path;

const DOWN: &str = "\x1b[B";

/// A playbook of one question that needs evidence to count as met.
const ONE_QUESTION: &str = "---\ntitle: Rota\nid: rota\nchecklist:\n  - order: 1\n    question: Is the weekend covered?\n    expectation: Someone is on call every weekend.\n    version: 1.0.0\n---\n";

/// A project of [`ONE_QUESTION`], with `config` as its supportcheck.yaml.
fn one_question(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pb")).unwrap();
    std::fs::write(dir.path().join("pb/rota.md"), ONE_QUESTION).unwrap();
    std::fs::write(dir.path().join("supportcheck.yaml"), config).unwrap();
    dir
}

/// The screen a terminal `cols` wide shows after `bytes`: the rows, each
/// with its trailing blanks cut. Enough of a VT100 for what console and
/// dialoguer write (printable text with a deferred wrap, CR, LF, cursor
/// up/down/left/right/column, erase in line and below); colours and modes
/// are skipped.
pub fn screen(bytes: &str, cols: usize) -> Vec<String> {
    let mut rows: Vec<Vec<char>> = vec![Vec::new()];
    let (mut row, mut col) = (0usize, 0usize);
    let mut chars = bytes.chars().peekable();
    fn put(rows: &mut Vec<Vec<char>>, row: usize, col: usize, c: char) {
        while rows.len() <= row {
            rows.push(Vec::new());
        }
        let line = &mut rows[row];
        while line.len() <= col {
            line.push(' ');
        }
        line[col] = c;
    }
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                row += 1;
                col = 0;
            }
            '\x08' => col = col.saturating_sub(1),
            '\x1b' => {
                if chars.peek() != Some(&'[') {
                    chars.next();
                    continue;
                }
                chars.next();
                let mut params = String::new();
                let mut end = ' ';
                for p in chars.by_ref() {
                    if p.is_ascii_alphabetic() || p == '~' {
                        end = p;
                        break;
                    }
                    params.push(p);
                }
                if params.starts_with('?') {
                    continue;
                }
                let n = params
                    .split(';')
                    .next()
                    .and_then(|p| p.parse::<usize>().ok());
                let n1 = n.unwrap_or(1).max(1);
                while rows.len() <= row {
                    rows.push(Vec::new());
                }
                match end {
                    'A' => row = row.saturating_sub(n1),
                    'B' => row += n1,
                    'C' => col = (col + n1).min(cols - 1),
                    'D' => col = col.saturating_sub(n1),
                    'G' => col = n1 - 1,
                    'K' => match n.unwrap_or(0) {
                        0 => rows[row].truncate(col),
                        1 => {
                            for c in rows[row].iter_mut().take(col + 1) {
                                *c = ' ';
                            }
                        }
                        _ => rows[row].clear(),
                    },
                    'J' if n.unwrap_or(0) == 0 => {
                        rows[row].truncate(col);
                        rows.truncate(row + 1);
                    }
                    _ => {}
                }
            }
            c if c.is_control() => {}
            c => {
                if col >= cols {
                    row += 1;
                    col = 0;
                }
                put(&mut rows, row, col, c);
                col += 1;
            }
        }
    }
    rows.into_iter()
        .map(|r| r.into_iter().collect::<String>().trim_end().to_string())
        .collect()
}

#[test]
fn the_screen_model_wraps_and_erases_like_a_terminal() {
    assert_eq!(screen("abcdef", 4), ["abcd", "ef"]);
    assert_eq!(screen("abcd\r\nx", 4), ["abcd", "x"]);
    assert_eq!(screen("one\ntwo\x1b[1A\r\x1b[2Kzz", 10), ["zz", "two"]);
}

/// `supportcheck audit` finding its project from `dir` (no
/// `SUPPORTCHECK_DIR`), in an 80-column terminal.
fn audit_finding(dir: &Path) -> Pty {
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let mut cmd = std::process::Command::new("sh");
    cmd.current_dir(dir)
        .arg("-c")
        .arg(format!(
            "stty rows 24 cols 80\nexec '{}' audit --by Tester",
            bin.display()
        ))
        .env("TERM", "dumb")
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .env_remove("SUPPORTCHECK_DIR")
        .env_remove("NO_COLOR")
        .env_remove("EDITOR")
        .env_remove("VISUAL");
    Pty::spawn(cmd)
}

#[test]
fn audit_in_a_folder_without_a_project_offers_to_start_one() {
    if !crate::support::have_tool("git", "apt-get install git") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    crate::everyday::git(dir.path(), &["init", "-q"]);
    let mut a = audit_finding(dir.path());
    a.expect("No supportcheck.yaml here or in any parent folder");
    a.expect("Start a project in");
    a.send(ENTER); // yes, the default
    a.type_line("Product name", "Acme Helpdesk");
    // init asks the facts; `q` leaves them for later.
    a.expect("Fact `");
    a.send("q");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    assert!(
        transcript.contains("wrote supportcheck.yaml"),
        "{transcript}"
    );
    assert!(transcript.contains("wrote .gitignore"), "{transcript}");
    let config = std::fs::read_to_string(dir.path().join("supportcheck.yaml")).unwrap();
    assert!(config.contains("product: Acme Helpdesk"), "{config}");
    assert!(dir.path().join("readiness/answers.yaml").exists());
}

#[test]
fn audit_asks_the_product_name_when_the_config_has_none() {
    let dir = one_question("checklists: [pb]\n");
    let mut a = spawn_audit(dir.path(), &[]);
    a.type_line("Product name", "Acme Helpdesk");
    a.expect(MENU_END);
    a.send("q");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    let config = std::fs::read_to_string(dir.path().join("supportcheck.yaml")).unwrap();
    assert!(config.starts_with("product: Acme Helpdesk\n"), "{config}");
    assert!(config.contains("checklists: [pb]"), "{config}");
    // Asked once: the next audit goes straight to the question.
    let mut again = spawn_audit(dir.path(), &[]);
    let before = again.expect(MENU_END);
    assert!(!before.contains("Product name"), "{before}");
    again.send("q");
    again.finish_code();
}

#[test]
fn a_past_due_date_is_confirmed_before_it_is_saved() {
    let dir = one_question("product: Acme\nchecklists: [pb]\n");
    let mut a = spawn_audit(dir.path(), &[]);
    a.expect(MENU_END);
    a.send(DOWN);
    a.send(DOWN);
    a.send(ENTER); // Unmet
    a.type_line("Note", "nobody yet");
    a.type_line("Evidence", "");
    a.type_line("Follow-up action", "Hire a weekend contractor");
    a.type_line("Who does it", "");
    a.type_line("Due date", "2025-11-30");
    a.expect("2025-11-30 is in the past (today is 2026-11-23)");
    a.expect("Keep the past date?");
    a.send("n");
    // Asked again, from the date typed; Enter keeps it, and this time yes.
    a.expect("Due date");
    a.send(ENTER);
    a.expect("Keep the past date?");
    a.send("y");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    let file = read_answers(&dir.path().join("readiness/answers.yaml"));
    let action = file.get("rota/q1").unwrap().action.clone().unwrap();
    assert_eq!(action.due.unwrap().to_string(), "2025-11-30");
}

#[test]
fn an_empty_line_at_a_required_reason_says_it_is_required() {
    let dir = one_question("product: Acme\nchecklists: [pb]\n");
    let mut a = spawn_audit(dir.path(), &[]);
    a.expect(MENU_END);
    a.send(DOWN);
    a.send(DOWN);
    a.send(DOWN);
    a.send(ENTER); // Not applicable
    a.type_line("Why does this not apply", "");
    a.expect("required: \"Why does this not apply?\" needs an answer");
    a.type_line("Why does this not apply", "No weekend service");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    let file = read_answers(&dir.path().join("readiness/answers.yaml"));
    assert_eq!(
        file.get("rota/q1").unwrap().note.as_deref(),
        Some("No weekend service")
    );
}

#[test]
fn at_80_columns_the_intro_breaks_between_words_and_a_wrapped_prompt_leaves_no_copy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("supportcheck.yaml"), ALL_FACTS).unwrap();
    let mut a = spawn_audit_after(
        dir.path(),
        "stty rows 24 cols 80",
        &["--only", "support-channels/q3"],
    );
    a.expect(MENU_END);
    a.send(ENTER); // Met
    let long = "Every channel has a page in the handbook with cost and speed, checked on 12 Nov";
    a.type_line("Note", long);
    a.type_line("Evidence", "");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    let rows = screen(&transcript, 80);
    let shown = rows.join("\n");
    // The intro: every row ends at a word, so the path is whole on one row.
    assert!(
        rows.iter().any(|r| r.contains("readiness/answers.yaml")),
        "the intro breaks the path:\n{shown}"
    );
    for r in &rows {
        assert!(r.chars().count() <= 80, "{r}");
    }
    // The note's prompt is gone once answered; only the echo stays.
    assert_eq!(
        rows.iter().filter(|r| r.contains("Note (optional")).count(),
        0,
        "a copy of the wrapped prompt was left:\n{shown}"
    );
    // (The transcript is read a byte a character: `·` shows as two.)
    assert_eq!(
        rows.iter()
            .filter(|r| r.contains(" Note ") && r.contains("Every channel has a page"))
            .count(),
        1,
        "{shown}"
    );
}

#[test]
fn the_quick_start_makes_the_project_in_the_folder_it_names() {
    if !crate::support::have_tool("git", "apt-get install git") {
        return;
    }
    // Run from a checkout of the tool (a git repository without a project),
    // as `cargo run --release -- -C ~/acme-readiness audit` is.
    let checkout = tempfile::tempdir().unwrap();
    crate::everyday::git(checkout.path(), &["init", "-q"]);
    let home = tempfile::tempdir().unwrap();
    let target = home.path().join("acme-readiness");
    let bin = assert_cmd::cargo::cargo_bin("supportcheck");
    let mut cmd = std::process::Command::new(bin);
    cmd.current_dir(checkout.path())
        .args(["-C", target.to_str().unwrap(), "audit", "--by", "Tester"])
        .env("TERM", "dumb")
        .env("SUPPORTCHECK_NOW", "2026-11-23T12:00:00Z")
        .env_remove("SUPPORTCHECK_DIR")
        .env_remove("NO_COLOR")
        .env_remove("EDITOR")
        .env_remove("VISUAL");
    let mut a = Pty::spawn(cmd);
    a.expect("Start a project in");
    a.send("y");
    a.type_line("Product name", "Acme Helpdesk");
    a.expect("Fact `");
    a.send("q");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    assert!(target.join("supportcheck.yaml").exists(), "{transcript}");
    assert!(target.join("readiness/answers.yaml").exists());
    // Nothing was written into the checkout.
    let left: Vec<_> = std::fs::read_dir(checkout.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".git")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A playbook whose two facts ask questions longer than a row of 80.
const LONG_FACTS: &str = "---\ntitle: Rota\nid: rota\nfacts:\n  - name: bots\n    question: Will customers get automated answers at launch, from a chatbot, a phone menu or replies that solve problems?\n    type: bool\n  - name: cover\n    question: Which of these does the published rota cover, for the queue on weekends and public holidays?\n    type: many-of\n    options: [weekends, holidays]\nchecklist:\n  - order: 1\n    question: Is the weekend covered?\n    expectation: Someone is on call every weekend.\n    version: 1.0.0\n    applies_if: \"bots and 'weekends' in cover\"\n---\n";

#[test]
fn a_fact_question_wider_than_the_terminal_is_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pb")).unwrap();
    std::fs::write(dir.path().join("pb/rota.md"), LONG_FACTS).unwrap();
    std::fs::write(
        dir.path().join("supportcheck.yaml"),
        "product: Rota\nchecklists: [pb]\n",
    )
    .unwrap();
    let mut a = spawn_audit_after(dir.path(), "stty rows 24 cols 80", &[]);
    a.expect("Fact `bots`");
    a.expect("Yes");
    a.send(ENTER); // Yes
    a.expect("Fact `cover`");
    a.expect("holidays");
    crate::pty::wait_for_raw_mode(dir.path());
    a.send(" "); // ticks weekends
    a.send(ENTER);
    a.expect(MENU_END);
    a.send("q");
    let (code, _, transcript) = a.finish_code();
    assert_eq!(code, 0, "{transcript}");
    let rows = screen(&transcript, 80);
    let shown = rows.join("\n");
    for (start, end) in [
        ("Will customers get automated answers", "solve problems?"),
        ("Which of these does the published rota", "public holidays?"),
    ] {
        assert_eq!(
            rows.iter().filter(|r| r.contains(start)).count(),
            1,
            "the question is on screen once, from its first row:\n{shown}"
        );
        assert!(shown.contains(end), "and to its end:\n{shown}");
    }
    for r in &rows {
        assert!(r.chars().count() <= 80, "{r}");
    }
}
