//! One verdict, everywhere (issue 22), through the real binary: every
//! output renders the gate's one decision, the portfolio gate fails closed,
//! critical questions are never set aside silently, a condition cannot hide
//! its own question, a missing fact fails only when it could change the
//! verdict, answers dated in the future are stale, and evidence counts only
//! inside the project root.

use crate::support::{Output, Test};
use serde_json::Value;

/// Four questions owned by `support-lead`: q1 critical, q4 needs evidence.
const LAUNCH: &str = "---
title: Launch
id: launch
owner: support-lead
checklist:
  - order: 1
    question: Can customers reach a person?
    expectation: A monitored channel is live.
    version: 1.0.0
    critical: true
  - order: 2
    question: Are tickets triaged?
    expectation: Priorities exist.
    version: 1.0.0
  - order: 3
    question: Is there a status page?
    expectation: A public page shows incidents.
    version: 1.0.0
  - order: 4
    question: Are SLAs written down?
    expectation: One page lists every promise.
    version: 1.0.0
    evidence: required
---
";

const CONFIG: &str = "product: Verdict test\nchecklists: [pb]\nowners:\n  support-lead: [Dana Lee]\n  legal: [Jonas Berg]\n";

fn answer(id: &str, body: &str) -> String {
    format!("  launch/{id}:\n{body}")
}

const MET: &str = "    status: met\n";
const PARTIAL: &str = "    status: partial\n";
const MET_WITH_EVIDENCE: &str = "    status: met\n    evidence: [docs/sla.md]\n";

fn answers(parts: &[String]) -> String {
    format!("format: 1\nanswers:\n{}", parts.concat())
}

fn project(answers: &str) -> Test {
    Test::new()
        .file("pb/launch.md", LAUNCH)
        .file("supportcheck.yaml", CONFIG)
        .file("docs/sla.md", "# SLA\nFirst reply within a day.\n")
        .file("readiness/answers.yaml", answers)
}

fn all_met() -> String {
    answers(&[
        answer("q1", MET),
        answer("q2", MET),
        answer("q3", MET),
        answer("q4", MET_WITH_EVIDENCE),
    ])
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// `failures="N"` of the JUnit file's root element.
fn junit_failures(xml: &str) -> usize {
    let at = xml.find("<testsuites").expect("a testsuites element");
    let head = &xml[at..at + xml[at..].find('>').unwrap()];
    let n = head
        .split("failures=\"")
        .nth(1)
        .expect("failures attribute");
    n[..n.find('"').unwrap()].parse().unwrap()
}

// --- one verdict --------------------------------------------------------------

#[test]
fn junit_fails_exactly_when_check_exits_1_with_the_gates_reasons() {
    // Everything answered, nothing unmet, score 62.5 below the bar of 80:
    // the gate fails as below-score, and JUnit must say so.
    let t = project(&answers(&[
        answer("q1", MET),
        answer("q2", PARTIAL),
        answer("q3", PARTIAL),
        answer("q4", "    status: partial\n    evidence: [docs/sla.md]\n"),
    ]));
    let xml = t.exec(["check", "--format", "junit"], 1).stdout;
    assert!(junit_failures(&xml) >= 1, "{xml}");
    assert!(xml.contains("gate: below-score"), "{xml}");
    assert!(xml.contains("type=\"below-score\""), "{xml}");
    assert!(xml.contains("score 62.5 is below 80.0"), "{xml}");
    // Partial answers are not among the gate's reasons: their testcases pass.
    assert!(!xml.contains("type=\"partial\""), "{xml}");
    // Every other format of the same run says the same.
    let text = t.exec(["check"], 1).stdout;
    assert!(
        text.contains("gate failed: score 62.5 is below 80.0"),
        "{text}"
    );
    let j = json(&t.exec(["check", "--format", "json"], 1));
    assert_eq!(j["passed"], false);
    assert_eq!(j["failed"], serde_json::json!(["below-score"]));
    let summary = t.path().join("summary.md");
    let gh = t.exec_env(
        ["check", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(gh.code, 1, "{gh:?}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("Gate: **failed**: score 62.5 is below 80.0"),
        "{md}"
    );
    t.exec(["report", "--format", "md,json,html"], 0);
    let report = t.read("readiness/reports/readiness-v1.md");
    assert!(
        report.contains("Gate: **failed**: score 62.5 is below 80.0"),
        "{report}"
    );
    // Page one says it once: the verdict sentence names the bar, and the
    // gate's line does not repeat it.
    let html = t.read("readiness/reports/readiness-v1.html");
    assert!(
        html.contains(
            "<p>The score is below the bar of 80.0; the gaps below cost the most.</p>\n    <p class=\"gate-failed\">That is why the gate failed.</p>"
        ),
        "{html}"
    );
    assert!(!html.contains("is below 80.0"), "{html}");
}

#[test]
fn junit_shows_no_failure_when_the_gate_passes_and_one_when_it_fails() {
    // `--fail-on orphaned` with two questions unanswered and no orphan: the
    // gate passes (exit 0), so no JUnit reader may see a failure.
    let t = project(&answers(&[answer("q1", MET), answer("q2", MET)]));
    let xml = t
        .exec(["check", "--fail-on", "orphaned", "--format", "junit"], 0)
        .stdout;
    assert_eq!(junit_failures(&xml), 0, "{xml}");
    assert!(!xml.contains("<failure"), "{xml}");
    let gh = t
        .exec(["check", "--fail-on", "orphaned", "--format", "github"], 0)
        .stdout;
    assert!(!gh.contains("::error"), "{gh}");

    // With an orphan the same gate fails, and JUnit names it.
    t.file_edit("readiness/answers.yaml", |s| {
        format!("{s}  gone/q9:\n    status: met\n")
    });
    let xml = t
        .exec(["check", "--fail-on", "orphaned", "--format", "junit"], 1)
        .stdout;
    assert_eq!(junit_failures(&xml), 1, "{xml}");
    assert!(xml.contains("type=\"orphaned\""), "{xml}");
    assert!(xml.contains("gone/q9"), "{xml}");
}

#[test]
fn check_help_lists_every_fail_on_category_of_the_config_schema() {
    let t = project(&all_met());
    let schema: Value = serde_json::from_str(&t.exec(["schema", "config"], 0).stdout).unwrap();
    let mut categories = Vec::new();
    collect_strings(&schema["$defs"]["FailOn"], &mut categories);
    assert!(categories.len() >= 11, "{categories:?}");
    let help = t.exec(["check", "--help"], 0).stdout;
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for c in &categories {
        assert!(flat.contains(c.as_str()), "--help lacks `{c}`:\n{help}");
    }
    assert!(
        flat.contains("overdue") && flat.contains("signoff") && flat.contains("below-coverage")
    );
}

/// Every `const` and `enum` string below a schema node.
fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("const", Value::String(s)) => out.push(s.clone()),
                    ("enum", Value::Array(items)) => {
                        out.extend(items.iter().filter_map(|i| i.as_str().map(String::from)))
                    }
                    _ => collect_strings(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

// --- fail closed --------------------------------------------------------------

#[test]
fn portfolio_fails_every_condition_on_a_product_it_cannot_read() {
    // A blocked product (q1 critical, unmet) whose index is then damaged.
    let t = Test::new()
        .file("p/blocked/pb/launch.md", LAUNCH)
        .file("p/blocked/supportcheck.yaml", CONFIG)
        .file(
            "p/blocked/readiness/answers.yaml",
            answers(&[answer("q1", "    status: unmet\n")]),
        );
    t.exec_any(["-C", "p/blocked", "report", "--format", "json"]);
    assert!(
        t.read("p/blocked/readiness/reports/index.jsonl")
            .contains("blocked")
    );
    let before = t.exec(["portfolio", "p", "--fail-if", "blocked"], 1);
    assert!(
        before.stderr.contains("1 product is blocked"),
        "{}",
        before.stderr
    );
    t.file_edit("p/blocked/readiness/reports/index.jsonl", |s| {
        format!("{s}{{\"version\": 2,\n")
    });
    for condition in ["blocked", "not-ready", "stale:3650d"] {
        let out = t.exec(["portfolio", "p", "--fail-if", condition], 1);
        assert!(
            out.stderr.contains("1 product could not be read"),
            "{condition}: {}",
            out.stderr
        );
    }
}

// --- critical questions set aside -------------------------------------------

fn na(extra: &str) -> String {
    format!("    status: n/a\n    note: n/a\n{extra}")
}

fn waiver(by: &str) -> String {
    format!(
        "    waiver:\n      reason: We launch without a phone line\n      expires: 2027-06-30\n      approved_by: {by}\n"
    )
}

#[test]
fn a_critical_question_marked_not_applicable_needs_an_approver_in_its_owner_role() {
    let rest = [
        answer("q2", MET),
        answer("q3", MET),
        answer("q4", MET_WITH_EVIDENCE),
    ];
    let with_q1 = |q1: String| {
        let mut all = vec![answer("q1", &q1)];
        all.extend(rest.iter().cloned());
        answers(&all)
    };
    // A bare "n/a" on a critical question: a blocker, not READY 100.
    let t = project(&with_q1(na("")));
    let out = t.exec(["check"], 1);
    assert!(out.stdout.contains("without approval"), "{}", out.stdout);
    assert!(out.stdout.contains("1 blocker;"), "{}", out.stdout);
    let j = json(&t.exec(["check", "--format", "json"], 1));
    assert_eq!(j["summary"]["level"], "blocked");

    // Approved by someone outside the owner role: still a blocker.
    t.write("readiness/answers.yaml", with_q1(na(&waiver("Jonas Berg"))));
    let out = t.exec(["check"], 1);
    assert!(
        out.stdout
            .contains("`Jonas Berg` is not a person of its owner role `support-lead`"),
        "{}",
        out.stdout
    );

    // Approved by a person of the role: set aside, and listed as such on
    // the first page of every report and before check's verdict.
    t.write("readiness/answers.yaml", with_q1(na(&waiver("Dana Lee"))));
    let out = t.exec(["check"], 0);
    assert!(
        out.stdout.contains("1 critical question set aside:")
            && out
                .stdout
                .contains("launch/q1: not applicable (We launch without a phone line"),
        "{}",
        out.stdout
    );
    t.exec(["report", "--format", "md,json,html"], 0);
    let md = t.read("readiness/reports/readiness-v1.md");
    let listed = md.find("Critical questions set aside (1)").expect(&md);
    assert!(listed < md.find("## Scores").unwrap(), "{md}");
    assert!(md[listed..].contains("**launch/q1** Can customers reach a person? — not applicable: We launch without a phone line"), "{md}");
    let html = t.read("readiness/reports/readiness-v1.html");
    let summary_start = html.find("aria-label=\"Executive summary\"").unwrap();
    let summary_end = summary_start + html[summary_start..].find("</section>").unwrap();
    let set_aside = html
        .find("Critical questions set aside")
        .expect("listed in the HTML");
    assert!(
        summary_start < set_aside && set_aside < summary_end,
        "on the executive summary"
    );
    assert!(html[set_aside..summary_end].contains("Can customers reach a person?"));
}

#[test]
fn a_set_answered_all_not_applicable_cannot_pass() {
    let t = project(&answers(&[
        answer("q1", &na(&waiver("Dana Lee"))),
        answer("q2", &na("")),
        answer("q3", &na("")),
        answer("q4", &na("")),
    ]));
    let out = t.exec(["check"], 1);
    assert!(
        out.stdout.contains("coverage 0.0% is below 50.0%"),
        "{}",
        out.stdout
    );
    let j = json(&t.exec(["check", "--format", "json"], 1));
    assert_eq!(j["summary"]["coverage"], 0.0);
    assert_eq!(j["summary"]["level"], "not-ready");
    assert!(
        j["failed"]
            .as_array()
            .unwrap()
            .contains(&"below-coverage".into())
    );
    // The bar is a setting: at 0 the same answers pass.
    t.file_edit("supportcheck.yaml", |s| {
        format!("{s}gate:\n  min_coverage: 0\n")
    });
    t.exec(["check"], 0);
}

// --- conditions on answers --------------------------------------------------

fn with_condition(q: &str, condition: &str) -> String {
    let at = LAUNCH.find(&format!("question: {q}")).unwrap();
    let line_end = at + LAUNCH[at..].find('\n').unwrap() + 1;
    format!(
        "{}    applies_if: \"{condition}\"\n{}",
        &LAUNCH[..line_end],
        &LAUNCH[line_end..]
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_condition_reading_its_own_answer_is_a_lint_error_at_its_line() {
    let playbook = with_condition("Are tickets triaged?", "answers['launch/q2'] == 'met'");
    let t = project(&all_met()).file("pb/launch.md", &playbook);
    let out = t.exec(["lint"], 1);
    let line = line_of(&playbook, "applies_if");
    assert!(
        out.stdout.contains(&format!("pb/launch.md:{line}"))
            && out
                .stdout
                .contains("reads the answer of `launch/q2`, the question it guards"),
        "{}",
        out.stdout
    );
    // No command scores with a condition that can hide its own question.
    t.exec(["check"], 2);
}

#[test]
fn conditions_reading_each_others_answers_in_a_cycle_are_lint_errors() {
    let playbook = with_condition("Are tickets triaged?", "answers['launch/q3'] != 'unmet'");
    let at = playbook.find("question: Is there a status page?").unwrap();
    let end = at + playbook[at..].find('\n').unwrap() + 1;
    let playbook = format!(
        "{}    applies_if: \"'launch/q2' in answers\"\n{}",
        &playbook[..end],
        &playbook[end..]
    );
    let t = project(&all_met()).file("pb/launch.md", &playbook);
    let out = t.exec(["lint"], 1);
    for needle in ["answers['launch/q3']", "'launch/q2' in answers"] {
        let line = line_of(&playbook, needle);
        assert!(
            out.stdout.contains(&format!("pb/launch.md:{line}")),
            "line {line}: {}",
            out.stdout
        );
    }
    assert!(out.stdout.contains("in a cycle"), "{}", out.stdout);
}

#[test]
fn a_critical_question_skipped_by_a_condition_on_answers_is_named_in_the_summary() {
    let playbook = with_condition(
        "Can customers reach a person?",
        "answers['launch/q2'] == 'met'",
    );
    let t = project(&answers(&[
        answer("q2", PARTIAL),
        answer("q3", MET),
        answer("q4", MET_WITH_EVIDENCE),
    ]))
    .file("pb/launch.md", &playbook);
    t.exec(["lint"], 0);
    let summary = t.path().join("summary.md");
    let out = t.exec_env(
        ["check", "--format", "github", "--min-score", "0"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("1 critical question set aside:")
            && out
                .stdout
                .contains("launch/q1: skipped by a condition on other answers"),
        "{}",
        out.stdout
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains(
            "**launch/q1** Can customers reach a person? — skipped by a condition on other answers"
        ),
        "{md}"
    );
}

// --- missing facts ------------------------------------------------------------

const BOT: &str = "---
title: Bot
id: bot
facts:
  - name: chatbot
    question: Does the product answer customers with a chatbot?
    type: bool
checklist:
  - order: 1
    question: Can customers reach a person from the bot?
    expectation: Always.
    version: 1.0.0
    applies_if: chatbot
  - order: 2
    question: Is there a help page?
    expectation: Yes.
    version: 1.0.0
---
";

#[test]
fn a_missing_fact_fails_the_gate_only_while_it_could_change_the_verdict() {
    let t = Test::new()
        .file("pb/bot.md", BOT)
        .file("supportcheck.yaml", "checklists: [pb]\n")
        .file(
            "readiness/answers.yaml",
            "format: 1\nanswers:\n  bot/q1:\n    status: met\n  bot/q2:\n    status: met\n",
        );
    // Every question the fact decides is answered: a warning, the gate passes.
    let j = json(&t.exec(["check", "--format", "json"], 0));
    assert_eq!(j["summary"]["level"], "ready", "{j}");
    assert_eq!(j["summary"]["missing_facts"], 0);
    let f = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "fact-missing")
        .expect("the missing fact is still named");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["fails_gate"], false);
    // With the question it decides unanswered, it fails the gate.
    t.write(
        "readiness/answers.yaml",
        "format: 1\nanswers:\n  bot/q2:\n    status: met\n",
    );
    let out = t.exec(["check"], 1);
    assert!(out.stdout.contains("1 fact not set"), "{}", out.stdout);
}

// --- answers dated in the future ---------------------------------------------

#[test]
fn an_answer_dated_in_the_future_is_a_finding_and_counts_as_stale() {
    let past = "    answered_at: 2026-11-20T10:00:00Z\n";
    let dated = |at: &str| {
        answers(&[
            answer("q1", &format!("{MET}{past}")),
            answer("q2", &format!("    status: met\n    answered_at: {at}\n")),
            answer("q3", &format!("{MET}{past}")),
            answer("q4", &format!("{MET_WITH_EVIDENCE}{past}")),
        ])
    };
    // The test clock is 2026-11-23T12:00:00Z: three minutes ahead is skew.
    let t = project(&dated("2026-11-23T12:03:00Z"));
    t.exec(["check"], 0);
    for future in ["9999-01-01T00:00:00Z", "2026-11-24T12:00:00Z"] {
        t.write("readiness/answers.yaml", dated(future));
        let out = t.exec(["check"], 1);
        assert!(out.stdout.contains("is in the future"), "{}", out.stdout);
        assert!(out.stdout.contains("1 stale"), "{}", out.stdout);
        // Under a max_age too, which a far-future date used to defeat.
        t.file_edit("supportcheck.yaml", |s| {
            if s.contains("max_age") {
                s.to_string()
            } else {
                format!("{s}gate:\n  max_age: 90d\n")
            }
        });
        t.exec(["check"], 1);
    }
}

// --- evidence inside the project root ----------------------------------------

#[test]
fn evidence_counts_only_as_a_file_or_non_empty_folder_inside_the_root() {
    let with_evidence = |path: &str| {
        answers(&[
            answer("q1", MET),
            answer("q2", MET),
            answer("q3", MET),
            answer(
                "q4",
                &format!("    status: met\n    evidence: ['{path}']\n"),
            ),
        ])
    };
    let t = project(&with_evidence("docs/sla.md")).file("docs/more/page.md", "x\n");
    std::fs::create_dir_all(t.path().join("docs/empty")).unwrap();
    for good in ["docs/sla.md", "docs/more", "https://example.com/sla"] {
        t.write("readiness/answers.yaml", with_evidence(good));
        t.exec(["check", "--fail-on", "evidence-missing,below-score"], 0);
    }
    for bad in [
        "/",
        ".",
        "./",
        "/etc/passwd",
        "../../etc/hostname",
        "docs/empty",
        "docs/../..",
    ] {
        t.write("readiness/answers.yaml", with_evidence(bad));
        let j = json(&t.exec(
            ["check", "--format", "json", "--fail-on", "evidence-missing"],
            1,
        ));
        let f = j["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "evidence-missing")
            .unwrap_or_else(|| panic!("{bad}: {j}"));
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("is not a file or non-empty folder inside the project"),
            "{bad}: {f}"
        );
        assert_eq!(j["summary"]["partial"], 1, "{bad}: met counts as partial");
    }
}
