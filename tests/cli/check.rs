//! `init`, `status` and `check` through the real binary: a team writes the
//! template, fills it by hand, and the gate passes or fails for exactly the
//! reasons docs/scoring.md and docs/exit-codes.md list, in every format.

use crate::support::{Test, repo};
use serde_json::Value;

// --- a small project ------------------------------------------------------------

/// Section `1-reach`: four questions covering critical, criteria, evidence
/// and a minor version bump.
const BASICS: &str = "---
title: Launch basics
id: basics
checklist:
  - order: 1
    question: Can customers reach a person?
    expectation: A monitored channel is live.
    version: 1.0.0
    critical: true
    weight: 2
  - order: 2
    question: Are tickets triaged?
    expectation: Priorities and categories exist.
    version: 1.0.0
    criteria:
      - id: priorities
        text: Priorities are defined
      - id: categories
        text: Categories are defined
  - order: 3
    question: Are SLAs written down?
    expectation: One page lists every promise.
    version: 2.0.0
    evidence: required
  - order: 4
    question: Is there a status page?
    expectation: A public page shows incidents.
    version: 1.1.0
---
## How
Do the work.
";

/// Section `2-resolve`: id from the file stem, `escalation`.
const ESCALATION: &str = "---
title: Escalation
checklist:
  - order: 1
    question: Is there an on-call rota?
    expectation: A named engineer is on call every hour of launch week.
    version: 1.0.0
    critical: true
  - order: 2
    question: Are known issues tracked?
    expectation: One list of known issues is shared with support.
    version: 1.0.0
---
## How
Write it down.
";

const CONFIG: &str = "product: Acme Helpdesk\nchecklists: [pb]\n";

const IDS: [&str; 6] = [
    "basics/q1",
    "basics/q2",
    "basics/q3",
    "basics/q4",
    "escalation/q1",
    "escalation/q2",
];

/// Every question met, with what each needs.
const ALL_MET: &str = "format: 1
product: Acme Helpdesk
answers:
  basics/q1:
    status: met
  basics/q2:
    status: met
    criteria_met: [priorities, categories]
  basics/q3:
    status: met
    evidence: [docs/sla.md]
    question_version: 2.0.0
  basics/q4:
    status: met
    question_version: 1.1.0
  escalation/q1:
    status: met
  escalation/q2:
    status: met
";

/// Blocked: escalation/q1 (critical) unmet, escalation/q2 missing, basics/q2 half.
/// Score: (2×1 + 0.5 + 1 + 1 + 0 + 0) / 7 = 64.3.
const BLOCKED: &str = "format: 1
answers:
  basics/q1:
    status: met
  basics/q2:
    status: partial
    criteria_met: [priorities]
  basics/q3:
    status: met
    evidence: [docs/sla.md]
    question_version: 2.0.0
  basics/q4:
    status: met
  escalation/q1:
    status: unmet
    note: Rota starts in January
";

/// The playbooks, the config and docs/sla.md, with `answers` as the answers file.
fn project(answers: &str) -> Test {
    Test::new()
        .file("pb/1-reach/01-basics.md", BASICS)
        .file("pb/2-resolve/02-escalation.md", ESCALATION)
        .file("supportcheck.yaml", CONFIG)
        .file(
            "docs/sla.md",
            "# SLA\nFirst reply within 4 business hours.\n",
        )
        .file("readiness/answers.yaml", answers)
}

fn json(out: &crate::support::Output) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", out.stdout, out.stderr))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

// --- init ---------------------------------------------------------------------------

#[test]
fn init_writes_a_config_and_a_template_listing_every_builtin_question() {
    let t = Test::new().args(["init", "--product", "Acme Helpdesk"]);
    let out = t.status(0);
    assert!(
        out.stdout.contains("wrote supportcheck.yaml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("wrote readiness/answers.yaml"),
        "{}",
        out.stdout
    );
    let config = t.read("supportcheck.yaml");
    assert!(config.contains("product: Acme Helpdesk"), "{config}");
    assert!(config.contains("checklists: [builtin]"), "{config}");
    assert!(config.contains("min_score: 80"), "{config}");

    let template = t.read("readiness/answers.yaml");
    let list = Test::new().args(["list", "--format", "json"]).status(0);
    let list = json(&list);
    let mut count = 0;
    for p in list["playbooks"].as_array().unwrap() {
        for q in p["questions"].as_array().unwrap() {
            let id = q["id"].as_str().unwrap();
            assert!(
                template.contains(&format!("\n  # {id}:\n")),
                "{id} has no fillable block"
            );
            count += 1;
        }
    }
    assert!(count >= 40, "{count}");
    assert!(
        out.stdout.contains(&format!("{count} questions")),
        "{}",
        out.stdout
    );

    // The untouched template is a valid, empty answers file.
    let status = Test::new()
        .file("supportcheck.yaml", &config)
        .file("readiness/answers.yaml", &template)
        .args(["status", "--format", "json"])
        .status(0);
    let v = json(&status);
    assert_eq!(v["summary"]["answered"], 0);
    assert_eq!(v["summary"]["missing"], count);
    assert_eq!(v["product"], "Acme Helpdesk");
    let lint = Test::new()
        .file("supportcheck.yaml", &config)
        .file("readiness/answers.yaml", &template)
        .args(["lint"])
        .status(0);
    assert!(!lint.stdout.contains("error"), "{}", lint.stdout);
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let t = project(BLOCKED).args(["init"]);
    let out = t.status(2);
    assert!(out.stderr.contains("--force"), "{}", out.stderr);
    assert!(
        out.stderr.contains("readiness/answers.yaml"),
        "{}",
        out.stderr
    );
    assert_eq!(t.read("readiness/answers.yaml"), BLOCKED);
    assert_eq!(t.read("supportcheck.yaml"), CONFIG);

    // Either file alone is enough to refuse.
    let t = Test::new()
        .file(
            "readiness/answers.yaml",
            "answers:\n  help-desk/q1: {status: met}\n",
        )
        .args(["init"]);
    t.status(2);
    assert!(!t.path().join("supportcheck.yaml").exists());
}

#[test]
fn init_force_keeps_answers_already_given() {
    let answers = "# ours\nformat: 1\nanswers:\n  escalation/q1:\n    status: yes\n    note: Rota in PagerDuty, 6 engineers\n    owner: Sam\n  retired/q9:\n    status: met\n";
    let t = project(answers).args(["init", "--force"]);
    t.status(0);
    let text = t.read("readiness/answers.yaml");
    assert!(text.contains("  escalation/q1:\n    status: met\n    note: Rota in PagerDuty, 6 engineers\n    owner: Sam\n"), "{text}");
    assert!(
        text.contains("  retired/q9:\n    status: met\n"),
        "orphan kept: {text}"
    );
    assert!(
        !text.contains("  # escalation/q1:"),
        "no template for answered: {text}"
    );
    for id in IDS.iter().filter(|id| **id != "escalation/q1") {
        assert!(text.contains(&format!("  # {id}:\n")), "{id}: {text}");
    }
    assert!(text.contains("product: Acme Helpdesk"), "{text}");
    let config = t.read("supportcheck.yaml");
    assert!(config.contains("checklists: [pb]"), "{config}");

    let v = json(&Test::new().args(["status", "--format", "json"]).status(0));
    assert_eq!(v["summary"]["answered"], 0, "sanity: a fresh folder");
    let again = project(&text)
        .args(["status", "--format", "json"])
        .status(0);
    let v = json(&again);
    assert_eq!(v["summary"]["answered"], 1);
    assert_eq!(strs(&v["orphaned"]), ["retired/q9"]);
}

/// Un-comments the block of each id in `fill`, setting the lines given.
/// Found while fixing a fuzz crash nearby: a line break in a title, an id's
/// text or a criterion must not end the comment it is written into.
#[test]
fn init_keeps_multi_line_playbook_text_inside_comments() {
    let playbook = "---\ntitle: |\n  Two\n  answers: broken\nchecklist:\n  - order: 1\n    question: \"Q\\rq: two\"\n    expectation: \"E\\nx: y\"\n    version: 1.0.0\n    criteria:\n      - \"first\\r\\nsecond: 2\"\n---\n";
    let t = Test::new().file("pb/a.md", playbook);
    t.exec(["init", "--checklists", "pb"], 0);
    let text = t.read("readiness/answers.yaml");
    for line in text.split(['\n', '\r']) {
        let body = line.trim_start();
        assert!(
            body.is_empty()
                || body.starts_with('#')
                || ["format:", "answers:"].iter().any(|k| body.starts_with(k)),
            "uncommented line {line:?} in\n{text}"
        );
    }
    let out = t.exec(["status", "--checklists", "pb", "--format", "json"], 0);
    assert!(out.stdout.contains("\"missing\": 1"), "{}", out.stdout);
}

fn fill_template(template: &str, fill: &[(&str, &[(&str, &str)])]) -> String {
    let mut out = Vec::new();
    let mut current: Option<&[(&str, &str)]> = None;
    for line in template.lines() {
        if let Some((_, sets)) = fill.iter().find(|(id, _)| line == format!("  # {id}:")) {
            current = Some(sets);
        }
        match current {
            Some(sets) if line.starts_with("  # ") => {
                let mut l = format!("  {}", &line[4..]);
                let key = l.trim_start().split(':').next().unwrap_or("").to_string();
                if let Some((_, v)) = sets.iter().find(|(k, _)| *k == key) {
                    l = format!("    {key}: {v}");
                }
                if key == "question_version" {
                    current = None;
                }
                out.push(l);
            }
            _ => out.push(line.to_string()),
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn a_team_can_init_fill_the_template_by_hand_and_pass() {
    let t = Test::new()
        .file("pb/1-reach/01-basics.md", BASICS)
        .file("pb/2-resolve/02-escalation.md", ESCALATION)
        .file("docs/sla.md", "# SLA\n")
        .args(["init", "--checklists", "pb", "--product", "Acme Helpdesk"]);
    t.status(0);
    let template = t.read("readiness/answers.yaml");
    let met: &[(&str, &str)] = &[("status", "met")];
    let filled = fill_template(
        &template,
        &[
            ("basics/q1", met),
            (
                "basics/q2",
                &[
                    ("status", "met"),
                    ("criteria_met", "[priorities, categories]"),
                ],
            ),
            (
                "basics/q3",
                &[
                    ("status", "met  # checked by Dana"),
                    ("evidence", "[docs/sla.md]"),
                ],
            ),
            (
                "basics/q4",
                &[("status", "yes"), ("note", "status.acme.test")],
            ),
            ("escalation/q1", met),
            (
                "escalation/q2",
                &[
                    ("status", "n/a"),
                    ("note", "Known issues live in the help desk"),
                ],
            ),
        ],
    );
    let config = t.read("supportcheck.yaml");
    assert!(config.contains("checklists: [pb]"), "{config}");
    let filled_project = || {
        Test::new()
            .file("pb/1-reach/01-basics.md", BASICS)
            .file("pb/2-resolve/02-escalation.md", ESCALATION)
            .file("docs/sla.md", "# SLA\n")
            .file("supportcheck.yaml", &config)
            .file("readiness/answers.yaml", &filled)
    };
    let out = filled_project()
        .args(["check", "--format", "json"])
        .status(0);
    let v = json(&out);
    assert_eq!(v["passed"], true, "{filled}\n{}", out.stdout);
    assert_eq!(v["summary"]["score"], 100.0);
    assert_eq!(v["summary"]["level"], "ready");
    assert_eq!(v["summary"]["answered"], 6);
    assert_eq!(v["summary"]["not_applicable"], 1);
    filled_project().args(["lint"]).status(0);

    // Only half filled: the gate fails on what is missing.
    let half = fill_template(&template, &[("basics/q1", met), ("escalation/q1", met)]);
    let out = filled_project()
        .file("readiness/answers.yaml", &half)
        .args(["check"])
        .status(1);
    assert!(
        out.stdout.contains("gate failed: 4 missing"),
        "{}",
        out.stdout
    );
}

// --- check: the gate in every format -------------------------------------------------

#[test]
fn check_passes_in_every_format_when_everything_is_met() {
    for format in ["text", "json", "github", "junit"] {
        let out = project(ALL_MET)
            .args(["check", "--format", format])
            .status(0);
        match format {
            "text" => assert!(
                out.stdout.contains("gate passed: level ready, score 100.0"),
                "{}",
                out.stdout
            ),
            "json" => assert_eq!(json(&out)["passed"], true),
            "github" => {
                assert!(!out.stdout.contains("::error"), "{}", out.stdout);
                assert!(out.stdout.contains("gate passed"), "{}", out.stdout);
            }
            _ => {
                assert!(out.stdout.contains("failures=\"0\""), "{}", out.stdout);
                assert!(!out.stdout.contains("<failure"), "{}", out.stdout);
            }
        }
    }
}

#[test]
fn check_fails_in_every_format_when_a_critical_question_is_unmet() {
    for format in ["text", "json", "github", "junit"] {
        let out = project(BLOCKED)
            .args(["check", "--format", format])
            .status(1);
        match format {
            "text" => {
                assert!(
                    out.stdout.contains(
                        "supportcheck: gate failed: 1 missing; 1 blocker; score 64.3 is below 80.0"
                    ),
                    "{}",
                    out.stdout
                );
                assert!(
                    out.stdout.contains(
                        "pb/2-resolve/02-escalation.md:4: error[blocker]: escalation/q1:"
                    ),
                    "{}",
                    out.stdout
                );
            }
            "json" => {
                let v = json(&out);
                assert_eq!(v["passed"], false);
                assert_eq!(strs(&v["failed"]), ["missing", "blocker", "below-score"]);
            }
            "github" => assert!(out.stdout.contains("::error "), "{}", out.stdout),
            _ => assert!(out.stdout.contains("<failure"), "{}", out.stdout),
        }
    }
}

#[test]
fn check_json_carries_the_scoring_version_and_the_summary() {
    let out = project(BLOCKED)
        .args(["check", "--format", "json"])
        .status(1);
    let v = json(&out);
    assert_eq!(v["scoring"], 3);
    assert_eq!(v["min_score"], 80.0);
    assert_eq!(
        strs(&v["fail_on"]),
        [
            "missing",
            "stale",
            "blocker",
            "expired-waiver",
            "below-score",
            "below-coverage"
        ]
    );
    let s = &v["summary"];
    let expect = [
        ("score", Value::from(64.3)),
        ("level", Value::from("blocked")),
        ("questions", Value::from(6)),
        ("answered", Value::from(5)),
        ("missing", Value::from(1)),
        ("stale", Value::from(0)),
        ("blockers", Value::from(1)),
        ("waived", Value::from(0)),
        ("expired_waivers", Value::from(0)),
        ("orphaned", Value::from(0)),
    ];
    for (key, value) in expect {
        assert_eq!(s[key], value, "summary.{key}: {s}");
    }
    let findings = v["findings"].as_array().unwrap();
    let failing: Vec<&str> = findings
        .iter()
        .filter(|f| f["fails_gate"] == true)
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["blocker", "missing"], "{findings:?}");
    let f = findings.iter().find(|f| f["code"] == "blocker").unwrap();
    assert_eq!(f["path"], "pb/2-resolve/02-escalation.md");
    assert_eq!(f["line"], 4);
    assert_eq!(f["severity"], "error");
}

#[test]
fn fail_on_blocker_passes_with_missing_answers_but_no_blockers() {
    let answers = "answers:\n  basics/q1: {status: met}\n  escalation/q1: {status: met}\n";
    project(answers).args(["check"]).status(1);
    let out = project(answers)
        .args(["check", "--fail-on", "blocker"])
        .status(0);
    assert!(
        out.stdout.contains("gate passed: level not-ready"),
        "{}",
        out.stdout
    );
    let v = json(
        &project(answers)
            .args(["check", "--fail-on", "blocker", "--format", "json"])
            .status(0),
    );
    assert_eq!(v["summary"]["missing"], 4);
    assert_eq!(strs(&v["fail_on"]), ["blocker"]);
    // ... and still fails when there is one.
    project(BLOCKED)
        .args(["check", "--fail-on", "blocker"])
        .status(1);
    project(BLOCKED)
        .args(["check", "--fail-on", "missing,stale"])
        .status(1);
    project(BLOCKED)
        .args(["check", "--fail-on", "stale,expired-waiver"])
        .status(0);
}

#[test]
fn min_score_sets_the_bar() {
    // BLOCKED minus its blocker (set aside, with the approval a critical
    // question needs) and missing answer: (2 + 0.5 + 1 + 1 + 0) / 6 = 75.
    let answers = BLOCKED.replace(
        "status: unmet",
        "status: not-applicable\n    waiver:\n      reason: No rota before launch\n      expires: 2027-01-31\n      approved_by: Head of Support",
    )
        + "  escalation/q2:\n    status: unmet\n";
    let v = json(
        &project(&answers)
            .args(["status", "--format", "json"])
            .status(0),
    );
    assert_eq!(v["summary"]["score"], 75.0, "{v}");
    assert_eq!(v["summary"]["blockers"], 0);
    project(&answers).args(["check"]).status(1);
    let out = project(&answers)
        .args(["check", "--min-score", "75"])
        .status(0);
    assert!(out.stdout.contains("(bar 75.0)"), "{}", out.stdout);
    let out = project(&answers)
        .args(["check", "--min-score", "75.1"])
        .status(1);
    assert!(
        out.stdout.contains("score 75.0 is below 75.1"),
        "{}",
        out.stdout
    );
    let out = project(&answers)
        .args(["check", "--min-score", "101"])
        .status(2);
    assert!(out.stderr.contains("between 0 and 100"), "{}", out.stderr);
    project(&answers)
        .args(["check", "--fail-on", "nonsense"])
        .status(2);
}

#[test]
fn the_gate_fails_for_each_listed_reason() {
    // (why, answers, --fail-on, failing category)
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "stale: answered for 1.x, the question is 2.0.0",
            ALL_MET.replace("question_version: 2.0.0", "question_version: 1.0.0"),
            "stale",
            "stale",
        ),
        (
            "expired waiver on a critical question",
            ALL_MET.replace(
                "  escalation/q1:\n    status: met\n",
                "  escalation/q1:\n    status: partial\n    waiver:\n      reason: Rota lands in January\n      expires: 2026-11-01\n      approved_by: Head of Support\n",
            ),
            "expired-waiver",
            "expired-waiver",
        ),
        (
            "missing evidence file",
            ALL_MET.replace("docs/sla.md", "docs/moved.md"),
            "evidence-missing",
            "evidence-missing",
        ),
        (
            "an unmet answer",
            ALL_MET.replace(
                "  escalation/q2:\n    status: met\n",
                "  escalation/q2:\n    status: unmet\n",
            ),
            "unmet",
            "unmet",
        ),
        (
            "an orphaned answer",
            ALL_MET.to_string() + "  gone/q1:\n    status: met\n",
            "orphaned",
            "orphaned",
        ),
        (
            "n/a without a reason counts as missing",
            ALL_MET.replace(
                "  escalation/q2:\n    status: met\n",
                "  escalation/q2:\n    status: n/a\n",
            ),
            "missing",
            "missing",
        ),
    ];
    for (why, answers, fail_on, category) in cases {
        let out = project(&answers)
            .args(["check", "--format", "json", "--fail-on", fail_on])
            .run();
        assert_eq!(out.code, 1, "{why}: {}\n{}", out.stdout, out.stderr);
        let v = json(&out);
        assert_eq!(strs(&v["failed"]), [category], "{why}");
        // Under the other categories alone, the same answers pass.
        let others = [
            "missing",
            "stale",
            "expired-waiver",
            "evidence-missing",
            "orphaned",
            "unmet",
        ]
        .into_iter()
        .filter(|c| *c != category)
        .collect::<Vec<_>>()
        .join(",");
        let out = project(&answers)
            .args(["check", "--fail-on", &others])
            .run();
        assert_eq!(out.code, 0, "{why}: {}\n{}", out.stdout, out.stderr);
    }
}

#[test]
fn an_active_waiver_lifts_the_blocker_and_an_expiring_one_warns() {
    let waived = BLOCKED.replace(
        "    note: Rota starts in January\n",
        "    note: Rota starts in January\n    waiver:\n      reason: Founders carry pagers until the rota starts\n      expires: 2026-12-01\n      approved_by: Head of Support\n",
    ) + "  escalation/q2:\n    status: met\n";
    let out = project(&waived)
        .args(["check", "--min-score", "60"])
        .status(0);
    assert!(
        out.stdout.contains(
            "warning[waiver-expiring]: escalation/q1: waiver expires on 2026-12-01 (8 days)"
        ),
        "{}",
        out.stdout
    );
    let v = json(
        &project(&waived)
            .args(["status", "--format", "json"])
            .status(0),
    );
    assert_eq!(v["summary"]["blockers"], 0);
    assert_eq!(v["summary"]["waived"], 1);
    assert_eq!(v["summary"]["level"], "not-ready");
    assert_eq!(strs(&v["waived"]), ["escalation/q1"]);
    let table = project(&waived).args(["status"]).status(0);
    assert!(table.stdout.contains("Waived (1):"), "{}", table.stdout);
    assert!(
        table.stdout.contains("escalation/q1  until 2026-12-01"),
        "{}",
        table.stdout
    );
    assert!(
        table.stdout.contains("Waivers expiring soon (1):"),
        "{}",
        table.stdout
    );
}

// --- github and junit ---------------------------------------------------------------

#[test]
fn github_annotates_failing_questions_and_writes_the_job_summary() {
    let t = project(BLOCKED).args(["check", "--format", "github"]);
    std::fs::write(t.path().join("summary.md"), "## Earlier step\n\n").unwrap();
    let summary = t.path().join("summary.md");
    let t = t.env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap());
    let out = t.status(1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines.contains(&"::error file=pb/2-resolve/02-escalation.md,line=4,title=supportcheck blocker::escalation/q1: critical question not met: this blocks the launch until it is met or waived"),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(&"::error file=pb/2-resolve/02-escalation.md,line=9,title=supportcheck missing::escalation/q2: not answered"),
        "{}",
        out.stdout
    );
    // Partial and unmet answers that do not fail the gate stay out.
    assert!(
        !out.stdout.contains("supportcheck partial"),
        "{}",
        out.stdout
    );
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("supportcheck: gate failed")
    );
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("## Earlier step\n\n## Support readiness"),
        "{md}"
    );
    assert!(md.contains("**BLOCKED**"), "{md}");
    assert!(md.contains("Gate: **failed**"), "{md}");
    assert!(md.contains("| Launch basics |"), "{md}");

    // Without the variable nothing is written anywhere else.
    let out = project(ALL_MET)
        .args(["check", "--format", "github"])
        .status(0);
    assert!(
        out.stdout.starts_with("supportcheck: gate passed"),
        "{}",
        out.stdout
    );
}

/// A minimal well-formedness check: tags balance and attributes are quoted.
fn xml_elements(xml: &str) -> Vec<(String, String)> {
    let mut stack: Vec<String> = Vec::new();
    let mut opened = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("tag closes") + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "unbalanced </{name}>"
            );
            continue;
        }
        let name = tag
            .split_whitespace()
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unquoted attribute in <{tag}>"
        );
        opened.push((name.clone(), tag.to_string()));
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    opened
}

#[test]
fn junit_has_a_suite_per_playbook_and_a_case_per_question() {
    let waived_na =
        BLOCKED.to_string() + "  escalation/q2:\n    status: na\n    note: We use the help desk\n";
    let out = project(&waived_na)
        .args(["check", "--format", "junit"])
        .status(1);
    let xml = &out.stdout;
    assert!(xml.starts_with("<?xml"), "{xml}");
    let elements = xml_elements(xml);
    let names = |n: &str| elements.iter().filter(|(e, _)| e == n).count();
    assert_eq!(names("testsuites"), 1);
    // The gate's suite (a case per default category), then one per playbook.
    assert_eq!(names("testsuite"), 3);
    assert_eq!(names("testcase"), 6 + 6);
    assert_eq!(
        names("failure"),
        3,
        "the gate's blocker and below-score, and the blocker (basics/q2 partial passes)"
    );
    assert_eq!(names("skipped"), 1, "not applicable");
    let suites: Vec<&str> = elements
        .iter()
        .filter(|(e, _)| e == "testsuite")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(
        suites[0].contains("name=\"gate\"") && suites[0].contains("tests=\"6\""),
        "{suites:?}"
    );
    assert!(
        suites[1].contains("name=\"basics\"") && suites[1].contains("tests=\"4\""),
        "{suites:?}"
    );
    assert!(
        suites[2].contains("name=\"escalation\"") && suites[2].contains("tests=\"2\""),
        "{suites:?}"
    );
    assert!(xml.contains("type=\"blocker\""), "{xml}");
    assert!(
        xml.contains("classname=\"pb/2-resolve/02-escalation.md:4\""),
        "{xml}"
    );

    // The gate's reasons fail (missing, stale, below-score), and the
    // questions with a finding among them; unmet is not in the default
    // fail_on, so basics/q2 passes, as the exit code says.
    let mixed = "answers:\n  basics/q1: {status: met}\n  basics/q2: {status: unmet}\n  basics/q3:\n    status: met\n    evidence: [docs/sla.md]\n    question_version: 1.0.0\n  escalation/q1: {status: met}\n  escalation/q2: {status: partial}\n";
    let out = project(mixed)
        .args(["check", "--format", "junit"])
        .status(1);
    let xml = &out.stdout;
    let types: Vec<&str> = xml
        .match_indices("type=\"")
        .map(|(i, _)| {
            let rest = &xml[i + 6..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert_eq!(
        types,
        ["missing", "stale", "below-score", "stale", "missing"],
        "{xml}"
    );
    assert_eq!(
        xml_elements(xml)
            .iter()
            .filter(|(e, _)| e == "testcase")
            .count(),
        6 + 6
    );
}

#[test]
fn junit_escapes_user_text() {
    let pb = BASICS.replace(
        "Can customers reach a person?",
        "Can <customers> & \"partners\" reach us?",
    );
    let out = project(ALL_MET)
        .file("pb/1-reach/01-basics.md", pb)
        .file("readiness/answers.yaml", "answers: {}\n")
        .args(["check", "--format", "junit"])
        .status(1);
    assert!(
        out.stdout
            .contains("Can &lt;customers&gt; &amp; &quot;partners&quot; reach us?"),
        "{}",
        out.stdout
    );
    xml_elements(&out.stdout);
}

// --- status ------------------------------------------------------------------------

#[test]
fn status_shows_scores_per_playbook_and_what_is_missing() {
    let out = project(BLOCKED).args(["status"]).status(0);
    let s = &out.stdout;
    assert!(s.starts_with("Acme Helpdesk\n"), "{s}");
    for needle in [
        "Launch basics",
        "Escalation",
        "1-reach",
        "2-resolve",
        "Overall",
        "5/6",
        "BLOCKED  score 64.3 / 100 (bar 80.0), 5 of 6 answered",
        "Blocked (1):\n  escalation/q1  Is there an on-call rota?\n",
        "Missing (1):\n  escalation/q2\n",
    ] {
        assert!(s.contains(needle), "no {needle:?} in\n{s}");
    }
    // Status reports; it is not a gate.
    project("").args(["status"]).status(0);
}

#[test]
fn status_json_lists_scores_and_ids() {
    let out = project(BLOCKED)
        .args(["status", "--format", "json"])
        .status(0);
    let v = json(&out);
    assert_eq!(v["scoring"], 3);
    assert_eq!(v["product"], "Acme Helpdesk");
    assert_eq!(v["summary"]["score"], 64.3);
    assert_eq!(v["summary"]["level"], "blocked");
    assert_eq!(strs(&v["missing"]), ["escalation/q2"]);
    assert_eq!(strs(&v["blockers"]), ["escalation/q1"]);
    let pbs = v["playbooks"].as_array().unwrap();
    assert_eq!(pbs.len(), 2);
    assert_eq!(pbs[0]["id"], "basics");
    assert_eq!(pbs[0]["section"], "1-reach");
    // (2 + 0.5 + 1 + 1) / 5
    assert_eq!(pbs[0]["score"], 90.0);
    assert_eq!(pbs[1]["score"], 0.0);
    let sections = v["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 2);
    assert_eq!(sections[1]["id"], "2-resolve");
}

// --- project resolution ----------------------------------------------------------------

#[test]
fn dash_c_runs_in_another_folder() {
    let t = Test::new()
        .file("acme/pb/1-reach/01-basics.md", BASICS)
        .file("acme/pb/2-resolve/02-escalation.md", ESCALATION)
        .file("acme/supportcheck.yaml", CONFIG)
        .file("acme/docs/sla.md", "# SLA\n")
        .file("acme/readiness/answers.yaml", ALL_MET)
        .args(["-C", "acme", "check"]);
    let out = t.status(0);
    assert!(out.stdout.contains("level ready"), "{}", out.stdout);
    // Paths in output stay relative to the project root.
    let out = Test::new()
        .file("acme/pb/1-reach/01-basics.md", BASICS)
        .file("acme/pb/2-resolve/02-escalation.md", ESCALATION)
        .file("acme/supportcheck.yaml", CONFIG)
        .file("acme/readiness/answers.yaml", BLOCKED)
        .args(["--dir", "acme", "check"])
        .status(1);
    assert!(
        out.stdout
            .contains("pb/2-resolve/02-escalation.md:4: error[blocker]"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("acme/"), "{}", out.stdout);
    let out = Test::new().args(["-C", "nowhere", "status"]).status(2);
    assert!(out.stderr.contains("nowhere"), "{}", out.stderr);

    // init -C writes below that folder.
    let t = Test::new()
        .file("acme/.keep", "")
        .args(["-C", "acme", "init"]);
    t.status(0);
    assert!(t.path().join("acme/supportcheck.yaml").exists());
    assert!(t.path().join("acme/readiness/answers.yaml").exists());
    assert!(!t.path().join("supportcheck.yaml").exists());
}

#[test]
fn flags_override_the_config_which_overrides_defaults() {
    // answers: the flag over `answers:` over readiness/answers.yaml.
    let config = "checklists: [pb]\nanswers: team/answers.yaml\ngate:\n  min_score: 60\n";
    let t = || {
        project(BLOCKED)
            .file("supportcheck.yaml", config)
            .file("team/answers.yaml", ALL_MET)
            .file("other.yaml", "answers: {}\n")
    };
    let v = json(&t().args(["status", "--format", "json"]).status(0));
    assert_eq!(v["summary"]["answered"], 6, "config `answers:` is used");
    let v = json(
        &t().args(["status", "--format", "json", "--answers", "other.yaml"])
            .status(0),
    );
    assert_eq!(v["summary"]["answered"], 0, "--answers wins");
    let v = json(
        &project(BLOCKED)
            .args(["status", "--format", "json"])
            .status(0),
    );
    assert_eq!(
        v["summary"]["answered"], 5,
        "default readiness/answers.yaml"
    );

    // min_score: the flag over gate.min_score over 80.
    let answers = BLOCKED.replace("status: unmet", "status: not-applicable")
        + "  escalation/q2:\n    status: unmet\n";
    let base = || project(&answers).file("supportcheck.yaml", "checklists: [pb]\n");
    let v = json(&base().args(["check", "--format", "json"]).status(1));
    assert_eq!(v["min_score"], 80.0);
    let with_gate = || {
        project(&answers).file(
            "supportcheck.yaml",
            "checklists: [pb]\ngate:\n  min_score: 60\n  fail_on: [below-score]\n",
        )
    };
    let v = json(&with_gate().args(["check", "--format", "json"]).status(0));
    assert_eq!(v["min_score"], 60.0);
    assert_eq!(strs(&v["fail_on"]), ["below-score"]);
    let v = json(
        &with_gate()
            .args(["check", "--format", "json", "--min-score", "76"])
            .status(1),
    );
    assert_eq!(v["min_score"], 76.0);
    assert_eq!(strs(&v["failed"]), ["below-score"]);

    // checklists: the flag over `checklists:` over builtin.
    let v = json(
        &project(BLOCKED)
            .args(["status", "--format", "json", "--checklists", "builtin"])
            .status(0),
    );
    assert!(v["summary"]["questions"].as_u64().unwrap() > 6);
    assert_eq!(
        v["summary"]["orphaned"], 4,
        "basics/* are orphans under builtin (escalation/q1 exists there too)"
    );
    let v = json(
        &project(BLOCKED)
            .args(["status", "--format", "json", "--checklists", "pb/2-resolve"])
            .status(0),
    );
    assert_eq!(v["summary"]["questions"], 2);

    // --config names another file.
    let v = json(
        &project(BLOCKED)
            .file("ci.yaml", "checklists: [pb]\ngate:\n  min_score: 50\n")
            .args(["check", "--config", "ci.yaml", "--format", "json"])
            .status(1),
    );
    assert_eq!(v["min_score"], 50.0);
}

// --- bad input ------------------------------------------------------------------------

#[test]
fn a_broken_answers_file_stops_with_its_name_and_line() {
    let cases = [
        ("answers:\n  basics/q1:\n    status: [met\n", ":3:"),
        (
            "answers:\n  basics/q1:\n    status: maybe\n",
            ":3:13: error[status]",
        ),
        (
            "format: 1\nanswers:\n  basics/q1:\n    status: met\n  basics/q1:\n    status: unmet\n",
            ":5:",
        ),
        (
            "answers:\n  basics/q1:\n    status: met\n    waiver:\n      reason: later\n",
            ":5:",
        ),
        ("answers:\n\tbasics/q1: met\n", "readiness/answers.yaml"),
    ];
    for (text, needle) in cases {
        for cmd in ["status", "check"] {
            let out = project(text).args([cmd]).run();
            assert_eq!(
                out.code, 2,
                "{cmd} {text:?}: {}\n{}",
                out.stdout, out.stderr
            );
            assert!(
                out.stderr
                    .contains(&format!("readiness/answers.yaml{needle}"))
                    || (needle == "readiness/answers.yaml" && out.stderr.contains(needle)),
                "{cmd} {text:?}: {}",
                out.stderr
            );
            assert!(out.stdout.is_empty(), "{}", out.stdout);
        }
    }
    // Not UTF-8 and binary files too.
    let out = project("")
        .file("readiness/answers.yaml", b"answers:\n  \xff\n".as_slice())
        .args(["check"])
        .run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("readiness/answers.yaml:2"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_broken_config_stops_with_its_name_and_line() {
    let cases = [
        (
            "checklists: [pb]\ngate:\n  min_scroe: 80\n",
            "supportcheck.yaml:3",
        ),
        ("checklists: [pb\n", "supportcheck.yaml:"),
        (
            "checklists: [pb]\ngate:\n  fail_on: [missing, sometimes]\n",
            "supportcheck.yaml:3",
        ),
        (
            "checklists: [pb]\ngate:\n  min_score: 150\n",
            "supportcheck.yaml:3:14",
        ),
        ("produkt: Acme\n", "supportcheck.yaml:1"),
    ];
    for (text, needle) in cases {
        for cmd in ["status", "check", "init"] {
            let args = if cmd == "init" {
                vec![cmd, "--force"]
            } else {
                vec![cmd]
            };
            let t = project(ALL_MET).file("supportcheck.yaml", text).args(args);
            let out = t.run();
            assert_eq!(out.code, 2, "{cmd} {text:?}: {}", out.stderr);
            assert!(
                out.stderr.contains(needle),
                "{cmd} {text:?}: {}",
                out.stderr
            );
            assert_eq!(
                t.read("supportcheck.yaml"),
                text,
                "init must not overwrite a config it cannot read"
            );
        }
    }
}

#[test]
fn an_unknown_question_id_is_a_warning_and_is_kept() {
    let answers =
        ALL_MET.to_string() + "  basics/q99:\n    status: met\n    note: Question removed in 2.0\n";
    let out = project(&answers).args(["check"]).status(0);
    assert!(out.stdout.contains("gate passed"), "{}", out.stdout);
    let out = project(&answers).args(["check", "-v"]).status(0);
    assert!(
        out.stdout
            .contains("readiness/answers.yaml:20:3: warning[orphaned]: `basics/q99`"),
        "{}",
        out.stdout
    );
    let v = json(
        &project(&answers)
            .args(["check", "--format", "json"])
            .status(0),
    );
    assert_eq!(v["summary"]["orphaned"], 1);
    let v = json(
        &project(&answers)
            .args(["status", "--format", "json"])
            .status(0),
    );
    assert_eq!(strs(&v["orphaned"]), ["basics/q99"]);
    let table = project(&answers).args(["status"]).status(0);
    assert!(
        table
            .stdout
            .contains("Orphaned answers (1):\n  basics/q99\n"),
        "{}",
        table.stdout
    );
    let lint = project(&answers).args(["lint"]).status(0);
    assert!(lint.stdout.contains("warning[orphaned]"), "{}", lint.stdout);
    // A rewrite keeps it.
    let t = project(&answers).args(["init", "--force"]);
    t.status(0);
    assert!(
        t.read("readiness/answers.yaml")
            .contains("  basics/q99:\n    status: met\n    note: Question removed in 2.0\n")
    );
}

#[test]
fn hand_edited_answers_with_aliases_spacing_and_comments_are_read() {
    let answers = "\
# Acme support readiness, kept by Dana
format: 1
answers:
  basics/q1:   {status: yes, note: 'Chat + email, watched 8-20 CET'}   # checked 20 Nov
  basics/q2:
      status:    Partial
      criteria_met:
        - priorities
  basics/q3:
    status: met      # the SLA page
    evidence:
      - docs/sla.md
      - https://acme.test/sla
    question_version: \"2.0.0\"
  basics/q4:
    status: n/a
    note: >
      No status page yet; incidents go out by email.
  escalation/q1:
    status: NO
  escalation/q2:
    Status: na
    note: Known issues live in the help desk
";
    let out = project(answers)
        .args(["status", "--format", "json"])
        .status(0);
    let v = json(&out);
    let s = &v["summary"];
    assert_eq!(s["answered"], 6, "{s}");
    assert_eq!(s["met"], 2, "{s}");
    assert_eq!(s["partial"], 1, "{s}");
    assert_eq!(s["unmet"], 1, "{s}");
    assert_eq!(s["not_applicable"], 2, "{s}");
    assert_eq!(s["blockers"], 1, "{s}");
    assert_eq!(s["evidence_missing"], 0, "{s}");
    // (2 + 0.5 + 1 + 0) / 5
    assert_eq!(s["score"], 70.0, "{s}");
    let lint = project(answers).args(["lint"]).status(0);
    assert!(lint.stdout.contains("warning[key-case]"), "{}", lint.stdout);
}

// --- the answers file through the library ----------------------------------------------

#[test]
fn answers_written_by_the_library_read_back_identically() {
    use supportcheck::answers::{parse, to_yaml};
    let hand = "answers:\n  b/q1: {status: yes, evidence: docs/a.md}\n  a/q2:\n    status: n/a\n    note: |\n      Two lines\n      of reason.\n    x-owner: Sam\n  a/q1:\n    status: partial\n    note: \"87% — n=412\"\n    waiver: {reason: 'later: Q1', expires: 2027-01-31, ticket: OPS-1}\n";
    let (file, findings) = parse(hand, "answers.yaml");
    assert!(findings.iter().all(|f| !f.is_error()), "{findings:?}");
    let order: Vec<String> = ["a/q1", "a/q2", "b/q1"].map(String::from).to_vec();
    let once = to_yaml(&file, &order);
    let (back, findings) = parse(&once, "answers.yaml");
    assert!(
        findings.iter().all(|f| !f.is_error()),
        "{findings:?}\n{once}"
    );
    let twice = to_yaml(&back, &order);
    assert_eq!(twice, once);
    assert!(once.contains("x-owner: Sam"), "{once}");
    assert!(once.contains("ticket: OPS-1"), "{once}");
    assert!(
        once.contains("note: |\n      Two lines\n      of reason.\n"),
        "{once}"
    );
    assert_eq!(back.answers.len(), 3);
    assert!(once.find("a/q1:").unwrap() < once.find("a/q2:").unwrap());
    assert!(once.find("a/q2:").unwrap() < once.find("b/q1:").unwrap());
}

// --- the example project ----------------------------------------------------------------

#[test]
fn the_acme_example_lints_clean_and_is_not_ready() {
    let dir = repo().join("examples/acme");
    let dir = dir.to_str().unwrap();
    let lint = Test::new()
        .args(["-C", dir, "lint", "--deny-warnings"])
        .run();
    assert_eq!(lint.code, 0, "{}\n{}", lint.stdout, lint.stderr);
    assert!(lint.stdout.trim().is_empty(), "{}", lint.stdout);
    let out = Test::new()
        .args(["-C", dir, "status", "--format", "json"])
        .status(0);
    let v = json(&out);
    let s = &v["summary"];
    assert_eq!(v["product"], "Acme Helpdesk");
    assert_eq!(s["level"], "not-ready", "{s}");
    assert_eq!(s["blockers"], 0, "{s}");
    assert_eq!(s["waived"], 1, "{s}");
    assert_eq!(s["expired_waivers"], 0, "{s}");
    assert_eq!(s["orphaned"], 0, "{s}");
    assert_eq!(s["evidence_missing"], 0, "{s}");
    let score = s["score"].as_f64().unwrap();
    assert!((40.0..=70.0).contains(&score), "{s}");
    let share = s["answered"].as_f64().unwrap() / s["questions"].as_f64().unwrap();
    assert!((0.5..=0.7).contains(&share), "{s}");
    // Acme has no phone line and no on-site work: the two questions it
    // answered not-applicable are skipped by condition, their answers kept.
    assert!(s["skipped"].as_u64().unwrap() >= 2, "{s}");
    let status = Test::new().args(["-C", dir, "status"]).status(0).stdout;
    assert!(
        status.contains(
            "after-care/q4  skipped: no on site work (answer not applicable kept, not counted)"
        ),
        "{status}"
    );
    // The gate fails on what is missing and the score, nothing else.
    let check = Test::new()
        .args(["-C", dir, "check", "--format", "json"])
        .status(1);
    assert_eq!(strs(&json(&check)["failed"]), ["missing", "below-score"]);
}
