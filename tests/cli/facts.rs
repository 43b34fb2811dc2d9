//! Facts, `applies_if` and `max_age` through the real binary: skipped
//! questions and their arithmetic, the audit following conditions in a
//! terminal, expired answers at the gate, lint errors at their line, and
//! reports written under scoring rules 1.

use crate::pty::{ENTER, MENU_END, Pty, read_answers, spawn_audit, spawn_in};
use crate::support::{Test, fixtures};
use std::path::Path;
use supportcheck::answers::Status;

const DOWN: &str = "\x1b[B";

/// A playbook with a fact, a question under it (weight 2), a plain one and
/// one gated on the first answer.
const BOT: &str = "---
title: Bot
id: bot
facts:
  - name: chatbot
    question: Does the product answer customers with a chatbot?
    type: bool
    default: true
checklist:
  - order: 1
    question: Can customers reach a person from the bot?
    expectation: Always, in two steps.
    version: 1.0.0
    weight: 2
    applies_if: chatbot
  - order: 2
    question: Is there a help page?
    expectation: Yes.
    version: 1.0.0
  - order: 3
    question: Is the hand-over tested?
    expectation: Monthly.
    version: 1.0.0
    applies_if: answers['bot/q1'] == 'met'
---
";

const ANSWERED: &str = "format: 1
answers:
  bot/q1:
    status: met
    answered_at: 2026-11-20T10:00:00Z
  bot/q2:
    status: partial
    answered_at: 2026-11-20T10:00:00Z
  bot/q3:
    status: unmet
    answered_at: 2026-11-20T10:00:00Z
";

fn project(facts: &str, answers: &str) -> Test {
    Test::new()
        .file("playbooks/bot.md", BOT)
        .file(
            "supportcheck.yaml",
            format!("# our settings\nchecklists: [playbooks]\n{facts}"),
        )
        .file("readiness/answers.yaml", answers)
}

/// Asserts that `text` shows `needle`, printing the whole text when not.
fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "no {needle:?} in\n{text}");
}

fn score_of(t: &Test) -> serde_json::Value {
    let out = t.exec(["status", "--format", "json"], 0);
    serde_json::from_str(&out.stdout).unwrap()
}

#[test]
fn a_false_condition_skips_a_question_and_the_score_is_what_explain_shows() {
    // chatbot false: q1 leaves the sums, and q3 (gated on q1 being met)
    // still applies because q1's answer is kept. Score = 100 × (0.5 + 0) / 2.
    let off = project("facts:\n  chatbot: false\n", ANSWERED);
    let explain = off.exec(["explain", "bot"], 0).stdout;
    has(
        &explain,
        "bot/q1                       skipped: no chatbot  (left out)",
    );
    has(&explain, "score = 100 × 0.5 / 2 = 25.0");
    let q1 = off.exec(["explain", "bot/q1"], 0).stdout;
    has(
        &q1,
        "answer:   skipped: no chatbot (the answer, met, is kept and not counted)",
    );
    has(&q1, "credit:   skipped by condition (applies_if: chatbot)");
    let v = score_of(&off);
    assert_eq!(v["summary"]["score"], 25.0, "{v}");
    assert_eq!(v["summary"]["skipped"], 1, "{v}");
    assert_eq!(v["summary"]["questions"], 2, "{v}");
    assert_eq!(v["skipped"], serde_json::json!(["bot/q1"]), "{v}");
    let status = off.exec(["status"], 0).stdout;
    has(&status, "2 of 2 answered, 1 skipped by condition");
    has(
        &status,
        "bot/q1  skipped: no chatbot (answer met kept, not counted)",
    );
    let check = off.exec(["check", "--min-score", "0"], 0).stdout;
    has(&check, "note[skipped]: bot/q1: skipped: no chatbot");
    has(&check, "(1 skipped by condition)");
    // The answer is still in the file.
    assert!(off.read("readiness/answers.yaml").contains("bot/q1:"));

    // chatbot true: q1 counts again. Score = 100 × (2 + 0.5 + 0) / 4.
    let on = project("facts:\n  chatbot: true\n", ANSWERED);
    let explain = on.exec(["explain", "bot"], 0).stdout;
    assert!(
        explain
            .contains("bot/q1                       met             weight   2 × credit 1     = 2"),
        "{explain}"
    );
    has(&explain, "score = 100 × 2.5 / 4 = 62.5");
    let v = score_of(&on);
    assert_eq!(v["summary"]["score"], 62.5, "{v}");
    assert_eq!(v["summary"]["skipped"], 0, "{v}");
}

#[test]
fn a_question_gated_on_an_answer_is_skipped_in_reports_and_junit() {
    let t = project(
        "facts:\n  chatbot: true\n",
        "format: 1\nanswers:\n  bot/q1:\n    status: unmet\n",
    );
    let out = t.exec(["check", "--format", "junit"], 1).stdout;
    assert!(
        out.contains("skipped: `answers[&apos;bot/q1&apos;] == &apos;met&apos;` is false")
            || out.contains("skipped: `answers['bot/q1'] == 'met'` is false"),
        "{out}"
    );
    t.exec(["report", "--format", "json,md,html"], 0);
    let json = t.read("readiness/reports/readiness-v1.json");
    let r: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(r["scoring"], 3);
    let q3 = &r["playbooks"][0]["questions"][2];
    assert_eq!(q3["state"], "skipped", "{q3}");
    assert_eq!(q3["applies_if"], "answers['bot/q1'] == 'met'", "{q3}");
    let md = t.read("readiness/reports/readiness-v1.md");
    // Escaped for Markdown, so the expression shows as written.
    has(
        &md,
        r"| 3 | Is the hand-over tested? | Monthly. | skipped: \`answers\['bot/q1'\] == 'met'\` is false | n/a |",
    );
    has(&md, "Facts: chatbot: true\n");
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(html.contains("s-skipped"), "the HTML shows the state");
    // The client view says it in a client's words.
    has(&html, "Skipped (");
    assert_eq!(r["facts"], serde_json::json!({"chatbot": true}));
}

#[test]
fn a_missing_fact_is_a_check_finding_and_its_questions_count() {
    // bot/q1, which the fact decides, is unanswered: the missing fact could
    // change the verdict, so it fails the gate (answered, it is a warning).
    let unanswered = ANSWERED.replace(
        "  bot/q1:\n    status: met\n    answered_at: 2026-11-20T10:00:00Z\n",
        "",
    );
    assert_ne!(unanswered, ANSWERED);
    let t = project("", &unanswered);
    let out = t.exec(["check", "--format", "json", "--min-score", "0"], 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["summary"]["missing_facts"], 1, "{v}");
    assert_eq!(v["failed"], serde_json::json!(["missing"]), "{v}");
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "fact-missing")
        .expect("a fact-missing finding");
    assert_eq!(finding["fails_gate"], true);
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("does not set `chatbot`"),
        "{finding}"
    );
    let status = t.exec(["status"], 0).stdout;
    has(
        &status,
        "Facts to set (supportcheck audit asks them) (1):\n  chatbot  (1 question counted until it is set)",
    );
    t.exec(["report", "--format", "json"], 0);
    let r: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v1.json")).unwrap();
    assert_eq!(r["facts_missing"], serde_json::json!(["chatbot"]));
    let text = t.exec(["check", "--min-score", "0"], 1).stdout;
    has(&text, "1 fact not set in the config");
}

#[test]
fn an_expired_answer_fails_check_with_stale() {
    let answers = "format: 1
answers:
  bot/q1:
    status: met
    answered_at: 2026-01-05T10:00:00Z
  bot/q2:
    status: met
    answered_at: 2026-09-01T10:00:00Z
  bot/q3:
    status: met
    answered_at: 2026-11-20T10:00:00Z
";
    // Now is 2026-11-23. q1 is past 90 days; q2 is valid through
    // 2026-11-30, within warn_days (14) of it.
    let t = project(
        "facts:\n  chatbot: true\ngate:\n  max_age: 90d\n  min_score: 0\n",
        answers,
    );
    let out = t.exec(["check"], 1).stdout;
    has(&out, "gate failed: 1 stale (1 past max_age)");
    has(
        &out,
        "error[expired]: bot/q1: answered on 2026-01-05, more than max_age 90d ago",
    );
    has(
        &out,
        "warning[answer-expiring]: bot/q2: answered on 2026-09-01: reaches max_age 90d on 2026-11-30 (7 days)",
    );
    let v = score_of(&t);
    assert_eq!(v["summary"]["expired"], 1, "{v}");
    assert_eq!(v["summary"]["expiring_answers"], 1, "{v}");
    assert_eq!(v["stale"], serde_json::json!(["bot/q1"]), "{v}");
    let explain = t.exec(["explain", "bot/q1"], 0).stdout;
    has(&explain, "answer:   expired: answered on 2026-01-05");
    // A question's own max_age wins over the gate's.
    let long = project(
        "facts:\n  chatbot: true\ngate:\n  max_age: 90d\n  min_score: 0\n",
        answers,
    )
    .file(
        "playbooks/bot.md",
        BOT.replace("    weight: 2\n", "    weight: 2\n    max_age: 1y\n"),
    );
    long.exec(["check"], 0);
}

#[test]
fn a_bad_expression_is_a_lint_error_at_its_line() {
    let t = project("facts:\n  chatbot: true\n", ANSWERED).file(
        "playbooks/bot.md",
        BOT.replace("applies_if: chatbot", "applies_if: chatbot =="),
    );
    let out = t.exec(["lint"], 1).stdout;
    assert!(
        out.contains("playbooks/bot.md:15:"),
        "the error names line 15: {out}"
    );
    has(
        &out,
        "error[condition]: `applies_if: chatbot ==` is not a valid expression",
    );
    // Every command that loads the playbooks stops on it.
    t.exec(["status"], 2);

    let typo = project("facts:\n  chatbot: true\n", ANSWERED).file(
        "playbooks/bot.md",
        BOT.replace("applies_if: chatbot", "applies_if: chatbots"),
    );
    let out = typo.exec(["lint"], 1).stdout;
    has(&out, "playbooks/bot.md:15:17: error[unknown-fact]:");
    has(&out, "did you mean `chatbot`?");
}

#[test]
fn init_takes_facts_as_flags() {
    let t = Test::new().file("playbooks/bot.md", BOT);
    let out = t.exec(
        [
            "--checklists",
            "playbooks",
            "init",
            "--fact",
            "chatbot=false",
        ],
        0,
    );
    assert!(
        out.stdout.contains("wrote supportcheck.yaml"),
        "{}",
        out.stdout
    );
    let config = t.read("supportcheck.yaml");
    has(&config, "facts:\n  chatbot: false\n");
    // Without a terminal and without the flag, the fact is left for audit.
    let later = Test::new().file("playbooks/bot.md", BOT);
    let out = later.exec(["--checklists", "playbooks", "init"], 0);
    has(
        &out.stderr,
        "note: the facts `chatbot` decide which questions apply and are not set",
    );
    assert!(!later.read("supportcheck.yaml").contains("facts:"));
    let bad = Test::new().file("playbooks/bot.md", BOT);
    let out = bad.exec(
        ["--checklists", "playbooks", "init", "--fact", "chatbt=true"],
        2,
    );
    assert!(
        out.stderr.contains("did you mean `chatbot`?"),
        "{}",
        out.stderr
    );
}

#[test]
fn reports_written_under_rules_1_still_read_diff_and_verify() {
    let fixture = fixtures().join("rules-v1");
    // After the fixture's newest report (25 November): one dated later is
    // a chain problem.
    let t = Test::new().env("SUPPORTCHECK_NOW", "2026-11-30T12:00:00Z");
    copy_dir(&fixture, t.path());
    let verify = t.exec(["history", "--verify"], 0).stdout;
    assert!(verify.contains("v1") && verify.contains("v2"), "{verify}");
    let diff = t.exec(["diff", "1", "2", "--format", "json"], 0).stdout;
    let d: serde_json::Value = serde_json::from_str(&diff).unwrap();
    assert_eq!(d["from"]["score"], 47.0, "{d}");
    // A new version under the current rules joins the chain.
    t.exec(["report", "--format", "json"], 0);
    let v3: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v3.json")).unwrap();
    assert_eq!(v3["scoring"], 3);
    let v1: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v1.json")).unwrap();
    assert_eq!(v1["scoring"], 1);
    t.exec(["history", "--verify"], 0);
    let across = t.exec(["diff", "2", "3"], 0).stdout;
    has(&across, "scored under different rules (1 and 3");
    let same = t.exec(["diff", "1", "2"], 0).stdout;
    assert!(!same.contains("different rules"), "{same}");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

// Through a terminal.

fn pty_project(config: &str, answers: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("playbooks")).unwrap();
    std::fs::write(dir.path().join("playbooks/bot.md"), BOT).unwrap();
    std::fs::write(dir.path().join("supportcheck.yaml"), config).unwrap();
    if let Some(a) = answers {
        std::fs::create_dir_all(dir.path().join("readiness")).unwrap();
        std::fs::write(dir.path().join("readiness/answers.yaml"), a).unwrap();
    }
    dir
}

fn choose(a: &mut Pty, progress: &str, downs: usize) -> String {
    let mut shown = a.expect(progress);
    shown.push_str(&a.expect(MENU_END));
    for _ in 0..downs {
        a.send(DOWN);
    }
    a.send(ENTER);
    shown
}

#[test]
fn the_audit_asks_a_missing_fact_first_and_keeps_the_config_comments() {
    let config = "# our settings\nproduct: Bot\nchecklists: [playbooks]   # only ours\ngate:\n  min_score: 50 # beta\n";
    let dir = pty_project(config, None);
    let mut a = spawn_audit(dir.path(), &[]);
    a.expect("Does the product answer customers with a chatbot?");
    a.send(DOWN);
    a.send(ENTER); // No
    // chatbot is false now: q1 is not asked, the audit starts at q2.
    let first = choose(&mut a, "[2/3]", 0); // Met
    has(&first, "Is there a help page?");
    a.type_line("Note", "");
    a.type_line("Evidence", "");
    let (code, rest, all) = a.finish_code();
    assert_eq!(code, 0, "{rest}");
    assert!(!all.contains("[1/3]"), "q1 is skipped: {all}");
    let written = std::fs::read_to_string(dir.path().join("supportcheck.yaml")).unwrap();
    assert!(written.starts_with(config), "comments kept: {written}");
    assert!(written.ends_with("facts:\n  chatbot: false\n"), "{written}");
}

#[test]
fn a_question_gated_on_an_answer_follows_it_in_the_same_session() {
    // q3 applies only when q1 is met.
    for (downs, asked) in [(0, true), (2, false)] {
        let dir = pty_project(
            "product: Bot\nchecklists: [playbooks]\nfacts:\n  chatbot: true\n",
            None,
        );
        let mut a = spawn_audit(dir.path(), &[]);
        choose(&mut a, "[1/3]", downs); // Met, or Unmet
        a.type_line("Note", "");
        a.type_line("Evidence", "");
        if downs == 2 {
            a.type_line("Follow-up action", ""); // offered after unmet; Enter declines
        }
        choose(&mut a, "[2/3]", 0);
        a.type_line("Note", "");
        a.type_line("Evidence", "");
        if asked {
            let third = choose(&mut a, "[3/3]", 2);
            has(&third, "Is the hand-over tested?");
            a.type_line("Note", "");
            a.type_line("Evidence", "");
            a.type_line("Follow-up action", "");
        }
        let (code, rest, all) = a.finish_code();
        assert_eq!(code, 0, "{rest}");
        assert_eq!(all.contains("[3/3]"), asked, "{all}");
        let file = read_answers(&dir.path().join("readiness/answers.yaml"));
        assert_eq!(file.get("bot/q3").is_some(), asked);
        assert_eq!(
            file.get("bot/q1").and_then(|a| a.status),
            Some(if asked { Status::Met } else { Status::Unmet })
        );
    }
}

#[test]
fn audit_stale_reasks_expired_and_expiring_answers_and_keeps_their_notes() {
    // Now is 2026-11-23, max_age 90d, warn_days 14: q1 expired in April,
    // q2 is valid through 2026-11-30 (expiring), q3 is fresh.
    let answers = "format: 1
answers:
  bot/q1:
    status: met
    note: Two clicks to a person
    evidence: [https://example.com/bot]
    question_version: 1.0.0
    answered_by: Dana
    answered_at: 2026-01-05T10:00:00Z
  bot/q2:
    status: partial
    note: Draft page
    question_version: 1.0.0
    answered_at: 2026-09-01T10:00:00Z
  bot/q3:
    status: met
    question_version: 1.0.0
    answered_at: 2026-11-20T10:00:00Z
";
    let dir = pty_project(
        "checklists: [playbooks]\nfacts:\n  chatbot: true\ngate:\n  max_age: 90d\n",
        Some(answers),
    );
    let mut a = spawn_audit(dir.path(), &["--stale"]);
    let shown = choose(&mut a, "[1/3]", 0); // the old answer (met) is the default
    has(&shown, "Current answer: met");
    a.type_line("Note", ""); // keeps the old note, offered as the default
    a.type_line("Evidence 1", ""); // keeps the old entry, offered as the default
    a.type_line("Evidence 2", ""); // an empty line ends the list
    let shown = choose(&mut a, "[2/3]", 0); // partial, as before, is the default
    has(&shown, "Current answer: partial");
    a.type_line("Note", "");
    a.type_line("Evidence", "");
    a.type_line("Follow-up action", ""); // offered after partial; Enter declines
    let (code, rest, all) = a.finish_code();
    assert_eq!(code, 0, "{rest}");
    assert!(
        !all.contains("[3/3]"),
        "the fresh answer is not asked: {all}"
    );
    let file = read_answers(&dir.path().join("readiness/answers.yaml"));
    let q1 = file.get("bot/q1").unwrap();
    assert_eq!(q1.status, Some(Status::Met));
    assert_eq!(q1.note.as_deref(), Some("Two clicks to a person"));
    assert_eq!(q1.evidence, ["https://example.com/bot"]);
    let now = Some("2026-11-23T12:00:00+00:00".to_string());
    assert_eq!(q1.answered_at.map(|t| t.to_rfc3339()), now);
    assert_eq!(q1.answered_by.as_deref(), Some("Tester"));
    let q2 = file.get("bot/q2").unwrap();
    assert_eq!(q2.status, Some(Status::Partial));
    assert_eq!(q2.note.as_deref(), Some("Draft page"));
    assert_eq!(q2.answered_at.map(|t| t.to_rfc3339()), now);
    let q3 = file.get("bot/q3").unwrap();
    assert_eq!(
        q3.answered_at.map(|t| t.to_rfc3339()),
        Some("2026-11-20T10:00:00+00:00".to_string())
    );
}

#[test]
fn init_on_a_terminal_asks_the_facts_the_flags_left_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("playbooks")).unwrap();
    std::fs::write(dir.path().join("playbooks/bot.md"), BOT).unwrap();
    let mut a = spawn_in(dir.path(), &["--checklists", "playbooks", "init"]);
    a.expect("Does the product answer customers with a chatbot?");
    a.send(ENTER); // Yes, the declared default
    let (code, rest, _) = a.finish_code();
    assert_eq!(code, 0, "{rest}");
    let config = std::fs::read_to_string(dir.path().join("supportcheck.yaml")).unwrap();
    has(&config, "facts:\n  chatbot: true\n");
}

#[test]
fn the_builtin_set_declares_its_facts_and_puts_conditions_on_at_least_8_questions() {
    let out = Test::new().exec(["list", "--format", "json"], 0).stdout;
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut conditioned = 0;
    let mut facts = std::collections::BTreeSet::new();
    for p in v["playbooks"].as_array().unwrap() {
        for f in p["facts"].as_array().into_iter().flatten() {
            facts.insert(f["name"].as_str().unwrap().to_string());
        }
        for q in p["questions"].as_array().unwrap() {
            conditioned += usize::from(p["applies_if"].is_string() || q["applies_if"].is_string());
        }
    }
    assert!(conditioned >= 8, "{conditioned} questions carry conditions");
    let want = [
        "audience",
        "automation",
        "channels",
        "contact_url",
        "help_center_url",
        "on_site_work",
        "regulated",
        "status_page_url",
        "support_policy_path",
    ];
    assert_eq!(facts.iter().map(String::as_str).collect::<Vec<_>>(), want);
    // Every fact the built-in set reads is set in examples/acme.
    let acme = crate::support::repo().join("examples/acme");
    let status = Test::new()
        .exec(
            ["-C", acme.to_str().unwrap(), "status", "--format", "json"],
            0,
        )
        .stdout;
    let s: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(s["summary"]["missing_facts"], 0, "{s}");
    assert_eq!(s["summary"]["skipped"], 7, "{s}");
}

#[test]
fn quitting_at_the_second_fact_keeps_the_first_in_the_config() {
    let two = BOT.replace(
        "    default: true\n",
        "    default: true\n  - name: audience\n    question: Who buys?\n    type: one-of\n    options: [b2b, b2c]\n",
    )
    .replace("applies_if: chatbot", "applies_if: chatbot and audience == 'b2c'");
    let dir = pty_project("product: Bot\nchecklists: [playbooks]\n", None);
    std::fs::write(dir.path().join("playbooks/bot.md"), two).unwrap();
    let mut a = spawn_audit(dir.path(), &[]);
    a.expect("Does the product answer customers with a chatbot?");
    a.send(ENTER); // Yes
    a.expect("Who buys?");
    a.expect("b2c");
    a.send("q");
    let (code, rest, _) = a.finish_code();
    assert_eq!(code, 0, "{rest}");
    has(&rest, "the facts answered so far are in supportcheck.yaml");
    let config = std::fs::read_to_string(dir.path().join("supportcheck.yaml")).unwrap();
    assert_eq!(
        config,
        "product: Bot\nchecklists: [playbooks]\n# What the product is; playbooks' `applies_if` conditions read these.\nfacts:\n  chatbot: true\n"
    );
}

#[test]
fn a_fact_value_the_config_cannot_hold_is_refused_at_its_line() {
    let t = project("facts:\n  chatbot:\n    nested: 1\n", ANSWERED);
    let out = t.exec(["status"], 2);
    assert!(out.stderr.contains("supportcheck.yaml:"), "{}", out.stderr);
    let t = project("facts:\n  chatbot: maybe\n", ANSWERED);
    let out = t.exec(["lint"], 1);
    assert!(
        out.stdout.contains("supportcheck.yaml:4:3: error[fact]: fact `chatbot` is `maybe`, but it must be true or false"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_playbook_under_a_false_condition_is_skipped_whole_in_every_output() {
    let t = project("facts:\n  chatbot: false\n", ANSWERED).file(
        "playbooks/bot.md",
        BOT.replace("id: bot\n", "id: bot\napplies_if: chatbot\n"),
    );
    let status = t.exec(["status"], 0).stdout;
    has(&status, "skipped: no chatbot");
    has(&status, "0 of 0 answered, 3 skipped by condition");
    let explain = t.exec(["explain", "bot"], 0).stdout;
    has(
        &explain,
        "bot/q2                       skipped: no chatbot  (left out)",
    );
    has(&explain, "score = 100 (nothing applicable)");
    t.exec(["report", "--format", "md,html,json"], 0);
    let md = t.read("readiness/reports/readiness-v1.md");
    has(&md, "| Bot | skipped: no chatbot | 0/0 | 0 |");
    has(&md, "### Bot — skipped: no chatbot");
    let html = t.read("readiness/reports/readiness-v1.html");
    has(&html, "Skipped (");
    let json: serde_json::Value =
        serde_json::from_str(&t.read("readiness/reports/readiness-v1.json")).unwrap();
    assert_eq!(json["playbooks"][0]["skipped"], "no chatbot");
}
