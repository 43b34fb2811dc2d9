//! Snapshots of every human-facing renderer, from one fixed sample report.

use crate::answers;
use crate::config::Gate;
use crate::playbook::Set;
use crate::playbook::parse::{FileInfo, Parsed, parse};
use crate::report::{self, Report};
use crate::score;
use chrono::{TimeZone, Utc};
use std::collections::BTreeSet;

const CHANNELS: &str = "---\ntitle: Support channels\nid: channels\nchecklist:\n  - order: 1\n    question: Can customers reach a person?\n    expectation: One monitored channel is live.\n    version: 1.0.0\n    critical: true\n    weight: 3\n  - order: 2\n    question: Is there a public help page?\n    expectation: A page lists every channel and its hours.\n    version: 2.0.0\n    evidence: required\n  - order: 3\n    question: Are channels chosen from evidence?\n    expectation: A rationale covers each channel.\n    version: 1.1.0\n    criteria:\n      - id: research\n        text: Customer research cited\n      - id: owners\n        text: Every channel has an owner\n---\n## How\nList them.\n";

const SLA: &str = "---\ntitle: \"Service levels | SLAs\"\nid: sla\nchecklist:\n  - order: 1\n    question: Are response times written down?\n    expectation: One SLA document.\n    version: 1.0.0\n    critical: true\n  - order: 2\n    question: Is there a phone line?\n    expectation: A staffed number.\n    version: 1.0.0\n  - order: 3\n    question: Are complaints handled?\n    expectation: A written complaints process.\n    version: 1.0.0\n---\n";

const ANSWERS: &str = "format: 1\nproduct: Acme <Helpdesk>\nanswers:\n  channels/q1:\n    status: met\n    note: \"Email and chat | tested <b>end to end</b>\"\n    question_version: 1.0.0\n    answered_by: Dana Lee\n  channels/q2:\n    status: met\n    question_version: 1.0.0\n  channels/q3:\n    status: partial\n    criteria_met: [research]\n    question_version: 1.0.0\n  sla/q1:\n    status: unmet\n    waiver:\n      reason: Contract lands in January\n      expires: 2027-01-31\n      approved_by: Head of Support\n  sla/q2:\n    status: n/a\n    note: We do not offer phone support\n  old/q9:\n    status: met\n";

fn playbook(text: &str, path: &str, section: &str, stem: &str) -> crate::playbook::Playbook {
    let info = FileInfo {
        path: path.into(),
        section: Some(section.into()),
        stem: stem.into(),
    };
    match parse(text.as_bytes().to_vec(), &info) {
        Parsed::Playbook(p, findings) => {
            assert!(findings.is_empty(), "{findings:?}");
            *p
        }
        other => panic!("{other:?}"),
    }
}

pub(crate) fn sample() -> Report {
    let set = Set {
        playbooks: vec![
            playbook(
                CHANNELS,
                "pb/1-reach/01-channels.md",
                "1-reach",
                "01-channels",
            ),
            playbook(SLA, "pb/1-reach/02-sla.md", "1-reach", "02-sla"),
        ],
        section_titles: [("1-reach".to_string(), "Reaching support".to_string())].into(),
        ..Set::default()
    };
    let (answers, findings) = answers::parse(ANSWERS, "readiness/answers.yaml");
    assert!(findings.is_empty(), "{findings:?}");
    let gate = Gate::default();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
    let scores = score::score(
        &set,
        &answers,
        &score::Context {
            today: now.date_naive(),
            now,
            gate: &gate,
            owners: &Default::default(),
            missing_evidence: &BTreeSet::new(),
            answers_path: "readiness/answers.yaml",
            facts: &Default::default(),
            probes: &crate::probe::NO_RESULTS,
        },
    );
    let mut r = report::build(report::Inputs {
        facts: &Default::default(),
        set,
        answers: answers.clone(),
        scores,
        gate: &gate,
        product: None,
        now,
        owners: Default::default(),
        signoffs: Vec::new(),
    });
    r.report_version = Some(3);
    r
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(super::markdown::report(&sample()));
}

#[test]
fn markdown_summary() {
    insta::assert_snapshot!(super::markdown::summary(&sample()));
}

#[test]
fn status_table() {
    insta::assert_snapshot!(super::status::table(
        &sample(),
        100,
        true,
        Default::default()
    ));
}

#[test]
fn check_text() {
    insta::assert_snapshot!(super::check::text(
        &sample(),
        false,
        "readiness/answers.yaml"
    ));
}

#[test]
fn check_github() {
    insta::assert_snapshot!(super::check::github(&sample(), "readiness/answers.yaml").commands);
}

#[test]
fn explain_all() {
    insta::assert_snapshot!(super::explain::all(&sample()));
}

#[test]
fn junit_xml() {
    insta::assert_snapshot!(super::junit::render(&sample()));
}

#[test]
fn the_sample_exercises_every_state() {
    let r = sample();
    let s = &r.summary;
    assert_eq!(s.questions, 6);
    assert_eq!(s.stale, 1, "channels/q2 was answered for 1.0.0, now 2.0.0");
    assert_eq!(s.missing, 1, "sla/q3");
    assert_eq!(s.waived, 1);
    assert_eq!(s.blockers, 0);
    assert_eq!(s.orphaned, 1);
    assert_eq!(s.review, 1, "channels/q3 minor version moved");
}
