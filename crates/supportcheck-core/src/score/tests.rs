//! Table-driven and property tests of the scoring rules.

use super::*;
use crate::answers::Waiver;
use crate::playbook::parse::{FileInfo, Parsed, parse};
use proptest::prelude::*;
use std::collections::BTreeMap;

// --- building blocks -----------------------------------------------------------

/// One question of a test playbook.
#[derive(Debug, Clone)]
struct Q {
    weight: f64,
    critical: bool,
    /// Number of criteria (`c1`..`cN`); 0 for none.
    criteria: usize,
    evidence: bool,
    version: &'static str,
}

impl Default for Q {
    fn default() -> Self {
        Q {
            weight: 1.0,
            critical: false,
            criteria: 0,
            evidence: false,
            version: "1.0.0",
        }
    }
}

fn q() -> Q {
    Q::default()
}

impl Q {
    fn weight(mut self, w: f64) -> Q {
        self.weight = w;
        self
    }
    fn critical(mut self) -> Q {
        self.critical = true;
        self
    }
    fn criteria(mut self, n: usize) -> Q {
        self.criteria = n;
        self
    }
    fn evidence(mut self) -> Q {
        self.evidence = true;
        self
    }
    fn version(mut self, v: &'static str) -> Q {
        self.version = v;
        self
    }
}

/// A playbook built through the real parser, so the model is what a file gives.
fn playbook(id: &str, section: Option<&str>, questions: &[Q]) -> Playbook {
    let mut text = format!("---\ntitle: Playbook {id}\nid: {id}\nchecklist:\n");
    for (i, q) in questions.iter().enumerate() {
        let n = i + 1;
        text.push_str(&format!(
            "  - order: {n}\n    question: Question {n} of {id}?\n    expectation: Expectation {n}.\n    version: {}\n    weight: {}\n    critical: {}\n",
            q.version, q.weight, q.critical
        ));
        if q.evidence {
            text.push_str("    evidence: required\n");
        }
        if q.criteria > 0 {
            text.push_str("    criteria:\n");
            for c in 1..=q.criteria {
                text.push_str(&format!("      - Criterion {c} holds\n"));
            }
        }
    }
    text.push_str("---\n## How\nDo it.\n");
    let info = FileInfo {
        path: format!("pb/{id}.md"),
        section: section.map(str::to_string),
        stem: id.to_string(),
    };
    match parse(text.into_bytes(), &info) {
        Parsed::Playbook(p, findings) => {
            assert!(
                findings.iter().all(|f| !f.is_error()),
                "test playbook has errors: {findings:?}"
            );
            assert_eq!(p.questions.len(), questions.len());
            *p
        }
        other => panic!("test playbook did not parse: {other:?}"),
    }
}

fn set_of(playbooks: Vec<Playbook>) -> Set {
    Set {
        playbooks,
        ..Set::default()
    }
}

fn answer(status: Status) -> Answer {
    Answer {
        status: Some(status),
        ..Answer::default()
    }
}

fn na(note: &str) -> Answer {
    Answer {
        note: Some(note.into()),
        ..answer(Status::NotApplicable)
    }
}

fn with_criteria(a: Answer, ids: &[&str]) -> Answer {
    Answer {
        criteria_met: Some(ids.iter().map(|s| s.to_string()).collect()),
        ..a
    }
}

fn with_evidence(a: Answer, items: &[&str]) -> Answer {
    Answer {
        evidence: items.iter().map(|s| s.to_string()).collect(),
        ..a
    }
}

fn with_version(a: Answer, v: &str) -> Answer {
    Answer {
        question_version: Some(semver::Version::parse(v).unwrap()),
        ..a
    }
}

fn with_waiver(a: Answer, expires: &str) -> Answer {
    Answer {
        waiver: Some(Box::new(Waiver {
            reason: "accepted for launch".into(),
            expires: date(expires),
            approved_by: Some("Head of Support".into()),
            extra: BTreeMap::new(),
        })),
        ..a
    }
}

fn answers<S: Into<String>>(entries: Vec<(S, Answer)>) -> AnswersFile {
    AnswersFile {
        answers: entries.into_iter().map(|(id, a)| (id.into(), a)).collect(),
        ..AnswersFile::default()
    }
}

/// The gate's verdict on `s` under `fail_on`: the one decision, as every
/// output gets it.
fn failed(s: &Scores, fail_on: &[FailOn]) -> Vec<FailOn> {
    let gate = Gate {
        fail_on: fail_on.to_vec(),
        ..Gate::default()
    };
    crate::gate::verdict(&gate, &s.summary).failed
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-23";

/// Scores with today = 2026-11-23, the default gate and the given missing paths.
fn run_with(set: &Set, file: &AnswersFile, gate: &Gate, missing: &[&str]) -> Scores {
    let missing: BTreeSet<String> = missing.iter().map(|s| s.to_string()).collect();
    score(
        set,
        file,
        &Context {
            today: date(TODAY),
            now: date(TODAY).and_hms_opt(12, 0, 0).unwrap().and_utc(),
            gate,
            owners: &Default::default(),
            missing_evidence: &missing,
            answers_path: "readiness/answers.yaml",
            facts: &Default::default(),
            probes: &crate::probe::NO_RESULTS,
        },
    )
}

fn run(set: &Set, file: &AnswersFile) -> Scores {
    run_with(set, file, &Gate::default(), &[])
}

fn codes(qs: &QuestionScore) -> Vec<Code> {
    let mut c: Vec<Code> = qs.findings.iter().map(|f| f.code).collect();
    c.sort();
    c
}

fn sorted(codes: &[Code]) -> Vec<Code> {
    let mut c = codes.to_vec();
    c.sort();
    c
}

// --- one question, every rule ----------------------------------------------------

/// What scoring one question should produce.
#[derive(Debug)]
struct Expect {
    state: State,
    status: Option<Status>,
    credit: Option<f64>,
    blocker: bool,
    waived: bool,
    expired: bool,
    codes: &'static [Code],
}

const MET: Expect = Expect {
    state: State::Answered,
    status: Some(Status::Met),
    credit: Some(1.0),
    blocker: false,
    waived: false,
    expired: false,
    codes: &[],
};

const MISSING: Expect = Expect {
    state: State::Missing,
    status: None,
    credit: Some(0.0),
    blocker: false,
    waived: false,
    expired: false,
    codes: &[Code::Missing],
};

fn partial(codes: &'static [Code]) -> Expect {
    Expect {
        status: Some(Status::Partial),
        credit: Some(0.5),
        codes,
        ..MET
    }
}

fn unmet(codes: &'static [Code]) -> Expect {
    Expect {
        status: Some(Status::Unmet),
        credit: Some(0.0),
        codes,
        ..MET
    }
}

struct Case {
    name: &'static str,
    q: Q,
    answer: Option<Answer>,
    missing: &'static [&'static str],
    expect: Expect,
}

fn check_case(case: &Case) {
    let set = set_of(vec![playbook("pb", None, std::slice::from_ref(&case.q))]);
    let file = answers(
        case.answer
            .clone()
            .map(|a| ("pb/q1", a))
            .into_iter()
            .collect(),
    );
    let scores = run_with(&set, &file, &Gate::default(), case.missing);
    let qs = &scores.questions[0];
    let e = &case.expect;
    let name = case.name;
    assert_eq!(qs.state, e.state, "{name}: state");
    assert_eq!(qs.status, e.status, "{name}: status");
    match (qs.credit, e.credit) {
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{name}: credit {a} != {b}"),
        (a, b) => assert_eq!(a, b, "{name}: credit"),
    }
    assert_eq!(qs.blocker, e.blocker, "{name}: blocker");
    assert_eq!(qs.waived, e.waived, "{name}: waived");
    assert_eq!(qs.expired_waiver, e.expired, "{name}: expired waiver");
    assert_eq!(
        codes(qs),
        sorted(e.codes),
        "{name}: findings {:?}",
        qs.findings
    );
    // Every finding names the question and points into its playbook.
    for f in &qs.findings {
        assert!(f.message.starts_with("pb/q1: "), "{name}: {f}");
        assert_eq!(f.location.path, "pb/pb.md", "{name}");
    }
    // The summary agrees with the question.
    let s = &scores.summary;
    assert_eq!(s.questions, 1, "{name}");
    assert_eq!(s.blockers, usize::from(e.blocker), "{name}");
    assert_eq!(s.waived, usize::from(e.waived), "{name}");
    assert_eq!(s.expired_waivers, usize::from(e.expired), "{name}");
}

#[test]
fn credit_follows_the_status() {
    let cases = [
        Case {
            name: "met",
            q: q(),
            answer: Some(answer(Status::Met)),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "partial",
            q: q(),
            answer: Some(answer(Status::Partial)),
            missing: &[],
            expect: partial(&[Code::Partial]),
        },
        Case {
            name: "unmet",
            q: q(),
            answer: Some(answer(Status::Unmet)),
            missing: &[],
            expect: unmet(&[Code::Unmet]),
        },
        Case {
            name: "unanswered",
            q: q(),
            answer: None,
            missing: &[],
            expect: MISSING,
        },
        Case {
            name: "an entry without a status is unanswered",
            q: q(),
            answer: Some(Answer {
                note: Some("thinking about it".into()),
                ..Answer::default()
            }),
            missing: &[],
            expect: MISSING,
        },
        Case {
            name: "not-applicable with a reason leaves the denominator",
            q: q(),
            answer: Some(na("we have no phone line")),
            missing: &[],
            expect: Expect {
                status: Some(Status::NotApplicable),
                credit: None,
                ..MET
            },
        },
        Case {
            name: "not-applicable without a note counts as missing",
            q: q(),
            answer: Some(answer(Status::NotApplicable)),
            missing: &[],
            expect: Expect {
                codes: &[Code::NaReason],
                ..MISSING
            },
        },
        Case {
            name: "not-applicable with a blank note counts as missing",
            q: q(),
            answer: Some(na("   ")),
            missing: &[],
            expect: Expect {
                codes: &[Code::NaReason],
                ..MISSING
            },
        },
    ];
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn criteria_give_the_credit_and_the_status() {
    let cases = [
        Case {
            name: "2 of 4 criteria, stated partial",
            q: q().criteria(4),
            answer: Some(with_criteria(answer(Status::Partial), &["c1", "c3"])),
            missing: &[],
            expect: partial(&[Code::Partial]),
        },
        Case {
            name: "1 of 3 criteria",
            q: q().criteria(3),
            answer: Some(with_criteria(answer(Status::Partial), &["c2"])),
            missing: &[],
            expect: Expect {
                credit: Some(1.0 / 3.0),
                ..partial(&[Code::Partial])
            },
        },
        Case {
            name: "3 of 4 criteria but stated met: scored partial, with a finding",
            q: q().criteria(4),
            answer: Some(with_criteria(answer(Status::Met), &["c1", "c2", "c3"])),
            missing: &[],
            expect: Expect {
                credit: Some(0.75),
                ..partial(&[Code::Criteria, Code::Partial])
            },
        },
        Case {
            name: "all criteria but stated partial: scored met, with a finding",
            q: q().criteria(4),
            answer: Some(with_criteria(
                answer(Status::Partial),
                &["c4", "c3", "c2", "c1"],
            )),
            missing: &[],
            expect: Expect {
                codes: &[Code::Criteria],
                ..MET
            },
        },
        Case {
            name: "all criteria, stated met",
            q: q().criteria(2),
            answer: Some(with_criteria(answer(Status::Met), &["c1", "c2"])),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "no criteria listed but stated met: scored unmet",
            q: q().criteria(4),
            answer: Some(answer(Status::Met)),
            missing: &[],
            expect: unmet(&[Code::Criteria, Code::Unmet]),
        },
        Case {
            name: "no criteria met, stated unmet",
            q: q().criteria(4),
            answer: Some(with_criteria(answer(Status::Unmet), &[])),
            missing: &[],
            expect: unmet(&[Code::Unmet]),
        },
        Case {
            name: "an unknown criterion id is a finding and earns nothing",
            q: q().criteria(4),
            answer: Some(with_criteria(answer(Status::Partial), &["c1", "nope"])),
            missing: &[],
            expect: Expect {
                credit: Some(0.25),
                ..partial(&[Code::Criteria, Code::Partial])
            },
        },
        Case {
            name: "a criterion listed twice counts once",
            q: q().criteria(2),
            answer: Some(with_criteria(answer(Status::Partial), &["c1", "c1"])),
            missing: &[],
            expect: partial(&[Code::Partial]),
        },
        Case {
            name: "not-applicable ignores criteria",
            q: q().criteria(4),
            answer: Some(with_criteria(na("no such channel"), &["c1"])),
            missing: &[],
            expect: Expect {
                status: Some(Status::NotApplicable),
                credit: None,
                ..MET
            },
        },
    ];
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn evidence_rules() {
    let cases = [
        Case {
            name: "required evidence, met without any: partial",
            q: q().evidence(),
            answer: Some(answer(Status::Met)),
            missing: &[],
            expect: partial(&[Code::EvidenceRequired, Code::Partial]),
        },
        Case {
            name: "required evidence, met with a path",
            q: q().evidence(),
            answer: Some(with_evidence(answer(Status::Met), &["docs/sla.md"])),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "required evidence, met with a URL",
            q: q().evidence(),
            answer: Some(with_evidence(
                answer(Status::Met),
                &["https://status.example.com"],
            )),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "required evidence, partial without any: no extra finding",
            q: q().evidence(),
            answer: Some(answer(Status::Partial)),
            missing: &[],
            expect: partial(&[Code::Partial]),
        },
        Case {
            name: "required evidence, all criteria without evidence: capped at partial",
            q: q().evidence().criteria(2),
            answer: Some(with_criteria(answer(Status::Met), &["c1", "c2"])),
            missing: &[],
            expect: partial(&[Code::EvidenceRequired, Code::Partial]),
        },
        Case {
            name: "required evidence, 4 of 4 criteria without evidence: credit of the best partial",
            q: q().evidence().criteria(4),
            answer: Some(with_criteria(
                answer(Status::Met),
                &["c1", "c2", "c3", "c4"],
            )),
            missing: &[],
            expect: Expect {
                credit: Some(0.75),
                ..partial(&[Code::EvidenceRequired, Code::Partial])
            },
        },
        Case {
            name: "3 of 4 criteria with a missing path: not capped (not met)",
            q: q().criteria(4),
            answer: Some(with_evidence(
                with_criteria(answer(Status::Partial), &["c1", "c2", "c3"]),
                &["gone.md"],
            )),
            missing: &["gone.md"],
            expect: Expect {
                credit: Some(0.75),
                ..partial(&[Code::EvidenceMissing, Code::Partial])
            },
        },
        Case {
            name: "4 of 4 criteria with a missing path: no less than 3 of 4",
            q: q().criteria(4),
            answer: Some(with_evidence(
                with_criteria(answer(Status::Met), &["c1", "c2", "c3", "c4"]),
                &["gone.md"],
            )),
            missing: &["gone.md"],
            expect: Expect {
                credit: Some(0.75),
                ..partial(&[Code::EvidenceMissing, Code::Partial])
            },
        },
        Case {
            name: "a missing evidence path turns met into partial",
            q: q(),
            answer: Some(with_evidence(
                answer(Status::Met),
                &["docs/moved.md", "docs/here.md"],
            )),
            missing: &["docs/moved.md"],
            expect: partial(&[Code::EvidenceMissing, Code::Partial]),
        },
        Case {
            name: "every missing path is a finding",
            q: q(),
            answer: Some(with_evidence(answer(Status::Met), &["a.md", "b.md"])),
            missing: &["a.md", "b.md"],
            expect: partial(&[Code::EvidenceMissing, Code::EvidenceMissing, Code::Partial]),
        },
        Case {
            name: "a missing path on an unmet answer is a finding, credit unchanged",
            q: q(),
            answer: Some(with_evidence(answer(Status::Unmet), &["gone.md"])),
            missing: &["gone.md"],
            expect: unmet(&[Code::EvidenceMissing, Code::Unmet]),
        },
        Case {
            name: "a missing path on required evidence: partial, not lower",
            q: q().evidence(),
            answer: Some(with_evidence(answer(Status::Met), &["gone.md"])),
            missing: &["gone.md"],
            expect: partial(&[Code::EvidenceMissing, Code::Partial]),
        },
        Case {
            name: "URLs are never checked on disk",
            q: q(),
            answer: Some(with_evidence(
                answer(Status::Met),
                &["https://example.com/dash/42"],
            )),
            missing: &["https://example.com/dash/42"],
            expect: MET,
        },
    ];
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn versions_make_answers_stale_or_due_for_review() {
    let stale = Expect {
        state: State::Stale,
        codes: &[Code::Stale],
        ..MISSING
    };
    let cases = [
        Case {
            name: "MAJOR changed: stale, counts as unanswered",
            q: q().version("2.0.0"),
            answer: Some(with_version(answer(Status::Met), "1.0.0")),
            missing: &[],
            expect: stale,
        },
        Case {
            name: "answered a newer MAJOR: stale too",
            q: q().version("1.0.0"),
            answer: Some(with_version(answer(Status::Met), "2.0.0")),
            missing: &[],
            expect: Expect {
                state: State::Stale,
                codes: &[Code::Stale],
                ..MISSING
            },
        },
        Case {
            name: "MINOR changed: review finding only",
            q: q().version("1.1.0"),
            answer: Some(with_version(answer(Status::Met), "1.0.0")),
            missing: &[],
            expect: Expect {
                codes: &[Code::Review],
                ..MET
            },
        },
        Case {
            name: "PATCH changed: nothing",
            q: q().version("1.0.3"),
            answer: Some(with_version(answer(Status::Met), "1.0.0")),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "no version recorded: taken as current",
            q: q().version("3.0.0"),
            answer: Some(answer(Status::Met)),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "stale critical question is a blocker",
            q: q().critical().version("2.0.0"),
            answer: Some(with_version(answer(Status::Met), "1.2.0")),
            missing: &[],
            expect: Expect {
                state: State::Stale,
                blocker: true,
                codes: &[Code::Stale, Code::Blocker],
                ..MISSING
            },
        },
    ];
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn critical_questions_block_unless_met_or_waived() {
    let cases = [
        Case {
            name: "critical met",
            q: q().critical(),
            answer: Some(answer(Status::Met)),
            missing: &[],
            expect: MET,
        },
        Case {
            name: "critical unmet blocks",
            q: q().critical(),
            answer: Some(answer(Status::Unmet)),
            missing: &[],
            expect: Expect {
                blocker: true,
                ..unmet(&[Code::Unmet, Code::Blocker])
            },
        },
        Case {
            name: "critical partial blocks",
            q: q().critical(),
            answer: Some(answer(Status::Partial)),
            missing: &[],
            expect: Expect {
                blocker: true,
                ..partial(&[Code::Partial, Code::Blocker])
            },
        },
        Case {
            name: "critical unanswered blocks",
            q: q().critical(),
            answer: None,
            missing: &[],
            expect: Expect {
                blocker: true,
                codes: &[Code::Missing, Code::Blocker],
                ..MISSING
            },
        },
        Case {
            name: "critical not-applicable without approval blocks",
            q: q().critical(),
            answer: Some(na("we do not sell in the EU")),
            missing: &[],
            expect: Expect {
                status: Some(Status::NotApplicable),
                credit: Some(0.0),
                blocker: true,
                codes: &[Code::Blocker],
                ..MET
            },
        },
        Case {
            name: "critical not-applicable with an approved waiver does not block",
            q: q().critical(),
            answer: Some(with_waiver(na("we do not sell in the EU"), "2027-01-31")),
            missing: &[],
            expect: Expect {
                status: Some(Status::NotApplicable),
                credit: None,
                ..MET
            },
        },
        Case {
            name: "critical met without required evidence blocks (scored partial)",
            q: q().critical().evidence(),
            answer: Some(answer(Status::Met)),
            missing: &[],
            expect: Expect {
                blocker: true,
                ..partial(&[Code::EvidenceRequired, Code::Partial, Code::Blocker])
            },
        },
        Case {
            name: "an active waiver lifts the blocker",
            q: q().critical(),
            answer: Some(with_waiver(answer(Status::Unmet), "2027-01-31")),
            missing: &[],
            expect: Expect {
                waived: true,
                ..unmet(&[Code::Unmet])
            },
        },
        Case {
            name: "a waiver on an unanswered critical question lifts the blocker",
            q: q().critical(),
            answer: Some(with_waiver(Answer::default(), "2027-01-31")),
            missing: &[],
            expect: Expect {
                waived: true,
                ..MISSING
            },
        },
        Case {
            name: "a waiver expiring today still holds (and warns)",
            q: q().critical(),
            answer: Some(with_waiver(answer(Status::Unmet), TODAY)),
            missing: &[],
            expect: Expect {
                waived: true,
                ..unmet(&[Code::Unmet, Code::WaiverExpiring])
            },
        },
        Case {
            name: "an expired waiver no longer waives",
            q: q().critical(),
            answer: Some(with_waiver(answer(Status::Unmet), "2026-11-22")),
            missing: &[],
            expect: Expect {
                blocker: true,
                expired: true,
                ..unmet(&[Code::Unmet, Code::ExpiredWaiver, Code::Blocker])
            },
        },
        Case {
            name: "a waiver expiring within warn_days (14) warns",
            q: q().critical(),
            answer: Some(with_waiver(answer(Status::Partial), "2026-12-07")),
            missing: &[],
            expect: Expect {
                waived: true,
                ..partial(&[Code::Partial, Code::WaiverExpiring])
            },
        },
        Case {
            name: "a waiver expiring after warn_days does not warn",
            q: q().critical(),
            answer: Some(with_waiver(answer(Status::Partial), "2026-12-08")),
            missing: &[],
            expect: Expect {
                waived: true,
                ..partial(&[Code::Partial])
            },
        },
        Case {
            name: "a waiver on a non-critical unmet question is counted as waived",
            q: q(),
            answer: Some(with_waiver(answer(Status::Unmet), "2027-01-31")),
            missing: &[],
            expect: Expect {
                waived: true,
                ..unmet(&[Code::Unmet])
            },
        },
        Case {
            name: "a waiver on a met question waives nothing",
            q: q().critical(),
            answer: Some(with_waiver(answer(Status::Met), "2027-01-31")),
            missing: &[],
            expect: MET,
        },
    ];
    for case in &cases {
        check_case(case);
    }
}

#[test]
fn warn_days_comes_from_the_gate() {
    let set = set_of(vec![playbook("pb", None, &[q().critical()])]);
    let file = answers(vec![(
        "pb/q1",
        with_waiver(answer(Status::Unmet), "2027-01-31"),
    )]);
    let quiet = run_with(&set, &file, &Gate::default(), &[]);
    assert_eq!(quiet.summary.expiring_waivers, 0);
    let gate = Gate {
        warn_days: 90,
        ..Gate::default()
    };
    let loud = run_with(&set, &file, &gate, &[]);
    assert_eq!(loud.summary.expiring_waivers, 1);
    assert_eq!(loud.summary.blockers, 0);
    assert_eq!(loud.summary.waived, 1);
}

// --- groups, weights, levels --------------------------------------------------------

#[test]
fn weights_set_each_question_share() {
    /// Each question's weight and answer.
    type Rows = Vec<(f64, Option<Answer>)>;
    // (weights and answers, expected playbook score)
    let table: Vec<(Rows, f64)> = vec![
        (vec![(3.0, Some(answer(Status::Met))), (1.0, None)], 75.0),
        (
            vec![
                (1.0, Some(answer(Status::Met))),
                (3.0, Some(answer(Status::Unmet))),
            ],
            25.0,
        ),
        (
            vec![
                (2.0, Some(answer(Status::Partial))),
                (2.0, Some(na("no phone line"))),
                (1.0, Some(answer(Status::Met))),
            ],
            66.7,
        ),
        (
            vec![
                (0.5, Some(answer(Status::Met))),
                (1.5, Some(answer(Status::Partial))),
            ],
            62.5,
        ),
        // Nothing applicable: nothing to fall short of.
        (vec![(1.0, Some(na("not offered")))], 100.0),
        (vec![(1.0, None), (1.0, None)], 0.0),
    ];
    for (rows, expected) in table {
        let qs: Vec<Q> = rows.iter().map(|(w, _)| q().weight(*w)).collect();
        let set = set_of(vec![playbook("pb", None, &qs)]);
        let file = answers(
            rows.iter()
                .enumerate()
                .filter_map(|(i, (_, a))| a.clone().map(|a| (format!("pb/q{}", i + 1), a)))
                .collect(),
        );
        let scores = run(&set, &file);
        assert_eq!(scores.playbooks[0].score, expected, "{rows:?}");
        assert_eq!(scores.summary.score, expected, "{rows:?}");
    }
}

#[test]
fn sections_and_overall_weight_each_question_not_each_playbook() {
    // Section s1: `a` (1 question, met) and `b` (3 questions, unmet).
    // Section s2: `c` (1 question, met).
    let set = set_of(vec![
        playbook("a", Some("s1"), &[q()]),
        playbook("b", Some("s1"), &[q(), q(), q()]),
        playbook("c", Some("s2"), &[q()]),
    ]);
    let file = answers(vec![
        ("a/q1", answer(Status::Met)),
        ("b/q1", answer(Status::Unmet)),
        ("b/q2", answer(Status::Unmet)),
        ("b/q3", answer(Status::Unmet)),
        ("c/q1", answer(Status::Met)),
    ]);
    let s = run(&set, &file);
    let pb: Vec<f64> = s.playbooks.iter().map(|p| p.score).collect();
    assert_eq!(pb, [100.0, 0.0, 100.0]);
    assert_eq!(s.sections.len(), 2);
    assert_eq!(s.sections[0].id, "s1");
    // 1 of 4 questions, not (100 + 0) / 2.
    assert_eq!(s.sections[0].score, 25.0);
    assert_eq!(s.sections[0].questions, 4);
    assert_eq!(s.sections[0].answered, 4);
    assert_eq!(s.sections[1].id, "s2");
    assert_eq!(s.sections[1].score, 100.0);
    // 2 of 5, not the mean of playbooks (66.7) nor of sections (62.5).
    assert_eq!(s.summary.score, 40.0);
}

#[test]
fn weights_carry_into_sections_and_overall() {
    let set = set_of(vec![
        playbook("a", Some("s1"), &[q().weight(3.0)]),
        playbook("b", Some("s1"), &[q(), q().weight(2.0)]),
        playbook("c", None, &[q().weight(4.0)]),
    ]);
    let file = answers(vec![
        ("a/q1", answer(Status::Met)),
        ("b/q1", answer(Status::Partial)),
        ("b/q2", na("not sold there")),
        ("c/q1", answer(Status::Unmet)),
    ]);
    let s = run(&set, &file);
    // s1: (3×1 + 1×0.5) / (3 + 1) = 87.5; b's n/a (weight 2) is left out.
    assert_eq!(s.sections.len(), 1, "a playbook without a section has none");
    assert_eq!(s.sections[0].score, 87.5);
    assert_eq!(s.sections[0].tally.possible, 4.0);
    // overall: 3.5 / 8
    assert_eq!(s.summary.score, 43.8);
}

#[test]
fn level_is_blocked_ready_or_not_ready() {
    let gate80 = Gate::default();
    let qs = [q(), q(), q(), q(), q().critical()];
    let set = set_of(vec![playbook("pb", None, &qs)]);
    let all_met = || -> Vec<(&str, Answer)> {
        ["pb/q1", "pb/q2", "pb/q3", "pb/q4", "pb/q5"]
            .into_iter()
            .map(|id| (id, answer(Status::Met)))
            .collect()
    };
    let replace = |id: &'static str, a: Option<Answer>| {
        let mut v: Vec<(&str, Answer)> = all_met().into_iter().filter(|(i, _)| *i != id).collect();
        if let Some(a) = a {
            v.push((id, a));
        }
        answers(v)
    };
    let table: Vec<(&str, AnswersFile, Gate, Level)> = vec![
        ("all met", answers(all_met()), gate80.clone(), Level::Ready),
        (
            "one partial, 90 ≥ 80",
            replace("pb/q1", Some(answer(Status::Partial))),
            gate80.clone(),
            Level::Ready,
        ),
        (
            "one unmet, 80 = 80",
            replace("pb/q1", Some(answer(Status::Unmet))),
            gate80.clone(),
            Level::Ready,
        ),
        (
            "one unmet, 80 < 85",
            replace("pb/q1", Some(answer(Status::Unmet))),
            Gate {
                min_score: 85.0,
                ..Gate::default()
            },
            Level::NotReady,
        ),
        (
            "one missing although 80 ≥ 80",
            replace("pb/q1", None),
            gate80.clone(),
            Level::NotReady,
        ),
        (
            "one stale although score is 80",
            replace("pb/q1", Some(with_version(answer(Status::Met), "0.9.0"))),
            gate80.clone(),
            Level::NotReady,
        ),
        (
            "critical unmet, score 80: blocked",
            replace("pb/q5", Some(answer(Status::Unmet))),
            gate80.clone(),
            Level::Blocked,
        ),
        (
            "critical unmet, low bar: still blocked",
            replace("pb/q5", Some(answer(Status::Unmet))),
            Gate {
                min_score: 0.0,
                ..Gate::default()
            },
            Level::Blocked,
        ),
        (
            "critical unmet but waived: ready",
            replace(
                "pb/q5",
                Some(with_waiver(answer(Status::Unmet), "2027-01-31")),
            ),
            gate80.clone(),
            Level::Ready,
        ),
        (
            "critical unmet, waiver expired: blocked",
            replace(
                "pb/q5",
                Some(with_waiver(answer(Status::Unmet), "2026-01-31")),
            ),
            gate80.clone(),
            Level::Blocked,
        ),
        (
            "critical not applicable without approval: blocked",
            replace("pb/q5", Some(na("no such market"))),
            gate80.clone(),
            Level::Blocked,
        ),
        (
            "critical not applicable with an approved waiver: ready",
            replace(
                "pb/q5",
                Some(with_waiver(na("no such market"), "2027-01-31")),
            ),
            gate80,
            Level::Ready,
        ),
    ];
    for (name, file, gate, level) in table {
        let s = run_with(&set, &file, &gate, &[]);
        assert_eq!(s.summary.level, level, "{name}: {:?}", s.summary);
        assert_eq!(s.summary.min_score, gate.min_score, "{name}");
    }
}

#[test]
fn orphaned_answers_are_reported_and_do_not_score() {
    let set = set_of(vec![playbook("pb", None, &[q()])]);
    let mut file = answers(vec![
        ("pb/q1", answer(Status::Met)),
        ("pb/q9", answer(Status::Unmet)),
        ("gone/q1", answer(Status::Met)),
    ]);
    file.answers.get_mut("gone/q1").unwrap().line = 12;
    let s = run(&set, &file);
    assert_eq!(s.summary.orphaned, 2);
    assert_eq!(s.summary.questions, 1);
    assert_eq!(s.summary.score, 100.0);
    assert_eq!(s.summary.unmet, 0);
    let ids: Vec<&str> = s.orphaned.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["gone/q1", "pb/q9"]);
    let (_, f) = &s.orphaned[0];
    assert_eq!(f.code, Code::Orphaned);
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.location.path, "readiness/answers.yaml");
    assert_eq!(f.location.line, Some(12));
    assert!(f.message.contains("gone/q1"), "{f}");
    assert_eq!(failed(&s, &[FailOn::Orphaned]), [FailOn::Orphaned]);
    assert!(failed(&s, &FailOn::DEFAULT).is_empty());
}

#[test]
fn summary_counts_every_kind_of_answer() {
    let set = set_of(vec![
        playbook(
            "a",
            Some("s"),
            &[q(), q(), q(), q(), q().critical(), q().version("2.0.0")],
        ),
        playbook("b", Some("s"), &[q(), q().critical(), q(), q()]),
    ]);
    let file = answers(vec![
        ("a/q1", answer(Status::Met)),
        ("a/q2", answer(Status::Partial)),
        ("a/q3", answer(Status::Unmet)),
        ("a/q4", na("no phone line")),
        ("a/q5", with_waiver(answer(Status::Unmet), "2026-12-01")),
        ("a/q6", with_version(answer(Status::Met), "1.0.0")),
        (
            "b/q1",
            with_evidence(answer(Status::Met), &["docs/gone.md"]),
        ),
        ("b/q2", with_waiver(answer(Status::Partial), "2026-10-01")),
        ("b/q3", answer(Status::NotApplicable)),
        ("old/q1", answer(Status::Met)),
    ]);
    let s = run_with(&set, &file, &Gate::default(), &["docs/gone.md"]).summary;
    assert_eq!(s.questions, 10);
    assert_eq!(s.answered, 7, "{s:?}");
    assert_eq!(s.missing, 2, "b/q3 (n/a without note) and b/q4");
    assert_eq!(s.stale, 1);
    assert_eq!(s.answered + s.missing + s.stale, s.questions);
    assert_eq!(s.met, 1);
    assert_eq!(s.partial, 3, "a/q2, b/q1 (evidence missing), b/q2");
    assert_eq!(s.unmet, 2);
    assert_eq!(s.not_applicable, 1);
    assert_eq!(s.blockers, 1, "b/q2, its waiver expired");
    assert_eq!(s.waived, 1);
    assert_eq!(s.expired_waivers, 1);
    assert_eq!(s.expiring_waivers, 1);
    assert_eq!(s.evidence_missing, 1);
    assert_eq!(s.orphaned, 1);
    assert_eq!(s.level, Level::Blocked);
    // (1 + 0.5 + 0 + 0 + 0 [stale] + 0.5 + 0.5 + 0 + 0) / 9 applicable
    assert_eq!(s.score, round1(100.0 * 2.5 / 9.0));
}

#[test]
fn the_gate_fails_on_exactly_the_listed_categories() {
    let mut set = set_of(vec![playbook(
        "pb",
        None,
        &[q(), q().critical(), q().version("2.0.0"), q(), q()],
    )]);
    // One level, which pb/q1 (unmet) keeps out of reach of the target.
    set.levels = vec!["beta".into()];
    let gate = Gate {
        level: Some("beta".into()),
        ..Gate::default()
    };
    let mut overdue = answer(Status::Unmet);
    overdue.action = Some(Box::new(crate::answers::Action {
        what: "staff the queue".into(),
        who: None,
        due: Some(date("2026-01-01")),
        extra: BTreeMap::new(),
    }));
    let file = answers(vec![
        ("pb/q1", overdue),
        ("pb/q2", with_waiver(answer(Status::Unmet), "2026-01-01")),
        ("pb/q3", with_version(answer(Status::Met), "1.0.0")),
        ("pb/q4", with_evidence(answer(Status::Met), &["nope.md"])),
        ("x/q1", answer(Status::Met)),
    ]);
    let s = run_with(&set, &file, &gate, &["nope.md"]);
    assert!(s.summary.below_target);
    // Sign-offs are judged when the report is built, not by scoring.
    let scored: Vec<FailOn> = FailOn::ALL
        .iter()
        .copied()
        .filter(|c| {
            !matches!(
                c,
                FailOn::Signoff | FailOn::BelowCoverage | FailOn::ProbeFailed
            )
        })
        .collect();
    assert_eq!(failed(&s, FailOn::ALL), scored);
    assert_eq!(s.summary.overdue, 1);
    assert_eq!(failed(&s, &[]), []);
    assert_eq!(
        failed(&s, &[FailOn::Unmet, FailOn::Blocker, FailOn::Unmet]),
        [FailOn::Blocker, FailOn::Unmet],
        "sorted and without repeats"
    );
    let clean = run(
        &set_of(vec![playbook("pb", None, &[q()])]),
        &answers(vec![("pb/q1", answer(Status::Met))]),
    );
    assert!(failed(&clean, FailOn::ALL).is_empty());
}

#[test]
fn an_empty_set_scores_zero_and_is_not_ready() {
    let s = run(&Set::default(), &AnswersFile::default());
    assert_eq!(s.summary.score, 0.0);
    assert_eq!(s.summary.questions, 0);
    assert_eq!(s.summary.level, Level::NotReady);
    assert_eq!(Tally::default().score(), 100.0);
}

#[test]
fn results_come_in_the_set_order() {
    let set = set_of(vec![
        playbook("zeta", None, &[q(), q()]),
        playbook("alpha", None, &[q()]),
    ]);
    let s = run(&set, &AnswersFile::default());
    let ids: Vec<&str> = s.questions.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, ["zeta/q1", "zeta/q2", "alpha/q1"]);
    let pbs: Vec<&str> = s.playbooks.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(pbs, ["zeta", "alpha"]);
    assert_eq!(s.question("alpha/q1").unwrap().id, "alpha/q1");
    assert!(s.question("alpha/q2").is_none());
}

// --- round trip of the answers file -----------------------------------------------

#[test]
fn answers_round_trip_byte_for_byte_and_keep_unknown_keys() {
    let text = "\
# supportcheck answers: edit by hand or with `supportcheck audit`.
format: 1
product: Acme Helpdesk
team: Support EMEA
answers:
  help-desk/q1:
    status: met
    note: Every channel lands in Zendesk; the ref goes out in the first reply.
    evidence: [docs/support/channels.md, \"https://example.com/dash/42\"]
    question_version: 1.0.0
    answered_by: Dana Lee
    answered_at: 2026-11-20T10:03:00Z
    owner: Sam
  help-desk/q3:
    status: partial
    note: |-
      Priorities defined.
      Categories: 34, too many.
    criteria_met: [priority-levels, required-fields]
    question_version: 1.0.0
    review_by: next quarter
  escalation/q1:
    status: unmet
    waiver:
      reason: Vendor contract signed, SLA lands in January
      expires: 2027-01-31
      approved_by: Head of Support
      ticket: OPS-118
  retired/q7:
    status: not-applicable
    note: Phone support dropped in 2025
";
    let (file, findings) = crate::answers::parse(text, "answers.yaml");
    let errors: Vec<_> = findings.iter().filter(|f| f.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let unknown = findings
        .iter()
        .filter(|f| f.code == Code::UnknownKey)
        .count();
    assert_eq!(unknown, 3, "team, owner, review_by: {findings:?}");
    let order: Vec<String> = ["help-desk/q1", "help-desk/q3", "escalation/q1"]
        .map(String::from)
        .to_vec();
    let once = crate::answers::to_yaml(&file, &order);
    assert_eq!(once, text, "canonical text is written back unchanged");
    let (again, _) = crate::answers::parse(&once, "answers.yaml");
    assert_eq!(crate::answers::to_yaml(&again, &order), once);
    assert_eq!(again.answers.len(), 4);
    assert!(again.extra.contains_key("team"));
    assert!(again.answers["help-desk/q1"].extra.contains_key("owner"));
    let w = again.answers["escalation/q1"].waiver.as_ref().unwrap();
    assert!(w.extra.contains_key("ticket"));
}

#[test]
fn hand_written_answers_become_canonical_and_then_stay_put() {
    let text = "answers:\n  b/q1: {status: yes}\n  a/q1:\n     Status:   n/a\n     note: 'no phone'   # reason\n  a/q2:\n    status: No\n";
    let (file, findings) = crate::answers::parse(text, "answers.yaml");
    assert!(findings.iter().all(|f| !f.is_error()), "{findings:?}");
    let order: Vec<String> = ["a/q1", "a/q2", "b/q1"].map(String::from).to_vec();
    let once = crate::answers::to_yaml(&file, &order);
    assert!(once.contains("status: not-applicable"), "{once}");
    assert!(once.contains("status: unmet"), "{once}");
    assert!(once.contains("status: met"), "{once}");
    assert!(once.find("a/q1:").unwrap() < once.find("b/q1:").unwrap());
    let (back, _) = crate::answers::parse(&once, "answers.yaml");
    assert_eq!(crate::answers::to_yaml(&back, &order), once);
}

// --- properties --------------------------------------------------------------------

/// A random question specification.
fn arb_q() -> impl Strategy<Value = Q> {
    (
        prop::sample::select(vec![0.5, 1.0, 2.0, 3.0]),
        any::<bool>(),
        prop::sample::select(vec![0usize, 0, 2, 3, 4]),
        any::<bool>(),
        prop::sample::select(vec!["1.0.0", "1.2.0", "2.0.0"]),
    )
        .prop_map(|(weight, critical, criteria, evidence, version)| Q {
            weight,
            critical,
            criteria,
            evidence,
            version,
        })
}

/// A random answer (or none) for a question with up to 4 criteria.
fn arb_answer() -> impl Strategy<Value = Option<Answer>> {
    let status = prop::option::weighted(0.9, prop::sample::select(Status::ALL.to_vec()));
    let answer = (
        status,
        any::<bool>(),
        prop::sample::select(vec![0usize, 1, 2]),
        prop::collection::vec(any::<bool>(), 4),
        prop::option::of(prop::sample::select(vec!["1.0.0", "1.1.0", "2.0.0"])),
        prop::option::of(-30i64..60),
    )
        .prop_map(
            |(status, note, evidence, criteria, version, waiver)| Answer {
                status,
                note: note.then(|| "reason given".to_string()),
                evidence: ["docs/ok.md", "docs/gone.md"][..evidence]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                criteria_met: Some(
                    criteria
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| **m)
                        .map(|(i, _)| format!("c{}", i + 1))
                        .collect(),
                ),
                question_version: version.map(|v| semver::Version::parse(v).unwrap()),
                waiver: waiver.map(|days| {
                    Box::new(Waiver {
                        reason: "accepted".into(),
                        expires: date(TODAY) + chrono::Duration::days(days),
                        approved_by: None,
                        extra: BTreeMap::new(),
                    })
                }),
                ..Answer::default()
            },
        );
    prop::option::weighted(0.8, answer)
}

/// A set of 1-3 playbooks (in up to 2 sections) and answers for it.
fn arb_case() -> impl Strategy<Value = (Set, AnswersFile)> {
    prop::collection::vec(
        (
            prop::collection::vec((arb_q(), arb_answer()), 1..6),
            any::<bool>(),
        ),
        1..4,
    )
    .prop_map(|pbs| {
        let mut playbooks = Vec::new();
        let mut file = AnswersFile::default();
        for (i, (items, second_section)) in pbs.into_iter().enumerate() {
            let id = format!("p{i}");
            let qs: Vec<Q> = items.iter().map(|(q, _)| q.clone()).collect();
            let section = if second_section { "s2" } else { "s1" };
            playbooks.push(playbook(&id, Some(section), &qs));
            for (n, (_, a)) in items.into_iter().enumerate() {
                if let Some(a) = a {
                    file.answers.insert(format!("{id}/q{}", n + 1), a);
                }
            }
        }
        (set_of(playbooks), file)
    })
}

fn score_case(set: &Set, file: &AnswersFile) -> Scores {
    run_with(set, file, &Gate::default(), &["docs/gone.md"])
}

/// One step up: unmet → partial → met, or one more criterion met.
fn improve(q: &Question, a: &Answer) -> Option<Answer> {
    let mut b = a.clone();
    if !q.criteria.is_empty() {
        let listed = b.criteria_met.get_or_insert_with(Vec::new);
        let next = q.criteria.iter().find(|c| !listed.contains(&c.id))?;
        listed.push(next.id.clone());
        return Some(b);
    }
    b.status = Some(match a.status? {
        Status::Unmet => Status::Partial,
        Status::Partial => Status::Met,
        _ => return None,
    });
    Some(b)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scores_stay_between_0_and_100((set, file) in arb_case()) {
        let s = score_case(&set, &file);
        let all = s
            .playbooks
            .iter()
            .chain(&s.sections)
            .map(|g| g.score)
            .chain([s.summary.score]);
        for score in all {
            prop_assert!((0.0..=100.0).contains(&score), "{score}");
        }
        for q in &s.questions {
            if let Some(c) = q.credit {
                prop_assert!((0.0..=1.0).contains(&c), "{}: {c}", q.id);
            }
        }
    }

    #[test]
    fn summary_counts_add_up((set, file) in arb_case()) {
        let s = score_case(&set, &file);
        let m = &s.summary;
        prop_assert_eq!(m.questions, set.question_count());
        prop_assert_eq!(m.answered + m.missing + m.stale, m.questions);
        prop_assert_eq!(m.met + m.partial + m.unmet + m.not_applicable, m.answered);
        prop_assert_eq!(m.blockers, s.questions.iter().filter(|q| q.blocker).count());
        prop_assert_eq!(
            s.playbooks.iter().map(|p| p.questions).sum::<usize>(),
            m.questions
        );
        prop_assert_eq!(
            s.sections.iter().map(|p| p.answered).sum::<usize>(),
            m.answered
        );
        prop_assert!(m.blockers == 0 || m.level == Level::Blocked);
        prop_assert!(m.level != Level::Ready || (m.missing == 0 && m.stale == 0));
        for q in &s.questions {
            prop_assert!(!(q.blocker && q.waived), "{}", q.id);
            prop_assert!(!q.blocker || q.critical, "{}", q.id);
        }
    }

    #[test]
    fn improving_one_answer_never_lowers_a_score(
        (set, file) in arb_case(),
        pick in any::<prop::sample::Index>(),
    ) {
        let all: Vec<&Question> = set.questions().map(|(_, q)| q).collect();
        let q = all[pick.index(all.len())];
        let Some(better) = file.get(&q.id).and_then(|a| improve(q, a)) else {
            return Ok(());
        };
        let mut improved = file.clone();
        improved.answers.insert(q.id.clone(), better);
        let before = score_case(&set, &file);
        let after = score_case(&set, &improved);
        prop_assert!(after.summary.score >= before.summary.score,
            "{}: overall {} -> {}", q.id, before.summary.score, after.summary.score);
        for (b, a) in before.playbooks.iter().zip(&after.playbooks) {
            prop_assert!(a.score >= b.score, "{}: {} -> {}", b.id, b.score, a.score);
        }
        for (b, a) in before.sections.iter().zip(&after.sections) {
            prop_assert!(a.score >= b.score, "{}: {} -> {}", b.id, b.score, a.score);
        }
        prop_assert!(after.summary.blockers <= before.summary.blockers);
        prop_assert!(after.summary.level >= before.summary.level);
    }

    #[test]
    fn a_reasoned_not_applicable_leaves_other_questions_alone(
        (set, file) in arb_case(),
        pick in any::<prop::sample::Index>(),
    ) {
        let ids: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
        let target = &ids[pick.index(ids.len())];
        let mut with_na = file.clone();
        with_na.answers.insert(target.clone(), na("we do not offer this"));
        let before = score_case(&set, &file);
        let after = score_case(&set, &with_na);
        // A critical one needs approval (its own rule, tested above).
        prop_assume!(!set.questions().any(|(_, q)| &q.id == target && q.critical));
        for (b, a) in before.questions.iter().zip(&after.questions) {
            if &b.id == target {
                prop_assert_eq!(a.credit, None);
                prop_assert_eq!(a.status, Some(Status::NotApplicable));
                prop_assert!(!a.blocker);
                continue;
            }
            prop_assert_eq!(b.credit, a.credit, "{}", b.id);
            prop_assert_eq!(b.status, a.status, "{}", b.id);
            prop_assert_eq!(b.blocker, a.blocker, "{}", b.id);
        }
    }

    #[test]
    fn a_false_condition_scores_as_if_the_question_were_not_there(
        (set, file) in arb_case(),
        pick in any::<prop::sample::Index>(),
    ) {
        let ids: Vec<String> = set.questions().map(|(_, q)| q.id.clone()).collect();
        let target = ids[pick.index(ids.len())].clone();
        let never = crate::playbook::facts::Condition::compile("false", 1, 1).unwrap();
        let mut skipped = set.clone();
        let mut removed = set.clone();
        for (s, r) in skipped.playbooks.iter_mut().zip(removed.playbooks.iter_mut()) {
            for q in s.questions.iter_mut().filter(|q| q.id == target) {
                q.applies_if = Some(never.clone());
            }
            r.questions.retain(|q| q.id != target);
        }
        // An empty set scores 0, a set whose questions are all skipped 100
        // (as when all are not applicable): that one case differs.
        prop_assume!(removed.question_count() > 0);
        let a = score_case(&skipped, &file);
        let b = score_case(&removed, &file);
        prop_assert_eq!(a.summary.score, b.summary.score);
        prop_assert_eq!(a.summary.level, b.summary.level);
        prop_assert_eq!(a.summary.questions, b.summary.questions);
        prop_assert_eq!(a.summary.answered, b.summary.answered);
        prop_assert_eq!(a.summary.missing, b.summary.missing);
        prop_assert_eq!(a.summary.blockers, b.summary.blockers);
        prop_assert_eq!(a.summary.skipped, 1);
        let scores = |s: &Scores| s.playbooks.iter().chain(&s.sections).map(|g| g.score).collect::<Vec<_>>();
        prop_assert_eq!(scores(&a), scores(&b));
        let q = a.question(&target).unwrap();
        prop_assert_eq!(q.state, State::Skipped);
        prop_assert_eq!(q.credit, None);
        prop_assert!(!q.blocker);
    }

    #[test]
    fn scoring_is_deterministic((set, file) in arb_case()) {
        let a = score_case(&set, &file);
        let b = score_case(&set, &file);
        prop_assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }
}

/// Text a person might put in a note, a name or an unknown key.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9 ,.:;#'\"-]{1,30}",
        "[ -~]{1,20}",
        "[ -~\n\t]{1,40}",
        "\\PC{1,20}",
        prop::sample::select(vec![
            "yes".to_string(),
            "null".into(),
            "87".into(),
            "1.0".into(),
            "2027-01-31".into(),
            "- item".into(),
            "key: value".into(),
            "~".into(),
            "*star".into(),
            "&anchor".into(),
            "!tag".into(),
            "%pct".into(),
            "[list]".into(),
            "{map}".into(),
            "line\n".into(),
            "a\n\nb\n\n".into(),
        ]),
    ]
}

fn arb_answers_file() -> impl Strategy<Value = AnswersFile> {
    let answer = (
        prop::option::of(prop::sample::select(Status::ALL.to_vec())),
        prop::option::of(arb_text()),
        prop::collection::vec(arb_text(), 0..3),
        prop::option::of(prop::collection::vec("[a-z][a-z0-9-]{0,8}", 0..3)),
        prop::option::of(arb_text()),
        prop::option::of((arb_text(), 0i64..400, prop::option::of(arb_text()))),
        prop::collection::btree_map("x_[a-z]{1,6}", arb_text(), 0..2),
    )
        .prop_map(
            |(status, note, evidence, criteria_met, by, waiver, extra)| Answer {
                action: matches!(status, Some(Status::Partial | Status::Unmet)).then(|| {
                    Box::new(crate::answers::Action {
                        what: "Write the runbook: \"step 1\" # then 2".into(),
                        who: Some("Dana Lee".into()),
                        due: Some(date(TODAY)),
                        extra: BTreeMap::new(),
                    })
                }),
                status,
                note: note.filter(|n| !n.trim().is_empty()),
                evidence: evidence
                    .into_iter()
                    .map(|e| e.trim().to_string())
                    .filter(|e| !e.is_empty())
                    .collect(),
                criteria_met,
                question_version: Some(semver::Version::new(1, 0, 0)),
                answered_by: by.filter(|n| !n.trim().is_empty()),
                answered_at: Some(
                    chrono::DateTime::parse_from_rfc3339("2026-11-20T10:03:00Z").unwrap(),
                ),
                waiver: waiver.and_then(|(reason, days, approved_by)| {
                    (!reason.trim().is_empty()).then(|| {
                        Box::new(Waiver {
                            reason,
                            expires: date(TODAY) + chrono::Duration::days(days),
                            approved_by: approved_by.filter(|n| !n.trim().is_empty()),
                            extra: BTreeMap::new(),
                        })
                    })
                }),
                extra: extra
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect(),
                line: 0,
            },
        );
    (
        prop::option::of(arb_text()),
        prop::collection::btree_map("[a-z]{1,4}/q[0-9]{1,2}", answer, 0..5),
    )
        .prop_map(|(product, answers)| AnswersFile {
            product: product.filter(|p| !p.trim().is_empty()),
            answers,
            ..AnswersFile::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn answers_files_round_trip(file in arb_answers_file()) {
        let order: Vec<String> = file.answers.keys().rev().cloned().collect();
        let once = crate::answers::to_yaml(&file, &order);
        let (back, findings) = crate::answers::parse(&once, "answers.yaml");
        let errors: Vec<_> = findings.iter().filter(|f| f.is_error()).collect();
        prop_assert!(errors.is_empty(), "{:?}\n{}", errors, once);
        prop_assert_eq!(&back.clone().without_lines(), &file, "{}", once);
        prop_assert_eq!(crate::answers::to_yaml(&back, &order), once);
    }
}

#[test]
fn an_answer_is_valid_through_its_last_day_and_expired_after() {
    let set = set_of(vec![playbook("p", None, &[q()])]);
    let answered = |at: &str| {
        answers(vec![(
            "p/q1",
            Answer {
                answered_at: Some(chrono::DateTime::parse_from_rfc3339(at).unwrap()),
                ..answer(Status::Met)
            },
        )])
    };
    let gate = Gate {
        max_age: Some(crate::duration::Duration::parse("30d").unwrap()),
        warn_days: 0,
        ..Gate::default()
    };
    let none = BTreeSet::new();
    let at = |today: &str, file: &AnswersFile| {
        let s = score(
            &set,
            file,
            &Context {
                today: date(today),
                now: date(today).and_hms_opt(12, 0, 0).unwrap().and_utc(),
                gate: &gate,
                owners: &Default::default(),
                missing_evidence: &none,
                answers_path: "a.yaml",
                facts: &Default::default(),
                probes: &crate::probe::NO_RESULTS,
            },
        );
        (
            s.questions[0].state,
            s.summary.score,
            codes(&s.questions[0]),
        )
    };
    let file = answered("2026-11-01T23:30:00+00:00");
    // Valid through 2026-12-01; on that day it expires in 0 days (a warning with warn_days 0).
    assert_eq!(at("2026-11-30", &file), (State::Answered, 100.0, vec![]));
    assert_eq!(
        at("2026-12-01", &file),
        (State::Answered, 100.0, vec![Code::AnswerExpiring])
    );
    assert_eq!(
        at("2026-12-02", &file),
        (State::Stale, 0.0, vec![Code::Expired])
    );
    // No answered_at: its age is unknown, so it is expired under a max_age.
    let undated = answers(vec![("p/q1", answer(Status::Met))]);
    assert_eq!(at("2026-11-30", &undated).0, State::Stale);
}

// --- extreme numbers -----------------------------------------------------------------

/// Playbooks of many questions with weights from the smallest to the
/// largest the parser accepts, and a random status for each.
fn arb_extreme_case() -> impl Strategy<Value = (Set, AnswersFile, f64)> {
    (
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    1e-300,
                    1e-9,
                    0.001,
                    1.0,
                    999.9,
                    crate::playbook::parse::MAX_WEIGHT,
                ]),
                1usize..400,
                prop::collection::vec(
                    prop::option::of(prop::sample::select(Status::ALL.to_vec())),
                    8,
                ),
            ),
            1..4,
        ),
        prop::sample::select(vec![0.0, 0.1, 50.0, 99.9, 100.0]),
    )
        .prop_map(|(pbs, min_score)| {
            let mut playbooks = Vec::new();
            let mut file = AnswersFile::default();
            for (i, (weight, count, statuses)) in pbs.into_iter().enumerate() {
                let id = format!("p{i}");
                let qs = vec![q().weight(weight); count];
                playbooks.push(playbook(&id, None, &qs));
                for n in 0..count {
                    if let Some(status) = statuses[n % statuses.len()] {
                        let a = if status == Status::NotApplicable {
                            na("not ours")
                        } else {
                            answer(status)
                        };
                        file.answers.insert(format!("{id}/q{}", n + 1), a);
                    }
                }
            }
            (set_of(playbooks), file, min_score)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn extreme_weights_and_counts_keep_scores_finite_and_the_gate_honest(
        (set, file, min_score) in arb_extreme_case()
    ) {
        let gate = Gate { min_score, fail_on: vec![FailOn::BelowScore], ..Gate::default() };
        let s = run_with(&set, &file, &gate, &[]);
        for score in s.playbooks.iter().map(|g| g.score).chain([s.summary.score]) {
            prop_assert!(score.is_finite() && (0.0..=100.0).contains(&score), "{score}");
        }
        let passed = failed(&s, &gate.fail_on).is_empty();
        prop_assert_eq!(passed, s.summary.score >= min_score);
        prop_assert!(serde_json::to_string(&s.summary).unwrap().contains("\"score\":"));
        prop_assert!(!serde_json::to_string(&s.summary).unwrap().contains("null"));
    }

    #[test]
    fn a_tally_of_any_sums_scores_a_finite_number(earned in any::<f64>(), possible in any::<f64>()) {
        let score = Tally { earned, possible }.score();
        prop_assert!(score.is_finite() && (0.0..=100.0).contains(&score), "{earned} / {possible} → {score}");
    }
}

#[test]
fn the_gate_fails_closed_on_a_score_that_is_not_a_number() {
    let set = set_of(vec![playbook("p", None, &[q()])]);
    let mut s = run(&set, &answers(vec![("p/q1", answer(Status::Met))]));
    assert!(failed(&s, &[]).is_empty());
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        s.summary.score = bad;
        assert_eq!(failed(&s, &[]), vec![FailOn::BelowScore], "{bad}");
        s.summary.score = 100.0;
        s.summary.min_score = bad;
        assert_eq!(failed(&s, &[]), vec![FailOn::BelowScore], "min {bad}");
        s.summary.min_score = 80.0;
    }
}
