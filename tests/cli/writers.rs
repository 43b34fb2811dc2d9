//! Every writer keeps every word (issue 22): a value of the wrong type is an
//! error that no writer deletes; an untouched sheet imports as no change at
//! all; no writer writes a file its reader refuses; `init --force` keeps the
//! config; outputs never replace a FIFO or a device; every menu works in a
//! two-row terminal.

use crate::support::{Test, repo};
use std::path::Path;

const PLAYBOOK: &str = "---
title: Launch basics
id: basics
checklist:
  - order: 1
    question: Can customers reach a person?
    expectation: A monitored channel is live.
    version: 1.0.0
  - order: 2
    question: Are tickets triaged?
    expectation: Priorities and categories exist.
    version: 1.0.0
  - order: 3
    question: Is there a status page?
    expectation: A public page shows incidents.
    version: 1.0.0
---
## How
Do the work.
";

const CLEAN: &str = "format: 1
answers:
  basics/q1:
    status: met
    note: Phones staffed
    answered_by: Dana Lee
    answered_at: 2026-11-20T10:00:00Z
";

fn project(answers: &str) -> Test {
    Test::new()
        .file("pb/01-basics.md", PLAYBOOK)
        .file("supportcheck.yaml", "checklists: [pb]\n")
        .file("readiness/answers.yaml", answers)
}

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "no {needle:?} in\n{text}");
}

fn rows_of_csv(path: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .into_records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    for row in rows {
        w.write_record(row).unwrap();
    }
    w.flush().unwrap();
}

fn set_cell(rows: &mut [Vec<String>], id: &str, column: &str, value: &str) {
    let c = rows[0].iter().position(|h| h == column).unwrap();
    let row = rows.iter_mut().find(|r| r[0] == id).unwrap();
    row[c] = value.to_string();
}

// ---- a value of the wrong type ----------------------------------------------

#[test]
fn a_text_field_written_as_a_list_is_an_error_at_its_line_and_no_writer_deletes_it() {
    let t = project(CLEAN);
    t.exec(["export", "--format", "csv", "--out", "sheet.csv"], 0);
    // The sheet changes another question, so that an import has work to do.
    let mut rows = rows_of_csv(&t.path().join("sheet.csv"));
    set_cell(&mut rows, "basics/q3", "Status", "unmet");
    write_csv(&t.path().join("sheet.csv"), &rows);
    let bad = "format: 1
product: [Acme, Globex]
answers:
  basics/q1:
    status: met
    note:
      - Phones staffed
      - Chat staffed
    answered_by: {name: Dana Lee}
  basics/q2:
    status: partial
";
    t.write("readiness/answers.yaml", bad);
    let out = t.exec(["status"], 2);
    for needle in [
        "readiness/answers.yaml:2:",
        "`product` must be text, found a list",
        "`note` must be text, found a list",
        "readiness/answers.yaml:9:",
        "`answered_by` must be text, found a mapping",
    ] {
        has(&out.stderr, needle);
    }
    // Every writer refuses it, and the file stays as the person wrote it.
    let out = t.exec(["import", "sheet.csv"], 2);
    has(&out.stderr, "`note` must be text");
    assert_eq!(t.read("readiness/answers.yaml"), bad);
    t.exec(["init", "--force"], 2);
    assert_eq!(t.read("readiness/answers.yaml"), bad);
    // The merge driver keeps both sides whole when one cannot be read.
    t.write("base.yaml", CLEAN);
    t.write("ours.yaml", bad);
    t.write(
        "theirs.yaml",
        format!("{CLEAN}  basics/q3:\n    status: unmet\n"),
    );
    let out = t.exec(
        ["merge-answers", "base.yaml", "ours.yaml", "theirs.yaml"],
        1,
    );
    has(&out.stderr, "`note` must be text");
    let merged = t.read("ours.yaml");
    has(&merged, "      - Chat staffed\n");
    has(&merged, "answered_by: {name: Dana Lee}");
    // The audit stops before asking anything.
    let mut a = crate::pty::spawn_in(t.path(), &["audit", "--by", "Tester"]);
    a.expect("`note` must be text");
    let (code, _, _) = a.finish_code();
    assert_eq!(code, 2);
    assert_eq!(t.read("readiness/answers.yaml"), bad);
}

#[test]
fn a_number_written_in_a_text_field_keeps_its_digits_through_a_save() {
    let t = project(
        "format: 1\nproduct: 0042\nanswers:\n  basics/q1:\n    status: met\n    note: 1.50\n    answered_by: 007\n",
    );
    t.exec(["export", "--format", "csv", "--out", "sheet.csv"], 0);
    let mut rows = rows_of_csv(&t.path().join("sheet.csv"));
    set_cell(&mut rows, "basics/q3", "Status", "unmet");
    write_csv(&t.path().join("sheet.csv"), &rows);
    t.exec(["import", "sheet.csv"], 0);
    let (file, findings) =
        supportcheck::answers::parse(&t.read("readiness/answers.yaml"), "answers.yaml");
    assert!(findings.iter().all(|f| !f.is_error()), "{findings:?}");
    let q1 = file.get("basics/q1").unwrap();
    assert_eq!(q1.note.as_deref(), Some("1.50"));
    assert_eq!(q1.answered_by.as_deref(), Some("007"));
    assert_eq!(file.product.as_deref(), Some("0042"));
}

// ---- an untouched round trip --------------------------------------------------

/// An answers file as the tool writes it, with the values a sheet could
/// change on the way: a URL with a comma, notes that start with `'`.
fn round_trip_project() -> Test {
    let t = project(CLEAN);
    t.write("docs/runbook.md", "runbook\n");
    t.write(
        "readiness/answers.yaml",
        "format: 1
answers:
  basics/q1:
    status: met
    note: \"'=the quote is part of the note\"
    evidence: [\"https://dash.example.com/view?ids=1,2,3\", docs/runbook.md]
    answered_by: Dana Lee
    answered_at: 2026-11-20T10:00:00Z
  basics/q2:
    status: partial
    note: \"'+1 on the phone line\"
    evidence: [\"https://example.com/a,b\"]
    answered_by: Sam Ortiz
    answered_at: 2026-11-21T09:30:00Z
  basics/q3:
    status: unmet
    note: 'It''s planned'
    answered_by: Kim Park
    answered_at: 2026-11-19T08:00:00Z
",
    );
    // Written once by the tool, so that the file is in its own form.
    t.exec(["init", "--force"], 0);
    t
}

fn score(t: &Test) -> serde_json::Value {
    let out = t.exec(["status", "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    v["summary"]["score"].clone()
}

#[test]
fn an_untouched_sheet_imports_as_no_change_byte_for_byte_and_an_edit_restamps_its_row_only() {
    for (format, file) in [("xlsx", "sheet.xlsx"), ("csv", "sheet.csv")] {
        let t = round_trip_project();
        let before = t.read("readiness/answers.yaml");
        let score_before = score(&t);
        t.exec(["export", "--format", format, "--out", file], 0);
        let out = t.exec(["import", file, "--by", "Globex"], 0);
        has(&out.stdout, "Nothing to import");
        assert_eq!(t.read("readiness/answers.yaml"), before, "{format}");
        assert_eq!(score(&t), score_before, "{format}");
        if format != "csv" {
            continue;
        }
        // One row changed: that answer alone is re-stamped.
        let mut rows = rows_of_csv(&t.path().join(file));
        set_cell(&mut rows, "basics/q3", "Status", "partial");
        write_csv(&t.path().join(file), &rows);
        let out = t.exec(["import", file, "--by", "Globex"], 0);
        assert_eq!(out.stdout, "basics/q3\n  status: unmet → partial\n");
        let after = t.read("readiness/answers.yaml");
        let block = |text: &str, id: &str| -> String {
            let start = text.find(&format!("  {id}:\n")).unwrap();
            let rest = &text[start + 3..];
            let end = rest.find("\n  basics/").map_or(rest.len(), |e| e + 1);
            rest[..end].to_string()
        };
        for id in ["basics/q1", "basics/q2"] {
            assert_eq!(block(&after, id), block(&before, id), "{id}");
        }
        let q3 = block(&after, "basics/q3");
        has(&q3, "status: partial");
        has(&q3, "answered_by: Globex");
        let note = block(&before, "basics/q3")
            .lines()
            .find(|l| l.trim_start().starts_with("note:"))
            .unwrap()
            .to_string();
        has(&q3, &note);
    }
}

// ---- no writer writes what its reader refuses ---------------------------------

/// A playbook of `n` questions.
fn big_playbook(n: usize) -> String {
    let mut md = String::from("---\ntitle: Big\nid: big\nchecklist:\n");
    for q in 1..=n {
        md.push_str(&format!(
            "  - order: {q}\n    question: Question {q}?\n    expectation: Done.\n    version: 1.0.0\n"
        ));
    }
    md.push_str("---\n");
    md
}

#[test]
fn an_import_that_would_write_an_answers_file_over_the_read_cap_writes_nothing() {
    // 600 rows share one 32,000-character note: a small workbook (the text
    // is stored once) that would make a 19 MB answers file.
    let t = Test::new()
        .file("pb/big.md", big_playbook(600))
        .file("supportcheck.yaml", "checklists: [pb]\n")
        .file("readiness/answers.yaml", "format: 1\nanswers:\n");
    t.exec(["export", "--out", "sheet.xlsx"], 0);
    let rows = {
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto(t.path().join("sheet.xlsx")).unwrap();
        let range = book.worksheet_range("Question register").unwrap();
        range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    };
    let note_col = rows[0].iter().position(|h| h == "Note").unwrap();
    let status_col = rows[0].iter().position(|h| h == "Status").unwrap();
    let note = "n".repeat(32_000);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Question register").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let text = match (r, c) {
                (0, _) => cell.as_str(),
                (_, c) if c == note_col => note.as_str(),
                (_, c) if c == status_col => "unmet",
                _ => cell.as_str(),
            };
            ws.write_string(r as u32, c as u16, text).unwrap();
        }
    }
    wb.save(t.path().join("filled.xlsx")).unwrap();
    let size = std::fs::metadata(t.path().join("filled.xlsx"))
        .unwrap()
        .len();
    assert!(size < 1024 * 1024, "the workbook is small: {size}");
    let before = t.read("readiness/answers.yaml");
    let out = t.exec(["import", "filled.xlsx"], 2);
    has(&out.stderr, "readiness/answers.yaml would be");
    has(&out.stderr, "over 16 MiB");
    has(&out.stderr, "nothing was written");
    assert_eq!(t.read("readiness/answers.yaml"), before);
    t.exec(["status"], 0);
}

#[test]
fn a_clean_merge_over_the_read_cap_writes_nothing() {
    // Each side adds 280 answers of 32 KB: readable alone, 18 MB merged.
    let side = |from: usize| {
        let note = "m".repeat(32_000);
        let mut text = String::from("format: 1\nanswers:\n");
        for q in from..from + 280 {
            text.push_str(&format!("  big/q{q}:\n    status: met\n    note: {note}\n"));
        }
        text
    };
    let t = Test::new()
        .file("base.yaml", "format: 1\nanswers:\n")
        .file("ours.yaml", side(1))
        .file("theirs.yaml", side(1001));
    let ours = t.read("ours.yaml");
    let out = t.exec(
        ["merge-answers", "base.yaml", "ours.yaml", "theirs.yaml"],
        2,
    );
    has(&out.stderr, "would be");
    has(&out.stderr, "nothing was written");
    assert_eq!(t.read("ours.yaml"), ours);
}

// ---- init --force keeps the config --------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

const HINT: &str = "# yaml-language-server: $schema=supportcheck.schema.json\n";

#[test]
fn init_force_on_examples_acme_keeps_every_key_and_comment_of_the_config() {
    let t = Test::new();
    copy_dir(&repo().join("examples/acme"), t.path());
    let before = t.read("supportcheck.yaml");
    let answers_before = supportcheck::answers::parse(&t.read("readiness/answers.yaml"), "a")
        .0
        .without_lines();
    let score_before = score(&t);
    t.exec(["init", "--force"], 0);
    let after = t.read("supportcheck.yaml");
    // The schema line is added for editors; nothing else changes.
    assert_eq!(after, format!("{HINT}{before}"));
    has(&after, "report:\n  title: Support readiness review\n");
    t.exec(["init", "--force"], 0);
    assert_eq!(
        t.read("supportcheck.yaml"),
        after,
        "a second run changes nothing"
    );
    let answers_after = supportcheck::answers::parse(&t.read("readiness/answers.yaml"), "a")
        .0
        .without_lines();
    assert_eq!(answers_after.answers, answers_before.answers);
    assert_eq!(answers_after.product, answers_before.product);
    assert_eq!(score(&t), score_before);
    // A fact given as a flag changes that line alone.
    t.exec(["init", "--force", "--fact", "automation=false"], 0);
    assert_eq!(
        t.read("supportcheck.yaml"),
        after.replace("  automation: true\n", "  automation: false\n")
    );
    // --product changes the product line alone, its comment kept.
    t.exec(["init", "--force", "--product", "Acme Desk"], 0);
    has(&t.read("supportcheck.yaml"), "product: Acme Desk\n");
    assert_eq!(
        t.read("supportcheck.yaml"),
        after
            .replace("  automation: true\n", "  automation: false\n")
            .replace("product: Acme Helpdesk\n", "product: Acme Desk\n")
    );
}

// ---- outputs never replace what is not a regular file -------------------------

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_fifo()
}

#[test]
fn export_and_portfolio_refuse_a_fifo_or_a_device_and_dash_is_standard_output() {
    let t = project(CLEAN);
    t.exec(["report"], 0);
    let fifo = t.path().join("out.fifo");
    mkfifo(&fifo);
    for args in [
        vec!["export", "--out", "out.fifo"],
        vec!["export", "--format", "csv", "--out", "out.fifo"],
        vec!["portfolio", ".", "-o", "out.fifo"],
        vec!["portfolio", ".", "--format", "json", "--output", "out.fifo"],
    ] {
        let out = t.exec(&args, 2);
        has(&out.stderr, "is a FIFO (named pipe), not a regular file");
        assert!(is_fifo(&fifo), "{args:?} replaced the FIFO");
    }
    // The plan beside a CSV register is checked before the register is
    // written: nothing is.
    mkfifo(&t.path().join("reg-plan.csv"));
    let out = t.exec(["export", "--format", "csv", "--out", "reg.csv"], 2);
    has(&out.stderr, "reg-plan.csv: it is a FIFO");
    assert!(
        !t.path().join("reg.csv").exists(),
        "the register was written"
    );
    // A character device of our own (a copy of /dev/null's numbers), where
    // this machine lets us make one.
    let dev = t.path().join("null.dev");
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        for args in [
            vec!["export", "--out", "null.dev"],
            vec!["portfolio", ".", "-o", "null.dev"],
        ] {
            let out = t.exec(&args, 2);
            has(&out.stderr, "is a character device, not a regular file");
            use std::os::unix::fs::FileTypeExt;
            let kind = std::fs::symlink_metadata(&dev).unwrap().file_type();
            assert!(kind.is_char_device(), "{args:?} replaced the device");
        }
    }
    // `-` is standard output, and no file named `-` is made.
    let out = t.exec(["export", "--format", "csv", "--out", "-"], 0);
    assert!(
        out.stdout.starts_with("Id,Playbook,Question"),
        "{}",
        out.stdout
    );
    let out = t.exec(["export", "--out", "-"], 0);
    assert!(out.stdout.starts_with("PK"), "a workbook on stdout");
    let out = t.exec(["portfolio", ".", "--format", "json", "-o", "-"], 0);
    assert!(out.stdout.trim_start().starts_with('{'), "{}", out.stdout);
    assert!(!t.path().join("-").exists());
}

// ---- every menu in a two-row terminal -------------------------------------------

#[test]
fn every_fact_menu_in_a_two_row_terminal_is_asked_by_number() {
    let playbook = "---
title: Bot
id: bot
facts:
  - name: chatbot
    question: Does the product answer customers with a chatbot?
    type: bool
  - name: audience
    question: Who buys?
    type: one-of
    options: [b2b, b2c]
  - name: channels
    question: Which channels are offered?
    type: many-of
    options: [email, chat, phone]
checklist:
  - order: 1
    question: Can customers reach a person from the bot?
    expectation: Always.
    version: 1.0.0
    applies_if: chatbot and audience == 'b2c' and 'chat' in channels
---
";
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("playbooks")).unwrap();
    std::fs::write(dir.path().join("playbooks/bot.md"), playbook).unwrap();
    let config = "# ours\nproduct: Bot\nchecklists: [playbooks]\n";
    std::fs::write(dir.path().join("supportcheck.yaml"), config).unwrap();
    let mut a = crate::pty::spawn_audit_after(dir.path(), "stty rows 2 cols 100", &[]);
    a.type_line("1=Yes, 2=No", "1");
    a.type_line("1=b2b, 2=b2c", "2");
    a.type_line(
        "Which channels are offered? (numbers, comma-separated)",
        "1,2",
    );
    a.type_line("Answer (m=Met", "q");
    let (code, _, all) = a.finish_code();
    assert_eq!(code, 0, "{all}");
    assert!(!all.contains("panicked"), "{all}");
    let written = std::fs::read_to_string(dir.path().join("supportcheck.yaml")).unwrap();
    assert!(written.starts_with(config), "{written}");
    for line in [
        "  chatbot: true\n",
        "  audience: b2c\n",
        "  channels: [email, chat]\n",
    ] {
        has(&written, line);
    }
}
